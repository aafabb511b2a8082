//! The send guard: one pure function that decides, before anything of a matter is
//! sealed for a provider, whether it may leave the firm — Allow, Allow with
//! conditions, or Block — and says why, each reason naming the rule it comes from and
//! what would satisfy it.
//!
//! The rules are those of `../shared/reference/legal.md` (ABA Formal Opinions 08-451,
//! 477R, 512; Model Rules 1.6(c), 1.7/1.9/1.10, 5.1/5.3; GDPR Chapter V; HIPAA; export
//! control). The function reads no clock and no store: the caller passes every fact
//! in, today's date included, so the same facts always give the same decision.

use crate::ids::ConsentId;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::assignment::Assignment;
use crate::consent::{Consent, DataClass};
use crate::matter::Matter;
use crate::provider::{AiUse, Provider, ReviewState};

pub use crate::provider::REVIEW_SOON_DAYS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "GuardVerdict")]
pub enum Decision {
    Allow,
    AllowWithConditions,
    Block,
}

/// One reason for the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "GuardReason")]
pub struct Reason {
    /// Stable code: `consent.missing`, `diligence.incomplete`, …
    pub rule: String,
    /// Where the rule comes from, for the lawyer: "ABA Formal Op. 08-451".
    pub source: String,
    /// Whether this reason blocks the send (otherwise it is a condition).
    pub blocks: bool,
    /// What is wrong, in words.
    pub message: String,
    /// What would satisfy it.
    pub fix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GuardDecision {
    pub decision: Decision,
    pub reasons: Vec<Reason>,
    /// The consent the send relies on, when one covers it.
    pub consent_id: Option<ConsentId>,
}

impl GuardDecision {
    /// The reasons that block, in one paragraph for an error message: what is
    /// wrong and what would satisfy it, each.
    pub fn blocking_summary(&self) -> String {
        self.reasons
            .iter()
            .filter(|r| r.blocks)
            .map(|r| format!("{} To satisfy it: {}", r.message, r.fix))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One item about to be sealed, with what the sensitive-number scan left open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingItem {
    /// `brief`, `document`, `deadline`, `message`, …
    pub kind: String,
    /// What it is, in words ("Lease 14.pdf v2").
    pub label: String,
    /// Scan hits neither redacted nor kept by a named person.
    pub unresolved_hits: u32,
}

/// The record of the conflict check between the matter's parties and the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictClearance {
    pub checked_on: String,
    pub checked_by: String,
    /// Matches found and not yet cleared by a person.
    pub open_matches: u32,
}

/// Every fact the guard decides from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardInput<'a> {
    /// `YYYY-MM-DD`, the firm's local date.
    pub today: &'a str,
    pub matter: &'a Matter,
    pub provider: &'a Provider,
    pub assignment: &'a Assignment,
    /// The matter's consents (any provider; the guard picks this provider's).
    pub consents: &'a [Consent],
    pub items: &'a [OutgoingItem],
    pub conflict_check: Option<&'a ConflictClearance>,
    /// The provider's key fingerprints were compared and marked verified.
    pub fingerprints_verified: bool,
    /// The client's consent covers the provider's declared use of AI (ABA Op. 512).
    pub ai_use_consented: bool,
    /// For export-controlled data: the provider's clearance, or the licence or
    /// exemption number that allows the release.
    pub export_authorization: Option<&'a str>,
}

/// Where EU/UK personal data may go without a further mechanism (data, with its date).
#[derive(Deserialize)]
struct Transfers {
    as_of: String,
    eea: BTreeSet<String>,
    uk: BTreeSet<String>,
    adequate: BTreeSet<String>,
}

fn transfers() -> &'static Transfers {
    static T: OnceLock<Transfers> = OnceLock::new();
    T.get_or_init(|| {
        serde_json::from_str(include_str!("../data/eu-transfers.json"))
            .expect("data/eu-transfers.json is valid (checked by a test)")
    })
}

struct Reasons(Vec<Reason>);

