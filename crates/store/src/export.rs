//! Export of the firm's records as JSON and CSV, so nobody is locked in: matters,
//! parties, providers, consents, assignments and deadlines, one file per kind.
//!
//! The files are plaintext by design — the person asked for them — so the command
//! says where they went; they are written beside their final names and renamed,
//! so an interrupted export never leaves half a file under a final name.

use std::path::{Path, PathBuf};

use mandate_core::{
    AssignmentFilter, ConsentFilter, Error, MatterFilter, PartyFilter, ProviderFilter, Result,
    deadline::DeadlineFilter,
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

/// A cell for CSV: strings as they are, lists joined with "; ", anything else as JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(cell).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// Writes `bytes` to `path` through a `.partial` file beside it and a rename, so an
/// interrupted write never leaves half a file under the final name. Used for every
/// file Mandate writes at a person's request (exports, calendars).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("partial");
    let mut f = std::fs::File::create(&tmp).map_err(|e| io_error(&tmp, &e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| io_error(&tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_error(path, &e))
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
            let mut w = csv::Writer::from_writer(Vec::new());
            let csv_err = |e: csv::Error| Error::internal(e.to_string());
            w.write_record(&columns).map_err(csv_err)?;
            for r in &rows {
                w.write_record(columns.iter().map(|c| cell(&r[c])))
                    .map_err(csv_err)?;
            }
            (
                dir.join(format!("{name}.csv")),
                w.into_inner().map_err(|e| Error::internal(e.to_string()))?,
            )
        }
    };
    write_file_atomically(&path, &bytes)?;
    Ok(ExportedFile {
        path,
        records: rows.len(),
    })
}

impl Store {
    /// Writes every matter, party, provider, consent, assignment and deadline to
    /// `out_dir` (created if missing), one file per kind.
    pub fn export_records(
        &self,
        out_dir: &Path,
        format: ExportFormat,
    ) -> Result<Vec<ExportedFile>> {
        std::fs::create_dir_all(out_dir).map_err(|e| io_error(out_dir, &e))?;
        const PAGE: u32 = 1000;
        let matters = all_pages(|offset| {
            Ok(self
                .list_matters(&MatterFilter {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    sort: mandate_core::MatterSort::Number,
                    ..Default::default()
                })?
                .items)
        })?;
        let parties = all_pages(|offset| {
            Ok(self
                .list_parties(&PartyFilter {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    ..Default::default()
                })?
                .items)
        })?;
        let providers = all_pages(|offset| {
            Ok(self
                .list_providers(&ProviderFilter {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    ..Default::default()
                })?
                .items)
        })?;
        let assignments = all_pages(|offset| {
            Ok(self
                .list_assignments(&AssignmentFilter {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    ..Default::default()
                })?
                .items)
        })?;
        let consents = self.list_consents(&ConsentFilter::default())?;
        let deadlines = self.list_deadlines(&DeadlineFilter::default())?;
        Ok(vec![
            write_records(out_dir, "matters", &matters, format)?,
            write_records(out_dir, "parties", &parties, format)?,
            write_records(out_dir, "providers", &providers, format)?,
            write_records(out_dir, "consents", &consents, format)?,
            write_records(out_dir, "assignments", &assignments, format)?,
            write_records(out_dir, "deadlines", &deadlines, format)?,
        ])
    }
}
