//! Channels, their members and invitations.

use super::{parse_role, parse_stored};
use crate::ids::{ChannelId, MemberId};
use crate::store::{AccountRef, Member, MemberAccess, StoreError, StoreResult, UnixSecs};
use crate::token::TokenHash;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

pub(super) fn member_by_token(
    db: &mut Connection,
    token: TokenHash,
) -> StoreResult<Option<MemberAccess>> {
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
}

pub(super) fn was_deleted(db: &mut Connection, channel: &ChannelId) -> StoreResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS (SELECT 1 FROM deleted_channel WHERE id = ?1)",
        params![channel.as_str()],
        |r| r.get(0),
    )?)
}

pub(super) fn open(
    db: &mut Connection,
    account: AccountRef,
    channel: &ChannelId,
    owner: &MemberId,
    owner_card: &[u8],
    owner_token: TokenHash,
    now: UnixSecs,
) -> StoreResult<()> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO channel (id, account_id, created_at) VALUES (?1, ?2, ?3)",
        params![channel.as_str(), account.0, now],
    )?;
    tx.execute(
        "INSERT INTO member (id, channel_id, role, card, token_hash, joined_at)
         VALUES (?1, ?2, 'owner', ?3, ?4, ?5)",
        params![
            owner.as_str(),
            channel.as_str(),
            owner_card,
            &owner_token.0[..],
            now
        ],
    )?;
    tx.commit()?;
    Ok(())
}

/// Whether the channel is closed; `ChannelNotFound` if it is not there.
fn is_closed(db: &Connection, channel: &ChannelId) -> StoreResult<bool> {
    db.query_row(
        "SELECT closed_at IS NOT NULL FROM channel WHERE id = ?1",
        params![channel.as_str()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(StoreError::ChannelNotFound)
}

pub(super) fn add_invite(
    db: &mut Connection,
    channel: &ChannelId,
    by: &MemberId,
    join_token: TokenHash,
    expires_at: UnixSecs,
    now: UnixSecs,
) -> StoreResult<()> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if is_closed(&tx, channel)? {
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
}

/// Uses the invitation up and adds `member`, in one transaction.
pub(super) fn join(
    db: &mut Connection,
    channel: &ChannelId,
    join_token: TokenHash,
    member: &MemberId,
    card: &[u8],
    access_token: TokenHash,
    now: UnixSecs,
) -> StoreResult<()> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (invite_channel, expires_at, used) = tx
        .query_row(
            "SELECT channel_id, expires_at, used_at IS NOT NULL FROM invite WHERE token_hash = ?1",
            params![&join_token.0[..]],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, bool>(2)?,
                ))
            },
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
    if is_closed(&tx, channel)? {
        return Err(StoreError::ChannelClosed);
    }
    tx.execute(
        "INSERT INTO member (id, channel_id, role, card, token_hash, joined_at)
         VALUES (?1, ?2, 'member', ?3, ?4, ?5)",
        params![
            member.as_str(),
            channel.as_str(),
            card,
            &access_token.0[..],
            now
        ],
    )?;
    tx.execute(
        "UPDATE invite SET used_at = ?1, used_by = ?2 WHERE token_hash = ?3",
        params![now, member.as_str(), &join_token.0[..]],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn members(db: &mut Connection, channel: &ChannelId) -> StoreResult<Vec<Member>> {
    let mut stmt = db.prepare(
        "SELECT id, role, card, joined_at, acked FROM member WHERE channel_id = ?1
         ORDER BY joined_at, rowid",
    )?;
    let rows = stmt.query_map(params![channel.as_str()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut members = Vec::new();
    for row in rows {
        let (member, role, card, joined_at, acked) = row?;
        members.push(Member {
            member: parse_stored(&member, MemberId::parse, "member id")?,
            role: parse_role(&role)?,
            card,
            joined_at,
            acked,
        });
    }
    Ok(members)
}

/// Records that `member` holds everything up to `upto` (it listed after it); never
/// moves back.
pub(super) fn acknowledge(
    db: &mut Connection,
    channel: &ChannelId,
    member: &MemberId,
    upto: i64,
) -> StoreResult<()> {
    db.execute(
        "UPDATE member SET acked = ?1 WHERE id = ?2 AND channel_id = ?3 AND acked < ?1",
        params![upto, member.as_str(), channel.as_str()],
    )?;
    Ok(())
}

pub(super) fn close(db: &mut Connection, channel: &ChannelId, now: UnixSecs) -> StoreResult<()> {
    let changed = db.execute(
        "UPDATE channel SET closed_at = COALESCE(closed_at, ?1) WHERE id = ?2",
        params![now, channel.as_str()],
    )?;
    if changed == 0 {
        return Err(StoreError::ChannelNotFound);
    }
    Ok(())
}

/// Removes the channel's rows, gives its bytes back to the account, and leaves a
/// tombstone (id and time only). The files go afterwards, outside the lock.
pub(super) fn delete_rows(
    db: &mut Connection,
    channel: &ChannelId,
    now: UnixSecs,
) -> StoreResult<()> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let account: i64 = tx
        .query_row(
            "SELECT account_id FROM channel WHERE id = ?1",
            params![channel.as_str()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::ChannelNotFound)?;
    let freed: i64 = tx.query_row(
        "SELECT COALESCE(SUM(size), 0) FROM envelope WHERE channel_id = ?1",
        params![channel.as_str()],
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
            params![channel.as_str()],
        )?;
    }
    tx.execute(
        "DELETE FROM channel WHERE id = ?1",
        params![channel.as_str()],
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO deleted_channel (id, deleted_at) VALUES (?1, ?2)",
        params![channel.as_str(), now],
    )?;
    tx.commit()?;
    Ok(())
}
