//! The native file dialogs, opened here in Rust so the window never browses the
//! disk nor names a path, and what their answers become: a [`Chosen`] place kept
//! under a one-time token ([`crate::chosen`]). Every save and folder dialog of the
//! app goes through these few functions.

use std::path::PathBuf;

use mandate_core::{ChosenTarget, Error};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use crate::AppState;
use crate::chosen::{Chosen, WriteKind};

/// Where the dialogs open: the person's Documents folder, else their home.
fn documents_dir(app: &AppHandle) -> PathBuf {
    app.path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .unwrap_or_else(|_| PathBuf::from("."))
}

/// The native save dialog for one file of type `ext` (with its dot, `.ics`), named
/// `filter` in the dialog: what it returned, with `ext` added if it was dropped, as
/// a place to write `kind`. `None` when the person cancelled.
pub(crate) async fn save_dialog(
    app: AppHandle,
    title: &'static str,
    filter: &'static str,
    ext: &'static str,
    file_name: String,
    kind: WriteKind,
) -> Result<Option<Chosen>, Error> {
    let returned = save_file(app, title, Some((filter, ext)), file_name).await?;
    Ok(returned.map(|r| saved_in_dialog(r, ext, kind)))
}

/// The native save dialog, titled `title`, offering `file_name`, showing only
/// files of `filter` (its name and extension, `.ics`) when there is one. `None`
/// when the person cancelled.
pub(crate) async fn save_file(
    app: AppHandle,
    title: &'static str,
    filter: Option<(&'static str, &'static str)>,
    file_name: String,
) -> Result<Option<PathBuf>, Error> {
    tauri::async_runtime::spawn_blocking(move || {
        let mut dialog = app
            .dialog()
            .file()
            .set_title(title)
            .set_directory(documents_dir(&app))
            .set_file_name(file_name);
        if let Some((name, ext)) = filter {
            // The dialog's pattern is `*.` and the extension: without its dot.
            dialog = dialog.add_filter(name, &[ext.trim_start_matches('.')]);
        }
        dialog.blocking_save_file().and_then(|p| p.into_path().ok())
    })
    .await
    .map_err(|_| Error::internal("The save dialog stopped unexpectedly. Try again."))
}

/// The native folder dialog, titled `title`. `None` when the person cancelled.
pub(crate) async fn pick_folder(
    app: AppHandle,
    title: &'static str,
) -> Result<Option<PathBuf>, Error> {
    tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            .set_directory(documents_dir(&app))
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok())
    })
    .await
    .map_err(|_| Error::internal("The folder dialog stopped unexpectedly. Try again."))
}

/// What a save dialog returned, with `ext` added if the dialog dropped it. The
/// dialog asked before returning an existing file (GTK's overwrite
/// confirmation), so an existing file counts as confirmed — unless the name got
/// its extension here, in which case the file the person confirmed is not the
/// one that would be written.
pub(crate) fn saved_in_dialog(returned: PathBuf, ext: &str, kind: WriteKind) -> Chosen {
    let path = mandate_store::with_extension(returned.clone(), ext);
    let replace_confirmed = path == returned && path.symlink_metadata().is_ok();
    Chosen {
        path,
        kind,
        replace_confirmed,
    }
}

/// Checks a place the dialog returned with `check` and, if it passes, keeps it
/// under a fresh token for one write.
pub(crate) fn grant(
    state: &AppState,
    chosen: Chosen,
    check: impl FnOnce(&Chosen) -> Result<(), Error>,
) -> Result<ChosenTarget, Error> {
    check(&chosen)?;
    let path = chosen.path.display().to_string();
    let token = state.chosen.grant(chosen)?;
    Ok(ChosenTarget { token, path })
}

#[cfg(test)]
mod tests {
    use super::saved_in_dialog;
    use crate::chosen::WriteKind;
    use std::path::PathBuf;

    /// A name typed without its extension gets it with its dot: `ledger.csv`, not
    /// `ledgercsv`, for each kind of file the window saves.
    #[test]
    fn a_name_without_its_extension_gets_it_with_the_dot() {
        let dir = tempfile::tempdir().unwrap();
        for ext in [".csv", ".pdf", ".ics", mandate_store::BACKUP_EXTENSION] {
            let chosen = saved_in_dialog(dir.path().join("ledger"), ext, WriteKind::Export);
            assert_eq!(chosen.path, dir.path().join(format!("ledger{ext}")));
            assert!(!chosen.replace_confirmed);
        }
        let typed = PathBuf::from("/nowhere/Report.PDF");
        assert_eq!(
            saved_in_dialog(typed.clone(), ".pdf", WriteKind::Export).path,
            typed
        );
    }
}
