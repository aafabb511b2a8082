//! Messages on matters: adding them, a matter's messages newest first (keyset
//! paging), and global full-text search.

use mandate_core::{
    Error, Message, MessageCursor, MessageDraft, MessageHit, MessagePage, Result,
    message::{PAGE_DEFAULT, PAGE_MAX},
};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::{
    Store, audit,
    db::Ctx,
    search::{SNIPPET_WORDS, fts_query, snippet},
    sql::ensure_exists,
};

const COLUMNS: &str = "id, matter_id, author, sent_at, body, revision, created_at";
/// A matter's messages; `?1` the matter, `?2` the limit.
pub(crate) const PAGE_SQL: &str = "SELECT id, matter_id, author, sent_at, body, revision, created_at FROM message WHERE matter_id = ?1";
pub(crate) const PAGE_ORDER: &str = "ORDER BY sent_at DESC, id DESC LIMIT ?2";
/// The message search: `?1` the FTS5 query, `?2` the limit; the newest hits first.
/// (Also run by the benchmark's baseline, `bench.rs`.)
pub(crate) const SEARCH_SQL: &str =
    "SELECT m.id, m.matter_id, mt.number, m.author, m.sent_at, m.body
                 FROM (SELECT rowid FROM message_fts WHERE message_fts MATCH ?1
                       ORDER BY rowid DESC LIMIT ?2) h
                 JOIN message m ON m.rowid = h.rowid
                 JOIN matter mt ON mt.id = m.matter_id
                 ORDER BY h.rowid DESC";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: r.get(0)?,
        matter_id: r.get(1)?,
        author: r.get(2)?,
        sent_at: r.get(3)?,
        body: r.get(4)?,
        revision: r.get(5)?,
        created_at: r.get(6)?,
        from_side: None,
        delivery: None,
    })
}

