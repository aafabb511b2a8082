//! Envelope bodies as files: `DATA_DIR/envelopes/<channel>/<sha256 of envelope id>`.
//!
//! A body is streamed into `DATA_DIR/tmp/` (same file system, so the final rename is
//! atomic), fsynced, renamed into place and its directory fsynced — all before the
//! database row that acknowledges it is committed. A crash at any point leaves
//! either nothing, a stray temporary file, or a file without a row; `prepare` and
//! `remove_strays` clear both at the next start.

use super::ByteStream;
use crate::ids::{ChannelId, EnvelopeId};
use futures_util::StreamExt as _;
use rand::TryRngCore as _;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

/// How long an upload may pause between two chunks before it is dropped.
const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Folders only the relay's user may enter; files only it may read.
pub(crate) const DIR_MODE: u32 = 0o700;
pub(crate) const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and missing parents) as 0700, or tightens an existing one to 0700.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))
}

/// Makes a directory entry (a rename, a new file) durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

pub(crate) struct EnvelopeFiles {
    envelopes: PathBuf,
    tmp: PathBuf,
}

/// A body received in full: a small one in memory (it goes into its row), a larger
/// one fsynced under its temporary name (dropped without being installed, it
/// removes itself).
pub(crate) struct Received {
    temp: TempFile,
    /// The whole body, when it stayed at or under the inline size.
    pub inline: Option<Vec<u8>>,
    pub size: u64,
    pub sha256: [u8; 32],
}

struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            // Best effort: what is left is removed at the next start.
            let _ = fs::remove_file(path);
        }
    }
}

#[derive(Debug)]
pub(crate) enum ReceiveError {
    /// The body went past `limit` bytes; reading stopped there.
    OverLimit,
    /// The client's side failed (a broken connection, a bad chunk).
    Body(io::Error),
    /// Our side failed (disk full, permissions).
    Disk(io::Error),
}

