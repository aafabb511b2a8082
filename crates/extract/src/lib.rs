//! Plain text out of the documents a firm keeps, so they can be found by full-text
//! search: `.txt` and `.md` as they are, `.docx` from its WordprocessingML, `.pdf`
//! through the `pdf-extract` crate.
//!
//! [`extract`] is pure: bytes in, text out. Nothing is written anywhere, so a
//! client's document never passes through a temporary file. Any input — a truncated
//! PDF, a zip bomb named `.docx`, random bytes — gives an [`Extraction`] saying what
//! happened; a panic of a parser is caught, and no more than [`TEXT_MAX`] bytes of
//! text are ever collected.
//!
//! A parser can still take a process down in ways no `catch_unwind` stops: a stack
//! overflow (pdf-extract follows a form XObject that draws itself without end), a
//! loop that never ends, memory without bound. So the app and the CLI read PDF and
//! Word files through [`Isolated`]: the same code in a child process with limits
//! on memory and CPU time and a timeout, the text coming back over a pipe. See
//! [`isolated`].

use std::io::Read;

use quick_xml::{Reader, events::Event};

pub mod isolated;

pub use isolated::{Extractor, Isolated, Limits, Stopped, quiet_panics, run_child_if_requested};

/// Most text kept from one document (bytes of UTF-8). A 2,000-page transcript is
/// about 4 MB; more than this is almost always a scanned or generated file whose
/// tail adds nothing to search.
pub const TEXT_MAX: usize = 8 * 1024 * 1024;

/// Most bytes read out of a `.docx` body after decompression, so a small file that
/// inflates to gigabytes is refused instead of filling memory.
const DOCX_XML_MAX: u64 = 64 * 1024 * 1024;

/// What kind of file this is, from its name and its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    PlainText,
    Markdown,
    Docx,
    Pdf,
    /// Anything else: kept and versioned, but not searchable by its content.
    Other,
}

impl Format {
    /// Looks at the content first (a PDF named `.txt` is still a PDF), then the name.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Self {
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if bytes.starts_with(b"%PDF-") {
            return Self::Pdf;
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return if ext == "docx" {
                Self::Docx
            } else {
                Self::Other
            };
        }
        match ext.as_str() {
            "txt" | "text" | "csv" | "log" => Self::PlainText,
            "md" | "markdown" => Self::Markdown,
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            _ => Self::Other,
        }
    }

    /// The IANA media type recorded with a document version.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::PlainText => "text/plain",
            Self::Markdown => "text/markdown",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pdf => "application/pdf",
            Self::Other => "application/octet-stream",
        }
    }
}

/// The result of reading a document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extraction {
    /// Text found (possibly cut at [`TEXT_MAX`]; `truncated` says so).
    Text { text: String, truncated: bool },
    /// A readable file with no text in it, such as a scanned PDF without OCR.
    Empty,
    /// A format whose text is not read (images, spreadsheets, archives…).
    Unsupported,
    /// The file claims a format it does not hold, or is damaged. The reason is
    /// written for the person who added it.
    Failed(String),
}

impl Extraction {
    /// The text, if any was found.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A short word for the store and the window: text, empty, unsupported, failed.
    pub fn status(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Empty => "empty",
            Self::Unsupported => "unsupported",
            Self::Failed(_) => "failed",
        }
    }
}

/// Reads the text of a document, in this process. For files from outside, the app
/// and the CLI use [`Isolated::extract`] instead.
pub fn extract(file_name: &str, bytes: &[u8]) -> Extraction {
    read(Format::detect(file_name, bytes), bytes)
}

/// Reads the text of a file already known to be in `format`.
fn read(format: Format, bytes: &[u8]) -> Extraction {
    match format {
        Format::PlainText | Format::Markdown => plain(bytes),
        Format::Docx => docx(bytes),
        Format::Pdf => pdf(bytes),
        Format::Other => Extraction::Unsupported,
    }
}

fn finish(text: String) -> Extraction {
    finish_cut(text, false)
}

/// [`finish`] for text that was already cut short while it was read.
fn finish_cut(text: String, cut: bool) -> Extraction {
    if text.trim().is_empty() {
        return Extraction::Empty;
    }
    let (text, truncated) = cap(text);
    Extraction::Text {
        text,
        truncated: truncated || cut,
    }
}