/// Marks the messages that went through the exchange: the side that wrote them and,
/// for this install's own, how far they got (the outbox's state, "received" included).
fn mark_exchanged(conn: &rusqlite::Connection, messages: &mut [Message]) -> rusqlite::Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let mut sent = conn.prepare_cached(&format!(
        "SELECT c.side, ({}) FROM outbox JOIN channel c ON c.id = outbox.channel_id WHERE outbox.item_id = ?1 AND outbox.kind = 'message'",
        crate::exchange::OUTBOX_STATE_SQL
    ))?;
    let mut received = conn.prepare_cached(
        "SELECT from_side FROM exchange_item WHERE item_id = ?1 AND kind = 'message'",
    )?;
    for m in messages.iter_mut() {
        let side_of = |s: String| {
            if s == "provider" {
                mandate_core::Side::Provider
            } else {
                mandate_core::Side::Firm
            }
        };
        if let Some((side, state)) = sent
            .query_row([&m.id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?
        {
            m.from_side = Some(side_of(side));
            m.delivery = Some(crate::exchange::outbox_state(&state));
        } else if let Some(side) = received
            .query_row([&m.id], |r| r.get::<_, String>(0))
            .optional()?
        {
            m.from_side = Some(side_of(side));
        }
    }
    Ok(())
}

impl Store {
    /// Adds a message to a matter: validated, written and audited in one
    /// transaction. Without a `sent_at` it is sent now.
    pub fn add_message(&mut self, draft: &MessageDraft) -> Result<Message> {
        let v = draft.validate(self.clock.now())?;
        let matter_id = draft.matter_id.trim();
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.conn.transaction().ctx("save the message")?;
        ensure_exists(
            &tx,
            "matter",
            matter_id,
            "The message names a matter that does not exist. List matters to find it.",
        )?;
        tx.execute(
            &format!("INSERT INTO message ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)"),
            params![
                id,
                matter_id,
                v.author,
                v.sent_at,
                v.body,
                self.clock.stamp()
            ],
        )
        .ctx("save the message")?;
        // The body stays out of the audit log: the record says who added what where.
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "message.create",
            "message",
            &id,
            &json!({ "matter_id": matter_id, "author": v.author, "sent_at": v.sent_at }),
        )?;
        tx.commit().ctx("save the message")?;
        self.record_audit_head();
        self.message(&id)
    }

    pub fn message(&self, id: &str) -> Result<Message> {
        let mut m = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM message WHERE id = ?1"),
                [id.trim()],
                from_row,
            )
            .optional()
            .ctx("read the message")?
            .ok_or_else(|| {
                Error::not_found(
                    "That message does not exist. List the matter's messages to find its id.",
                )
            })?;
        mark_exchanged(&self.conn, std::slice::from_mut(&mut m)).ctx("read the message")?;
        Ok(m)
    }

    /// A page of a matter's messages, newest first (by `sent_at`, then id), older
    /// than `before` when given. `limit` defaults to 50 and is capped at 200. The
    /// page's `next` is the cursor for the following page, or `None` at the end.
    ///
    /// Keyset paging: each page is one range scan of `message_matter_sent`, however
    /// deep into the history it is, and messages added meanwhile never shift it.
    pub fn messages(
        &self,
        matter_id: &str,
        before: Option<&MessageCursor>,
        limit: Option<u32>,
    ) -> Result<MessagePage> {
        let matter_id = matter_id.trim();
        self.matter(matter_id)?;
        let limit = limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX);
        // One more than asked tells whether another page follows.
        let mut items = match before {
            None => self
                .conn
                .prepare_cached(&format!("{PAGE_SQL} {PAGE_ORDER}"))
                .ctx("list the messages")?
                .query_map(params![matter_id, limit + 1], from_row)
                .ctx("list the messages")?
                .collect::<rusqlite::Result<Vec<_>>>(),
            // `sent_at <= ?` on its own lets SQLite start the index scan at the
            // cursor instead of filtering every newer message.
            Some(c) => self
                .conn
                .prepare_cached(&format!(
                    "{PAGE_SQL} AND sent_at <= ?3 AND (sent_at < ?3 OR id < ?4) {PAGE_ORDER}"
                ))
                .ctx("list the messages")?
                .query_map(params![matter_id, limit + 1, c.sent_at, c.id], from_row)
                .ctx("list the messages")?
                .collect::<rusqlite::Result<Vec<_>>>(),
        }
        .ctx("list the messages")?;
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        mark_exchanged(&self.conn, &mut items).ctx("list the messages")?;
        let next = if more {
            items.last().map(Message::cursor)
        } else {
            None
        };
        Ok(MessagePage { items, next })
    }
}

/// Most hits one search returns.
pub const SEARCH_MAX: u32 = 200;

impl Store {
    /// Messages whose body contains every word typed (each as a prefix), newest
    /// first, at most `limit` (capped at [`SEARCH_MAX`]). Input with nothing
    /// searchable in it (only quotes, dashes, asterisks…) finds nothing.
    pub fn search_messages(&self, query: &str, limit: u32) -> Result<Vec<MessageHit>> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        // Newest first, as a mail client lists what it found: FTS5 walks the hits in
        // rowid order and stops at `limit`, so the time stays bounded at any size.
        // Ranking by bm25 instead scores every hit of a common word ("deposition" in
        // a million messages), which measured 2–3 times slower at the 95th
        // percentile (docs/architecture.md, Performance). Rowids grow as messages are
        // added, so rowid order is the order they reached the store. Snippets are cut
        // from the returned bodies (search::snippet).
        let mut stmt = self
            .conn
            .prepare_cached(SEARCH_SQL)
            .ctx("search messages")?;
        let rows = stmt
            .query_map(params![q, limit.clamp(1, SEARCH_MAX)], |r| {
                Ok(MessageHit {
                    id: r.get(0)?,
                    matter_id: r.get(1)?,
                    matter_number: r.get(2)?,
                    author: r.get(3)?,
                    sent_at: r.get(4)?,
                    snippet: snippet(&r.get::<_, String>(5)?, query, SNIPPET_WORDS),
                })
            })
            .ctx("search messages")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("search messages")
    }
}
