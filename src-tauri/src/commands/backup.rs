//! Backup and export from the window: the native dialogs (opened from Rust, so the
//! window never browses the disk), the checks on the paths the window names, and
//! progress events while the store works.

use std::path::{Path, PathBuf};

use mandate_core::{BackupSummary, Error, ExportedFileSummary, Progress};
use mandate_store::{ExportFormat, KdfParams};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;

use super::with_store;
use crate::AppState;

/// Emitted with a [`Progress`] while a backup runs.
pub const BACKUP_PROGRESS: &str = "backup-progress";
/// Emitted with a [`Progress`] while an export runs.
pub const EXPORT_PROGRESS: &str = "export-progress";

const BACKUP_EXTENSION: &str = ".mandate-backup";

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

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

/// The file last picked in the native save dialog, where the person has already
/// agreed to replace it if it exists. Any other existing file is refused, so the
/// window cannot overwrite a backup by naming it.
static CHOSEN_IN_DIALOG: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

fn export_folder_name() -> String {
    format!("mandate-export-{}", today())
}

fn documents_dir(app: &AppHandle) -> PathBuf {
    app.path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .unwrap_or_else(|_| PathBuf::from("."))
}

fn has_backup_extension(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|n| n.ends_with(BACKUP_EXTENSION) && n.len() > BACKUP_EXTENSION.len())
}

#[derive(Serialize)]
pub struct DefaultPaths {
    backup: String,
    export: String,
}

/// Where a backup and an export go unless the person picks another place.
#[tauri::command]
pub fn backup_default_paths(app: AppHandle) -> DefaultPaths {
    let dir = documents_dir(&app);
    DefaultPaths {
        backup: dir.join(backup_file_name()).display().to_string(),
        export: dir.join(export_folder_name()).display().to_string(),
    }
}

/// Opens the native save dialog for a backup file; nothing if cancelled.
#[tauri::command]
pub async fn backup_choose(app: AppHandle) -> Result<Option<String>, Error> {
    tauri::async_runtime::spawn_blocking(move || {
        let dir = documents_dir(&app);
        app.dialog()
            .file()
            .set_title("Save the backup")
            .add_filter("Mandate backup", &["mandate-backup"])
            .set_directory(dir)
            .set_file_name(backup_file_name())
            .blocking_save_file()
            .and_then(|p| p.into_path().ok())
            .map(|p| {
                // Some dialogs drop the extension the person did not type.
                if has_backup_extension(&p) {
                    p
                } else {
                    let mut name = p.into_os_string();
                    name.push(BACKUP_EXTENSION);
                    PathBuf::from(name)
                }
            })
            .inspect(|p| {
                if let Ok(mut chosen) = CHOSEN_IN_DIALOG.lock() {
                    *chosen = Some(p.clone());
                }
            })
            .map(|p| p.display().to_string())
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))
}

/// Writes a backup of the whole store, encrypted for `passphrase`, emitting
/// [`BACKUP_PROGRESS`] as it goes. Only a `.mandate-backup` file in an existing
/// folder is accepted.
#[tauri::command]
pub async fn backup_create(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    passphrase: String,
) -> Result<BackupSummary, Error> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let path = PathBuf::from(path.trim());
    if !has_backup_extension(&path) {
        return Err(Error::invalid(
            "path",
            format!("Save the backup as a file ending in {BACKUP_EXTENSION}."),
        ));
    }
    if !path.parent().is_some_and(|p| p.is_dir()) {
        return Err(Error::invalid(
            "path",
            "That folder does not exist. Choose an existing folder.",
        ));
    }
    if path.is_dir() {
        return Err(Error::invalid(
            "path",
            "That is a folder. Name a file ending in .mandate-backup.",
        ));
    }
    let confirmed = CHOSEN_IN_DIALOG
        .lock()
        .map(|c| c.as_deref() == Some(path.as_path()))
        .unwrap_or(false);
    if path.exists() && !confirmed {
        return Err(Error::invalid(
            "path",
            "A file of that name is already there. Give the backup another name, or pick the file with Choose… to replace it.",
        ));
    }
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
pub async fn export_choose(app: AppHandle) -> Result<Option<String>, Error> {
    tauri::async_runtime::spawn_blocking(move || {
        let dir = documents_dir(&app);
        app.dialog()
            .file()
            .set_title("Choose a folder for the export")
            .set_directory(dir)
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok())
            .map(|p| {
                if is_empty_dir(&p) {
                    p
                } else {
                    p.join(export_folder_name())
                }
            })
            .map(|p| p.display().to_string())
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))
}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p).is_ok_and(|mut d| d.next().is_none())
}

/// Writes every record as JSON or CSV files into `dir`, emitting
/// [`EXPORT_PROGRESS`] per file. `dir` must be an empty folder, or a new one in an
/// existing folder, so an export never mixes with other files.
#[tauri::command]
pub async fn export_records(
    app: AppHandle,
    state: State<'_, AppState>,
    dir: String,
    format: String,
) -> Result<Vec<ExportedFileSummary>, Error> {
    let format = match format.as_str() {
        "json" => ExportFormat::Json,
        "csv" => ExportFormat::Csv,
        _ => return Err(Error::invalid("format", "Choose JSON or CSV.")),
    };
    let dir = PathBuf::from(dir.trim());
    if dir.as_os_str().is_empty() || !dir.is_absolute() {
        return Err(Error::invalid(
            "path",
            "Name the folder in full, or use Choose….",
        ));
    }
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::invalid(
                "path",
                "That is a file. Name an empty folder, or a new one.",
            ));
        }
        if !is_empty_dir(&dir) {
            return Err(Error::invalid(
                "path",
                "That folder is not empty. Name an empty folder, or a new one.",
            ));
        }
    } else if !dir.parent().is_some_and(|p| p.is_dir()) {
        return Err(Error::invalid(
            "path",
            "The folder that would hold it does not exist. Choose an existing folder.",
        ));
    }
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
    use super::{backup_file_name, has_backup_extension};
    use std::path::Path;

    #[test]
    fn the_default_backup_name_carries_the_date_and_time() {
        let name = backup_file_name();
        assert!(has_backup_extension(Path::new(&name)), "{name}");
        // mandate-YYYY-MM-DD-HHMM.mandate-backup
        let stem = name.trim_end_matches(".mandate-backup");
        assert_eq!(stem.len(), "mandate-2026-11-27-1430".len(), "{name}");
        assert!(stem[19..].chars().all(|c| c.is_ascii_digit()), "{name}");
    }

    #[test]
    fn only_a_named_mandate_backup_file_is_a_backup_path() {
        assert!(has_backup_extension(Path::new(
            "/x/mandate-2026-11-27.mandate-backup"
        )));
        assert!(has_backup_extension(Path::new("/x/FIRM.MANDATE-BACKUP")));
        assert!(!has_backup_extension(Path::new("/x/.mandate-backup")));
        assert!(!has_backup_extension(Path::new("/x/firm.backup")));
        assert!(!has_backup_extension(Path::new(
            "/x/firm.mandate-backup.zip"
        )));
    }
}
