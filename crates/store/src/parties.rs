//! Parties in the store, and the roles they play in matters.

use mandate_core::{
    Error, ErrorCode, MatterParty, MatterPartyDraft, Party, PartyDraft, PartyFilter, PartyKind,
    PartyPage, PartyPatch, PartyRole, Result,
};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::sql::{Audited, changed_names, ensure_exists, json_column, page_limit, to_json};
use crate::{
    Store, audit,
    db::{Ctx, is_unique_violation},
    search::fts_query,
};

const COLUMNS: &str = "id, name, kind, aliases, revision, created_at, updated_at";

fn kind_from(s: &str) -> PartyKind {
    // The CHECK constraint admits only these two values.
    if s == "person" {
        PartyKind::Person
    } else {
        PartyKind::Organisation
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Party> {
    let kind: String = r.get(2)?;
    Ok(Party {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: kind_from(&kind),
        aliases: json_column(r, 3)?,
        revision: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

const LINK_SELECT: &str = "SELECT l.id, l.matter_id, l.party_id, p.name, p.kind, l.role, l.revision, l.created_at, l.updated_at
     FROM matter_party l JOIN party p ON p.id = l.party_id";

/// The two statements of a party list: the count, and the page. `?1` is the kind
/// and `?2` the FTS5 query (each NULL for none), `?3` the limit and `?4` the offset.
/// (Also run by the benchmark's baseline, `bench.rs`.)
pub(crate) fn list_sql() -> (String, String) {
    let where_sql = "(?1 IS NULL OR kind = ?1)
             AND (?2 IS NULL OR rowid IN (SELECT rowid FROM party_fts WHERE party_fts MATCH ?2))";
    (
        format!("SELECT count(*) FROM party WHERE {where_sql}"),
        format!(
            "SELECT {COLUMNS} FROM party WHERE {where_sql} ORDER BY name COLLATE NOCASE, id LIMIT ?3 OFFSET ?4"
        ),
    )
}

/// The matters parties are linked to: `?1` is a JSON array of party ids.
pub(crate) fn links_sql() -> String {
    format!(
        "{LINK_SELECT} WHERE l.party_id IN (SELECT value FROM json_each(?1))
                 ORDER BY l.created_at DESC, l.id"
    )
}

fn link_from_row(r: &Row<'_>) -> rusqlite::Result<MatterParty> {
    let kind: String = r.get(4)?;
    let role: String = r.get(5)?;
    Ok(MatterParty {
        id: r.get(0)?,
        matter_id: r.get(1)?,
        party_id: r.get(2)?,
        party_name: r.get(3)?,
        party_kind: kind_from(&kind),
        role: PartyRole::parse(&role).unwrap_or(PartyRole::Witness),
        revision: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

fn duplicate_link(role: PartyRole) -> Error {
    Error {
        code: ErrorCode::Duplicate,
        message: format!(
            "This party is already linked to the matter as {}. Choose another role, or leave the existing link.",
            role.as_str()
        ),
        field: Some("role".into()),
    }
}

const NO_MATTER: &str = "That matter does not exist. List matters to find its number.";
const NO_PARTY: &str = "That party does not exist. List parties to find its id.";

impl Store {
    /// Records a person or organisation.
    pub fn create_party(&mut self, draft: &PartyDraft) -> Result<Party> {
        let v = draft.validate()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("save the party")?;
        tx.execute(
            &format!("INSERT INTO party ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)"),
            params![id, v.name, v.kind.as_str(), to_json(&v.aliases), now],
        )
        .ctx("save the party")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "party.create",
            "party",
            &id,
            &json!({ "name": v.name }),
        )?;
        tx.commit().ctx("save the party")?;
        self.record_audit_head();
        self.party(&id)
    }

    pub fn party(&self, id: &str) -> Result<Party> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM party WHERE id = ?1"),
                [id.trim()],
                from_row,
            )
            .optional()
            .ctx("read the party")?
            .ok_or_else(|| Error::not_found(NO_PARTY))
    }

    /// One page of parties by name, with the total that matched. The query
    /// matches names and aliases, by word prefix.
    pub fn list_parties(&self, filter: &PartyFilter) -> Result<PartyPage> {
        let q = filter.query.as_deref().and_then(fts_query);
        let kind = filter.kind.map(PartyKind::as_str);
        let (count_sql, page_sql) = list_sql();
        let total: i64 = self
            .conn
            .query_row(&count_sql, params![kind, q], |r| r.get(0))
            .ctx("list parties")?;
        let mut stmt = self.conn.prepare_cached(&page_sql).ctx("list parties")?;
        let items = stmt
            .query_map(
                params![
                    kind,
                    q,
                    page_limit(filter.limit),
                    filter.offset.unwrap_or(0)
                ],
                from_row,
            )
            .ctx("list parties")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list parties")?;
        Ok(PartyPage {
            items,
            total: u64::try_from(total).unwrap_or_default(),
        })
    }

    /// Changes a party; the result is validated as a whole and the revision rises.
    pub fn update_party(&mut self, id: &str, patch: &PartyPatch) -> Result<Party> {
        let before = self.party(id)?;
        let v = patch.apply(&before)?;
        let changed = changed_names([
            ("name", v.name == before.name),
            ("kind", v.kind == before.kind),
            ("aliases", v.aliases == before.aliases),
        ]);
        if changed.is_empty() {
            return Ok(before);
        }
        self.write_audited("save the party", |tx, now| {
            tx.execute(
                "UPDATE party SET name = ?2, kind = ?3, aliases = ?4, revision = revision + 1, updated_at = ?5 WHERE id = ?1",
                params![before.id, v.name, v.kind.as_str(), to_json(&v.aliases), now],
            )
            .ctx("save the party")?;
            let id = before.id.to_string();
            let detail = json!({ "fields": changed });
            Ok(((), Audited { action: "party.update", entity: "party", id, detail }))
        })?;
        self.party(&before.id)
    }

    /// Links a party to a matter in a role.
    pub fn link_party(&mut self, draft: &MatterPartyDraft) -> Result<MatterParty> {
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("link the party")?;
        ensure_exists(&tx, "matter", draft.matter_id.trim(), NO_MATTER)?;
        ensure_exists(&tx, "party", draft.party_id.trim(), NO_PARTY)?;
        tx.execute(
            "INSERT INTO matter_party (id, matter_id, party_id, role, revision, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
            params![id, draft.matter_id.trim(), draft.party_id.trim(), draft.role.as_str(), now],
        )
        .map_err(|e| if is_unique_violation(&e) { duplicate_link(draft.role) } else { crate::db::map(e, "link the party") })?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "matter_party.create",
            "matter_party",
            &id,
            &json!({ "matter_id": draft.matter_id.trim(), "party_id": draft.party_id.trim(), "role": draft.role }),
        )?;
        tx.commit().ctx("link the party")?;
        self.record_audit_head();
        self.matter_party(&id)
    }

    pub fn matter_party(&self, id: &str) -> Result<MatterParty> {
        self.conn
            .query_row(
                &format!("{LINK_SELECT} WHERE l.id = ?1"),
                [id.trim()],
                link_from_row,
            )
            .optional()
            .ctx("read the matter's parties")?
            .ok_or_else(|| {
                Error::not_found("That party is no longer linked to the matter. Refresh the list.")
            })
    }

    /// The parties of a matter, clients first, then by name.
    pub fn matter_parties(&self, matter_id: &str) -> Result<Vec<MatterParty>> {
        self.matter(matter_id)?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "{LINK_SELECT} WHERE l.matter_id = ?1
                 ORDER BY CASE l.role WHEN 'client' THEN 0 WHEN 'co_party' THEN 1 WHEN 'adverse' THEN 2
                          WHEN 'counsel' THEN 3 ELSE 4 END, p.name COLLATE NOCASE"
            ))
            .ctx("read the matter's parties")?;
        stmt.query_map([matter_id], link_from_row)
            .ctx("read the matter's parties")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("read the matter's parties")
    }

    /// The matters these parties are on (their links), newest link first: what a
    /// search hit on a party opens.
    pub fn party_links(&self, party_ids: &[String]) -> Result<Vec<MatterParty>> {
        // One query for all of them: the ids travel as a JSON array.
        let mut stmt = self
            .conn
            .prepare_cached(&links_sql())
            .ctx("read the parties' matters")?;
        stmt.query_map([to_json(&party_ids)], link_from_row)
            .ctx("read the parties' matters")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("read the parties' matters")
    }

    /// Changes the role a party plays in a matter.
    pub fn update_matter_party(&mut self, id: &str, role: PartyRole) -> Result<MatterParty> {
        let before = self.matter_party(id)?;
        if before.role == role {
            return Ok(before);
        }
        let tx = self.conn.transaction().ctx("change the party's role")?;
        tx.execute(
            "UPDATE matter_party SET role = ?2, revision = revision + 1, updated_at = ?3 WHERE id = ?1",
            params![before.id, role.as_str(), self.clock.stamp()],
        )
        .map_err(|e| if is_unique_violation(&e) { duplicate_link(role) } else { crate::db::map(e, "change the party's role") })?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "matter_party.update",
            "matter_party",
            &before.id,
            &json!({ "matter_id": before.matter_id, "from": before.role, "to": role }),
        )?;
        tx.commit().ctx("change the party's role")?;
        self.record_audit_head();
        self.matter_party(&before.id)
    }
}
