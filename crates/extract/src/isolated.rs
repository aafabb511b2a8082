//! Reading a document's text in a child process, so that a hostile or broken file
//! fails that one document and nothing else.
//!
//! pdf-extract signals malformed input by panicking, recurses without bound on a
//! form XObject that draws itself (a stack overflow, which no `catch_unwind`
//! survives), and quotes the document in its panic messages. So the app and the CLI
//! never parse a PDF or a Word file in their own process:
//!
//! - The **parent** ([`Isolated::run`]) starts a child — the current executable
//!   again ([`Isolated::current_exe`]), or any program given by path — with the
//!   reserved first argument [`CHILD_ARG`], the format and the limits. It writes the
//!   file's bytes to the child's stdin and reads the answer from its stdout,
//!   keeping at most [`TEXT_MAX`] bytes (more is an error: the child is killed and
//!   reading stops, so memory never grows past the cap). It kills the child (its
//!   own pid, nothing else) when the timeout passes, always reaps it, and turns
//!   every way a child can end — a signal, a non-zero exit, silence, too much
//!   output — into [`Extraction::Failed`] with a message for the person (see
//!   [`Stopped`]). The child's stderr is read, capped, only to tell "out of memory"
//!   from "crashed", and never shown.
//! - The **child** ([`run_child_if_requested`], called first thing in `main`) sets
//!   its own limits before it reads a byte: address space, CPU seconds, no core
//!   dumps and not dumpable, no files written, no new processes or threads. It
//!   points fd 1 at /dev/null (so nothing a library prints can be taken for the
//!   answer), installs [`quiet_panics`], reads the file from stdin, extracts with
//!   the same in-process code as [`crate::extract`], writes one tag byte and the
//!   text or message to its private copy of the old stdout, and exits.
//!
//! Plain text and Markdown are read in the parent: no parser is involved, only a
//! capped UTF-8 conversion. Formats that are not read never reach a child either.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::{Extraction, Format, TEXT_MAX};

/// The first argument that turns a Mandate binary into a document reader. Nothing
/// else in the command line can start with it.
pub const CHILD_ARG: &str = "--mandate-extract-child";

/// Most bytes of the file the child reads from stdin: the largest document the
/// store accepts (256 MiB), with room to spare.
const INPUT_MAX: u64 = 300 * 1024 * 1024;

/// How much of the child's stderr is kept to classify how it ended.
const STDERR_KEEP: usize = 16 * 1024;

/// Exit code of a child that could not limit itself (it then reads nothing).
const EXIT_UNCONFINED: i32 = 70;
/// Exit code of a child given arguments it does not understand.
const EXIT_USAGE: i32 = 64;
/// Exit code of a child that could not read its input or write its answer.
const EXIT_IO: i32 = 74;

// The answer's first byte.
const TAG_TEXT: u8 = b'T';
const TAG_TEXT_CUT: u8 = b't';
const TAG_EMPTY: u8 = b'E';
const TAG_UNSUPPORTED: u8 = b'U';
const TAG_FAILED: u8 = b'F';

/// What a reader process may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time from start to answer; then the child is killed.
    pub timeout: Duration,
    /// CPU seconds (RLIMIT_CPU); SIGXCPU at the limit, SIGKILL a second later.
    pub cpu_seconds: u64,
    /// Address space (RLIMIT_AS) on top of four times the file's size (the file
    /// itself, lopdf's parsed copy and room to decompress).
    pub memory_bytes: u64,
}

impl Default for Limits {
    /// 60 s, 30 CPU seconds and 1 GiB (plus 4× the file). A 2,000-page transcript
    /// reads in a few seconds; these leave room for a slow machine and a debug build.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            cpu_seconds: 30,
            memory_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// How a reader process ended without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The program could not be started, or could not limit itself.
    NotStarted,
    /// It ran past the timeout or its CPU time.
    TimedOut,
    /// It asked for more memory than it may have.
    OutOfMemory,
    /// It died of a signal (a stack overflow, a crash), exited with an error or
    /// answered something that is not an answer.
    Crashed,
    /// It sent more than [`TEXT_MAX`] bytes: it was killed and the rest not read.
    TooMuchText,
}