impl EnvelopeFiles {
    /// Makes the folders and removes the temporary files a crash left behind.
    pub(crate) fn prepare(data_dir: &Path) -> io::Result<EnvelopeFiles> {
        let files = EnvelopeFiles {
            envelopes: data_dir.join("envelopes"),
            tmp: data_dir.join("tmp"),
        };
        private_dir(&files.envelopes)?;
        private_dir(&files.tmp)?;
        for entry in fs::read_dir(&files.tmp)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(entry.path())?;
            } else {
                fs::remove_file(entry.path())?;
            }
        }
        Ok(files)
    }

    fn channel_dir(&self, channel: &ChannelId) -> PathBuf {
        self.envelopes.join(channel.as_str())
    }

    pub(crate) fn path(&self, channel: &ChannelId, id: &EnvelopeId) -> PathBuf {
        self.channel_dir(channel).join(id.file_name())
    }

    /// Reads `body`, hashing it on the way. Up to `inline_max` bytes it is kept in
    /// memory; past that it is streamed into a new temporary file, which is fsynced.
    /// Memory use is at most `inline_max` plus one chunk and tokio's write buffer,
    /// whatever the size.
    pub(crate) async fn receive(
        &self,
        mut body: ByteStream,
        limit: u64,
        inline_max: u64,
    ) -> Result<Received, ReceiveError> {
        let mut held: Vec<u8> = Vec::new();
        let mut file: Option<tokio::fs::File> = None;
        let mut temp = TempFile(None);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        loop {
            // A client that stops sending mid-body would otherwise hold its
            // connection and temporary file for ever.
            let next = tokio::time::timeout(BODY_IDLE_TIMEOUT, body.next())
                .await
                .map_err(|_| {
                    ReceiveError::Body(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "no body bytes arrived for a minute",
                    ))
                })?;
            let Some(chunk) = next else { break };
            let chunk = chunk.map_err(ReceiveError::Body)?;
            size = size.saturating_add(chunk.len() as u64);
            if size > limit {
                return Err(ReceiveError::OverLimit);
            }
            hasher.update(&chunk);
            if file.is_none() && size <= inline_max {
                held.extend_from_slice(&chunk);
                continue;
            }
            let f = match &mut file {
                Some(f) => f,
                None => {
                    let (f, path) = self.temp_file().await?;
                    temp = TempFile(Some(path));
                    file.insert(f)
                }
            };
            if !held.is_empty() {
                f.write_all(&std::mem::take(&mut held))
                    .await
                    .map_err(ReceiveError::Disk)?;
            }
            f.write_all(&chunk).await.map_err(ReceiveError::Disk)?;
        }
        let inline = match file {
            Some(mut f) => {
                f.flush().await.map_err(ReceiveError::Disk)?;
                f.sync_all().await.map_err(ReceiveError::Disk)?;
                None
            }
            None => Some(held),
        };
        Ok(Received {
            temp,
            inline,
            size,
            sha256: hasher.finalize().into(),
        })
    }

    /// A new, private temporary file for a body too large to keep in memory.
    async fn temp_file(&self) -> Result<(tokio::fs::File, PathBuf), ReceiveError> {
        let mut name = [0u8; 16];
        rand::rngs::OsRng
            .try_fill_bytes(&mut name)
            .map_err(|e| ReceiveError::Disk(io::Error::other(e)))?;
        let path = self.tmp.join(format!("{}.part", hex::encode(name)));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&path)
            .await
            .map_err(ReceiveError::Disk)?;
        Ok((file, path))
    }

    /// Moves a received body to its place and makes the move durable. Blocking;
    /// called with the database's write lock held, so two PUTs of one id never race
    /// for the same name.
    pub(crate) fn install(
        &self,
        mut received: Received,
        channel: &ChannelId,
        id: &EnvelopeId,
    ) -> io::Result<PathBuf> {
        let dir = self.channel_dir(channel);
        if !dir.exists() {
            fs::DirBuilder::new().mode(DIR_MODE).create(&dir)?;
            sync_dir(&self.envelopes)?;
        }
        let target = dir.join(id.file_name());
        let Some(temp) = received.temp.0.take() else {
            return Err(io::Error::other("the received body was already installed"));
        };
        if let Err(e) = fs::rename(&temp, &target) {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
        sync_dir(&dir)?;
        Ok(target)
    }

    /// Removes a channel's folder; a missing one is fine.
    pub(crate) fn remove_channel(&self, channel: &ChannelId) -> io::Result<()> {
        match fs::remove_dir_all(self.channel_dir(channel)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => sync_dir(&self.envelopes),
        }
    }

    /// Removes every channel folder and file that no row accounts for: bodies renamed
    /// into place by a PUT whose commit never happened, and channels whose delete was
    /// interrupted after its commit. `keep` maps channel folder names to file names.
    pub(crate) fn remove_strays(&self, keep: &HashMap<String, HashSet<String>>) -> io::Result<u64> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.envelopes)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            match keep.get(&name) {
                Some(files) if entry.file_type()?.is_dir() => {
                    for file in fs::read_dir(entry.path())? {
                        let file = file?;
                        if !files.contains(file.file_name().to_string_lossy().as_ref()) {
                            fs::remove_file(file.path())?;
                            removed += 1;
                        }
                    }
                }
                _ => {
                    if entry.file_type()?.is_dir() {
                        fs::remove_dir_all(entry.path())?;
                    } else {
                        fs::remove_file(entry.path())?;
                    }
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// A small body read whole (for listings).
    pub(crate) fn read_small(&self, channel: &ChannelId, id: &EnvelopeId) -> io::Result<Vec<u8>> {
        fs::read(self.path(channel, id))
    }

    /// `len` bytes from `start`, streamed in 64 KiB reads.
    pub(crate) async fn read_range(
        &self,
        channel: &ChannelId,
        id: &EnvelopeId,
        start: u64,
        len: u64,
    ) -> io::Result<ByteStream> {
        let mut file = tokio::fs::File::open(self.path(channel, id)).await?;
        if start > 0 {
            file.seek(io::SeekFrom::Start(start)).await?;
        }
        let reader = file.take(len);
        Ok(Box::pin(tokio_util::io::ReaderStream::with_capacity(
            reader,
            64 * 1024,
        )))
    }
}