/// Cuts text to [`TEXT_MAX`] bytes on a character boundary.
fn cap(mut text: String) -> (String, bool) {
    if text.len() <= TEXT_MAX {
        return (text, false);
    }
    let mut end = TEXT_MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

fn plain(bytes: &[u8]) -> Extraction {
    // A byte-order mark is not text.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Extraction::Failed(
            "This file is named as text but holds binary data. Check that it is the file you meant to add."
                .into(),
        );
    }
    // Only what can be kept is converted: a 200 MB log costs 8 MB, not 200.
    let (bytes, cut) = if bytes.len() > TEXT_MAX {
        let mut end = TEXT_MAX;
        // Not into the middle of a character (continuation bytes are 10xxxxxx; a
        // character has at most three).
        while end > TEXT_MAX - 3 && bytes[end] & 0xC0 == 0x80 {
            end -= 1;
        }
        (&bytes[..end], true)
    } else {
        (bytes, false)
    };
    // Windows-1252 files from older systems still read, with unknown bytes replaced,
    // rather than being refused: search on most of the words beats none.
    finish_cut(String::from_utf8_lossy(bytes).into_owned(), cut)
}

fn docx(bytes: &[u8]) -> Extraction {
    let damaged = |why: &str| {
        Extraction::Failed(format!(
            "This .docx file could not be read ({why}). Open it in Word and save it again, then add the new copy."
        ))
    };
    let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(z) => z,
        Err(_) => return damaged("it is not a valid Word document"),
    };
    let mut xml = Vec::new();
    {
        let entry = match zip.by_name("word/document.xml") {
            Ok(e) => e,
            Err(_) => return damaged("the document body is missing"),
        };
        if entry.take(DOCX_XML_MAX + 1).read_to_end(&mut xml).is_err() {
            return damaged("the document body is damaged");
        }
    }
    if xml.len() as u64 > DOCX_XML_MAX {
        return damaged("the document body is larger than 64 MB once unpacked");
    }
    match wordprocessing_text(&xml) {
        Ok(text) => finish(text),
        Err(_) => damaged("the document body is not well-formed"),
    }
}

/// The text of a WordprocessingML body: runs (`w:t`), tabs and breaks, one line per
/// paragraph.
fn wordprocessing_text(xml: &[u8]) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => out.push('\t'),
                b"br" | b"cr" => out.push('\n'),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                // Since quick-xml 0.38 references arrive as their own events, so
                // text events hold no escapes.
                out.push_str(&t.decode().map_err(quick_xml::Error::from)?);
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(c) = r.resolve_char_ref()? {
                    out.push(c);
                } else {
                    let name = r.decode().map_err(quick_xml::Error::from)?;
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        out.push_str(s);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > TEXT_MAX {
            break;
        }
        buf.clear();
    }
    Ok(out)
}

fn pdf(bytes: &[u8]) -> Extraction {
    let mut text = CappedText::default();
    // pdf-extract can panic on malformed files; in this process a bad PDF must not
    // take everything down with it, so its panic is caught and reported as a damaged
    // file. (Its panic messages can quote the document: the binaries install
    // `quiet_panics` so they are never printed.)
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut doc = pdf_extract::Document::load_mem(bytes)?;
        if doc.is_encrypted() {
            // Many PDFs are "encrypted" with an empty password only to set
            // permissions; those read. A real password fails here.
            doc.decrypt("")?;
        }
        let mut out = pdf_extract::PlainTextOutput::new(CappedWriter(&mut text));
        pdf_extract::output_doc(&doc, &mut out)
    }));
    match result {
        Ok(Ok(())) => finish(text.text),
        // The writer refused more text: what was read so far is the document's text.
        Ok(Err(_)) if text.full => finish_cut(text.text, true),
        Ok(Err(_)) | Err(_) => Extraction::Failed(
            "This PDF could not be read: it is damaged or protected by a password. Open it, save or print it to a new PDF, and add that copy."
                .into(),
        ),
    }
}

/// Text collected from a PDF, never more than [`TEXT_MAX`] bytes: once full, every
/// write fails, which stops pdf-extract at the next character it would output.
#[derive(Default)]
struct CappedText {
    text: String,
    full: bool,
}

struct CappedWriter<'a>(&'a mut CappedText);

impl std::fmt::Write for CappedWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let c = &mut *self.0;
        let room = TEXT_MAX - c.text.len();
        if s.len() <= room {
            c.text.push_str(s);
            return Ok(());
        }
        let mut end = room;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        c.text.push_str(&s[..end]);
        c.full = true;
        Err(std::fmt::Error)
    }
}

impl<'a> pdf_extract::ConvertToFmt for CappedWriter<'a> {
    type Writer = CappedWriter<'a>;
    fn convert(self) -> Self::Writer {
        self
    }
}

pub mod fixtures;

#[cfg(test)]
mod tests;
