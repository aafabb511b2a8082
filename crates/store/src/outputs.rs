//! Where Mandate writes what a person asks for — backups, exports, calendars and
//! decrypted copies of documents — and the rules those places must meet. The
//! window and the CLI both check a place here before anything is written, so the
//! rules exist once:
//!
//! - a backup is a `….mandate-backup` file, a calendar a `….ics` file, a copy of a
//!   document any file; each in a folder that already exists, and never a folder;
//! - an existing file is replaced only when the caller says the person agreed
//!   ([`Existing::Replace`]: the native save dialog asked them, or they named the
//!   file on the command line);
//! - an export goes into an empty folder, or a new one inside an existing folder,
//!   so its plaintext files never mix with other files.
//!
//! Writing a plaintext export, calendar or copy also appends an audit record; the
//! functions that write them are on [`Store`] (`export_records`,
//! `export_deadlines_ics_to`, `save_document_copy`).

use std::path::{Path, PathBuf};

use mandate_core::{Error, Result};

use crate::Store;

/// The ending of a backup file's name.
pub const BACKUP_EXTENSION: &str = ".mandate-backup";
/// The ending of an iCalendar file's name.
pub const CALENDAR_EXTENSION: &str = ".ics";

/// What to do when the chosen file already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// The person agreed to replace it (the save dialog asked, or they named it on
    /// the command line).
    Replace,
    /// Nobody asked them: refuse, and leave the file as it is.
    Refuse,
}

/// Whether `path`'s file name ends in `ext` (any case) after at least one other
/// character: `firm.mandate-backup`, not `.mandate-backup`.
pub fn has_extension(path: &Path, ext: &str) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|n| n.ends_with(ext) && n.len() > ext.len())
}

/// `path` with `ext` added unless it already ends in it (some save dialogs drop
/// the extension the person did not type).
pub fn with_extension(path: PathBuf, ext: &str) -> PathBuf {
    if has_extension(&path, ext) {
        path
    } else {
        let mut name = path.into_os_string();
        name.push(ext);
        PathBuf::from(name)
    }
}

/// The folder holding `path`: `.` for a bare file name.
fn folder_of(path: &Path) -> Option<&Path> {
    path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    })
}

/// The rules every file written at a person's request meets: it is not a folder,
/// its folder exists, and it is replaced only with [`Existing::Replace`].
pub(crate) fn check_file(path: &Path, existing: Existing, what: &str) -> Result<()> {
    if path.as_os_str().is_empty() || path.file_name().is_none() {
        return Err(Error::invalid(
            "path",
            format!("Name the file for the {what}."),
        ));
    }
    if path.is_dir() {
        return Err(Error::invalid(
            "path",
            format!("That is a folder. Name a file for the {what}."),
        ));
    }
    if !folder_of(path).is_some_and(Path::is_dir) {
        return Err(Error::invalid(
            "path",
            "That folder does not exist. Choose an existing folder.",
        ));
    }
    if existing == Existing::Refuse && path.symlink_metadata().is_ok() {
        return Err(Error::invalid(
            "path",
            "A file of that name is already there. Choose… again and pick another name, or \
             pick that file and confirm that it may be replaced.",
        ));
    }
    Ok(())
}

/// A backup goes to a `….mandate-backup` file in an existing folder.
pub fn check_backup_file(path: &Path, existing: Existing) -> Result<()> {
    if !has_extension(path, BACKUP_EXTENSION) {
        return Err(Error::invalid(
            "path",
            format!("Save the backup as a file ending in {BACKUP_EXTENSION}."),
        ));
    }
    check_file(path, existing, "backup")
}

/// A calendar goes to a `….ics` file in an existing folder.
pub fn check_calendar_file(path: &Path, existing: Existing) -> Result<()> {
    if !has_extension(path, CALENDAR_EXTENSION) {
        return Err(Error::invalid(
            "path",
            "Save the calendar as a file ending in .ics.",
        ));
    }
    check_file(path, existing, "calendar")
}

/// A copy of a document goes to a file in an existing folder.
pub fn check_copy_file(path: &Path, existing: Existing) -> Result<()> {
    check_file(path, existing, "copy")
}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p).is_ok_and(|mut d| d.next().is_none())
}

/// An export goes into an empty folder, or a new one inside an existing folder.
pub fn check_export_folder(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() {
        return Err(Error::invalid("path", "Name a folder for the export."));
    }
    if dir.symlink_metadata().is_ok() {
        if !dir.is_dir() {
            return Err(Error::invalid(
                "path",
                "That is a file. Name an empty folder, or a new one.",
            ));
        }
        if !is_empty_dir(dir) {
            return Err(Error::invalid(
                "path",
                "That folder is not empty. Name an empty folder, or a new one.",
            ));
        }
    } else if !folder_of(dir).is_some_and(Path::is_dir) {
        return Err(Error::invalid(
            "path",
            "The folder that would hold it does not exist. Choose an existing folder.",
        ));
    }
    Ok(())
}

