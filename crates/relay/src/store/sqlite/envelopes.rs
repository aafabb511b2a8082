//! Envelopes: the two halves of a PUT (a check before the body is read, a commit
//! after it is on disk), a batch upload, listings, and one envelope's row.

use super::{SqliteStore, parse_stored, sha_from_blob, to_i64, to_u64};
use crate::ids::{ChannelId, EnvelopeId, MemberId};
use crate::store::UnixSecs;
use crate::store::files::{EnvelopeFiles, ReceiveError, Received};
use crate::store::{
    BatchItem, ByteStream, EnvelopeMeta, EnvelopePage, ListRequest, ListedEnvelope, PutOutcome,
    PutRequest, StoreError, StoreResult, StoredEnvelope,
};
use bytes::Bytes;
use rusqlite::{Connection, OptionalExtension as _, Transaction, TransactionBehavior, params};
use std::io;

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

/// A channel taken for writing, inside an IMMEDIATE transaction: the sequence number
/// its next envelope gets and its account's quota and use. Envelopes added through it
/// advance these in memory and `commit` writes them back once, so a batch costs the
/// same two updates however many envelopes it adds.
struct ChannelWrite<'a> {
    tx: Transaction<'a>,
    channel: &'a ChannelId,
    sender: &'a MemberId,
    now: UnixSecs,
    account: i64,
    next_seq: i64,
    quota: i64,
    used: i64,
}

