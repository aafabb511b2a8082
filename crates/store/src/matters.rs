//! Matters in the store: open, list and search, read, edit, close.

use mandate_core::{
    Error, ErrorCode, Matter, MatterCursor, MatterDraft, MatterFilter, MatterPage, MatterPatch,
    MatterSort, MatterStatus, Result, ValidMatter, dates::format_date,
};
use rusqlite::{OptionalExtension, Row, params, types::Value};
use serde_json::json;

use crate::sql::{Audited, changed_names};
use crate::{
    Store, audit,
    db::{Ctx, is_unique_violation},
    search::fts_query,
    sql::{json_column, to_json},
};

pub(crate) const COLUMNS: &str = "id, number, title, client_name, practice_area, court, jurisdiction, status, opened_on, revision, created_at, updated_at, supervising_attorney, data_classes, allowed_countries";

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
        supervising_attorney: r.get(12)?,
        data_classes: json_column(r, 13)?,
        allowed_countries: json_column(r, 14)?,
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

/// A list request as SQL: the filter's conditions (without the page position),
/// the seek condition, the order, and the values bound to them in order.
pub(crate) struct ListSql {
    /// `WHERE` conditions of the filter, joined with AND; "1" when there are none.
    pub filter: String,
    pub filter_args: Vec<Value>,
    /// The seek condition of `after`, if any.
    pub seek: Option<(String, Vec<Value>)>,
    pub order: &'static str,
}

impl ListSql {
    /// Builds the SQL for `f`. Only the conditions that apply are written (rather
    /// than `?1 IS NULL OR ...`), so that SQLite can choose an index for them.
    pub(crate) fn new(f: &MatterFilter) -> Result<Self> {
        let mut conds: Vec<&str> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(s) = f.status {
            conds.push("status = ?");
            args.push(Value::Text(s.as_str().into()));
        }
        if let Some(q) = f.query.as_deref().and_then(fts_query) {
            conds.push("rowid IN (SELECT rowid FROM matter_fts WHERE matter_fts MATCH ?)");
            args.push(Value::Text(q));
        }
        if let Some(c) = nonblank(&f.client) {
            // A range of the client index: from the text up to the text followed by
            // the highest code point, i.e. every name that begins with it (NOCASE
            // folds ASCII letters only, byte by byte, so the range holds).
            conds.push("client_name COLLATE NOCASE >= ? AND client_name COLLATE NOCASE < ?");
            args.push(Value::Text(c.to_owned()));
            args.push(Value::Text(format!("{c}\u{10FFFF}")));
        }
        if let Some(c) = nonblank(&f.court) {
            conds.push("court COLLATE NOCASE = ?");
            args.push(Value::Text(c.to_owned()));
        }
        if let Some(p) = nonblank(&f.provider_id.as_ref().map(|p| p.to_string())) {
            conds.push("id IN (SELECT matter_id FROM assignment WHERE provider_id = ?)");
            args.push(Value::Text(p.to_owned()));
        }
        let order = match f.sort {
            MatterSort::OpenedDesc => "opened_on DESC, number COLLATE NOCASE DESC",
            MatterSort::Number => "number COLLATE NOCASE",
            MatterSort::Title => "title COLLATE NOCASE, number COLLATE NOCASE",
            MatterSort::Client => "client_name COLLATE NOCASE, number COLLATE NOCASE",
        };
        let seek = match f.after.as_deref() {
            None => None,
            Some(raw) => {
                if f.offset.is_some_and(|o| o > 0) {
                    return Err(Error::invalid(
                        "offset",
                        "Give either a page position (after) or an offset, not both; leave the offset out.",
                    ));
                }
                let c = MatterCursor::decode(raw, f.sort)?;
                // Row values seek in the index that serves the order: every order
                // runs one way over (key, number), so "past the cursor" is a range.
                // The collations go on the right: SQLite recognises an index
                // column in a row value only as a bare column name.
                let sql = match f.sort {
                    MatterSort::OpenedDesc => "(opened_on, number) < (?, ? COLLATE NOCASE)",
                    MatterSort::Number => "number > ? COLLATE NOCASE",
                    MatterSort::Title => "(title, number) > (? COLLATE NOCASE, ? COLLATE NOCASE)",
                    MatterSort::Client => {
                        "(client_name, number) > (? COLLATE NOCASE, ? COLLATE NOCASE)"
                    }
                };
                let args = if f.sort == MatterSort::Number {
                    vec![Value::Text(c.number)]
                } else {
                    vec![Value::Text(c.key), Value::Text(c.number)]
                };
                Some((sql.to_owned(), args))
            }
        };
        Ok(Self {
            filter: if conds.is_empty() {
                "1".into()
            } else {
                conds.join(" AND ")
            },
            filter_args: args,
            seek,
            order,
        })
    }

    /// `SELECT count(*)` of the filter's matches; its values are `filter_args`.
    pub(crate) fn count(&self) -> String {
        format!("SELECT count(*) FROM matter WHERE {}", self.filter)
    }