impl Stopped {
    /// What the person who added the file reads (stored as the version's text note).
    pub fn message(self, format: Format) -> String {
        let what = match format {
            Format::Pdf => "this PDF",
            Format::Docx => "this Word document",
            _ => "this file",
        };
        let why = match self {
            Self::NotStarted => "its reader could not be started",
            Self::TimedOut => "the reader stopped: it took too long",
            Self::OutOfMemory => "the reader stopped: it needed too much memory",
            Self::Crashed => "the reader stopped: it crashed on this file",
            Self::TooMuchText => "the reader stopped: it sent back more text than Mandate keeps",
        };
        format!(
            "Mandate could not read the text of {what} ({why}). The file is kept; only its text is not searchable. To make it searchable, open it, save or print it to a new file, and add that copy."
        )
    }
}

/// Where a document's text is read.
#[derive(Debug, Clone)]
pub enum Extractor {
    /// In this process ([`crate::extract`]): for tests and for files Mandate made
    /// itself. A hostile PDF can crash the process.
    InProcess,
    /// In a child process with limits: what the app and the CLI use.
    Isolated(Isolated),
}

impl Extractor {
    /// The app's and the CLI's reader: this executable re-run as a child, default
    /// limits.
    pub fn isolated() -> Self {
        Self::Isolated(Isolated::current_exe())
    }

    pub fn extract(&self, file_name: &str, bytes: &[u8]) -> Extraction {
        match self {
            Self::InProcess => crate::extract(file_name, bytes),
            Self::Isolated(i) => i.extract(file_name, bytes),
        }
    }
}

/// A reader in a child process; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Isolated {
    program: PathBuf,
    args: Vec<OsString>,
    limits: Limits,
}

impl Isolated {
    /// `program` started with [`CHILD_ARG`]; it must call
    /// [`run_child_if_requested`] first thing in `main`.
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            limits: Limits::default(),
        }
    }

    /// This executable. On Linux through `/proc/self/exe`, which still names the
    /// running binary after a package upgrade has replaced the file on disk.
    pub fn current_exe() -> Self {
        if cfg!(target_os = "linux") {
            return Self::new("/proc/self/exe");
        }
        // An empty path fails to start, which fails the document, not the caller.
        Self::new(std::env::current_exe().unwrap_or_default())
    }

    /// Arguments to put before [`CHILD_ARG`] (for a wrapper such as `sh -c`).
    pub fn with_args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Reads the text of a document: PDF and Word in a child, the rest here.
    /// Every failure of the child is an [`Extraction::Failed`] saying what happened.
    pub fn extract(&self, file_name: &str, bytes: &[u8]) -> Extraction {
        let format = Format::detect(file_name, bytes);
        match format {
            Format::Pdf | Format::Docx => self
                .run(format, bytes)
                .unwrap_or_else(|stopped| Extraction::Failed(stopped.message(format))),
            _ => crate::read(format, bytes),
        }
    }

    /// Reads `bytes` as `format` in a child process and says how it ended.
    pub fn run(&self, format: Format, bytes: &[u8]) -> Result<Extraction, Stopped> {
        let memory = self
            .limits
            .memory_bytes
            .saturating_add((bytes.len() as u64).saturating_mul(4));
        let child = Command::new(&self.program)
            .args(&self.args)
            .arg(CHILD_ARG)
            .arg(format_word(format))
            .arg(self.limits.cpu_seconds.max(1).to_string())
            .arg(memory.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|_| Stopped::NotStarted)?;
        let mut child = Reaped(child);
        let (Some(stdin), Some(stdout), Some(stderr)) = (
            child.0.stdin.take(),
            child.0.stdout.take(),
            child.0.stderr.take(),
        ) else {
            return Err(Stopped::NotStarted);
        };
        let deadline = Instant::now() + self.limits.timeout;
        let flooded = AtomicBool::new(false);

        let (status, timed_out, answer, errors) = std::thread::scope(|s| {
            // Each pipe has its own thread, so a child that stops reading stdin
            // while it fills stdout (or the reverse) never deadlocks the parent.
            // Killing the child closes its ends, so all three threads finish.
            s.spawn(move || {
                let mut stdin = stdin;
                // A child that dies early makes this fail (EPIPE): its exit says why.
                let _ = stdin.write_all(bytes);
            });
            let answer = s.spawn(|| {
                let (kept, over) = read_capped(stdout, TEXT_MAX + 1);
                if over {
                    flooded.store(true, Ordering::SeqCst);
                }
                kept
            });
            let errors = s.spawn(|| {
                let mut stderr = stderr;
                let (kept, over) = read_capped(&mut stderr, STDERR_KEEP);
                if over {
                    // Keep draining so the child never blocks on a full pipe.
                    let _ = std::io::copy(&mut stderr, &mut std::io::sink());
                }
                kept
            });

            let mut timed_out = false;
            let mut pause = Duration::from_millis(1);
            let status = loop {
                let waited = child.0.try_wait();
                if let Ok(Some(status)) = waited {
                    break Some(status);
                }
                let flood = flooded.load(Ordering::SeqCst);
                // A child that cannot be waited on is not left running either: the
                // pipe threads would wait for it.
                if waited.is_err() || flood || Instant::now() >= deadline {
                    timed_out = waited.is_ok() && !flood;
                    let _ = child.0.kill();
                    break child.0.wait().ok();
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            };
            (status, timed_out, answer.join(), errors.join())
        });

        if flooded.load(Ordering::SeqCst) {
            return Err(Stopped::TooMuchText);
        }
        if timed_out {
            return Err(Stopped::TimedOut);
        }
        let (Ok(answer), Ok(errors)) = (answer, errors) else {
            return Err(Stopped::Crashed);
        };
        match status {
            Some(st) if st.success() => decode(answer),
            status => Err(classify(status, &errors)),
        }
    }
}