impl Reasons {
    fn block(&mut self, rule: &str, source: &str, message: String, fix: &str) {
        self.push(rule, source, true, message, fix);
    }
    fn condition(&mut self, rule: &str, source: &str, message: String, fix: &str) {
        self.push(rule, source, false, message, fix);
    }
    fn push(&mut self, rule: &str, source: &str, blocks: bool, message: String, fix: &str) {
        self.0.push(Reason {
            rule: rule.into(),
            source: source.into(),
            blocks,
            message,
            fix: fix.into(),
        });
    }
}

fn join(list: &[String]) -> String {
    list.join(", ")
}

/// Decides whether `input.items` may go to `input.provider`.
pub fn send_guard(input: &GuardInput<'_>) -> GuardDecision {
    let mut r = Reasons(Vec::new());
    let (matter, provider) = (input.matter, input.provider);
    let classes: BTreeSet<DataClass> = matter.data_classes.iter().copied().collect();
    let sensitive = !classes.is_empty();

    if input.items.is_empty() {
        r.block(
            "items.none",
            "ABA Formal Op. 477R (minimum necessary)",
            "Nothing is selected to send.".into(),
            "Choose the brief, documents or deadlines the provider needs.",
        );
    }

    // Where the provider processes data, and whether the matter allows it.
    if provider.countries.is_empty() {
        r.block(
            "provider.countries_unknown",
            "ABA Formal Op. 08-451 (legal and data environment of the provider's country)",
            format!(
                "{} has no processing countries on file.",
                provider.legal_name
            ),
            "Record every country where the provider processes data (provider file).",
        );
    }
    if !matter.allowed_countries.is_empty() {
        let outside: Vec<String> = provider
            .countries
            .iter()
            .filter(|c| !matter.allowed_countries.contains(c))
            .cloned()
            .collect();
        if !outside.is_empty() {
            r.block(
                "matter.countries",
                "client or court limits on the matter",
                format!(
                    "{} processes data in {}, which this matter does not allow (allowed: {}).",
                    provider.legal_name,
                    join(&outside),
                    join(&matter.allowed_countries)
                ),
                "Choose a provider that processes only in the allowed countries, or record the client's permission on the matter.",
            );
        }
    }

    // Client consent for this matter and provider, covering classes, countries, AI.
    let theirs: Vec<&Consent> = input
        .consents
        .iter()
        .filter(|c| c.provider_id == provider.id && c.matter_id == matter.id)
        .collect();
    let covering = theirs.iter().find(|c| {
        classes.iter().all(|d| c.data_classes.contains(d))
            && provider.countries.iter().all(|k| c.countries.contains(k))
    });
    let mut consent_id = None;
    if theirs.is_empty() {
        r.block(
            "consent.missing",
            "ABA Formal Op. 08-451; Model Rule 1.6(a) (informed consent)",
            format!(
                "No client consent to sending this matter's work to {} is on file.",
                provider.legal_name
            ),
            "Record the client's informed consent for this matter and provider, with its evidence.",
        );
    } else if let Some(c) = covering {
        consent_id = Some(c.id.clone());
    } else {
        let best = theirs[0];
        let missing_classes: Vec<String> = classes
            .iter()
            .filter(|d| !best.data_classes.contains(d))
            .map(|d| d.as_str().to_owned())
            .collect();
        let missing_countries: Vec<String> = provider
            .countries
            .iter()
            .filter(|k| !best.countries.contains(k))
            .cloned()
            .collect();
        if !missing_classes.is_empty() {
            r.block(
                "consent.data_classes",
                "ABA Formal Op. 08-451 (informed consent)",
                format!(
                    "The client's consent does not cover this matter's {}.",
                    join(&missing_classes)
                ),
                "Record a consent that covers every data class the matter holds.",
            );
        }
        if !missing_countries.is_empty() {
            r.block(
                "consent.countries",
                "ABA Formal Op. 08-451 (informed consent)",
                format!(
                    "The client's consent does not cover {}, where {} processes data.",
                    join(&missing_countries),
                    provider.legal_name
                ),
                "Record a consent that names every country where the provider processes data.",
            );
        }
    }
    match provider.ai_use {
        AiUse::Declared if !input.ai_use_consented => r.block(
            "consent.ai_use",
            "ABA Formal Op. 512 (generative AI tools)",
            format!(
                "{} declared that it uses AI tools{}; the client's consent does not cover it.",
                provider.legal_name,
                provider
                    .ai_use_detail
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ),
            "Record the client's informed consent to the provider's use of AI.",
        ),
        AiUse::Undeclared => r.condition(
            "provider.ai_use_undeclared",
            "ABA Formal Op. 512 (generative AI tools)",
            format!(
                "{} has not said whether it uses AI tools.",
                provider.legal_name
            ),
            "Ask the provider and record its answer in the provider file.",
        ),
        _ => {}
    }

    // The provider's file: diligence, its re-review date, the NDA.
    // Every factor of the standard checklist, and every check the firm added, must
    // be done; the factors also need their evidence.
    let mut open: Vec<String> = crate::provider::factors_open(&provider.diligence)
        .into_iter()
        .map(|f| f.label().to_lowercase())
        .collect();
    open.extend(
        provider
            .diligence
            .iter()
            .filter(|d| d.factor.is_none() && !d.done)
            .map(|d| d.item.clone()),
    );
    if !open.is_empty() {
        r.block(
            "diligence.incomplete",
            "ABA Formal Op. 08-451; Model Rule 5.3 comment 3",
            if provider.diligence.is_empty() {
                format!("No diligence is recorded for {}.", provider.legal_name)
            } else {
                format!(
                    "Diligence on {} is not complete: {}.",
                    provider.legal_name,
                    join(&open)
                )
            },
            "Complete the diligence checklist in the provider file (Model Rule 5.3 comment 3), with what shows each factor was checked.",
        );
    }
    // One reading of the re-review date, shared with the provider file's checklist.
    let review_on = provider.diligence_review_on.as_deref().unwrap_or("");
    match ReviewState::of(provider.diligence_review_on.as_deref(), input.today) {
        ReviewState::Unset => r.block(
            "diligence.review_date",
            "ABA Formal Op. 08-451 (ongoing supervision)",
            format!("{} has no diligence re-review date.", provider.legal_name),
            "Set the date by which the provider's diligence must be reviewed again.",
        ),
        ReviewState::Due { .. } => r.block(
            "diligence.review_due",
            "ABA Formal Op. 08-451 (ongoing supervision)",
            format!("The provider's diligence was due for review on {review_on}."),
            "Review the provider's diligence and set the next re-review date.",
        ),
        ReviewState::Soon { days } => r.condition(
            "diligence.review_soon",
            "ABA Formal Op. 08-451 (ongoing supervision)",
            format!("The provider's diligence is due for review on {review_on}, in {days} days."),
            "Plan the review before that date.",
        ),
        ReviewState::Ok => {}
    }
    if !provider.nda_on_file {
        r.block(
            "provider.nda",
            "Model Rule 1.6(c); ABA Formal Op. 08-451",
            format!(
                "No confidentiality agreement with {} is on file.",
                provider.legal_name
            ),
            "Record the signed NDA in the provider file.",
        );
    }

    // Conflicts.
    match input.conflict_check {
        None => r.block(
            "conflict.unchecked",
            "Model Rules 1.7, 1.9, 1.10; NYC Bar Op. 2006-3",
            "The matter's parties have not been checked against the provider's declared conflicts."
                .into(),
            "Run the conflict check for this matter and provider and record it.",
        ),
        Some(c) if c.open_matches > 0 => r.block(
            "conflict.open",
            "Model Rules 1.7, 1.9, 1.10; NYC Bar Op. 2006-3",
            format!(
                "The conflict check found {} match(es) nobody has cleared.",
                c.open_matches
            ),
            "Review each match and clear it (or do not send).",
        ),
        Some(_) => {}
    }

    // Data classes.
    if classes.contains(&DataClass::HealthInformation) {
        if provider.baa_on_file {
            r.condition(
                "data.health_minimum",
                "HIPAA (minimum necessary)",
                "The matter holds health information.".into(),
                "Send only what the work needs; redact what it does not.",
            );
        } else {
            r.block(
                "data.health_baa",
                "HIPAA (business associate agreement)",
                format!(
                    "The matter holds health information and no BAA with {} is on file.",
                    provider.legal_name
                ),
                "Record the signed business associate agreement in the provider file.",
            );
        }
    }
    if classes.contains(&DataClass::EuUkPersonalData) {
        let t = transfers();
        let outside: Vec<String> = provider
            .countries
            .iter()
            .filter(|c| !t.eea.contains(*c) && !t.uk.contains(*c) && !t.adequate.contains(*c))
            .cloned()
            .collect();
        if !outside.is_empty() && !provider.transfer_mechanism_on_file {
            r.block(
                "data.eu_transfer",
                "GDPR Chapter V (transfers outside the EEA/UK)",
                format!(
                    "The matter holds EU/UK personal data and {} processes it in {}, which has no EU adequacy decision (list as of {}).",
                    provider.legal_name,
                    join(&outside),
                    t.as_of
                ),
                "Record the transfer mechanism (standard contractual clauses, UK IDTA, or DPF certification) in the provider file.",
            );
        }
    }
    if classes.contains(&DataClass::ExportControlled)
        && input
            .export_authorization
            .is_none_or(|a| a.trim().is_empty())
    {
        r.block(
            "data.export_controlled",
            "ITAR / EAR (release to foreign persons)",
            format!(
                "The matter is export-controlled and {} is not recorded as cleared.",
                provider.legal_name
            ),
            "Record the provider's clearance, or the licence or exemption number that allows the release.",
        );
    }
    if classes.contains(&DataClass::ProtectiveOrder) {
        r.condition(
            "data.protective_order",
            "protective order on the matter",
            "The matter is under a protective order.".into(),
            "Confirm the order allows this provider to see what is selected.",
        );
    }

    // Supervision and keys.
    if matter
        .supervising_attorney
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        r.block(
            "matter.supervisor",
            "Model Rules 5.1, 5.3",
            "No supervising attorney is named on the matter.".into(),
            "Name the attorney who supervises work sent out on this matter.",
        );
    }
    if sensitive && !input.fingerprints_verified {
        r.block(
            "keys.unverified",
            "Model Rule 1.6(c); ABA Formal Op. 477R",
            "The matter holds sensitive data and the provider's key fingerprints have not been verified.".into(),
            "Compare fingerprints with the provider by phone, then mark them verified.",
        );
    }

    // The sensitive-number scan.
    let open: Vec<String> = input
        .items
        .iter()
        .filter(|i| i.unresolved_hits > 0)
        .map(|i| format!("{} ({})", i.label, i.unresolved_hits))
        .collect();
    if !open.is_empty() {
        r.block(
            "scan.unresolved",
            "Model Rule 1.6(c) (reasonable efforts)",
            format!(
                "Sensitive numbers found and not yet dealt with in: {}.",
                join(&open)
            ),
            "Redact each hit, or have a named person keep it on purpose.",
        );
    }
    if input.assignment.status.is_final() {
        r.block(
            "assignment.closed",
            "the work order's state",
            format!(
                "The work order is {}: nothing more goes with it.",
                input.assignment.status.as_str()
            ),
            "Open a new work order for further work.",
        );
    }

    let decision = if r.0.iter().any(|x| x.blocks) {
        Decision::Block
    } else if r.0.is_empty() {
        Decision::Allow
    } else {
        Decision::AllowWithConditions
    };
    GuardDecision {
        decision,
        reasons: r.0,
        consent_id: if decision == Decision::Block {
            None
        } else {
            consent_id
        },
    }
}

#[cfg(test)]
mod tests;