    /// `SELECT {columns} ... LIMIT ? [OFFSET ?]` and its values.
    pub(crate) fn page(&self, columns: &str, limit: u32, offset: u32) -> (String, Vec<Value>) {
        let mut args = self.filter_args.clone();
        let mut sql = format!("SELECT {columns} FROM matter WHERE {}", self.filter);
        if let Some((seek, seek_args)) = &self.seek {
            sql.push_str(" AND ");
            sql.push_str(seek);
            args.extend(seek_args.iter().cloned());
        }
        sql.push_str(&format!(" ORDER BY {} LIMIT ?", self.order));
        args.push(Value::Integer(limit.into()));
        if offset > 0 {
            sql.push_str(" OFFSET ?");
            args.push(Value::Integer(offset.into()));
        }
        (sql, args)
    }
}

fn nonblank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
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
        let v = draft.validate(self.clock.today())?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("open the matter")?;
        tx.execute(
            &format!("INSERT INTO matter ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, 1, ?9, ?9, ?10, ?11, ?12)"),
            params![id, v.number, v.title, v.client_name, v.practice_area, v.court, v.jurisdiction, format_date(v.opened_on), now,
                v.supervising_attorney, to_json(&v.data_classes), to_json(&v.allowed_countries)],
        )
        .map_err(|e| if is_unique_violation(&e) { duplicate_number(&v.number) } else { crate::db::map(e, "open the matter") })?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "matter.create",
            "matter",
            &id,
            &json!({
                "number": v.number,
                "supervising_attorney": v.supervising_attorney,
                "data_classes": v.data_classes,
                "allowed_countries": v.allowed_countries,
            }),
        )?;
        tx.commit().ctx("open the matter")?;
        self.record_audit_head();
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

    /// One page of matters, filtered and sorted. Pages are fetched by seeking past
    /// the previous page's last row (`filter.after`), so every page costs about the
    /// same however deep in the list it is; the total is counted only when asked
    /// (by default on the first page).
    pub fn list_matters(&self, filter: &MatterFilter) -> Result<MatterPage> {
        let sql = ListSql::new(filter)?;
        let limit = filter.effective_limit();
        let total = if filter.wants_count() {
            let n: i64 = self
                .conn
                .prepare_cached(&sql.count())
                .and_then(|mut st| {
                    st.query_row(rusqlite::params_from_iter(&sql.filter_args), |r| r.get(0))
                })
                .ctx("list matters")?;
            Some(u64::try_from(n).unwrap_or_default())
        } else {
            None
        };
        // One row more than asked tells whether there is a next page.
        let (text, args) = sql.page(COLUMNS, limit + 1, filter.offset.unwrap_or(0));
        let mut stmt = self.conn.prepare_cached(&text).ctx("list matters")?;
        let mut items = stmt
            .query_map(rusqlite::params_from_iter(args), from_row)
            .ctx("list matters")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list matters")?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items
                .last()
                .map(|m| MatterCursor::after(filter.sort, m).encode())
        } else {
            None
        };
        Ok(MatterPage { items, total, next })
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
        self.write_audited("save the matter", |tx, now| {
            tx.execute(
                "UPDATE matter SET number = ?2, title = ?3, client_name = ?4, practice_area = ?5, court = ?6,
                     jurisdiction = ?7, status = ?8, opened_on = ?9, revision = revision + 1, updated_at = ?10,
                     supervising_attorney = ?11, data_classes = ?12, allowed_countries = ?13
                 WHERE id = ?1",
                params![id, v.number, v.title, v.client_name, v.practice_area, v.court, v.jurisdiction, status.as_str(), format_date(v.opened_on), now,
                    v.supervising_attorney, to_json(&v.data_classes), to_json(&v.allowed_countries)],
            )
            .map_err(|e| if is_unique_violation(&e) { duplicate_number(&v.number) } else { crate::db::map(e, "save the matter") })?;
            let action = match (before.status, status) {
                (MatterStatus::Open, MatterStatus::Closed) => "matter.close",
                (MatterStatus::Closed, MatterStatus::Open) => "matter.reopen",
                _ => "matter.update",
            };
            let detail = update_detail(&v, &changed);
            Ok(((), Audited { action, entity: "matter", id: id.to_owned(), detail }))
        })?;
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

/// The audit detail of an edit: the number and the names of the fields changed,
/// and for the safeguards (which the row keeps only as they are now) the new
/// values, so the log shows what applied when.
fn update_detail(v: &ValidMatter, changed: &[&str]) -> serde_json::Value {
    let mut d = json!({ "number": v.number, "fields": changed });
    for f in changed {
        let value = match *f {
            "supervising_attorney" => json!(v.supervising_attorney),
            "data_classes" => json!(v.data_classes),
            "allowed_countries" => json!(v.allowed_countries),
            _ => continue,
        };
        d[*f] = value;
    }
    d
}

/// Names of the fields an edit changes; recorded in the audit log (names only:
/// the values are already in the matter's row).
fn changed_fields(m: &Matter, v: &ValidMatter, status: MatterStatus) -> Vec<&'static str> {
    changed_names([
        ("number", m.number == v.number),
        ("title", m.title == v.title),
        ("client_name", m.client_name == v.client_name),
        ("practice_area", m.practice_area == v.practice_area),
        ("court", m.court == v.court),
        ("jurisdiction", m.jurisdiction == v.jurisdiction),
        (
            "supervising_attorney",
            m.supervising_attorney == v.supervising_attorney,
        ),
        ("data_classes", m.data_classes == v.data_classes),
        (
            "allowed_countries",
            m.allowed_countries == v.allowed_countries,
        ),
        ("status", m.status == status),
        ("opened_on", m.opened_on == format_date(v.opened_on)),
    ])
}