/// A child that is killed and reaped whatever happens to the parent's code, so no
/// reader outlives its document and no zombie is left behind. `kill` does nothing
/// to a child already reaped (std remembers), so no other process can be hit.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Reads at most `keep` bytes; `true` if there was more (which is left unread).
fn read_capped(from: impl Read, keep: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let _ = from.take(keep as u64 + 1).read_to_end(&mut kept);
    let over = kept.len() > keep;
    kept.truncate(keep);
    (kept, over)
}

fn format_word(format: Format) -> &'static str {
    match format {
        Format::Pdf => "pdf",
        Format::Docx => "docx",
        Format::PlainText => "text",
        Format::Markdown => "markdown",
        Format::Other => "other",
    }
}

fn format_of_word(word: &str) -> Option<Format> {
    Some(match word {
        "pdf" => Format::Pdf,
        "docx" => Format::Docx,
        "text" => Format::PlainText,
        "markdown" => Format::Markdown,
        "other" => Format::Other,
        _ => return None,
    })
}

/// The child's answer: a tag byte, then UTF-8.
fn decode(mut answer: Vec<u8>) -> Result<Extraction, Stopped> {
    if answer.is_empty() {
        return Err(Stopped::Crashed);
    }
    let tag = answer.remove(0);
    let body = String::from_utf8(answer).map_err(|_| Stopped::Crashed)?;
    Ok(match tag {
        TAG_TEXT | TAG_TEXT_CUT if !body.is_empty() => Extraction::Text {
            text: body,
            truncated: tag == TAG_TEXT_CUT,
        },
        TAG_EMPTY if body.is_empty() => Extraction::Empty,
        TAG_UNSUPPORTED if body.is_empty() => Extraction::Unsupported,
        TAG_FAILED if !body.is_empty() => Extraction::Failed(body),
        _ => return Err(Stopped::Crashed),
    })
}

fn encode(e: &Extraction) -> (u8, &str) {
    match e {
        Extraction::Text {
            text,
            truncated: false,
        } => (TAG_TEXT, text),
        Extraction::Text {
            text,
            truncated: true,
        } => (TAG_TEXT_CUT, text),
        Extraction::Empty => (TAG_EMPTY, ""),
        Extraction::Unsupported => (TAG_UNSUPPORTED, ""),
        Extraction::Failed(why) => (TAG_FAILED, why),
    }
}

/// How a child that gave no answer ended. Its stderr holds only what Rust's
/// runtime and [`quiet_panics`] print (library output is not text of ours to show
/// either way); it is searched, never shown.
fn classify(status: Option<ExitStatus>, stderr: &[u8]) -> Stopped {
    let said = |needle: &[u8]| stderr.windows(needle.len()).any(|w| w == needle);
    // Rust's allocation-failure handler, just before it aborts.
    if said(b"memory allocation of") {
        return Stopped::OutOfMemory;
    }
    let Some(status) = status else {
        return Stopped::Crashed;
    };
    if status.code() == Some(EXIT_UNCONFINED) {
        return Stopped::NotStarted;
    }
    #[cfg(unix)]
    {
        use rustix::process::Signal;
        use std::os::unix::process::ExitStatusExt;
        // SIGXCPU at the soft CPU limit, SIGKILL at the hard one.
        let sig = status.signal();
        if sig == Some(Signal::XCPU.as_raw()) || sig == Some(Signal::KILL.as_raw()) {
            return Stopped::TimedOut;
        }
    }
    Stopped::Crashed
}

