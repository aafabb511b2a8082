//! Text read in a child process: the real reader binary (`mandate-extract-child`,
//! the same `run_child_if_requested` the app and the CLI call), and stand-ins
//! written in `sh` for readers that misbehave in ways no real file triggers on
//! demand (hang, flood, die of a signal).
//!
//! Every hostile document must fail that one document — with a message for the
//! person, within the timeout — while this process lives on.

#![cfg(unix)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mandate_extract::fixtures::{
    docx_with, pdf_declared_huge_stream, pdf_flate_bomb, pdf_garbage, pdf_mutually_drawing_forms,
    pdf_nested_arrays, pdf_nested_dictionaries, pdf_self_drawing_form, pdf_with,
    pdf_with_string_in_differences, pdf_with_text_of, pdf_with_unknown_encoding,
};
use mandate_extract::isolated::CHILD_ARG;
use mandate_extract::{Extraction, Format, Isolated, Limits, Stopped, TEXT_MAX, extract};

const LIMITS: Limits = Limits {
    timeout: Duration::from_secs(20),
    cpu_seconds: 10,
    memory_bytes: 512 * 1024 * 1024,
};

fn reader() -> Isolated {
    Isolated::new(env!("CARGO_BIN_EXE_mandate-extract-child")).with_limits(LIMITS)
}

/// A stand-in reader: `script` run by sh (the reader's arguments become $1…).
fn sh(script: &str) -> Isolated {
    Isolated::new("/bin/sh")
        .with_args(["-c", script, "sh"])
        .with_limits(LIMITS)
}

fn failed(e: &Extraction) -> &str {
    match e {
        Extraction::Failed(why) => why,
        other => panic!("expected a failed extraction, got {other:?}"),
    }
}

#[test]
fn text_comes_back_as_read_in_process() {
    let r = reader();
    for (name, bytes) in [
        ("memo.pdf", pdf_with("Privileged settlement memorandum")),
        ("letter.docx", docx_with(&["Dear executor", "probate bond"])),
        ("notes.txt", b"call notes".to_vec()),
        ("scan.png", b"\x89PNG\r\n".to_vec()),
        ("blank.docx", docx_with(&["  "])),
    ] {
        assert_eq!(r.extract(name, &bytes), extract(name, &bytes), "{name}");
    }
    let pdf = r.extract("memo.pdf", &pdf_with("Privileged settlement memorandum"));
    assert!(
        pdf.text()
            .unwrap()
            .contains("Privileged settlement memorandum")
    );
}

#[test]
fn hostile_pdfs_fail_that_document_in_bounded_time() {
    let r = reader();
    let bound = LIMITS.timeout + Duration::from_secs(5);
    let mut truncated = pdf_with("Exhibit A");
    truncated.truncate(truncated.len() / 2);
    // (name, file, what the message must say)
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        // pdf-extract recurses into the form for ever: a stack overflow.
        ("self-drawing form", pdf_self_drawing_form(), "crashed"),
        (
            "forms drawing each other",
            pdf_mutually_drawing_forms(),
            "crashed",
        ),
        // 1 GiB of spaces in 1 MB of file, against a 512 MiB limit.
        ("flate bomb", pdf_flate_bomb(1 << 30), "too much memory"),
        // pdf-extract panics (caught in the child): a damaged file.
        (
            "unknown encoding",
            pdf_with_unknown_encoding("Bogus", "x"),
            "damaged",
        ),
        (
            "string in differences",
            pdf_with_string_in_differences("x"),
            "damaged",
        ),
        ("garbage", pdf_garbage(200_000, 7), "damaged"),
        ("truncated", truncated, "damaged"),
    ];
    for (name, bytes, says) in cases {
        let started = Instant::now();
        let e = r.extract("hostile.pdf", &bytes);
        assert!(started.elapsed() < bound, "{name}: {:?}", started.elapsed());
        let why = failed(&e);
        assert!(why.contains(says), "{name}: {why}");
        assert!(
            why.contains("could not read") || why.contains("could not be read"),
            "{name}: {why}"
        );
    }
    // lopdf refuses nesting deeper than 100 and reads past a false /Length, so
    // these hold no text rather than failing; what matters is that they end.
    for (name, bytes) in [
        ("nested arrays", pdf_nested_arrays(100_000)),
        ("nested dictionaries", pdf_nested_dictionaries(100_000)),
        (
            "200 MB declared stream",
            pdf_declared_huge_stream(200_000_000),
        ),
    ] {
        let started = Instant::now();
        let e = r.extract("hostile.pdf", &bytes);
        assert!(started.elapsed() < bound, "{name}: {:?}", started.elapsed());
        assert!(
            matches!(e, Extraction::Empty | Extraction::Failed(_)),
            "{name}: {e:?}"
        );
    }
    // The reader is still good for the next document.
    assert!(
        r.extract("ok.pdf", &pdf_with("Still reading"))
            .text()
            .unwrap()
            .contains("Still reading")
    );
}

