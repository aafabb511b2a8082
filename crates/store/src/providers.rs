//! Providers in the store.

use mandate_core::{
    AiUse, Error, ErrorCode, Provider, ProviderDraft, ProviderFilter, ProviderPage, ProviderPatch,
    Result,
    fields::country,
    provider::{ReviewReminder, ReviewState, ValidProvider},
};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::sql::{Audited, changed_names};
use crate::{
    Store, audit,
    db::{Ctx, is_unique_violation},
    search::fts_query,
    sql::{json_column, page_limit, to_json},
};

const COLUMNS: &str = "id, legal_name, countries, services, rates, contacts, diligence, diligence_review_on,
    nda_on_file, nda_signed_on, baa_on_file, baa_signed_on, transfer_mechanism_on_file, transfer_mechanism_signed_on,
    ai_use, ai_use_detail, conflicts, notes, revision, created_at, updated_at, export_clearance";

/// The two statements of a provider list: the count, and the page. `?1` is the FTS5
/// query and `?2` a country (each NULL for none), `?3` the limit and `?4` the offset.
/// (Also run by the benchmark's baseline, `bench.rs`.)
pub(crate) fn list_sql() -> (String, String) {
    let where_sql = "(?1 IS NULL OR rowid IN (SELECT rowid FROM provider_fts WHERE provider_fts MATCH ?1))
             AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(provider.countries) WHERE value = ?2))";
    (
        format!("SELECT count(*) FROM provider WHERE {where_sql}"),
        format!(
            "SELECT {COLUMNS} FROM provider WHERE {where_sql} ORDER BY legal_name COLLATE NOCASE LIMIT ?3 OFFSET ?4"
        ),
    )
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Provider> {
    let ai_use: String = r.get(14)?;
    Ok(Provider {
        id: r.get(0)?,
        legal_name: r.get(1)?,
        countries: json_column(r, 2)?,
        services: json_column(r, 3)?,
        rates: json_column(r, 4)?,
        contacts: json_column(r, 5)?,
        diligence: json_column(r, 6)?,
        diligence_review_on: r.get(7)?,
        nda_on_file: r.get(8)?,
        nda_signed_on: r.get(9)?,
        baa_on_file: r.get(10)?,
        baa_signed_on: r.get(11)?,
        transfer_mechanism_on_file: r.get(12)?,
        transfer_mechanism_signed_on: r.get(13)?,
        ai_use: AiUse::parse(&ai_use).unwrap_or_default(),
        ai_use_detail: r.get(15)?,
        conflicts: json_column(r, 16)?,
        notes: r.get(17)?,
        revision: r.get(18)?,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
        export_clearance: r.get(21)?,
    })
}

fn duplicate_name(name: &str) -> Error {
    Error {
        code: ErrorCode::Duplicate,
        message: format!(
            "A provider named {name} is already recorded. Open that provider instead, or use its full legal name."
        ),
        field: Some("legal_name".into()),
    }
}

/// The values bound to ?2..?18, in COLUMNS order (the export clearance, the last
/// column, is bound separately).
fn values(v: &ValidProvider) -> [Box<dyn rusqlite::ToSql + '_>; 17] {
    [
        Box::new(&v.legal_name),
        Box::new(to_json(&v.countries)),
        Box::new(to_json(&v.services)),
        Box::new(to_json(&v.rates)),
        Box::new(to_json(&v.contacts)),
        Box::new(to_json(&v.diligence)),
        Box::new(&v.diligence_review_on),
        Box::new(v.nda.on_file),
        Box::new(&v.nda.signed_on),
        Box::new(v.baa.on_file),
        Box::new(&v.baa.signed_on),
        Box::new(v.transfer_mechanism.on_file),
        Box::new(&v.transfer_mechanism.signed_on),
        Box::new(v.ai_use.as_str()),
        Box::new(&v.ai_use_detail),
        Box::new(to_json(&v.conflicts)),
        Box::new(&v.notes),
    ]
}

