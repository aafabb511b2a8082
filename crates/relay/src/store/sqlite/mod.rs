//! The embedded store: one SQLite database (`relay.db`) and one file per envelope.
//!
//! The database is not encrypted: it holds token hashes, public cards and sizes,
//! nothing the relay could read of the envelopes. It runs in WAL mode with
//! `synchronous=FULL`, since nearly every commit acknowledges something to a client
//! (an envelope, a join) that must survive a power cut.
//!
//! One connection behind a mutex: commits are serialised, which is what makes
//! per-channel sequence numbers rise in commit order (a reader paging with
//! `after=SEQ` can never miss a later commit with a lower number), and what lets a
//! PUT rename its file and insert its row with no other PUT of the same id between.
//! The slow part of a PUT (receiving and fsyncing the body) happens outside it.
//!
//! The queries live in one module per kind of record (`accounts`, `channels`,
//! `envelopes`); this module opens the database, migrates it, and runs each query on
//! the blocking pool.

mod accounts;
mod channels;
mod envelopes;

use super::files::{EnvelopeFiles, FILE_MODE, private_dir};
use super::*;
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Numbered migrations, each run in its own transaction; `user_version` records the
/// last one applied. Never edit a released one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../../migrations/0001_init.sql")),
    (2, include_str!("../../../migrations/0002_member_acked.sql")),
    (
        3,
        include_str!("../../../migrations/0003_envelope_body.sql"),
    ),
];

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    db: Mutex<Connection>,
    files: EnvelopeFiles,
}

impl SqliteStore {
    /// Opens (or creates) the store in `data_dir`: folders 0700, the database 0600,
    /// migrations applied, and what a crash left half-done cleared away.
    pub fn open(data_dir: &Path) -> StoreResult<SqliteStore> {
        private_dir(data_dir)?;
        let db_path = data_dir.join("relay.db");
        // Created here first so that it is 0600 from the start; SQLite gives its -wal
        // and -shm files the database file's mode.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(FILE_MODE)
            .open(&db_path)?;
        let mut db = Connection::open(&db_path)?;
        db.busy_timeout(Duration::from_secs(5))?;
        let mode: String = db.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Internal(format!(
                "the database would not switch to WAL mode (it is in {mode} mode)"
            )));
        }
        db.pragma_update(None, "synchronous", "FULL")?;
        db.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut db)?;
        let files = EnvelopeFiles::prepare(data_dir)?;
        let keep = files_in_use(&db)?;
        let removed = files.remove_strays(&keep)?;
        if removed > 0 {
            tracing::info!(removed, "removed envelope files no row accounted for");
        }
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                db: Mutex::new(db),
                files,
            }),
        })
    }

    /// Runs `f` on the blocking pool with the connection locked.
    async fn with_db<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &EnvelopeFiles) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while the lock was held leaves the connection usable (an open
            // transaction is rolled back when dropped), so carry on rather than
            // refuse every later request.
            let mut db = inner.db.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut db, &inner.files)
        })
        .await
        .map_err(|_| StoreError::Internal("a store task stopped unexpectedly".into()))?
    }

    /// Runs `f` on the blocking pool without the database lock (file reads).
    async fn with_files<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&EnvelopeFiles) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || f(&inner.files))
            .await
            .map_err(|_| StoreError::Internal("a store task stopped unexpectedly".into()))?
    }
}

fn migrate(db: &mut Connection) -> StoreResult<()> {
    let current: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(StoreError::Internal(format!(
            "this data directory was written by a newer mandate-relay (schema {current}; \
             this one knows up to {latest}). Run the newer relay, or restore a backup."
        )));
    }
    for (number, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = db.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", number)?;
        tx.commit()?;
    }
    Ok(())
}

