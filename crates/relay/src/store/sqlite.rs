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

use super::files::{EnvelopeFiles, FILE_MODE, ReceiveError, Received, private_dir};
use super::*;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
use std::collections::{HashMap, HashSet};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Numbered migrations, each run in its own transaction; `user_version` records the
/// last one applied. Never edit a released one.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../../migrations/0001_init.sql"))];

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

fn to_i64(n: u64) -> StoreResult<i64> {
    i64::try_from(n).map_err(|_| StoreError::Internal(format!("{n} does not fit the database")))
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn parse_role(text: &str) -> StoreResult<Role> {
    match text {
        "owner" => Ok(Role::Owner),
        "member" => Ok(Role::Member),
        other => Err(StoreError::Internal(format!(
            "unknown role {other:?} in the database"
        ))),
    }
}

fn parse_stored<T>(text: &str, parse: impl Fn(&str) -> Option<T>, what: &str) -> StoreResult<T> {
    parse(text)
        .ok_or_else(|| StoreError::Internal(format!("a stored {what} is malformed: {text:?}")))
}

fn sha_from_blob(blob: Vec<u8>) -> StoreResult<[u8; 32]> {
    blob.try_into()
        .map_err(|_| StoreError::Internal("a stored SHA-256 is not 32 bytes".into()))
}

/// What a PUT needs to know before it reads the body.
struct PutCheck {
    closed: bool,
    existing: Option<(i64, u64, [u8; 32])>,
    quota: u64,
    used: u64,
}

fn put_check(db: &Connection, channel: &ChannelId, id: &EnvelopeId) -> StoreResult<PutCheck> {
    let (closed, quota, used) = db
        .query_row(
            "SELECT c.closed_at IS NOT NULL, a.quota_bytes, a.used_bytes
             FROM channel c JOIN account a ON a.id = c.account_id WHERE c.id = ?1",
            params![channel.as_str()],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            },
        )
        .optional()?
        .ok_or(StoreError::ChannelNotFound)?;
    Ok(PutCheck {
        closed,
        existing: existing_envelope(db, channel, id)?,
        quota: to_u64(quota),
        used: to_u64(used),
    })
}

fn existing_envelope(
    db: &Connection,
    channel: &ChannelId,
    id: &EnvelopeId,
) -> StoreResult<Option<(i64, u64, [u8; 32])>> {
    let row = db
        .query_row(
            "SELECT seq, size, sha256 FROM envelope WHERE channel_id = ?1 AND id = ?2",
            params![channel.as_str(), id.as_str()],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            },
        )
        .optional()?;
    row.map(|(seq, size, sha)| Ok((seq, to_u64(size), sha_from_blob(sha)?)))
        .transpose()
}

