//! Matters in the store: open, list and search, read, edit, close.

use mandate_core::{
    Error, ErrorCode, Matter, MatterDraft, MatterFilter, MatterPage, MatterPatch, MatterSort,
    MatterStatus, Result, ValidMatter, matter::format_date,
};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::{
    Store, audit,
    db::{Ctx, is_unique_violation, now_rfc3339},
    search::fts_query,
};

const COLUMNS: &str = "id, number, title, client_name, practice_area, court, jurisdiction, status, opened_on, revision, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Matter> {
    let status: String = r.get(7)?;
    Ok(Matter {
        id: r.get(0)?,
        number: r.get(1)?,
        title: r.get(2)?,
        client_name: r.get(3)?,
        practice_area: r.get(4)?,
        court: r.get(5)?,
        jurisdiction: r.get(6)?,
        // The CHECK constraint admits only these two values.
        status: if status == "closed" {
            MatterStatus::Closed
        } else {
            MatterStatus::Open
        },
        opened_on: r.get(8)?,
        revision: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

fn duplicate_number(number: &str) -> Error {
    Error {
        code: ErrorCode::Duplicate,
        message: format!(
            "Matter number {number} is already in use. Choose another number, or open the existing matter."
        ),
        field: Some("number".into()),
    }
}

impl Store {
    /// Opens a new matter.
    pub fn create_matter(&mut self, draft: &MatterDraft) -> Result<Matter> {
        let v = draft.validate(time::OffsetDateTime::now_utc().date())?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = now_rfc3339();
        let tx = self.conn.transaction().ctx("open the matter")?;
        tx.execute(
            &format!("INSERT INTO matter ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, 1, ?9, ?9)"),
            params![id, v.number, v.title, v.client_name, v.practice_area, v.court, v.jurisdiction, format_date(v.opened_on), now],
        )
        .map_err(|e| if is_unique_violation(&e) { duplicate_number(&v.number) } else { crate::db::map(e, "open the matter") })?;
        audit::append(
            &tx,
            &self.actor,
            "matter.create",
            "matter",
            &id,
            &json!({ "number": v.number }),
        )?;
        tx.commit().ctx("open the matter")?;
        self.matter(&id)
    }

    /// The matter with this id.
    pub fn matter(&self, id: &str) -> Result<Matter> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM matter WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()
            .ctx("read the matter")?
            .ok_or_else(|| {
                Error::not_found(
                    "That matter no longer exists; it may have been removed. Refresh the list.",
                )
            })
    }

    /// The matter with this number (compared without regard to case).
    pub fn matter_by_number(&self, number: &str) -> Result<Matter> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM matter WHERE number = ?1 COLLATE NOCASE"),
                [number.trim()],
                from_row,
            )
            .optional()
            .ctx("read the matter")?
            .ok_or_else(|| {
                Error::not_found(format!(
                    "No matter has the number {}. List matters to see the numbers in use.",
                    number.trim()
                ))
            })
    }

    /// One page of matters, filtered and sorted, with the total that matched.
    pub fn list_matters(&self, filter: &MatterFilter) -> Result<MatterPage> {
        let q = filter.query.as_deref().and_then(fts_query);
        let status = filter.status.map(MatterStatus::as_str);
        let order = match filter.sort {
            MatterSort::OpenedDesc => "opened_on DESC, number COLLATE NOCASE",
            MatterSort::Number => "number COLLATE NOCASE",
            MatterSort::Title => "title COLLATE NOCASE, number COLLATE NOCASE",
            MatterSort::Client => "client_name COLLATE NOCASE, number COLLATE NOCASE",
        };
        let filter_sql = "(?1 IS NULL OR status = ?1)
             AND (?2 IS NULL OR rowid IN (SELECT rowid FROM matter_fts WHERE matter_fts MATCH ?2))";
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM matter WHERE {filter_sql}"),
                params![status, q],
                |r| r.get(0),
            )
            .ctx("list matters")?;
        let total = u64::try_from(total).unwrap_or_default();
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM matter WHERE {filter_sql} ORDER BY {order} LIMIT ?3 OFFSET ?4"))
            .ctx("list matters")?;
        let items = stmt
            .query_map(
                params![
                    status,
                    q,
                    filter.effective_limit(),
                    filter.offset.unwrap_or(0)
                ],
                from_row,
            )
            .ctx("list matters")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list matters")?;
        Ok(MatterPage { items, total })
    }

    /// Changes a matter. Only the fields present in `patch` change; the result is
    /// validated as a whole and the revision rises by one.
    pub fn update_matter(&mut self, id: &str, patch: &MatterPatch) -> Result<Matter> {
        let before = self.matter(id)?;
        let (v, status) = patch.apply(&before)?;
        let changed = changed_fields(&before, &v, status);
        if changed.is_empty() {
            return Ok(before);
        }
        let tx = self.conn.transaction().ctx("save the matter")?;
        tx.execute(
            "UPDATE matter SET number = ?2, title = ?3, client_name = ?4, practice_area = ?5, court = ?6,
                 jurisdiction = ?7, status = ?8, opened_on = ?9, revision = revision + 1, updated_at = ?10
             WHERE id = ?1",
            params![id, v.number, v.title, v.client_name, v.practice_area, v.court, v.jurisdiction, status.as_str(), format_date(v.opened_on), now_rfc3339()],
        )
        .map_err(|e| if is_unique_violation(&e) { duplicate_number(&v.number) } else { crate::db::map(e, "save the matter") })?;
        let action = match (before.status, status) {
            (MatterStatus::Open, MatterStatus::Closed) => "matter.close",
            (MatterStatus::Closed, MatterStatus::Open) => "matter.reopen",
            _ => "matter.update",
        };
        audit::append(
            &tx,
            &self.actor,
            action,
            "matter",
            id,
            &json!({ "number": v.number, "fields": changed }),
        )?;
        tx.commit().ctx("save the matter")?;
        self.matter(id)
    }

    /// Closes (or reopens) a matter.
    pub fn set_matter_status(&mut self, id: &str, status: MatterStatus) -> Result<Matter> {
        self.update_matter(
            id,
            &MatterPatch {
                status: Some(status),
                ..Default::default()
            },
        )
    }
}

/// Names of the fields an edit changes; recorded in the audit log (names only:
/// the values are already in the matter's row).
fn changed_fields(m: &Matter, v: &ValidMatter, status: MatterStatus) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |name, same: bool| {
        if !same {
            out.push(name);
        }
    };
    check("number", m.number == v.number);
    check("title", m.title == v.title);
    check("client_name", m.client_name == v.client_name);
    check("practice_area", m.practice_area == v.practice_area);
    check("court", m.court == v.court);
    check("jurisdiction", m.jurisdiction == v.jurisdiction);
    check("status", m.status == status);
    check("opened_on", m.opened_on == format_date(v.opened_on));
    out
}