/// Channel folder name → envelope file names, for every row.
fn files_in_use(db: &Connection) -> StoreResult<HashMap<String, HashSet<String>>> {
    let mut keep: HashMap<String, HashSet<String>> = HashMap::new();
    let mut stmt = db.prepare("SELECT id FROM channel")?;
    for channel in stmt.query_map([], |r| r.get::<_, String>(0))? {
        keep.insert(channel?, HashSet::new());
    }
    let mut stmt = db.prepare("SELECT channel_id, id FROM envelope")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (channel, id) = row?;
        let id = EnvelopeId::parse(&id).ok_or_else(|| {
            StoreError::Internal(format!("a stored envelope id is malformed: {id:?}"))
        })?;
        keep.entry(channel).or_default().insert(id.file_name());
    }
    Ok(keep)
}

pub(super) fn to_i64(n: u64) -> StoreResult<i64> {
    i64::try_from(n).map_err(|_| StoreError::Internal(format!("{n} does not fit the database")))
}

pub(super) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(super) fn parse_role(text: &str) -> StoreResult<Role> {
    match text {
        "owner" => Ok(Role::Owner),
        "member" => Ok(Role::Member),
        other => Err(StoreError::Internal(format!(
            "unknown role {other:?} in the database"
        ))),
    }
}

