//! Export of the firm's records as JSON and CSV, so nobody is locked in: matters,
//! parties, providers, consents, assignments, deadlines, messages, documents (their
//! versions' details; the files themselves with `mandate document get`) and the
//! disclosure ledger, one file per kind.
//!
//! The files are plaintext by design — the person asked for them — so the command
//! says where they went; they are written beside their final names and renamed,
//! so an interrupted export never leaves half a file under a final name.

use std::path::{Path, PathBuf};

use mandate_core::{
    AssignmentFilter, ConsentFilter, Error, MatterFilter, PartyFilter, Progress, ProgressPhase,
    ProviderFilter, Result, deadline::DeadlineFilter,
};
use serde::Serialize;
use serde_json::Value;

use crate::{Store, io_error};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
}

/// One file written by an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedFile {
    pub path: PathBuf,
    pub records: usize,
}

/// Pages through a list function until it runs dry.
fn all_pages<T>(mut page: impl FnMut(u32) -> Result<Vec<T>>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    loop {
        let items = page(u32::try_from(out.len()).unwrap_or(u32::MAX))?;
        if items.is_empty() {
            return Ok(out);
        }
        out.extend(items);
    }
}

/// A cell for CSV: strings as they are, lists joined with "; ", anything else as
/// JSON; text that a spreadsheet would run as a formula is neutralised.
fn cell(v: &Value) -> String {
    match v {
        // A number cannot hold a formula, and "-3" stays a number in a spreadsheet.
        Value::Number(n) => n.to_string(),
        other => neutralise(plain_cell(other)),
    }
}

fn plain_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(plain_cell).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// What makes a spreadsheet read a cell as a formula (or, for tab and carriage
/// return, can hide one behind it): OWASP's list for CSV injection.
pub(crate) const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// OWASP's advice against CSV injection: a cell that starts with one of
/// [`FORMULA_START`] gets a leading `'`, so spreadsheets show it as text instead of
/// running it. (The CSV writers also put every data cell in double quotes.)
pub(crate) fn neutralise(cell: String) -> String {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Writes a CSV header row: Mandate's own column names, quoted only where needed.
/// The records follow through [`csv_rows`].
fn csv_header(out: &mut impl std::io::Write, columns: &[&str]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(columns)?;
    w.flush()?;
    Ok(())
}

/// The writer for data rows: every cell in double quotes, as OWASP advises, so a
/// spreadsheet that splits on another separator (";" in many locales, tab) cannot
/// cut a cell in two and find a formula at the start of the second half.
fn csv_rows<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
}

/// CSV text for `rows` of JSON objects under `columns`: a header row, then one
/// neutralised, quoted cell per column and row.
pub(crate) fn csv_bytes(columns: &[String], rows: &[Value]) -> Result<Vec<u8>> {
    let csv_err = |e: csv::Error| Error::internal(e.to_string());
    let mut out = Vec::new();
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    csv_header(&mut out, &names).map_err(csv_err)?;
    let mut w = csv_rows(&mut out);
    for r in rows {
        w.write_record(columns.iter().map(|c| cell(&r[c])))
            .map_err(csv_err)?;
    }
    w.flush().map_err(|e| Error::internal(e.to_string()))?;
    drop(w);
    Ok(out)
}

/// Writes `bytes` to `path` through a temporary file beside it and a rename, so an
/// interrupted write never leaves half a file under the final name. Used for every
/// file Mandate writes at a person's request (exports, calendars, document copies).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    write_through_temp(path, |f| f.write_all(bytes))
}

/// As [`write_file_atomically`], calling `before_rename` once the bytes are on disk
/// under the temporary name and before they take the final one. When it fails the
/// temporary file is removed and nothing appears under `path`: it is how a
/// plaintext file is written only together with its audit record.
pub(crate) fn write_file_recorded(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce() -> Result<()>,
) -> Result<()> {
    use std::io::Write;
    write_through_temp_then(path, |f| f.write_all(bytes), before_rename)
}

/// A name beside `path` that no one else uses: `.NAME.UUID.partial`.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial", uuid::Uuid::new_v4()))
}

/// Creates a file only its owner can read (0600 on Unix): what Mandate writes out
/// at a person's request is plaintext client data.
pub(crate) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Creates a folder (and its missing parents) only its owner can enter (0700 on Unix).
pub(crate) fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

/// Writes through a private temporary file, synced, then renamed over `path`. On
/// any failure the temporary file is removed, so no stray plaintext is left behind.
fn write_through_temp(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    write_through_temp_then(path, write, || Ok(()))
}