impl Store {
    /// Records a provider.
    pub fn create_provider(&mut self, draft: &ProviderDraft) -> Result<Provider> {
        let v = draft.validate()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("save the provider")?;
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&id];
        let vals = values(&v);
        args.extend(vals.iter().map(|b| b.as_ref()));
        args.push(&now);
        args.push(&v.export_clearance);
        tx.execute(
            &format!(
                "INSERT INTO provider ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 1, ?19, ?19, ?20)"
            ),
            args.as_slice(),
        )
        .map_err(|e| if is_unique_violation(&e) { duplicate_name(&v.legal_name) } else { crate::db::map(e, "save the provider") })?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "provider.create",
            "provider",
            &id,
            &json!({ "legal_name": v.legal_name }),
        )?;
        tx.commit().ctx("save the provider")?;
        self.record_audit_head();
        self.provider(&id)
    }

    pub fn provider(&self, id: &str) -> Result<Provider> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM provider WHERE id = ?1"),
                [id.trim()],
                from_row,
            )
            .optional()
            .ctx("read the provider")?
            .ok_or_else(|| {
                Error::not_found("That provider does not exist. List providers to find its id.")
            })
    }

    /// The providers whose diligence re-review is past or within
    /// [`REVIEW_SOON_DAYS`](mandate_core::provider::REVIEW_SOON_DAYS) of `today`
    /// (`YYYY-MM-DD`), the most urgent first: the re-review reminders.
    pub fn provider_reviews_due(&self, today: &str) -> Result<Vec<ReviewReminder>> {
        let horizon = format!("+{} days", mandate_core::provider::REVIEW_SOON_DAYS);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, legal_name, diligence_review_on FROM provider
                 WHERE diligence_review_on IS NOT NULL AND diligence_review_on <= date(?1, ?2)
                 ORDER BY diligence_review_on, legal_name",
            )
            .ctx("read the providers due for review")?;
        let rows = stmt
            .query_map(params![today, horizon], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .ctx("read the providers due for review")?;
        let mut out = Vec::new();
        for row in rows {
            let (provider_id, legal_name, review_on) =
                row.ctx("read the providers due for review")?;
            // The rule is the core's; the query only narrows the rows.
            let review = ReviewState::of(Some(&review_on), today);
            if review != ReviewState::Ok {
                out.push(ReviewReminder {
                    provider_id: provider_id.into(),
                    legal_name,
                    review_on,
                    review,
                });
            }
        }
        Ok(out)
    }

    /// The provider with this id, or else with this legal name (ignoring case):
    /// what a person types on the command line.
    pub fn provider_by_id_or_name(&self, key: &str) -> Result<Provider> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM provider WHERE id = ?1 OR legal_name = ?1 COLLATE NOCASE"
                ),
                [key.trim()],
                from_row,
            )
            .optional()
            .ctx("read the provider")?;
        found.ok_or_else(|| {
            Error::not_found(format!(
                "No provider has the id or legal name \"{}\". List providers to see them.",
                key.trim()
            ))
        })
    }

    /// One page of providers by legal name. The query matches legal name,
    /// services and notes by word prefix; `country` keeps those processing there.
    pub fn list_providers(&self, filter: &ProviderFilter) -> Result<ProviderPage> {
        let q = filter.query.as_deref().and_then(fts_query);
        let country = filter
            .country
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| country("country", c))
            .transpose()?;
        let (count_sql, page_sql) = list_sql();
        let total: i64 = self
            .conn
            .query_row(&count_sql, params![q, country], |r| r.get(0))
            .ctx("list providers")?;
        let mut stmt = self.conn.prepare_cached(&page_sql).ctx("list providers")?;
        let items = stmt
            .query_map(
                params![
                    q,
                    country,
                    page_limit(filter.limit),
                    filter.offset.unwrap_or(0)
                ],
                from_row,
            )
            .ctx("list providers")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list providers")?;
        Ok(ProviderPage {
            items,
            total: u64::try_from(total).unwrap_or_default(),
        })
    }

    /// Changes a provider; the result is validated as a whole and the revision rises.
    pub fn update_provider(&mut self, id: &str, patch: &ProviderPatch) -> Result<Provider> {
        let before = self.provider(id)?;
        let v = patch.apply(&before)?;
        let changed = changed_fields(&before, &v);
        if changed.is_empty() {
            return Ok(before);
        }
        self.write_audited("save the provider", |tx, now| {
            let mut args: Vec<&dyn rusqlite::ToSql> = vec![&before.id];
            let vals = values(&v);
            args.extend(vals.iter().map(|b| b.as_ref()));
            args.push(&now);
            args.push(&v.export_clearance);
            tx.execute(
                "UPDATE provider SET legal_name = ?2, countries = ?3, services = ?4, rates = ?5, contacts = ?6,
                     diligence = ?7, diligence_review_on = ?8, nda_on_file = ?9, nda_signed_on = ?10,
                     baa_on_file = ?11, baa_signed_on = ?12, transfer_mechanism_on_file = ?13,
                     transfer_mechanism_signed_on = ?14, ai_use = ?15, ai_use_detail = ?16, conflicts = ?17,
                     notes = ?18, revision = revision + 1, updated_at = ?19, export_clearance = ?20
                 WHERE id = ?1",
                args.as_slice(),
            )
            .map_err(|e| if is_unique_violation(&e) { duplicate_name(&v.legal_name) } else { crate::db::map(e, "save the provider") })?;
            let id = before.id.to_string();
            let detail = json!({ "fields": changed });
            Ok(((), Audited { action: "provider.update", entity: "provider", id, detail }))
        })?;
        self.provider(&before.id)
    }
}

/// Names of the fields an edit changes, for the audit record.
fn changed_fields(p: &Provider, v: &ValidProvider) -> Vec<&'static str> {
    let checks = [
        ("legal_name", p.legal_name == v.legal_name),
        ("countries", p.countries == v.countries),
        ("services", p.services == v.services),
        ("rates", p.rates == v.rates),
        ("contacts", p.contacts == v.contacts),
        ("diligence", p.diligence == v.diligence),
        (
            "diligence_review_on",
            p.diligence_review_on == v.diligence_review_on,
        ),
        (
            "nda",
            p.nda_on_file == v.nda.on_file && p.nda_signed_on == v.nda.signed_on,
        ),
        (
            "baa",
            p.baa_on_file == v.baa.on_file && p.baa_signed_on == v.baa.signed_on,
        ),
        (
            "transfer_mechanism",
            p.transfer_mechanism_on_file == v.transfer_mechanism.on_file
                && p.transfer_mechanism_signed_on == v.transfer_mechanism.signed_on,
        ),
        (
            "ai_use",
            p.ai_use == v.ai_use && p.ai_use_detail == v.ai_use_detail,
        ),
        ("conflicts", p.conflicts == v.conflicts),
        ("notes", p.notes == v.notes),
        ("export_clearance", p.export_clearance == v.export_clearance),
    ];
    changed_names(checks)
}
