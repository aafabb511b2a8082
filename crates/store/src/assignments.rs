//! Assignments (work orders) in the store. Their status changes only through
//! `mandate_core::transition`, and every move is audited with from, to and side.

use mandate_core::{
    Assignment, AssignmentDraft, AssignmentFilter, AssignmentPage, AssignmentPatch,
    AssignmentStatus, BillingMode, Error, Money, Result, Side, assignment::ValidAssignment,
    dates::format_date, transition,
};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::sql::{Audited, changed_names};
use crate::{
    Store, audit,
    db::Ctx,
    sql::{ensure_exists, page_limit},
};

const COLUMNS: &str =
    "id, matter_id, provider_id, scope, instructions, due_on, budget_cents, budget_currency,
    billing_mode, supervising_attorney, status, owner, revision, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Assignment> {
    let billing: String = r.get(8)?;
    let status: String = r.get(10)?;
    let owner: String = r.get(11)?;
    let bad = |i, e: Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    Ok(Assignment {
        id: r.get(0)?,
        matter_id: r.get(1)?,
        provider_id: r.get(2)?,
        scope: r.get(3)?,
        instructions: r.get(4)?,
        due_on: r.get(5)?,
        budget: budget_from(r.get(6)?, r.get(7)?).map_err(|e| bad(6, e))?,
        billing_mode: BillingMode::parse(&billing).map_err(|e| bad(8, e))?,
        supervising_attorney: r.get(9)?,
        status: AssignmentStatus::parse(&status).map_err(|e| bad(10, e))?,
        owner: Side::parse(&owner).map_err(|e| bad(11, e))?,
        revision: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

impl Store {
    /// Writes a new work order, in draft.
    pub fn create_assignment(&mut self, draft: &AssignmentDraft) -> Result<Assignment> {
        let v = draft.validate()?;
        let (matter_id, provider_id) = (draft.matter_id.trim(), draft.provider_id.trim());
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("save the assignment")?;
        ensure_exists(
            &tx,
            "matter",
            matter_id,
            "The assignment names a matter that does not exist. List matters to find it.",
        )?;
        ensure_exists(
            &tx,
            "provider",
            provider_id,
            "The assignment names a provider that does not exist. List providers to find it.",
        )?;
        let (cents, currency) = split_budget(&v);
        tx.execute(
            &format!(
                "INSERT INTO assignment ({COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'draft', 'firm', 1, ?11, ?11)"
            ),
            params![
                id,
                matter_id,
                provider_id,
                v.scope,
                v.instructions,
                format_date(v.due_on),
                cents,
                currency,
                v.billing_mode.as_str(),
                v.supervising_attorney,
                now
            ],
        )
        .ctx("save the assignment")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "assignment.create",
            "assignment",
            &id,
            &json!({ "matter_id": matter_id, "provider_id": provider_id, "scope": v.scope }),
        )?;
        tx.commit().ctx("save the assignment")?;
        self.record_audit_head();
        self.assignment(&id)
    }

    pub fn assignment(&self, id: &str) -> Result<Assignment> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM assignment WHERE id = ?1"),
                [id.trim()],
                from_row,
            )
            .optional()
            .ctx("read the assignment")?
            .ok_or_else(|| {
                Error::not_found("That assignment does not exist. List assignments to find its id.")
            })
    }

    /// One page of assignments, soonest due first.
    pub fn list_assignments(&self, filter: &AssignmentFilter) -> Result<AssignmentPage> {
        let status = filter.status.map(AssignmentStatus::as_str);
        let (m, p) = (filter.matter_id.as_deref(), filter.provider_id.as_deref());
        let where_sql = "(?1 IS NULL OR matter_id = ?1) AND (?2 IS NULL OR provider_id = ?2) AND (?3 IS NULL OR status = ?3)";
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM assignment WHERE {where_sql}"),
                params![m, p, status],
                |r| r.get(0),
            )
            .ctx("list assignments")?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM assignment WHERE {where_sql} ORDER BY due_on, created_at LIMIT ?4 OFFSET ?5"
            ))
            .ctx("list assignments")?;
        let items = stmt
            .query_map(
                params![
                    m,
                    p,
                    status,
                    page_limit(filter.limit),
                    filter.offset.unwrap_or(0)
                ],
                from_row,
            )
            .ctx("list assignments")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list assignments")?;
        Ok(AssignmentPage {
            items,
            total: u64::try_from(total).unwrap_or_default(),
        })
    }

    /// Changes the terms of a work order (not its status). Approved and cancelled
    /// work orders are refused.
    pub fn update_assignment(&mut self, id: &str, patch: &AssignmentPatch) -> Result<Assignment> {
        let before = self.assignment(id)?;
        let v = patch.apply(&before)?;
        let (cents, currency) = split_budget(&v);
        let due_on = format_date(v.due_on);
        let checks = [
            ("scope", before.scope == v.scope),
            ("instructions", before.instructions == v.instructions),
            ("due_on", before.due_on == due_on),
            (
                "budget",
                before.budget.as_ref().map(|m| m.minor) == cents
                    && before.budget.as_ref().map(|m| m.currency.as_str()) == currency,
            ),
            ("billing_mode", before.billing_mode == v.billing_mode),
            (
                "supervising_attorney",
                before.supervising_attorney == v.supervising_attorney,
            ),
        ];
        let changed = changed_names(checks);
        if changed.is_empty() {
            return Ok(before);
        }
        self.write_audited("save the assignment", |tx, now| {
            tx.execute(
                "UPDATE assignment SET scope = ?2, instructions = ?3, due_on = ?4, budget_cents = ?5, budget_currency = ?6,
                     billing_mode = ?7, supervising_attorney = ?8, revision = revision + 1, updated_at = ?9
                 WHERE id = ?1",
                params![before.id, v.scope, v.instructions, due_on, cents, currency, v.billing_mode.as_str(), v.supervising_attorney, now],
            )
            .ctx("save the assignment")?;
            let id = before.id.to_string();
            let detail = json!({ "matter_id": before.matter_id, "fields": changed });
            Ok(((), Audited { action: "assignment.update", entity: "assignment", id, detail }))
        })?;
        self.assignment(&before.id)
    }

    /// Moves an assignment to `to` on behalf of `side`, if the state machine
    /// allows it. The status is re-read inside the transaction, so two moves
    /// racing from the same status cannot both succeed.
    pub fn move_assignment(
        &mut self,
        id: &str,
        to: AssignmentStatus,
        side: Side,
    ) -> Result<Assignment> {
        self.write_audited("move the assignment", |tx, now| {
            let found: Option<(String, String)> = tx
                .query_row(
                    "SELECT status, matter_id FROM assignment WHERE id = ?1",
                    [id.trim()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .ctx("move the assignment")?;
            let Some((status, matter_id)) = found else {
                return Err(Error::not_found(
                    "That assignment does not exist. List assignments to find its id.",
                ));
            };
            let from = AssignmentStatus::parse(&status)?;
            let next = transition(from, to, side)?;
            tx.execute(
                "UPDATE assignment SET status = ?2, revision = revision + 1, updated_at = ?3 WHERE id = ?1",
                params![id.trim(), next.as_str(), now],
            )
            .ctx("move the assignment")?;
            // A provider's moves reach this store only through the exchange; the
            // firm's own moves go out to every provider the work order is shared with.
            if side == Side::Firm {
                crate::exchange::queue_firm_move(tx, now, id.trim(), from, next)?;
            }
            let detail = json!({ "matter_id": matter_id, "from": from, "to": next, "side": side });
            let id = id.trim().to_owned();
            Ok(((), Audited { action: "assignment.move", entity: "assignment", id, detail }))
        })?;
        self.assignment(id)
    }
}

/// The stored budget: minor units (the column is named `budget_cents` from before
/// currencies without cents were handled; it holds minor units) and the currency.
fn split_budget(v: &ValidAssignment) -> (Option<i64>, Option<&str>) {
    match &v.budget {
        Some(m) => (Some(m.minor), Some(m.currency.as_str())),
        None => (None, None),
    }
}

fn budget_from(minor: Option<i64>, currency: Option<String>) -> Result<Option<Money>> {
    match (minor, currency) {
        (Some(minor), Some(currency)) => Money::new(minor, &currency).map(Some),
        _ => Ok(None),
    }
}
