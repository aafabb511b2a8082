//! Envelopes: the two halves of a PUT (a check before the body is read, a commit
//! after it is on disk), listings, and one envelope's row.

use super::{SqliteStore, parse_stored, sha_from_blob, to_i64, to_u64};
use crate::ids::{ChannelId, EnvelopeId, MemberId};
use crate::store::UnixSecs;
use crate::store::files::{EnvelopeFiles, ReceiveError, Received};
use crate::store::{
    BatchItem, ByteStream, EnvelopeMeta, EnvelopePage, ListRequest, ListedEnvelope, PutOutcome,
    PutRequest, StoreError, StoreResult,
};
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
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

/// The channel's next sequence number and its account, inside a write transaction;
/// a missing or closed channel takes nothing.
fn open_channel_for_write(db: &Connection, channel: &ChannelId) -> StoreResult<(i64, i64)> {
    let (closed, next_seq, account) = db
        .query_row(
            "SELECT closed_at IS NOT NULL, next_seq, account_id FROM channel WHERE id = ?1",
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
    if closed {
        return Err(StoreError::ChannelClosed);
    }
    Ok((next_seq, account))
}

/// The second half of a PUT, under the lock: decide, install the file, commit.
fn put_commit(
    db: &mut Connection,
    files: &EnvelopeFiles,
    req: &PutRequest,
    mut received: Received,
) -> StoreResult<PutOutcome> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (next_seq, account) = open_channel_for_write(&tx, &req.channel)?;
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
    // A small body goes into its row, durable with the commit; a large one is moved
    // into place (and its folder fsynced) before the commit that points at it.
    let (inline, installed) = match received.inline.take() {
        Some(body) => (Some(body), None),
        None => (None, Some(files.install(received, &req.channel, &req.id)?)),
    };
    let written = (|| -> StoreResult<()> {
        tx.execute(
            "INSERT INTO envelope (channel_id, seq, id, size, sha256, sender, received_at, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                req.channel.as_str(),
                next_seq,
                req.id.as_str(),
                size,
                &sha[..],
                req.sender.as_str(),
                req.now,
                inline
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
        if let Some(installed) = installed {
            let _ = std::fs::remove_file(installed);
        }
        return Err(e);
    }
    Ok(PutOutcome {
        seq: next_seq,
        created: true,
    })
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

pub(super) fn meta(
    db: &mut Connection,
    channel: &ChannelId,
    id: EnvelopeId,
) -> StoreResult<EnvelopeMeta> {
    let (seq, size, sha, sender, received_at) = db
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
    Ok(EnvelopeMeta {
        seq,
        id,
        size: to_u64(size),
        sha256: sha_from_blob(sha)?,
        sender: parse_stored(&sender, MemberId::parse, "member id")?,
        received_at,
    })
}

/// The body of a small envelope kept in its row, if it is one; `None` for an
/// envelope kept as a file. A missing envelope is `EnvelopeNotFound`.
pub(super) fn inline_body(
    db: &mut Connection,
    channel: &ChannelId,
    id: &EnvelopeId,
) -> StoreResult<Option<Vec<u8>>> {
    db.query_row(
        "SELECT body FROM envelope WHERE channel_id = ?1 AND id = ?2",
        params![channel.as_str(), id.as_str()],
        |r| r.get::<_, Option<Vec<u8>>>(0),
    )
    .optional()?
    .ok_or(StoreError::EnvelopeNotFound)
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
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (mut next_seq, account) = open_channel_for_write(&tx, channel)?;
    let (quota, mut used): (i64, i64) = tx.query_row(
        "SELECT quota_bytes, used_bytes FROM account WHERE id = ?1",
        params![account],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut out = Vec::with_capacity(items.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO envelope (channel_id, seq, id, size, sha256, sender, received_at, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for item in items {
            let sha: [u8; 32] = sha2::Sha256::digest(&item.body).into();
            let size = item.body.len() as u64;
            if let Some((seq, held_size, held_sha)) = existing_envelope(&tx, channel, &item.id)? {
                out.push(if held_size == size && held_sha == sha {
                    Ok(PutOutcome {
                        seq,
                        created: false,
                    })
                } else {
                    Err(StoreError::EnvelopeConflict)
                });
                continue;
            }
            let size_i = to_i64(size)?;
            if to_u64(used).saturating_add(size) > to_u64(quota) {
                out.push(Err(StoreError::QuotaExceeded {
                    quota: to_u64(quota),
                }));
                continue;
            }
            insert.execute(params![
                channel.as_str(),
                next_seq,
                item.id.as_str(),
                size_i,
                &sha[..],
                sender.as_str(),
                now,
                item.body
            ])?;
            out.push(Ok(PutOutcome {
                seq: next_seq,
                created: true,
            }));
            next_seq += 1;
            used += size_i;
        }
    }
    tx.execute(
        "UPDATE channel SET next_seq = ?2 WHERE id = ?1",
        params![channel.as_str(), next_seq],
    )?;
    tx.execute(
        "UPDATE account SET used_bytes = ?2 WHERE id = ?1",
        params![account, used],
    )?;
    tx.commit()?;
    Ok(out)
}
