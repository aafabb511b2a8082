//! Conflict checks as the store records them: run (the matter's client, parties and
//! aliases against a provider's declared conflicts, or against the firm's other
//! matters), read the newest, and clear a match with who cleared it and why. The
//! matching itself is `mandate_core::conflict`.

use mandate_core::conflict::{CheckedMatch, ConflictCheck, find_matches};
use mandate_core::{Error, Result};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use crate::db::Ctx;
use crate::sql::to_json;
use crate::{Store, audit};

impl Store {
    /// The names a matter's conflict check compares: its client, and every party
    /// linked to it with their aliases.
    fn matter_names(&self, matter_id: &str) -> Result<Vec<String>> {
        let matter = self.matter(matter_id)?;
        let mut names = vec![matter.client_name.clone()];
        let mut stmt = self
            .conn
            .prepare(
                "SELECT p.name, p.aliases FROM matter_party mp JOIN party p ON p.id = mp.party_id WHERE mp.matter_id = ?1",
            )
            .ctx("read the matter's parties")?;
        let rows: Vec<(String, String)> = stmt
            .query_map([matter_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .ctx("read the matter's parties")?
            .collect::<rusqlite::Result<_>>()
            .ctx("read the matter's parties")?;
        for (name, aliases) in rows {
            names.push(name);
            names.extend(serde_json::from_str::<Vec<String>>(&aliases).unwrap_or_default());
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Opens a new matter and checks its client (and any parties) against the names
    /// on the firm's other matters at once, recording the check: a new client who is
    /// on the other side of an existing matter shows up the moment the matter is
    /// opened. The window and the CLI open matters through this; imports and
    /// generated data use [`Store::create_matter`].
    pub fn open_matter(
        &mut self,
        draft: &mandate_core::MatterDraft,
    ) -> Result<(mandate_core::Matter, ConflictCheck)> {
        let matter = self.create_matter(draft)?;
        let check = self.run_conflict_check(&matter.id, None)?;
        Ok((matter, check))
    }

    /// The names on every other matter of the firm (clients, parties and their
    /// aliases), read in two queries rather than one per matter: with 100,000 matters
    /// a new matter's check stays well under a second.
    fn other_matters_names(&self, matter_id: &str) -> Result<Vec<String>> {
        let mut all: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT DISTINCT client_name FROM matter WHERE id <> ?1")
                .ctx("read the other matters")?;
            stmt.query_map([matter_id], |r| r.get(0))
                .ctx("read the other matters")?
                .collect::<rusqlite::Result<_>>()
                .ctx("read the other matters")?
        };
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT p.name, p.aliases FROM party p
                 WHERE EXISTS (SELECT 1 FROM matter_party mp WHERE mp.party_id = p.id AND mp.matter_id <> ?1)",
            )
            .ctx("read the other matters' parties")?;
        let rows = stmt
            .query_map([matter_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .ctx("read the other matters' parties")?;
        for row in rows {
            let (name, aliases) = row.ctx("read the other matters' parties")?;
            all.push(name);
            all.extend(serde_json::from_str::<Vec<String>>(&aliases).unwrap_or_default());
        }
        all.sort();
        all.dedup();
        Ok(all)
    }

    /// Runs and records a conflict check of `matter_id` against the provider's
    /// declared conflicts, or (`provider_id` `None`) against the names of the firm's
    /// other matters.
    pub fn run_conflict_check(
        &mut self,
        matter_id: &str,
        provider_id: Option<&str>,
    ) -> Result<ConflictCheck> {
        let matter = self.matter(matter_id)?;
        let names = self.matter_names(&matter.id)?;
        let listed: Vec<String> = match provider_id {
            Some(p) => self.provider(p)?.conflicts,
            None => self.other_matters_names(&matter.id)?,
        };
        let provider_id = provider_id
            .map(|p| self.provider(p).map(|p| p.id))
            .transpose()?;
        let check = ConflictCheck {
            id: uuid::Uuid::now_v7().to_string(),
            matter_id: matter.id.clone(),
            provider_id: provider_id.clone(),
            checked_at: self.clock.stamp(),
            checked_by: self.actor.clone(),
            matches: find_matches(&names, &listed)
                .into_iter()
                .map(|found| CheckedMatch {
                    found,
                    cleared_by: None,
                    cleared_at: None,
                    note: None,
                })
                .collect(),
        };
        let tx = self.conn.transaction().ctx("record the conflict check")?;
        tx.execute(
            "INSERT INTO conflict_check (id, matter_id, provider_id, checked_at, checked_by, matches) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![check.id, check.matter_id, check.provider_id, check.checked_at, check.checked_by, to_json(&check.matches)],
        )
        .ctx("record the conflict check")?;
        // Names stay out of the audit log: it says a check ran and what it found.
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "conflict.check",
            "matter",
            &check.matter_id,
            &json!({ "check_id": check.id, "provider_id": check.provider_id, "matches": check.matches.len() }),
        )?;
        tx.commit().ctx("record the conflict check")?;
        self.record_audit_head();
        Ok(check)
    }

    /// The newest conflict check of a matter against a provider (or the firm's other
    /// matters, with `None`).
    pub fn latest_conflict_check(
        &self,
        matter_id: &str,
        provider_id: Option<&str>,
    ) -> Result<Option<ConflictCheck>> {
        self.conn
            .query_row(
                "SELECT id, matter_id, provider_id, checked_at, checked_by, matches FROM conflict_check
                 WHERE matter_id = ?1 AND provider_id IS ?2 ORDER BY checked_at DESC, id DESC LIMIT 1",
                params![matter_id, provider_id],
                |r| {
                    Ok(ConflictCheck {
                        id: r.get(0)?,
                        matter_id: r.get(1)?,
                        provider_id: r.get(2)?,
                        checked_at: r.get(3)?,
                        checked_by: r.get(4)?,
                        matches: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
                    })
                },
            )
            .optional()
            .ctx("read the conflict check")
    }

    /// Clears match number `index` (from 1, as listed) of a check, with the reason.
    pub fn clear_conflict_match(
        &mut self,
        check_id: &str,
        index: usize,
        note: &str,
    ) -> Result<ConflictCheck> {
        let note = note.trim();
        if note.is_empty() {
            return Err(Error::invalid(
                "note",
                "Say why this match is not a conflict (e.g. \"different company, other country\").",
            ));
        }
        let (matter_id, provider_id): (String, Option<String>) = self
            .conn
            .query_row("SELECT matter_id, provider_id FROM conflict_check WHERE id = ?1", [check_id.trim()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .ctx("read the conflict check")?
            .ok_or_else(|| Error::not_found("No conflict check has that id. Run one: mandate conflicts check --matter NUMBER"))?;
        let mut check = self
            .latest_conflict_check(&matter_id, provider_id.as_deref())?
            .filter(|c| c.id == check_id.trim())
            .ok_or_else(|| {
                Error::invalid(
                    "check",
                    "A newer check replaced this one; clear the matches of the newest.",
                )
            })?;
        let m = index
            .checked_sub(1)
            .and_then(|i| check.matches.get_mut(i))
            .ok_or_else(|| {
                Error::invalid(
                    "index",
                    "There is no match with that number; list them with: mandate conflicts show",
                )
            })?;
        m.cleared_by = Some(self.actor.clone());
        m.cleared_at = Some(self.clock.stamp());
        m.note = Some(note.to_owned());
        let tx = self.conn.transaction().ctx("clear the match")?;
        tx.execute(
            "UPDATE conflict_check SET matches = ?2 WHERE id = ?1",
            params![check.id, to_json(&check.matches)],
        )
        .ctx("clear the match")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "conflict.clear",
            "matter",
            &matter_id,
            &json!({ "check_id": check.id, "match": index }),
        )?;
        tx.commit().ctx("clear the match")?;
        self.record_audit_head();
        Ok(check)
    }
}