/// Where an export into the folder a person picked goes: the folder itself when it
/// is empty, else a new dated folder inside it (`mandate-export-2026-11-27`, then
/// `…-2`, `…-3` if that is taken). `date` is the caller's today.
pub fn export_folder_in(chosen: &Path, date: &str) -> PathBuf {
    if is_empty_dir(chosen) {
        return chosen.to_path_buf();
    }
    let base = format!("mandate-export-{date}");
    (1..1000)
        .map(|n| {
            chosen.join(if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            })
        })
        .find(|p| p.symlink_metadata().is_err())
        .unwrap_or_else(|| chosen.join(base))
}

impl Store {
    /// Appends one audit record in a transaction of its own and writes the head
    /// file: for writes outside the database (exports, calendars, copies).
    pub(crate) fn record_outside_write(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &serde_json::Value,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| crate::db::map(e, "record the export"))?;
        crate::audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            action,
            entity,
            entity_id,
            detail,
        )?;
        tx.commit()
            .map_err(|e| crate::db::map(e, "record the export"))?;
        self.record_audit_head();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_matched_in_any_case_after_a_name() {
        let p = Path::new;
        assert!(has_extension(p("/x/firm.mandate-backup"), BACKUP_EXTENSION));
        assert!(has_extension(p("/x/FIRM.MANDATE-BACKUP"), BACKUP_EXTENSION));
        assert!(!has_extension(p("/x/.mandate-backup"), BACKUP_EXTENSION));
        assert!(!has_extension(
            p("/x/firm.mandate-backup.zip"),
            BACKUP_EXTENSION
        ));
        assert!(has_extension(p("d.ics"), CALENDAR_EXTENSION));
        assert!(!has_extension(p("/x/d.ics/"), ".txt"));
        assert_eq!(
            with_extension(PathBuf::from("/x/firm"), BACKUP_EXTENSION),
            PathBuf::from("/x/firm.mandate-backup")
        );
        assert_eq!(
            with_extension(PathBuf::from("/x/d.ICS"), CALENDAR_EXTENSION),
            PathBuf::from("/x/d.ICS")
        );
    }

    #[test]
    fn files_go_into_existing_folders_and_replace_only_when_agreed() {
        let dir = tempfile::TempDir::new().unwrap();
        let there = dir.path().join("firm.mandate-backup");
        std::fs::write(&there, b"old").unwrap();
        let refused = check_backup_file(&there, Existing::Refuse).unwrap_err();
        assert!(
            refused.message.contains("already there"),
            "{}",
            refused.message
        );
        check_backup_file(&there, Existing::Replace).unwrap();
        check_backup_file(&dir.path().join("new.mandate-backup"), Existing::Refuse).unwrap();
        assert!(check_backup_file(&dir.path().join("new.zip"), Existing::Refuse).is_err());
        let missing = dir.path().join("gone").join("new.mandate-backup");
        assert!(
            check_backup_file(&missing, Existing::Replace)
                .unwrap_err()
                .message
                .contains("does not exist")
        );
        // A folder named like a backup is not a file to write.
        let folder = dir.path().join("folder.ics");
        std::fs::create_dir(&folder).unwrap();
        assert!(check_calendar_file(&folder, Existing::Replace).is_err());
        assert!(check_calendar_file(&dir.path().join("d.txt"), Existing::Replace).is_err());
        check_calendar_file(&dir.path().join("d.ics"), Existing::Refuse).unwrap();
        check_copy_file(&dir.path().join("memo.docx"), Existing::Refuse).unwrap();
        assert!(check_copy_file(&there, Existing::Refuse).is_err());
        // A bare name is in the current folder, which exists.
        check_calendar_file(Path::new("d.ics"), Existing::Replace).unwrap();
    }

    #[test]
    fn an_export_into_a_folder_with_files_gets_a_new_dated_folder() {
        let dir = tempfile::TempDir::new().unwrap();
        let chosen = dir.path();
        assert_eq!(export_folder_in(chosen, "2026-11-27"), chosen);
        std::fs::write(chosen.join("notes.txt"), b"x").unwrap();
        let first = export_folder_in(chosen, "2026-11-27");
        assert_eq!(first, chosen.join("mandate-export-2026-11-27"));
        check_export_folder(&first).unwrap();
        std::fs::create_dir(&first).unwrap();
        std::fs::write(first.join("matters.csv"), b"x").unwrap();
        let second = export_folder_in(chosen, "2026-11-27");
        assert_eq!(second, chosen.join("mandate-export-2026-11-27-2"));
        check_export_folder(&second).unwrap();
    }
}
