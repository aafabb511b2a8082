//! Document commands: adding files, reading versions and their text, reviews, the
//! disclosure ledger.
//!
//! The window never names a path to read. A file reaches the store only as the
//! bytes of a file the person picked in the system file chooser (an `<input
//! type=file>`), sent as the raw body of `document_add`. Saving a copy out again
//! goes through the native save dialog, opened here in Rust.

use mandate_core::{
    Disclosure, DisclosureFilter, Document, DocumentUpload, DocumentVersion, Error, Review,
    ReviewDraft,
};
use mandate_store::Existing;
use tauri::{AppHandle, Emitter, State, ipc::InvokeBody};

use super::dialogs::{save_dialog, save_file};
use super::with_store;
use crate::AppState;
use crate::chosen::WriteKind;

/// Emitted after a document, version or review is added, with the matter's id.
pub const DOCUMENT_CHANGED: &str = "document-changed";
/// The request header holding the upload's details: percent-encoded JSON of a
/// `DocumentUpload` (headers are ASCII; file names often are not).
const UPLOAD_HEADER: &str = "x-mandate-upload";

fn bad_upload(what: &str) -> Error {
    Error::invalid(
        "file",
        format!("The file could not be received ({what}). Choose it again."),
    )
}

/// Adds the bytes in the request body to a matter, as described by the upload header.
#[tauri::command]
pub async fn document_add(
    app: AppHandle,
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<Document, Error> {
    let header = request
        .headers()
        .get(UPLOAD_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| bad_upload("no details came with it"))?;
    let json = percent_encoding::percent_decode_str(header)
        .decode_utf8()
        .map_err(|_| bad_upload("its details are not text"))?;
    let upload: DocumentUpload =
        serde_json::from_str(&json).map_err(|_| bad_upload("its details are malformed"))?;
    let bytes = match request.body() {
        InvokeBody::Raw(b) => b.clone(),
        // Where the IPC falls back to JSON, a byte array arrives as numbers.
        InvokeBody::Json(v) => {
            serde_json::from_value::<Vec<u8>>(v.clone()).map_err(|_| bad_upload("no bytes"))?
        }
    };
    let matter_id = upload.matter_id.clone();
    let reader = state.extractor.clone();
    // Reading the text (a large PDF can take seconds) happens before the store is
    // taken, so other commands and the idle lock never wait behind it. PDF and Word
    // files are read in a child process: a file that crashes, hangs or floods the
    // reader is stored without its text, with a note saying why.
    let (upload, bytes, prepared) = tauri::async_runtime::spawn_blocking(move || {
        let prepared = mandate_store::prepare_document(&upload, &bytes, &reader);
        (upload, bytes, prepared)
    })
    .await
    // Not the JoinError's text: it carries the panic's message, which may quote
    // the file.
    .map_err(|_| Error::internal("Reading the file stopped unexpectedly. Add it again."))?;
    let prepared = prepared?;
    let doc = with_store(&state, move |s| {
        s.add_prepared_document(&upload, &prepared, &bytes)
    })
    .await?;
    let _ = app.emit(DOCUMENT_CHANGED, &matter_id);
    Ok(doc)
}

#[tauri::command]
pub async fn document_list(
    state: State<'_, AppState>,
    matter_id: String,
) -> Result<Vec<Document>, Error> {
    with_store(&state, move |s| s.list_documents(&matter_id)).await
}

#[tauri::command]
pub async fn document_versions(
    state: State<'_, AppState>,
    document_id: String,
) -> Result<Vec<DocumentVersion>, Error> {
    with_store(&state, move |s| s.document_versions(&document_id)).await
}

/// The text read from a version, for the reader pane.
#[tauri::command]
pub async fn document_text(
    state: State<'_, AppState>,
    version_id: String,
) -> Result<Option<String>, Error> {
    with_store(&state, move |s| s.document_text(&version_id)).await
}

/// Opens the native save dialog and writes a decrypted copy of one version where
/// the person chose. Returns the path written, or nothing if they cancelled. The
/// path never passes through the window: the dialog's answer goes straight to the
/// store, which checks the place, writes the copy and records it in the audit log.
/// An existing file is replaced only as the dialog returned it (GTK asked first).
#[tauri::command]
pub async fn document_save_copy(
    app: AppHandle,
    state: State<'_, AppState>,
    version_id: String,
) -> Result<Option<String>, Error> {
    let id = version_id.clone();
    let version = with_store(&state, move |s| s.document_version(&id)).await?;
    let returned = save_file(app, "Save a copy", None, version.file_name).await?;
    let Some(path) = returned else {
        return Ok(None);
    };
    let existing = if path.symlink_metadata().is_ok() {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    with_store(&state, move |s| {
        s.save_document_copy(&version_id, &path, existing)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

#[tauri::command]
pub async fn document_review(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: ReviewDraft,
) -> Result<Review, Error> {
    let (r, matter_id) = with_store(&state, move |s| {
        let r = s.add_review(&draft)?;
        let version = s.document_version(&r.version_id)?;
        Ok((r, s.document(&version.document_id)?.matter_id))
    })
    .await?;
    let _ = app.emit(DOCUMENT_CHANGED, &matter_id);
    Ok(r)
}

#[tauri::command]
pub async fn document_reviews(
    state: State<'_, AppState>,
    document_id: String,
) -> Result<Vec<Review>, Error> {
    with_store(&state, move |s| s.document_reviews(&document_id)).await
}

#[tauri::command]
pub async fn disclosure_list(
    state: State<'_, AppState>,
    filter: DisclosureFilter,
) -> Result<Vec<Disclosure>, Error> {
    with_store(&state, move |s| s.list_disclosures(&filter)).await
}

/// The disclosure ledger in words (the whole firm's, or a matter's or a provider's).
#[tauri::command]
pub async fn ledger_list(
    state: State<'_, AppState>,
    filter: DisclosureFilter,
) -> Result<Vec<mandate_core::document::LedgerRow>, Error> {
    with_store(&state, move |s| s.ledger(&filter)).await
}

/// Opens the native save dialog for a `.csv` file and writes the ledger there (the
/// whole firm's, or a matter's or a provider's). Returns the path written, or
/// nothing if the person cancelled. The store records the export in the audit log.
#[tauri::command]
pub async fn ledger_save_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: DisclosureFilter,
) -> Result<Option<String>, Error> {
    let name = format!("disclosure-ledger-{}.csv", super::today());
    let Some(chosen) = save_dialog(
        app,
        "Save the ledger as CSV",
        "CSV",
        ".csv",
        name,
        WriteKind::Export,
    )
    .await?
    else {
        return Ok(None);
    };
    with_store(&state, move |s| {
        s.write_ledger_csv_to(&chosen.path, chosen.existing(), &filter)?;
        Ok(Some(chosen.path.display().to_string()))
    })
    .await
}

/// Opens the native save dialog for a `.pdf` file and writes the matter's
/// disclosure report for the client there. Returns the path written, or nothing if
/// the person cancelled.
#[tauri::command]
pub async fn ledger_save_report(
    app: AppHandle,
    state: State<'_, AppState>,
    matter_id: String,
) -> Result<Option<String>, Error> {
    let id = matter_id.clone();
    let number = with_store(&state, move |s| s.matter(&id).map(|m| m.number)).await?;
    // A matter number may hold a slash ("2026/14"): not in a file name.
    let name = format!("Disclosure report {}.pdf", number.replace(['/', '\\'], "-"));
    let Some(chosen) = save_dialog(
        app,
        "Save the client report",
        "PDF",
        ".pdf",
        name,
        WriteKind::Export,
    )
    .await?
    else {
        return Ok(None);
    };
    let today = super::today().to_string();
    with_store(&state, move |s| {
        s.write_disclosure_report_to(&chosen.path, chosen.existing(), &matter_id, &today)?;
        Ok(Some(chosen.path.display().to_string()))
    })
    .await
}