/// Never prints a panic's message: pdf-extract's quote the document (an encoding
/// name, a string from a font), and a panic anywhere might hold a client's data.
/// Prints where it happened, and a backtrace (function names only) when
/// `RUST_BACKTRACE` asks for one. For `main` of every Mandate binary.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "Mandate: internal error{place}. Its details are withheld because they may quote a client's document."
        );
        let trace = std::backtrace::Backtrace::capture();
        if trace.status() == std::backtrace::BacktraceStatus::Captured {
            let _ = writeln!(err, "{trace}");
        }
    }));
}

/// If this process was started as a document reader (first argument
/// [`CHILD_ARG`]), reads one document and exits; otherwise returns at once. Call it
/// first thing in `main`, before any other work (the child must not open windows,
/// stores or keyrings).
pub fn run_child_if_requested() {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(OsStr::new(CHILD_ARG)) {
        return;
    }
    std::process::exit(child_main(args));
}

fn child_main(mut args: impl Iterator<Item = OsString>) -> i32 {
    quiet_panics();
    let mut word = || args.next().and_then(|a| a.into_string().ok());
    let (Some(format), Some(cpu), Some(memory)) = (
        word().as_deref().and_then(format_of_word),
        word().and_then(|w| w.parse::<u64>().ok()),
        word().and_then(|w| w.parse::<u64>().ok()),
    ) else {
        return EXIT_USAGE;
    };
    if confine(cpu, memory).is_err() {
        return EXIT_UNCONFINED;
    }
    let Ok(mut out) = private_stdout() else {
        return EXIT_IO;
    };
    let mut bytes = Vec::new();
    if std::io::stdin()
        .lock()
        .take(INPUT_MAX)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return EXIT_IO;
    }
    let extraction = crate::read(format, &bytes);
    drop(bytes);
    let (tag, body) = encode(&extraction);
    if out.write_all(&[tag]).is_err()
        || out.write_all(body.as_bytes()).is_err()
        || out.flush().is_err()
    {
        return EXIT_IO;
    }
    0
}

/// The child's limits on itself, set before it reads a byte of the document. A
/// limit can only be lowered, never raised above the hard limit it inherited.
#[cfg(unix)]
fn confine(cpu_seconds: u64, memory_bytes: u64) -> std::io::Result<()> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = |resource: Resource, soft: u64, hard: u64| {
        let inherited = getrlimit(resource).maximum.unwrap_or(u64::MAX);
        let hard = hard.min(inherited);
        setrlimit(
            resource,
            Rlimit {
                current: Some(soft.min(hard)),
                maximum: Some(hard),
            },
        )
    };
    // No core dump: it would write the document to disk.
    limit(Resource::Core, 0, 0)?;
    // No file grows by a byte (pipes are not files).
    limit(Resource::Fsize, 0, 0)?;
    // No process or thread can be started: a parser exploited into running code
    // cannot hand the document on, nor leave anything running once killed.
    limit(Resource::Nproc, 0, 0)?;
    limit(Resource::Cpu, cpu_seconds, cpu_seconds.saturating_add(1))?;
    limit(Resource::As, memory_bytes, memory_bytes)?;
    // Not dumpable: no core even through a core_pattern pipe, and no ptrace by
    // other processes of the same user.
    #[cfg(target_os = "linux")]
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
    Ok(())
}

#[cfg(not(unix))]
fn confine(_cpu_seconds: u64, _memory_bytes: u64) -> std::io::Result<()> {
    // Only the parent's timeout applies.
    Ok(())
}

/// A copy of stdout for the answer; fd 1 itself is pointed at /dev/null, so that
/// nothing a library prints can be mistaken for (or mixed into) the answer.
#[cfg(unix)]
fn private_stdout() -> std::io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    let answer = rustix::io::dup(std::io::stdout().as_fd())?;
    let null = std::fs::File::options().write(true).open("/dev/null")?;
    rustix::stdio::dup2_stdout(&null)?;
    Ok(std::fs::File::from(answer))
}

#[cfg(not(unix))]
fn private_stdout() -> std::io::Result<std::io::Stdout> {
    Ok(std::io::stdout())
}
