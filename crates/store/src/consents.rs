//! Client consents in the store.

use mandate_core::{
    Consent, ConsentDraft, ConsentFilter, ConsentPatch, Error, Result, dates::format_date,
};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::sql::{Audited, changed_names};
use crate::{
    Store, audit,
    db::Ctx,
    sql::{ensure_exists, json_column, to_json},
};

const COLUMNS: &str = "id, matter_id, provider_id, scope, data_classes, countries, given_on, evidence, revision, created_at, updated_at, covers_ai_use, ai_use_evidence";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Consent> {
    Ok(Consent {
        id: r.get(0)?,
        matter_id: r.get(1)?,
        provider_id: r.get(2)?,
        scope: r.get(3)?,
        data_classes: json_column(r, 4)?,
        countries: json_column(r, 5)?,
        given_on: r.get(6)?,
        evidence: r.get(7)?,
        revision: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        covers_ai_use: r.get(11)?,
        ai_use_evidence: r.get(12)?,
    })
}

impl Store {
    /// Records a client's consent to send work on a matter to a provider.
    /// `today` is the date on the person's own clock (their time zone), which
    /// refuses a consent dated in the future: a consent given "today" in Tokyo is
    /// dated a day ahead of UTC for nine hours a day.
    pub fn create_consent(
        &mut self,
        draft: &ConsentDraft,
        today: jiff::civil::Date,
    ) -> Result<Consent> {
        let v = draft.validate(today)?;
        let (matter_id, provider_id) = (draft.matter_id.trim(), draft.provider_id.trim());
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("save the consent")?;
        ensure_exists(
            &tx,
            "matter",
            matter_id,
            "The consent names a matter that does not exist. List matters to find it.",
        )?;
        ensure_exists(
            &tx,
            "provider",
            provider_id,
            "The consent names a provider that does not exist. List providers to find it.",
        )?;
        tx.execute(
            &format!(
                "INSERT INTO consent ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9, ?10, ?11)"
            ),
            params![
                id,
                matter_id,
                provider_id,
                v.scope,
                to_json(&v.data_classes),
                to_json(&v.countries),
                format_date(v.given_on),
                v.evidence,
                now,
                v.covers_ai_use,
                v.ai_use_evidence
            ],
        )
        .ctx("save the consent")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "consent.create",
            "consent",
            &id,
            &json!({ "matter_id": matter_id, "provider_id": provider_id, "data_classes": v.data_classes, "countries": v.countries }),
        )?;
        tx.commit().ctx("save the consent")?;
        self.record_audit_head();
        self.consent(&id)
    }

    pub fn consent(&self, id: &str) -> Result<Consent> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM consent WHERE id = ?1"),
                [id.trim()],
                from_row,
            )
            .optional()
            .ctx("read the consent")?
            .ok_or_else(|| {
                Error::not_found(
                    "That consent does not exist. List the matter's consents to find it.",
                )
            })
    }

    /// Consents for a matter and/or a provider, newest first.
    pub fn list_consents(&self, filter: &ConsentFilter) -> Result<Vec<Consent>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM consent
                 WHERE (?1 IS NULL OR matter_id = ?1) AND (?2 IS NULL OR provider_id = ?2)
                 ORDER BY given_on DESC, created_at DESC"
            ))
            .ctx("list consents")?;
        stmt.query_map(
            params![filter.matter_id.as_deref(), filter.provider_id.as_deref()],
            from_row,
        )
        .ctx("list consents")?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ctx("list consents")
    }

    /// Corrects a consent; the revision rises and the change is audited.
    pub fn update_consent(
        &mut self,
        id: &str,
        patch: &ConsentPatch,
        today: jiff::civil::Date,
    ) -> Result<Consent> {
        let before = self.consent(id)?;
        let v = patch.apply(&before, today)?;
        let given_on = format_date(v.given_on);
        let checks = [
            ("scope", before.scope == v.scope),
            ("data_classes", before.data_classes == v.data_classes),
            ("countries", before.countries == v.countries),
            ("given_on", before.given_on == given_on),
            ("evidence", before.evidence == v.evidence),
            (
                "ai_use",
                before.covers_ai_use == v.covers_ai_use
                    && before.ai_use_evidence == v.ai_use_evidence,
            ),
        ];
        let changed = changed_names(checks);
        if changed.is_empty() {
            return Ok(before);
        }
        self.write_audited("save the consent", |tx, now| {
            tx.execute(
                "UPDATE consent SET scope = ?2, data_classes = ?3, countries = ?4, given_on = ?5, evidence = ?6,
                     revision = revision + 1, updated_at = ?7, covers_ai_use = ?8, ai_use_evidence = ?9 WHERE id = ?1",
                params![before.id, v.scope, to_json(&v.data_classes), to_json(&v.countries), given_on, v.evidence, now, v.covers_ai_use, v.ai_use_evidence],
            )
            .ctx("save the consent")?;
            let id = before.id.to_string();
            let detail = json!({ "matter_id": before.matter_id, "fields": changed });
            Ok(((), Audited { action: "consent.update", entity: "consent", id, detail }))
        })?;
        self.consent(&before.id)
    }
}