pub(super) fn parse_stored<T>(
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> StoreResult<T> {
    parse(text)
        .ok_or_else(|| StoreError::Internal(format!("a stored {what} is malformed: {text:?}")))
}

pub(super) fn sha_from_blob(blob: Vec<u8>) -> StoreResult<[u8; 32]> {
    blob.try_into()
        .map_err(|_| StoreError::Internal("a stored SHA-256 is not 32 bytes".into()))
}

impl RelayStore for SqliteStore {
    async fn add_account(
        &self,
        name: &str,
        quota_bytes: u64,
        token: TokenHash,
        now: UnixSecs,
    ) -> StoreResult<()> {
        let name = name.to_owned();
        self.with_db(move |db, _| accounts::add(db, &name, quota_bytes, token, now))
            .await
    }

    async fn list_accounts(&self) -> StoreResult<Vec<AccountSummary>> {
        self.with_db(|db, _| accounts::list(db)).await
    }

    async fn account_by_token(&self, token: TokenHash) -> StoreResult<Option<AccountRef>> {
        self.with_db(move |db, _| accounts::by_token(db, token))
            .await
    }

    async fn member_by_token(&self, token: TokenHash) -> StoreResult<Option<MemberAccess>> {
        self.with_db(move |db, _| channels::member_by_token(db, token))
            .await
    }

    async fn channel_was_deleted(&self, channel: &ChannelId) -> StoreResult<bool> {
        let channel = channel.clone();
        self.with_db(move |db, _| channels::was_deleted(db, &channel))
            .await
    }

    async fn open_channel(
        &self,
        account: AccountRef,
        owner_card: Vec<u8>,
        owner_token: TokenHash,
        now: UnixSecs,
    ) -> StoreResult<(ChannelId, MemberId)> {
        let channel = ChannelId::generate()?;
        let member = MemberId::generate()?;
        self.with_db(move |db, _| {
            channels::open(
                db,
                account,
                &channel,
                &member,
                &owner_card,
                owner_token,
                now,
            )?;
            Ok((channel, member))
        })
        .await
    }

    async fn add_invite(
        &self,
        channel: &ChannelId,
        by: &MemberId,
        join_token: TokenHash,
        expires_at: UnixSecs,
        now: UnixSecs,
    ) -> StoreResult<()> {
        let (channel, by) = (channel.clone(), by.clone());
        self.with_db(move |db, _| {
            channels::add_invite(db, &channel, &by, join_token, expires_at, now)
        })
        .await
    }

    async fn join(
        &self,
        channel: &ChannelId,
        join_token: TokenHash,
        card: Vec<u8>,
        access_token: TokenHash,
        now: UnixSecs,
    ) -> StoreResult<MemberId> {
        let channel = channel.clone();
        let member = MemberId::generate()?;
        self.with_db(move |db, _| {
            channels::join(db, &channel, join_token, &member, &card, access_token, now)?;
            Ok(member)
        })
        .await
    }

    async fn members(&self, channel: &ChannelId) -> StoreResult<Vec<Member>> {
        let channel = channel.clone();
        self.with_db(move |db, _| channels::members(db, &channel))
            .await
    }

    async fn acknowledge(
        &self,
        channel: &ChannelId,
        member: &MemberId,
        upto: i64,
    ) -> StoreResult<()> {
        let (channel, member) = (channel.clone(), member.clone());
        self.with_db(move |db, _| channels::acknowledge(db, &channel, &member, upto))
            .await
    }

    async fn put_envelope(&self, req: PutRequest, body: ByteStream) -> StoreResult<PutOutcome> {
        envelopes::put(self, req, body).await
    }

    async fn put_batch(
        &self,
        channel: &ChannelId,
        sender: &MemberId,
        items: Vec<BatchItem>,
        now: UnixSecs,
    ) -> StoreResult<Vec<StoreResult<PutOutcome>>> {
        let (channel, sender) = (channel.clone(), sender.clone());
        self.with_db(move |db, _| envelopes::put_batch(db, &channel, &sender, items, now))
            .await
    }

    async fn list_envelopes(
        &self,
        channel: &ChannelId,
        req: ListRequest,
    ) -> StoreResult<EnvelopePage> {
        envelopes::list(self, channel, req).await
    }

    async fn find_envelope(
        &self,
        channel: &ChannelId,
        id: &EnvelopeId,
    ) -> StoreResult<StoredEnvelope> {
        let (channel, id) = (channel.clone(), id.clone());
        self.with_db(move |db, _| envelopes::find(db, &channel, id))
            .await
    }

    async fn read_envelope(
        &self,
        channel: &ChannelId,
        envelope: &StoredEnvelope,
        start: u64,
        len: u64,
    ) -> StoreResult<ByteStream> {
        // A small envelope came with its row; the rest are files.
        if let Some(body) = &envelope.held {
            let from = usize::try_from(start).unwrap_or(usize::MAX).min(body.len());
            let to = from
                .saturating_add(usize::try_from(len).unwrap_or(usize::MAX))
                .min(body.len());
            let part = body.slice(from..to);
            return Ok(Box::pin(futures_util::stream::once(async move {
                Ok::<_, io::Error>(part)
            })));
        }
        let id = &envelope.meta.id;
        match self.inner.files.read_range(channel, id, start, len).await {
            Ok(stream) => Ok(stream),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(StoreError::EnvelopeNotFound),
            Err(e) => Err(e.into()),
        }
    }

    async fn close_channel(&self, channel: &ChannelId, now: UnixSecs) -> StoreResult<()> {
        let channel = channel.clone();
        self.with_db(move |db, _| channels::close(db, &channel, now))
            .await
    }

    async fn delete_channel(&self, channel: &ChannelId, now: UnixSecs) -> StoreResult<()> {
        let for_db = channel.clone();
        self.with_db(move |db, _| channels::delete_rows(db, &for_db, now))
            .await?;
        let channel = channel.clone();
        self.with_files(move |files| {
            // The rows are gone, so the channel is gone for every client; a failure
            // here leaves bytes that the next start removes.
            if let Err(e) = files.remove_channel(&channel) {
                tracing::warn!(channel = %channel, error = %e, "could not remove a deleted channel's files yet");
            }
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_dir_from_a_newer_relay_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        drop(SqliteStore::open(dir.path()).unwrap());
        let db = Connection::open(dir.path().join("relay.db")).unwrap();
        db.pragma_update(None, "user_version", 99).unwrap();
        drop(db);
        let err = SqliteStore::open(dir.path()).err().expect("refused");
        assert!(err.to_string().contains("newer mandate-relay"), "{err}");
    }

    #[test]
    fn reopening_applies_no_migration_twice() {
        let dir = tempfile::tempdir().unwrap();
        drop(SqliteStore::open(dir.path()).unwrap());
        drop(SqliteStore::open(dir.path()).unwrap());
        let db = Connection::open(dir.path().join("relay.db")).unwrap();
        let version: i64 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.last().unwrap().0);
        let mode: String = db
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
