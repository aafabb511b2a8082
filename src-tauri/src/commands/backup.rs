//! Backup and export from the window: the native dialogs (opened from Rust, so the
//! window never browses the disk nor names a path), the writes to what was chosen
//! there, and progress events while the store works.
//!
//! A `*_choose` command returns a [`ChosenTarget`]: a one-time token and the path
//! to show. The write command takes the token (see [`crate::chosen`]); the rules
//! for the place itself (extension, existing folder, empty export folder) are the
//! store's, shared with the CLI.

use mandate_core::{BackupSummary, ChosenTarget, Error, ExportedFileSummary, Progress};
use mandate_store::{BACKUP_EXTENSION, ExportFormat, KdfParams};
use tauri::{AppHandle, Emitter, State};

use super::dialogs::{grant, pick_folder, save_dialog};
use super::with_store;
use crate::AppState;
use crate::chosen::{Chosen, WriteKind};

/// Emitted with a [`Progress`] while a backup runs.
pub const BACKUP_PROGRESS: &str = "backup-progress";
/// Emitted with a [`Progress`] while an export runs.
pub const EXPORT_PROGRESS: &str = "export-progress";

use super::today;

/// `mandate-2026-11-27-1430.mandate-backup`: the time too, so a second backup on
/// the same day does not meet the first.
fn backup_file_name() -> String {
    let now = jiff::ZonedDateTime::now();
    format!(
        "mandate-{}-{:02}{:02}{BACKUP_EXTENSION}",
        now.date(),
        now.hour(),
        now.minute()
    )
}

/// Opens the native save dialog for a backup file; nothing if cancelled.
#[tauri::command]
pub async fn backup_choose(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<ChosenTarget>, Error> {
    let Some(chosen) = save_dialog(
        app,
        "Save the backup",
        "Mandate backup",
        BACKUP_EXTENSION,
        backup_file_name(),
        WriteKind::Backup,
    )
    .await?
    else {
        return Ok(None);
    };
    grant(&state, chosen, |c| {
        mandate_store::check_backup_file(&c.path, c.existing())
    })
    .map(Some)
}

/// Writes a backup of the whole store, encrypted for `passphrase`, to the file
/// chosen in [`backup_choose`] (`target` is its token), emitting
/// [`BACKUP_PROGRESS`] as it goes.
#[tauri::command]
pub async fn backup_create(
    app: AppHandle,
    state: State<'_, AppState>,
    target: String,
    passphrase: String,
) -> Result<BackupSummary, Error> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let chosen = state.chosen.take(&target, WriteKind::Backup)?;
    // Checked again: the folder may have gone, or a file appeared, since.
    mandate_store::check_backup_file(&chosen.path, chosen.existing())?;
    let path = chosen.path;
    with_store(&state, move |s| {
        let mut report = |p: Progress| {
            let _ = app.emit(BACKUP_PROGRESS, &p);
        };
        let header = s.backup_create_with_progress(
            &path,
            &passphrase,
            KdfParams::recommended(),
            &mut report,
        )?;
        let bytes = std::fs::metadata(&path).map(|m| m.len()).map_err(|e| {
            Error::internal(format!("The backup was written but cannot be read: {e}"))
        })?;
        Ok(BackupSummary {
            path: path.display().to_string(),
            bytes,
            sha256: header.db_sha256,
            created_at: header.created_at,
        })
    })
    .await
}

/// Opens the native folder dialog for an export. A folder that already holds
/// files gets a new, dated folder inside it, since an export goes into an empty one.
#[tauri::command]
pub async fn export_choose(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<ChosenTarget>, Error> {
    let returned = pick_folder(app, "Choose a folder for the export").await?;
    let Some(folder) = returned else {
        return Ok(None);
    };
    let chosen = Chosen {
        path: mandate_store::export_folder_in(&folder, &today().to_string()),
        kind: WriteKind::Export,
        // An export never replaces anything: its folder is empty or new.
        replace_confirmed: false,
    };
    grant(&state, chosen, |c| {
        mandate_store::check_export_folder(&c.path)
    })
    .map(Some)
}

/// Writes every record as JSON or CSV files into the folder chosen in
/// [`export_choose`] (`target` is its token), emitting [`EXPORT_PROGRESS`] per
/// file. The store checks the folder is empty or new and records the export.
#[tauri::command]
pub async fn export_records(
    app: AppHandle,
    state: State<'_, AppState>,
    target: String,
    format: String,
) -> Result<Vec<ExportedFileSummary>, Error> {
    let format = match format.as_str() {
        "json" => ExportFormat::Json,
        "csv" => ExportFormat::Csv,
        _ => return Err(Error::invalid("format", "Choose JSON or CSV.")),
    };
    let dir = state.chosen.take(&target, WriteKind::Export)?.path;
    with_store(&state, move |s| {
        let mut report = |p: Progress| {
            let _ = app.emit(EXPORT_PROGRESS, &p);
        };
        let files = s.export_records_with_progress(&dir, format, &mut report)?;
        Ok(files
            .into_iter()
            .map(|f| ExportedFileSummary {
                path: f.path.display().to_string(),
                records: f.records as u64,
            })
            .collect())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::backup_file_name;
    use crate::chosen::WriteKind;
    use crate::commands::dialogs::saved_in_dialog;
    use mandate_store::{BACKUP_EXTENSION, has_extension};
    use std::path::Path;

    #[test]
    fn the_default_backup_name_carries_the_date_and_time() {
        let name = backup_file_name();
        assert!(has_extension(Path::new(&name), BACKUP_EXTENSION), "{name}");
        // mandate-YYYY-MM-DD-HHMM.mandate-backup
        let stem = name.trim_end_matches(".mandate-backup");
        assert_eq!(stem.len(), "mandate-2026-11-27-1430".len(), "{name}");
        assert!(stem[19..].chars().all(|c| c.is_ascii_digit()), "{name}");
    }

    #[test]
    fn an_existing_file_counts_as_confirmed_only_as_the_dialog_returned_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let picked = dir.path().join("firm.mandate-backup");
        std::fs::write(&picked, b"old").unwrap();
        let c = saved_in_dialog(picked.clone(), BACKUP_EXTENSION, WriteKind::Backup);
        assert_eq!(c.path, picked);
        assert!(c.replace_confirmed, "the dialog asked before returning it");

        // The dialog returned "firm" and the extension was added here: the person
        // was never asked about firm.mandate-backup.
        let bare = dir.path().join("firm");
        let c = saved_in_dialog(bare, BACKUP_EXTENSION, WriteKind::Backup);
        assert_eq!(c.path, picked);
        assert!(!c.replace_confirmed);

        let new = dir.path().join("new.mandate-backup");
        assert!(!saved_in_dialog(new, BACKUP_EXTENSION, WriteKind::Backup).replace_confirmed);
    }
}
