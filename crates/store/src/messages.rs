//! Messages on matters: global full-text search.

use mandate_core::{MatterFilter, MessageHit, PartyFilter, ProviderFilter, Result, SearchResults};
use rusqlite::params;

use crate::{Store, db::Ctx, search::fts_query};

/// Most hits one search returns.
pub const SEARCH_MAX: u32 = 200;

impl Store {
    /// Messages whose body contains every word typed (each as a prefix), best match
    /// first, at most `limit` (capped at [`SEARCH_MAX`]). Input with nothing
    /// searchable in it (only quotes, dashes, asterisks…) finds nothing.
    pub fn search_messages(&self, query: &str, limit: u32) -> Result<Vec<MessageHit>> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        // The ranked page is chosen inside FTS5 first (a subquery), so the join to
        // message and matter runs for `limit` rows, not for every hit.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT m.id, m.matter_id, mt.number, m.author, m.sent_at, h.snip
                 FROM (SELECT rowid, snippet(message_fts, 0, '[', ']', '…', 12) AS snip, rank
                       FROM message_fts WHERE message_fts MATCH ?1 ORDER BY rank LIMIT ?2) h
                 JOIN message m ON m.rowid = h.rowid
                 JOIN matter mt ON mt.id = m.matter_id
                 ORDER BY h.rank",
            )
            .ctx("search messages")?;
        let rows = stmt
            .query_map(params![q, limit.clamp(1, SEARCH_MAX)], |r| {
                Ok(MessageHit {
                    id: r.get(0)?,
                    matter_id: r.get(1)?,
                    matter_number: r.get(2)?,
                    author: r.get(3)?,
                    sent_at: r.get(4)?,
                    snippet: r.get(5)?,
                })
            })
            .ctx("search messages")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("search messages")
    }
}

impl Store {
    /// Searches matters, parties, providers and messages at once, `per_kind` results
    /// of each at most, for the window's search (Ctrl+K) and `mandate search`.
    pub fn search(&self, query: &str, per_kind: u32) -> Result<SearchResults> {
        let q = query.trim();
        if fts_query(q).is_none() {
            return Ok(SearchResults {
                query: q.to_owned(),
                ..Default::default()
            });
        }
        Ok(SearchResults {
            query: q.to_owned(),
            matters: self
                .list_matters(&MatterFilter {
                    query: Some(q.into()),
                    limit: Some(per_kind),
                    ..Default::default()
                })?
                .items,
            parties: self
                .list_parties(&PartyFilter {
                    query: Some(q.into()),
                    limit: Some(per_kind),
                    ..Default::default()
                })?
                .items,
            providers: self
                .list_providers(&ProviderFilter {
                    query: Some(q.into()),
                    limit: Some(per_kind),
                    ..Default::default()
                })?
                .items,
            messages: self.search_messages(q, per_kind)?,
        })
    }
}
