//! Accounts: made by the operator on the command line, found by token hash.

use super::{to_i64, to_u64};
use crate::store::{AccountRef, AccountSummary, StoreError, StoreResult, UnixSecs};
use crate::token::TokenHash;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

pub(super) fn add(
    db: &mut Connection,
    name: &str,
    quota_bytes: u64,
    token: TokenHash,
    now: UnixSecs,
) -> StoreResult<()> {
    let quota = to_i64(quota_bytes)?;
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM account WHERE name = ?1)",
        params![name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StoreError::AccountExists(name.to_owned()));
    }
    tx.execute(
        "INSERT INTO account (name, token_hash, quota_bytes, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, &token.0[..], quota, now],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn list(db: &mut Connection) -> StoreResult<Vec<AccountSummary>> {
    let mut stmt =
        db.prepare("SELECT name, quota_bytes, used_bytes, created_at FROM account ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(AccountSummary {
            name: r.get(0)?,
            quota_bytes: to_u64(r.get(1)?),
            used_bytes: to_u64(r.get(2)?),
            created_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(super) fn by_token(db: &mut Connection, token: TokenHash) -> StoreResult<Option<AccountRef>> {
    Ok(db
        .query_row(
            "SELECT id FROM account WHERE token_hash = ?1",
            params![&token.0[..]],
            |r| r.get(0),
        )
        .optional()?
        .map(AccountRef))
}