/// The second half of a PUT, under the lock: decide, install the file, commit.
fn put_commit(
    db: &mut Connection,
    files: &EnvelopeFiles,
    req: &PutRequest,
    received: Received,
) -> StoreResult<PutOutcome> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (closed, next_seq, account) = tx
        .query_row(
            "SELECT closed_at IS NOT NULL, next_seq, account_id FROM channel WHERE id = ?1",
            params![req.channel.as_str()],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            },
        )
        .optional()?
        .ok_or(StoreError::ChannelNotFound)?;
    if closed {
        return Err(StoreError::ChannelClosed);
    }
    // Checked again here: another PUT of the same id may have committed while this
    // body was arriving.
    if let Some((seq, size, sha)) = existing_envelope(&tx, &req.channel, &req.id)? {
        return if size == received.size && sha == received.sha256 {
            Ok(PutOutcome {
                seq,
                created: false,
            })
        } else {
            Err(StoreError::EnvelopeConflict)
        };
    }
    let (quota, used): (i64, i64) = tx.query_row(
        "SELECT quota_bytes, used_bytes FROM account WHERE id = ?1",
        params![account],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if to_u64(used).saturating_add(received.size) > to_u64(quota) {
        return Err(StoreError::QuotaExceeded {
            quota: to_u64(quota),
        });
    }
    let size = to_i64(received.size)?;
    let sha = received.sha256;
    let installed = files.install(received, &req.channel, &req.id)?;
    let written = (|| -> StoreResult<()> {
        tx.execute(
            "INSERT INTO envelope (channel_id, seq, id, size, sha256, sender, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                req.channel.as_str(),
                next_seq,
                req.id.as_str(),
                size,
                &sha[..],
                req.sender.as_str(),
                req.now
            ],
        )?;
        tx.execute(
            "UPDATE channel SET next_seq = next_seq + 1 WHERE id = ?1",
            params![req.channel.as_str()],
        )?;
        tx.execute(
            "UPDATE account SET used_bytes = used_bytes + ?1 WHERE id = ?2",
            params![size, account],
        )?;
        tx.commit()?;
        Ok(())
    })();
    if let Err(e) = written {
        // No row points at the file: remove it now (or at the next start).
        let _ = std::fs::remove_file(installed);
        return Err(e);
    }
    Ok(PutOutcome {
        seq: next_seq,
        created: true,
    })
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
        let quota = to_i64(quota_bytes)?;
        self.with_db(move |db, _| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM account WHERE name = ?1)",
                params![name],
                |r| r.get(0),
            )?;
            if exists {
                return Err(StoreError::AccountExists(name));
            }
            tx.execute(
                "INSERT INTO account (name, token_hash, quota_bytes, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, &token.0[..], quota, now],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn list_accounts(&self) -> StoreResult<Vec<AccountSummary>> {
        self.with_db(|db, _| {
            let mut stmt = db.prepare(
                "SELECT name, quota_bytes, used_bytes, created_at FROM account ORDER BY name",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(AccountSummary {
                    name: r.get(0)?,
                    quota_bytes: to_u64(r.get(1)?),
                    used_bytes: to_u64(r.get(2)?),
                    created_at: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn account_by_token(&self, token: TokenHash) -> StoreResult<Option<AccountRef>> {
        self.with_db(move |db, _| {
            Ok(db
                .query_row(
                    "SELECT id FROM account WHERE token_hash = ?1",
                    params![&token.0[..]],
                    |r| r.get(0),
                )
                .optional()?
                .map(AccountRef))
        })
        .await
    }

    async fn member_by_token(&self, token: TokenHash) -> StoreResult<Option<MemberAccess>> {
        self.with_db(move |db, _| {
            let row = db
                .query_row(
                    "SELECT id, channel_id, role FROM member WHERE token_hash = ?1",
                    params![&token.0[..]],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                        ))
                    },
                )
                .optional()?;
            row.map(|(member, channel, role)| {
                Ok(MemberAccess {
                    channel: parse_stored(&channel, ChannelId::parse, "channel id")?,
                    member: parse_stored(&member, MemberId::parse, "member id")?,
                    role: parse_role(&role)?,
                })
            })
            .transpose()
        })
        .await
    }

    async fn channel_was_deleted(&self, channel: &ChannelId) -> StoreResult<bool> {
        let channel = channel.clone();
        self.with_db(move |db, _| {
            Ok(db.query_row(
                "SELECT EXISTS (SELECT 1 FROM deleted_channel WHERE id = ?1)",
                params![channel.as_str()],
                |r| r.get(0),
            )?)
        })
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
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO channel (id, account_id, created_at) VALUES (?1, ?2, ?3)",
                params![channel.as_str(), account.0, now],
            )?;
            tx.execute(
                "INSERT INTO member (id, channel_id, role, card, token_hash, joined_at)
                 VALUES (?1, ?2, 'owner', ?3, ?4, ?5)",
                params![
                    member.as_str(),
                    channel.as_str(),
                    owner_card,
                    &owner_token.0[..],
                    now
                ],
            )?;
            tx.commit()?;
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
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let closed: bool = tx
                .query_row(
                    "SELECT closed_at IS NOT NULL FROM channel WHERE id = ?1",
                    params![channel.as_str()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(StoreError::ChannelNotFound)?;
            if closed {
                return Err(StoreError::ChannelClosed);
            }
            tx.execute(
                "INSERT INTO invite (token_hash, channel_id, created_by, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    &join_token.0[..],
                    channel.as_str(),
                    by.as_str(),
                    now,
                    expires_at
                ],
            )?;
            tx.commit()?;
            Ok(())
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
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (invite_channel, expires_at, used) = tx
                .query_row(
                    "SELECT channel_id, expires_at, used_at IS NOT NULL FROM invite WHERE token_hash = ?1",
                    params![&join_token.0[..]],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, bool>(2)?)),
                )
                .optional()?
                .ok_or(StoreError::InviteUnknown)?;
            // An invitation to another channel says nothing about this one.
            if invite_channel != channel.as_str() {
                return Err(StoreError::InviteUnknown);
            }
            if used {
                return Err(StoreError::InviteUsed);
            }
            if expires_at <= now {
                return Err(StoreError::InviteExpired);
            }
            let closed: bool = tx.query_row(
                "SELECT closed_at IS NOT NULL FROM channel WHERE id = ?1",
                params![channel.as_str()],
                |r| r.get(0),
            )?;
            if closed {
                return Err(StoreError::ChannelClosed);
            }
            tx.execute(
                "INSERT INTO member (id, channel_id, role, card, token_hash, joined_at)
                 VALUES (?1, ?2, 'member', ?3, ?4, ?5)",
                params![member.as_str(), channel.as_str(), card, &access_token.0[..], now],
            )?;
            tx.execute(
                "UPDATE invite SET used_at = ?1, used_by = ?2 WHERE token_hash = ?3",
                params![now, member.as_str(), &join_token.0[..]],
            )?;
            tx.commit()?;
            Ok(member)
        })
        .await
    }

    async fn members(&self, channel: &ChannelId) -> StoreResult<Vec<Member>> {
        let channel = channel.clone();
        self.with_db(move |db, _| {
            let mut stmt = db.prepare(
                "SELECT id, role, card, joined_at FROM member WHERE channel_id = ?1
                 ORDER BY joined_at, rowid",
            )?;
            let rows = stmt.query_map(params![channel.as_str()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?;
            let mut members = Vec::new();
            for row in rows {
                let (member, role, card, joined_at) = row?;
                members.push(Member {
                    member: parse_stored(&member, MemberId::parse, "member id")?,
                    role: parse_role(&role)?,
                    card,
                    joined_at,
                });
            }
            Ok(members)
        })
        .await
    }

    async fn put_envelope(&self, req: PutRequest, body: ByteStream) -> StoreResult<PutOutcome> {
        let (channel, id) = (req.channel.clone(), req.id.clone());
        let check = self
            .with_db(move |db, _| put_check(db, &channel, &id))
            .await?;
        if check.closed {
            return Err(StoreError::ChannelClosed);
        }
        if req.declared_len.is_some_and(|n| n > req.max_bytes) {
            return Err(StoreError::TooLarge {
                limit: req.max_bytes,
            });
        }
        // The most bytes worth reading: past it the answer is known already.
        let limit = match check.existing {
            Some((_, size, _)) => {
                if req.declared_len.is_some_and(|n| n != size) {
                    return Err(StoreError::EnvelopeConflict);
                }
                size
            }
            None => {
                let room = check.quota.saturating_sub(check.used);
                if req.declared_len.is_some_and(|n| n > room) {
                    return Err(StoreError::QuotaExceeded { quota: check.quota });
                }
                room.min(req.max_bytes)
            }
        };
        let received = match self.inner.files.receive(body, limit).await {
            Ok(received) => received,
            Err(ReceiveError::OverLimit) => {
                return Err(if check.existing.is_some() {
                    StoreError::EnvelopeConflict
                } else if limit == req.max_bytes {
                    StoreError::TooLarge {
                        limit: req.max_bytes,
                    }
                } else {
                    StoreError::QuotaExceeded { quota: check.quota }
                });
            }
            Err(ReceiveError::Body(e)) => return Err(StoreError::BodyRead(e)),
            Err(ReceiveError::Disk(e)) => return Err(e.into()),
        };
        self.with_db(move |db, files| put_commit(db, files, &req, received))
            .await
    }

    async fn list_envelopes(
        &self,
        channel: &ChannelId,
        req: ListRequest,
    ) -> StoreResult<EnvelopePage> {
        let for_query = channel.clone();
        let (metas, more) = self
            .with_db(move |db, _| {
                let mut stmt = db.prepare(
                    "SELECT seq, id, size, sha256, sender, received_at FROM envelope
                     WHERE channel_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                )?;
                let rows = stmt.query_map(
                    params![for_query.as_str(), req.after, i64::from(req.limit) + 1],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, Vec<u8>>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, i64>(5)?,
                        ))
                    },
                )?;
                let mut metas = Vec::new();
                for row in rows {
                    let (seq, id, size, sha, sender, received_at) = row?;
                    metas.push(EnvelopeMeta {
                        seq,
                        id: parse_stored(&id, EnvelopeId::parse, "envelope id")?,
                        size: to_u64(size),
                        sha256: sha_from_blob(sha)?,
                        sender: parse_stored(&sender, MemberId::parse, "member id")?,
                        received_at,
                    });
                }
                let more = metas.len() > req.limit as usize;
                metas.truncate(req.limit as usize);
                Ok((metas, more))
            })
            .await?;
        let channel = channel.clone();
        self.with_files(move |files| {
            let mut envelopes = Vec::with_capacity(metas.len());
            let mut inlined: u64 = 0;
            let mut more = more;
            for meta in metas {
                let body = if meta.size <= req.inline_max {
                    if !envelopes.is_empty() && inlined + meta.size > req.inline_budget {
                        more = true;
                        break;
                    }
                    inlined += meta.size;
                    match files.read_small(&channel, &meta.id) {
                        Ok(body) => Some(body),
                        // The channel was deleted since the query.
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {
                            return Err(StoreError::ChannelNotFound);
                        }
                        Err(e) => return Err(e.into()),
                    }
                } else {
                    None
                };
                envelopes.push(ListedEnvelope { meta, body });
            }
            Ok(EnvelopePage { envelopes, more })
        })
        .await
    }

    async fn envelope_meta(
        &self,
        channel: &ChannelId,
        id: &EnvelopeId,
    ) -> StoreResult<EnvelopeMeta> {
        let (channel, id) = (channel.clone(), id.clone());
        self.with_db(move |db, _| {
            let row = db
                .query_row(
                    "SELECT seq, size, sha256, sender, received_at FROM envelope
                     WHERE channel_id = ?1 AND id = ?2",
                    params![channel.as_str(), id.as_str()],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, Vec<u8>>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, i64>(4)?,
                        ))
                    },
                )
                .optional()?
                .ok_or(StoreError::EnvelopeNotFound)?;
            let (seq, size, sha, sender, received_at) = row;
            Ok(EnvelopeMeta {
                seq,
                id,
                size: to_u64(size),
                sha256: sha_from_blob(sha)?,
                sender: parse_stored(&sender, MemberId::parse, "member id")?,
                received_at,
            })
        })
        .await
    }

    async fn read_envelope(
        &self,
        channel: &ChannelId,
        id: &EnvelopeId,
        start: u64,
        len: u64,
    ) -> StoreResult<ByteStream> {
        match self.inner.files.read_range(channel, id, start, len).await {
            Ok(stream) => Ok(stream),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(StoreError::EnvelopeNotFound),
            Err(e) => Err(e.into()),
        }
    }

    async fn close_channel(&self, channel: &ChannelId, now: UnixSecs) -> StoreResult<()> {
        let channel = channel.clone();
        self.with_db(move |db, _| {
            let changed = db.execute(
                "UPDATE channel SET closed_at = COALESCE(closed_at, ?1) WHERE id = ?2",
                params![now, channel.as_str()],
            )?;
            if changed == 0 {
                return Err(StoreError::ChannelNotFound);
            }
            Ok(())
        })
        .await
    }

    async fn delete_channel(&self, channel: &ChannelId, now: UnixSecs) -> StoreResult<()> {
        let for_db = channel.clone();
        self.with_db(move |db, _| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let account: i64 = tx
                .query_row(
                    "SELECT account_id FROM channel WHERE id = ?1",
                    params![for_db.as_str()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(StoreError::ChannelNotFound)?;
            let freed: i64 = tx.query_row(
                "SELECT COALESCE(SUM(size), 0) FROM envelope WHERE channel_id = ?1",
                params![for_db.as_str()],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE account SET used_bytes = MAX(used_bytes - ?1, 0) WHERE id = ?2",
                params![freed, account],
            )?;
            // Children first, so the delete does not depend on foreign_keys being on.
            for table in ["envelope", "invite", "member"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE channel_id = ?1"),
                    params![for_db.as_str()],
                )?;
            }
            tx.execute(
                "DELETE FROM channel WHERE id = ?1",
                params![for_db.as_str()],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO deleted_channel (id, deleted_at) VALUES (?1, ?2)",
                params![for_db.as_str(), now],
            )?;
            tx.commit()?;
            Ok(())
        })
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