/// [`write_through_temp`] with a last step before the rename.
fn write_through_temp_then(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    before_rename: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let tmp = temp_beside(path);
    let result = (|| {
        let f = create_private(&tmp).map_err(|e| io_error(&tmp, &e))?;
        let mut w = std::io::BufWriter::new(f);
        write(&mut w).map_err(|e| io_error(&tmp, &e))?;
        let f = w.into_inner().map_err(|e| io_error(&tmp, e.error()))?;
        f.sync_all().map_err(|e| io_error(&tmp, &e))?;
        before_rename()?;
        std::fs::rename(&tmp, path).map_err(|e| io_error(path, &e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_records<T: Serialize>(
    dir: &Path,
    name: &str,
    items: &[T],
    format: ExportFormat,
) -> Result<ExportedFile> {
    let rows: Vec<Value> = items
        .iter()
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect();
    let (path, bytes) = match format {
        ExportFormat::Json => (
            dir.join(format!("{name}.json")),
            serde_json::to_vec_pretty(&rows).map_err(|e| Error::internal(e.to_string()))?,
        ),
        ExportFormat::Csv => {
            // Columns in the order of the first record (serde order = struct order).
            let columns: Vec<String> = rows
                .first()
                .and_then(Value::as_object)
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            (dir.join(format!("{name}.csv")), csv_bytes(&columns, &rows)?)
        }
    };
    write_file_atomically(&path, &bytes)?;
    Ok(ExportedFile {
        path,
        records: rows.len(),
    })
}

/// The files an export writes, one per kind of record.
const EXPORT_FILES: u64 = 9;

/// Records a file just written and reports the step.
fn wrote(files: &mut Vec<ExportedFile>, file: ExportedFile, progress: &mut dyn FnMut(Progress)) {
    let item = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    files.push(file);
    progress(Progress {
        phase: ProgressPhase::Exporting,
        done: files.len() as u64,
        total: EXPORT_FILES,
        item,
    });
}

impl ExportFormat {
    /// `json` or `csv`, as the CLI and the window name it (and the audit record).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
        }
    }
}

impl Store {
    /// Writes every record to `out_dir`, one file per kind: matters, parties,
    /// providers, consents, work orders, deadlines, messages, document versions and
    /// the disclosure ledger. `out_dir` must be an empty folder or a new one inside
    /// an existing folder ([`crate::check_export_folder`]). The export is recorded in
    /// the audit log (`store.export`, with the format and the number of files); if
    /// any file or the record cannot be written, the files already written are
    /// removed (and the folder, if the export made it), so no plaintext is left
    /// without its record.
    pub fn export_records(
        &mut self,
        out_dir: &Path,
        format: ExportFormat,
    ) -> Result<Vec<ExportedFile>> {
        self.export_records_with_progress(out_dir, format, &mut |_| {})
    }

    /// As [`Store::export_records`], reporting one step per file: each kind is read
    /// and its file written before the next kind is read.
    pub fn export_records_with_progress(
        &mut self,
        out_dir: &Path,
        format: ExportFormat,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<ExportedFile>> {
        crate::outputs::check_export_folder(out_dir)?;
        let made_folder = out_dir.symlink_metadata().is_err();
        create_private_dir(out_dir).map_err(|e| io_error(out_dir, &e))?;
        let mut files = Vec::with_capacity(EXPORT_FILES as usize);
        let result = self
            .write_export(out_dir, format, &mut files, progress)
            .and_then(|()| {
                let records: usize = files.iter().map(|f| f.records).sum();
                self.record_outside_write(
                    "store.export",
                    "store",
                    &self.store_id.clone(),
                    &serde_json::json!({
                        "format": format.as_str(),
                        "files": files.len(),
                        "records": records,
                    }),
                )
            });
        if let Err(e) = result {
            for f in &files {
                let _ = std::fs::remove_file(&f.path);
            }
            if made_folder {
                let _ = std::fs::remove_dir(out_dir);
            }
            return Err(e);
        }
        Ok(files)
    }

    /// Writes the export's files into `out_dir`, adding each to `files` once it is
    /// complete under its final name.
    fn write_export(
        &self,
        out_dir: &Path,
        format: ExportFormat,
        files: &mut Vec<ExportedFile>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        const PAGE: u32 = 1000;
        progress(Progress::new(ProgressPhase::Exporting, 0, EXPORT_FILES));
        // Matters page by seeking, so a large practice exports in linear time.
        let mut matters = Vec::new();
        let mut after = None;
        loop {
            let page = self.list_matters(&MatterFilter {
                limit: Some(PAGE),
                sort: mandate_core::MatterSort::Number,
                after,
                count: Some(false),
                ..Default::default()
            })?;
            matters.extend(page.items);
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let file = write_records(out_dir, "matters", &matters, format)?;
        wrote(files, file, progress);
        drop(matters);
        let parties = all_pages(|offset| {
            Ok(self
                .list_parties(&PartyFilter {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    ..Default::default()
                })?
                .items)
        })?;
        let file = write_records(out_dir, "parties", &parties, format)?;
        wrote(files, file, progress);
        let providers = all_pages(|offset| {
            Ok(self
                .list_providers(&ProviderFilter {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    ..Default::default()
                })?
                .items)
        })?;
        let file = write_records(out_dir, "providers", &providers, format)?;
        wrote(files, file, progress);
        let consents = self.list_consents(&ConsentFilter::default())?;
        let file = write_records(out_dir, "consents", &consents, format)?;
        wrote(files, file, progress);
        let assignments = all_pages(|offset| {
            Ok(self
                .list_assignments(&AssignmentFilter {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    ..Default::default()
                })?
                .items)
        })?;
        let file = write_records(out_dir, "assignments", &assignments, format)?;
        wrote(files, file, progress);
        let deadlines = self.list_deadlines(&DeadlineFilter::default())?;
        let file = write_records(out_dir, "deadlines", &deadlines, format)?;
        wrote(files, file, progress);
        drop(deadlines);
        let file = self.export_messages(out_dir, format)?;
        wrote(files, file, progress);
        let documents = self.export_document_versions()?;
        let file = write_records(out_dir, "documents", &documents, format)?;
        wrote(files, file, progress);
        let ledger = self.list_disclosures(&mandate_core::DisclosureFilter::default())?;
        let file = write_records(out_dir, "disclosures", &ledger, format)?;
        wrote(files, file, progress);
        Ok(())
    }
}

/// One row of `documents.csv`/`.json`: a version with its document's title and owner.
#[derive(Debug, Serialize)]
struct DocumentRow {
    document_id: String,
    matter_id: String,
    title: String,
    owner: String,
    version: i64,
    version_id: String,
    file_name: String,
    media_type: String,
    size: i64,
    sha256: String,
    added_by: String,
    added_at: String,
    note: Option<String>,
}

/// Columns of `messages.csv`, in this order.
const MESSAGE_COLUMNS: [&str; 5] = ["id", "matter_id", "author", "sent_at", "body"];

impl Store {
    fn export_document_versions(&self) -> Result<Vec<DocumentRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.matter_id, d.title, d.owner, v.version, v.id, v.file_name, v.media_type, v.size, v.sha256, v.added_by, v.added_at, v.note
                 FROM document_version v JOIN document d ON d.id = v.document_id
                 ORDER BY d.matter_id, d.id, v.version",
            )
            .map_err(|e| crate::db::map(e, "export the documents"))?;
        stmt.query_map([], |r| {
            Ok(DocumentRow {
                document_id: r.get(0)?,
                matter_id: r.get(1)?,
                title: r.get(2)?,
                owner: r.get(3)?,
                version: r.get(4)?,
                version_id: r.get(5)?,
                file_name: r.get(6)?,
                media_type: r.get(7)?,
                size: r.get(8)?,
                sha256: r.get(9)?,
                added_by: r.get(10)?,
                added_at: r.get(11)?,
                note: r.get(12)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| crate::db::map(e, "export the documents"))
    }

    /// Messages can number in the millions, so they stream from the query to the
    /// file instead of being gathered in memory first.
    fn export_messages(&self, dir: &Path, format: ExportFormat) -> Result<ExportedFile> {
        use std::io::Write;
        let path = dir.join(match format {
            ExportFormat::Json => "messages.json",
            ExportFormat::Csv => "messages.csv",
        });
        let mut stmt = self
            .conn
            .prepare("SELECT id, matter_id, author, sent_at, body FROM message ORDER BY rowid")
            .map_err(|e| crate::db::map(e, "export the messages"))?;
        let mut rows = stmt
            .query([])
            .map_err(|e| crate::db::map(e, "export the messages"))?;
        let mut n = 0usize;
        // A store error met while writing is kept here and returned after the
        // temporary file is removed; the writer itself only sees io errors.
        let mut failed: Option<Error> = None;
        let other = |e: String| std::io::Error::other(e);
        let written = write_through_temp(&path, |out| {
            let mut next = || -> std::io::Result<Option<[String; 5]>> {
                match rows.next() {
                    Ok(Some(r)) => {
                        let mut cols: [String; 5] = Default::default();
                        for (i, c) in cols.iter_mut().enumerate() {
                            *c = r.get(i).map_err(|e| {
                                failed = Some(crate::db::map(e, "export the messages"));
                                other("a message could not be read".into())
                            })?;
                        }
                        Ok(Some(cols))
                    }
                    Ok(None) => Ok(None),
                    Err(e) => {
                        failed = Some(crate::db::map(e, "export the messages"));
                        Err(other("the messages could not be read".into()))
                    }
                }
            };
            match format {
                ExportFormat::Csv => {
                    csv_header(&mut *out, &MESSAGE_COLUMNS).map_err(std::io::Error::from)?;
                    let mut w = csv_rows(&mut *out);
                    while let Some(cols) = next()? {
                        w.write_record(cols.map(neutralise))
                            .map_err(std::io::Error::from)?;
                        n += 1;
                    }
                    w.flush()
                }
                ExportFormat::Json => {
                    out.write_all(b"[")?;
                    while let Some(cols) = next()? {
                        let obj: serde_json::Map<String, Value> = MESSAGE_COLUMNS
                            .iter()
                            .zip(cols)
                            .map(|(k, v)| ((*k).to_owned(), Value::String(v)))
                            .collect();
                        out.write_all(if n == 0 { b"\n  " } else { b",\n  " })?;
                        serde_json::to_writer(&mut *out, &obj).map_err(std::io::Error::from)?;
                        n += 1;
                    }
                    out.write_all(b"\n]\n")
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        written?;
        Ok(ExportedFile { path, records: n })
    }
}
