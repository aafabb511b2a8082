//! The client disclosure report: a matter's ledger gathered for a lawyer to hand to
//! the client ("what of mine did you share, with whom, when, under which consent"),
//! drawn as a PDF by `mandate-report`, and written like every plaintext file Mandate
//! writes at a person's request: through a private temporary file, with its audit
//! record before it takes its name.

use std::collections::BTreeMap;
use std::path::Path;

use mandate_core::consent::Consent;
use mandate_core::document::{DisclosureDecision, DisclosureFilter};
use mandate_core::{ConsentFilter, Error, Result};
use mandate_report::{Decision, DisclosureReport, Entry, ProviderSection};
use rusqlite::OptionalExtension;
use serde_json::json;

use crate::Store;
use crate::db::Ctx;

/// A report goes to a `….pdf` file in an existing folder.
pub fn check_report_file(path: &Path, existing: crate::Existing) -> Result<()> {
    if !crate::outputs::has_extension(path, "pdf") {
        return Err(Error::invalid(
            "path",
            "Save the report as a file ending in .pdf.",
        ));
    }
    crate::outputs::check_file(path, existing, "report")
}

/// A ledger export goes to a `….csv` file in an existing folder.
pub fn check_ledger_file(path: &Path, existing: crate::Existing) -> Result<()> {
    if !crate::outputs::has_extension(path, "csv") {
        return Err(Error::invalid(
            "path",
            "Save the ledger as a file ending in .csv.",
        ));
    }
    crate::outputs::check_file(path, existing, "ledger")
}

/// A consent in one line, as the client would recognise it.
pub fn consent_description(c: &Consent) -> String {
    let classes = if c.data_classes.is_empty() {
        "no sensitive data class".to_owned()
    } else {
        c.data_classes
            .iter()
            .map(|d| d.as_str().replace('_', " "))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let countries = if c.countries.is_empty() {
        "any".to_owned()
    } else {
        c.countries.join(", ")
    };
    format!(
        "Given {}: {}. Covers: {classes}; countries: {countries}; AI use: {}. Evidence: {}.",
        c.given_on,
        c.scope.trim_end_matches('.'),
        if c.covers_ai_use { "yes" } else { "no" },
        c.evidence.trim_end_matches('.')
    )
}

/// "2026-12-01 23:52 UTC" from the ledger's RFC 3339 time (as stored, if it is not one).
fn readable_time(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| at.to_owned())
}

impl Store {
    /// The disclosure report of one matter, prepared on `today` by the person at this
    /// desk (or this device's name when no one is chosen).
    pub fn disclosure_report(&self, matter_id: &str, today: &str) -> Result<DisclosureReport> {
        let matter = self.matter(matter_id)?;
        let filter = DisclosureFilter {
            matter_id: Some(matter.id.clone()),
            provider_id: None,
        };
        let firm: Option<String> = self
            .conn
            .query_row("SELECT name FROM device_identity WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .ctx("read this device's name")?;
        let consents = self.list_consents(&ConsentFilter {
            matter_id: Some(matter.id.clone()),
            ..Default::default()
        })?;
        let described: BTreeMap<&str, String> = consents
            .iter()
            .map(|c| (c.id.as_str(), consent_description(c)))
            .collect();
        // The ledger's rows in words, beside the raw disclosures for their ids: read
        // once, in the same order.
        let raw = self.list_disclosures(&filter)?;
        let rows = self.ledger_rows(raw.clone())?;
        let mut sections: Vec<ProviderSection> = Vec::new();
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        for (d, row) in raw.iter().zip(rows) {
            let at = match index.get(d.provider_id.as_str()) {
                Some(i) => *i,
                None => {
                    let p = self.provider(&d.provider_id)?;
                    sections.push(ProviderSection {
                        name: p.legal_name,
                        countries: p.countries,
                        entries: Vec::new(),
                    });
                    index.insert(d.provider_id.to_string(), sections.len() - 1);
                    sections.len() - 1
                }
            };
            let decision = match row.decision {
                DisclosureDecision::Allow => Decision::Sent,
                DisclosureDecision::AllowWithConditions => Decision::SentWithConditions {
                    conditions: row.reasons.clone(),
                },
                DisclosureDecision::Block => Decision::Stopped {
                    reasons: row.reasons.clone(),
                },
                DisclosureDecision::Override => Decision::Overridden {
                    by: row.decided_by.clone(),
                    reason: row.override_reason.clone().unwrap_or_default(),
                    guard_reasons: row.reasons.clone(),
                },
            };
            sections[at].entries.push(Entry {
                at: readable_time(&row.decided_at),
                items: row.items.clone(),
                decision,
                consent: row.consent_id.as_deref().map(|id| {
                    described
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| format!("consent {id} (no longer on file)"))
                }),
                approved_by: row.decided_by.clone(),
                recipients: row.recipients.clone(),
            });
        }
        let prepared_by = match self.desk_person()? {
            Some(p) => p.name,
            None => self.actor.clone(),
        };
        Ok(DisclosureReport {
            firm: firm.unwrap_or_default(),
            matter_number: matter.number,
            matter_title: matter.title,
            client: matter.client_name,
            prepared_on: today.to_owned(),
            prepared_by,
            providers: sections,
            consents: consents.iter().map(consent_description).collect(),
        })
    }

    /// Writes the matter's disclosure report as a PDF to `path`, recorded in the
    /// audit chain. Returns the number of ledger entries it holds.
    pub fn write_disclosure_report_to(
        &mut self,
        path: &Path,
        existing: crate::Existing,
        matter_id: &str,
        today: &str,
    ) -> Result<usize> {
        check_report_file(path, existing)?;
        let report = self.disclosure_report(matter_id, today)?;
        let entries: usize = report.providers.iter().map(|p| p.entries.len()).sum();
        let pdf = mandate_report::render_pdf(&report);
        // The report found the matter, so the id is the one given.
        let matter = matter_id.to_owned();
        crate::export::write_file_recorded(path, &pdf, || {
            self.record_outside_write(
                "disclosure.report",
                "matter",
                &matter,
                &json!({ "entries": entries }),
            )
        })?;
        Ok(entries)
    }

    /// Writes the ledger (for a matter, a provider or the whole firm) as CSV to
    /// `path`, recorded in the audit chain. Returns the number of rows.
    pub fn write_ledger_csv_to(
        &mut self,
        path: &Path,
        existing: crate::Existing,
        filter: &DisclosureFilter,
    ) -> Result<usize> {
        check_ledger_file(path, existing)?;
        let ledger = self.ledger(filter)?;
        let rows = ledger.len();
        let csv = crate::documents::ledger_csv_of(ledger)?;
        let mut detail = json!({ "rows": rows });
        if let Some(m) = &filter.matter_id {
            detail["matter_id"] = json!(m);
        }
        if let Some(p) = &filter.provider_id {
            detail["provider_id"] = json!(p);
        }
        let store_id = self.store_id.clone();
        crate::export::write_file_recorded(path, &csv, || {
            self.record_outside_write("disclosure.export_csv", "store", &store_id, &detail)
        })?;
        Ok(rows)
    }
}
