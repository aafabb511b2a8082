//! The store folder's own files (`store.json`, `store.json.next`,
//! `audit-head.json`, `unlock-attempts.json`): owner-only permissions and writes
//! that survive a crash, a power cut or a full disk.

use std::path::Path;

use mandate_core::Result;

use crate::io_error;

/// Makes `dir` (and missing parents) if needed, and keeps the store folder itself
/// to its owner (0700): the database is encrypted, but the names and sizes of its
/// files are nobody else's business either.
pub(crate) fn ensure_private_dir(dir: &Path) -> Result<()> {
    crate::export::create_private_dir(dir).map_err(|e| io_error(dir, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)
            .map_err(|e| io_error(dir, &e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| io_error(dir, &e))?;
        }
    }
    Ok(())
}

/// Makes the database file (empty, 0600) before SQLite does, so it is never
/// readable by others even for a moment; SQLite gives its -wal and -shm files the
/// database file's permissions.
pub(crate) fn ensure_private_file(path: &Path) -> Result<()> {
    match crate::export::create_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => restrict(path),
        Err(e) => Err(io_error(path, &e)),
    }
}

/// Takes group and other permissions off an existing file (stores made before
/// Mandate set them).
pub(crate) fn restrict(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| io_error(path, &e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))
                .map_err(|e| io_error(path, &e))?;
        }
    }
    Ok(())
}

/// Replaces `path` with `bytes`: a private temporary file beside it, synced, renamed
/// over it, then the folder synced so the rename is on disk too. A failure at any
/// point leaves the old file whole and removes the temporary one.
pub(crate) fn replace_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut f = crate::export::create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error(path, &e));
    }
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Flushes a folder's entries (renames, new and removed files) to disk.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error(dir, &e))?;
    Ok(())
}

/// Removes a file and syncs its folder; a file already gone is fine.
pub(crate) fn remove_durably(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => sync_dir(path.parent().unwrap_or(Path::new("."))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, &e)),
    }
}