#[test]
fn the_stack_overflow_is_reported_as_a_crash_not_a_timeout() {
    assert_eq!(
        reader().run(Format::Pdf, &pdf_self_drawing_form()),
        Err(Stopped::Crashed)
    );
    assert_eq!(
        reader().run(Format::Pdf, &pdf_flate_bomb(1 << 30)),
        Err(Stopped::OutOfMemory)
    );
}

/// pdf-extract's panic messages quote the document (here an encoding name and a
/// string in a font). The reader's stderr and answer must hold neither.
#[test]
fn a_panic_message_never_carries_document_text() {
    let marker = "PrivilegedMarkerQ7";
    for bytes in [
        pdf_with_unknown_encoding(marker, "hello"),
        pdf_with_string_in_differences(&format!("{marker} settlement figure")),
    ] {
        assert!(bytes.windows(marker.len()).any(|w| w == marker.as_bytes()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_mandate-extract-child"))
            .args([CHILD_ARG, "pdf", "10", "536870912"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        // The panic happened (the quiet hook said so) and said nothing of the file.
        assert!(stderr.contains("internal error"), "{stderr}");
        assert!(!stderr.contains(marker), "{stderr}");
        assert!(
            stdout.starts_with('F') && !stdout.contains(marker),
            "{stdout}"
        );
        // Through the parent, the same: a damaged file, no quote.
        let why = failed(&reader().extract("m.pdf", &bytes)).to_owned();
        assert!(!why.contains(marker), "{why}");
    }
}

#[test]
fn text_is_capped_while_it_is_read() {
    // 9 MB of text: the child stops pdf-extract at 8 MB and says it cut it.
    match reader().extract("long.pdf", &pdf_with_text_of(9 * 1024 * 1024)) {
        Extraction::Text { text, truncated } => {
            assert!(truncated);
            assert_eq!(text.len(), TEXT_MAX);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_hung_reader_is_killed_at_the_timeout() {
    let quick = Limits {
        timeout: Duration::from_secs(1),
        ..LIMITS
    };
    // `exec`, so the pid killed is the sleeping process itself.
    let r = sh("exec sleep 60").with_limits(quick);
    let started = Instant::now();
    assert_eq!(r.run(Format::Pdf, b"%PDF-1.4"), Err(Stopped::TimedOut));
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(5),
        "{took:?}"
    );
    // It also never reads stdin: a large file must not block the parent.
    let big = vec![b'x'; 8 * 1024 * 1024];
    let why = failed(&r.extract("big.pdf", &[b"%PDF-1.4\n".as_slice(), &big].concat())).to_owned();
    assert!(why.contains("took too long"), "{why}");
    assert!(why.contains("The file is kept"), "{why}");
}

#[test]
fn running_out_of_cpu_time_counts_as_too_long() {
    let r = sh("ulimit -t 1; while :; do :; done");
    let started = Instant::now();
    assert_eq!(r.run(Format::Pdf, b"%PDF-1.4"), Err(Stopped::TimedOut));
    assert!(started.elapsed() < LIMITS.timeout);
}

#[test]
fn readers_that_die_or_answer_nonsense_fail_the_document() {
    for (script, stopped) in [
        ("kill -SEGV $$", Stopped::Crashed),
        ("kill -ABRT $$", Stopped::Crashed),
        ("cat >/dev/null; exit 3", Stopped::Crashed),
        // Exits 0 without an answer, or with one that is not ours.
        ("cat >/dev/null", Stopped::Crashed),
        ("cat >/dev/null; printf 'Xnot an answer'", Stopped::Crashed),
        ("cat >/dev/null; printf 'T\\377\\376'", Stopped::Crashed),
        // Rust's message on a failed allocation.
        (
            "echo 'memory allocation of 1073741824 bytes failed' >&2; kill -ABRT $$",
            Stopped::OutOfMemory,
        ),
    ] {
        assert_eq!(
            sh(script).run(Format::Pdf, b"%PDF-1.4"),
            Err(stopped),
            "{script}"
        );
    }
    // A good answer from a stand-in is taken as it is.
    assert_eq!(
        sh("cat >/dev/null; printf 'Tsome text'").run(Format::Pdf, b"%PDF-1.4"),
        Ok(Extraction::Text {
            text: "some text".into(),
            truncated: false
        })
    );
    let missing = Isolated::new("/nonexistent/mandate-reader");
    assert_eq!(
        missing.run(Format::Pdf, b"%PDF-1.4"),
        Err(Stopped::NotStarted)
    );
    let why = failed(&missing.extract("a.pdf", b"%PDF-1.4")).to_owned();
    assert!(why.contains("could not be started"), "{why}");
    // Plain text never needs a reader.
    assert_eq!(missing.extract("a.txt", b"plain").text(), Some("plain"));
}

#[test]
fn the_reader_binary_does_nothing_unless_started_as_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_mandate-extract-child"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    let bad = Command::new(env!("CARGO_BIN_EXE_mandate-extract-child"))
        .args([CHILD_ARG, "pdf", "lots"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(64));
    assert!(bad.stdout.is_empty());
}