impl<'a> ChannelWrite<'a> {
    /// Opens the write transaction; a missing or closed channel takes nothing.
    fn begin(
        db: &'a mut Connection,
        channel: &'a ChannelId,
        sender: &'a MemberId,
        now: UnixSecs,
    ) -> StoreResult<ChannelWrite<'a>> {
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (closed, next_seq, account, quota, used) = tx
            .query_row(
                "SELECT c.closed_at IS NOT NULL, c.next_seq, c.account_id, a.quota_bytes,
                        a.used_bytes
                 FROM channel c JOIN account a ON a.id = c.account_id WHERE c.id = ?1",
                params![channel.as_str()],
                |r| {
                    Ok((
                        r.get::<_, bool>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::ChannelNotFound)?;
        if closed {
            return Err(StoreError::ChannelClosed);
        }
        Ok(ChannelWrite {
            tx,
            channel,
            sender,
            now,
            account,
            next_seq,
            quota,
            used,
        })
    }

    /// The rule every upload follows for one envelope, a PUT's and each of a batch's:
    /// an id the channel holds already answers with its sequence number when the bytes
    /// are the same and a conflict when they are not; a new envelope is refused if it
    /// would take the account past its quota, and otherwise gets the next sequence
    /// number. Only then does `place` put the body where it is kept, giving it back
    /// when it goes into the row.
    ///
    /// The outer result is the transaction's (its failure undoes everything added); the
    /// inner one is this envelope's answer, whose refusal leaves the rest of a batch.
    fn add(
        &mut self,
        id: &EnvelopeId,
        size: u64,
        sha256: [u8; 32],
        place: impl FnOnce() -> StoreResult<Option<Vec<u8>>>,
    ) -> StoreResult<StoreResult<PutOutcome>> {
        if let Some((seq, held_size, held_sha)) = existing_envelope(&self.tx, self.channel, id)? {
            return Ok(if held_size == size && held_sha == sha256 {
                Ok(PutOutcome {
                    seq,
                    created: false,
                })
            } else {
                Err(StoreError::EnvelopeConflict)
            });
        }
        if to_u64(self.used).saturating_add(size) > to_u64(self.quota) {
            return Ok(Err(StoreError::QuotaExceeded {
                quota: to_u64(self.quota),
            }));
        }
        let size = to_i64(size)?;
        let body = place()?;
        self.tx
            .prepare_cached(
                "INSERT INTO envelope (channel_id, seq, id, size, sha256, sender, received_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                self.channel.as_str(),
                self.next_seq,
                id.as_str(),
                size,
                &sha256[..],
                self.sender.as_str(),
                self.now,
                body
            ])?;
        let seq = self.next_seq;
        self.next_seq += 1;
        self.used += size;
        Ok(Ok(PutOutcome { seq, created: true }))
    }

    /// Writes back the sequence number and the account's use, and commits: one fsync
    /// for everything added.
    fn commit(self) -> StoreResult<()> {
        self.tx.execute(
            "UPDATE channel SET next_seq = ?2 WHERE id = ?1",
            params![self.channel.as_str(), self.next_seq],
        )?;
        self.tx.execute(
            "UPDATE account SET used_bytes = ?2 WHERE id = ?1",
            params![self.account, self.used],
        )?;
        self.tx.commit()?;
        Ok(())
    }
}

/// The second half of a PUT, under the lock: decide, install the file, commit.
fn put_commit(
    db: &mut Connection,
    files: &EnvelopeFiles,
    req: &PutRequest,
    mut received: Received,
) -> StoreResult<PutOutcome> {
    let mut write = ChannelWrite::begin(db, &req.channel, &req.sender, req.now)?;
    let (size, sha256) = (received.size, received.sha256);
    let mut installed = None;
    // Decided again here, not from the check before the body: another PUT of the same
    // id may have committed while this body was arriving.
    let added = write.add(&req.id, size, sha256, || {
        // A small body goes into its row, durable with the commit; a large one is
        // moved into place (and its folder fsynced) before the commit that points at it.
        match received.inline.take() {
            Some(body) => Ok(Some(body)),
            None => {
                installed = Some(files.install(received, &req.channel, &req.id)?);
                Ok(None)
            }
        }
    });
    let written = match added {
        Ok(Ok(outcome)) if outcome.created => write.commit().map(|()| Ok(outcome)),
        // Held already or refused (nothing written, so nothing to commit), or failed.
        answered => answered,
    };
    match written {
        Ok(answer) => answer,
        Err(e) => {
            // No row points at the file: remove it now (or at the next start).
            if let Some(installed) = installed {
                let _ = std::fs::remove_file(installed);
            }
            Err(e)
        }
    }
}

/// A PUT: check, receive the body outside the lock, then commit under it.
pub(super) async fn put(
    store: &SqliteStore,
    req: PutRequest,
    body: ByteStream,
) -> StoreResult<PutOutcome> {
    let (channel, id) = (req.channel.clone(), req.id.clone());
    let check = store
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
    let received = match store.inner.files.receive(body, limit, req.inline_max).await {
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
    store
        .with_db(move |db, files| put_commit(db, files, &req, received))
        .await
}

/// A page of a channel's envelopes, with the bodies of the small ones.
pub(super) async fn list(
    store: &SqliteStore,
    channel: &ChannelId,
    req: ListRequest,
) -> StoreResult<EnvelopePage> {
    let for_query = channel.clone();
    let (metas, more) = store
        .with_db(move |db, _| {
            let mut stmt = db.prepare_cached(
                "SELECT seq, id, size, sha256, sender, received_at, body FROM envelope
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
                        r.get::<_, Option<Vec<u8>>>(6)?,
                    ))
                },
            )?;
            let mut metas = Vec::new();
            for row in rows {
                let (seq, id, size, sha, sender, received_at, body) = row?;
                metas.push((
                    EnvelopeMeta {
                        seq,
                        id: parse_stored(&id, EnvelopeId::parse, "envelope id")?,
                        size: to_u64(size),
                        sha256: sha_from_blob(sha)?,
                        sender: parse_stored(&sender, MemberId::parse, "member id")?,
                        received_at,
                    },
                    body,
                ));
            }
            let more = metas.len() > req.limit as usize;
            metas.truncate(req.limit as usize);
            Ok((metas, more))
        })
        .await?;
    let channel = channel.clone();
    store
        .with_files(move |files| {
            let mut envelopes = Vec::with_capacity(metas.len());
            let mut inlined: u64 = 0;
            let mut more = more;
            for (meta, held) in metas {
                let body = if meta.size <= req.inline_max {
                    if !envelopes.is_empty() && inlined + meta.size > req.inline_budget {
                        more = true;
                        break;
                    }
                    inlined += meta.size;
                    // In its row since migration 0003; a file before.
                    match held.map_or_else(|| files.read_small(&channel, &meta.id), Ok) {
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

/// One envelope's row, with its body when the body is kept there: a download reads
/// both in one query.
pub(super) fn find(
    db: &mut Connection,
    channel: &ChannelId,
    id: EnvelopeId,
) -> StoreResult<StoredEnvelope> {
    let (seq, size, sha, sender, received_at, body) = db
        .query_row(
            "SELECT seq, size, sha256, sender, received_at, body FROM envelope
             WHERE channel_id = ?1 AND id = ?2",
            params![channel.as_str(), id.as_str()],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<Vec<u8>>>(5)?,
                ))
            },
        )
        .optional()?
        .ok_or(StoreError::EnvelopeNotFound)?;
    Ok(StoredEnvelope {
        meta: EnvelopeMeta {
            seq,
            id,
            size: to_u64(size),
            sha256: sha_from_blob(sha)?,
            sender: parse_stored(&sender, MemberId::parse, "member id")?,
            received_at,
        },
        held: body.map(Bytes::from),
    })
}

/// A batch of small envelopes in one IMMEDIATE transaction, one commit (one fsync)
/// for all: in order, each either stored (its body in its row), found already there
/// with the same bytes, or refused on its own (other bytes under its id, the quota).
pub(super) fn put_batch(
    db: &mut Connection,
    channel: &ChannelId,
    sender: &MemberId,
    items: Vec<BatchItem>,
    now: UnixSecs,
) -> StoreResult<Vec<StoreResult<PutOutcome>>> {
    use sha2::Digest as _;
    let mut write = ChannelWrite::begin(db, channel, sender, now)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let sha256: [u8; 32] = sha2::Sha256::digest(&item.body).into();
        let size = item.body.len() as u64;
        out.push(write.add(&item.id, size, sha256, || Ok(Some(item.body)))?);
    }
    write.commit()?;
    Ok(out)
}
