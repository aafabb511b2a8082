//! Providers: the outside firms (LPOs, reviewers, translators) work is sent to,
//! with what the send guard will need to know about them: where they process
//! data, what diligence was done and when it must be redone, which agreements
//! are on file, whether they use AI, and whom they declare they act against.
//!
//! A provider record is the firm's own view of the provider (owning side: firm);
//! the provider never edits it.

use crate::ids::ProviderId;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates::format_date;
use crate::error::{Error, Result};
use crate::fields::{
    LONG_TEXT_MAX, amount, clean_long, countries, currency, list_len, optional, optional_date,
    required, text_list,
};
use crate::fields::{SHORT_TEXT_MAX, TEXT_MAX};

/// An hourly rate for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rate {
    pub service: String,
    /// In the currency's minor units, as ISO 4217 counts them: cents for USD, yen
    /// for JPY (which has none smaller), fils for BHD (a thousandth). Shown through
    /// [`crate::Money`]. Files written before the rename say `cents_per_hour`.
    #[ts(type = "number")]
    #[serde(alias = "cents_per_hour")]
    pub minor_per_hour: i64,
    /// ISO 4217, e.g. `USD`.
    pub currency: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub role: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
}

/// One line of the diligence checklist ("ISO 27001 certificate", "background
/// checks on reviewers"), whether it is satisfied and what shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DiligenceItem {
    pub item: String,
    #[serde(default)]
    pub done: bool,
    /// Where the proof is: "certificate 2026-01, in DMS folder Vendors/Acme".
    #[serde(default)]
    #[ts(optional)]
    pub evidence: Option<String>,
    /// The factor of the standard checklist this line answers; `None` for a check
    /// the firm added itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub factor: Option<DiligenceFactor>,
}

/// The factors a lawyer must weigh before trusting an outside provider with client
/// work: Model Rule 5.3 comment 3 (education, experience and reputation; the nature
/// of the services; the confidentiality arrangements; the legal and ethical
/// environment of where the work is done), and the checks ABA Formal Opinion 08-451
/// adds (references, background checks, security of premises and systems). Every
/// one must be checked, with its evidence, before the send guard lets work go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DiligenceFactor {
    Education,
    Experience,
    Reputation,
    Services,
    Confidentiality,
    Jurisdiction,
    Security,
}

impl DiligenceFactor {
    pub const ALL: [DiligenceFactor; 7] = [
        Self::Education,
        Self::Experience,
        Self::Reputation,
        Self::Services,
        Self::Confidentiality,
        Self::Jurisdiction,
        Self::Security,
    ];

    /// The key used by the CLI (`--factor education: ...`) and in the stored JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::Education => "education",
            Self::Experience => "experience",
            Self::Reputation => "reputation",
            Self::Services => "services",
            Self::Confidentiality => "confidentiality",
            Self::Jurisdiction => "jurisdiction",
            Self::Security => "security",
        }
    }

    /// The line of the checklist, as the lawyer reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Education => "Education and qualifications of the people doing the work",
            Self::Experience => "Experience with this kind of work",
            Self::Reputation => "Reputation and references",
            Self::Services => "The nature of the services",
            Self::Confidentiality => "Confidentiality terms that protect client information",
            Self::Jurisdiction => {
                "Legal and ethical environment where the work is done, above all for confidentiality"
            }
            Self::Security => "Background checks of staff; security of premises and systems",
        }
    }

    /// Where the factor comes from.
    pub fn source(self) -> &'static str {
        match self {
            Self::Security => "ABA Formal Op. 08-451; Formal Op. 477R",
            Self::Reputation => "Model Rule 5.3 comment 3; ABA Formal Op. 08-451",
            _ => "Model Rule 5.3 comment 3",
        }
    }

    /// What would show it was checked.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Education => "e.g. CVs or bar/degree records of the reviewers",
            Self::Experience => "e.g. similar matters handled, years in this work",
            Self::Reputation => "e.g. two references called on 2026-10-02",
            Self::Services => "e.g. statement of work read; who does what",
            Self::Confidentiality => "e.g. NDA clause 4; staff confidentiality undertakings",
            Self::Jurisdiction => "e.g. local counsel memo on privilege and data law",
            Self::Security => "e.g. ISO 27001 certificate; background-check policy",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let key = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .ok_or_else(|| {
                Error::invalid(
                    "diligence",
                    format!(
                        "Unknown diligence factor \"{}\": use one of {}.",
                        s.trim(),
                        Self::ALL.map(|f| f.key()).join(", ")
                    ),
                )
            })
    }
}

/// Whether `factor` is checked in the checklist, with its evidence.
fn factor_checked(diligence: &[DiligenceItem], factor: DiligenceFactor) -> bool {
    diligence
        .iter()
        .any(|d| d.factor == Some(factor) && d.done && d.evidence.is_some())
}

/// The standard factors not yet checked (with evidence) in a provider's checklist,
/// in checklist order.
pub fn factors_open(diligence: &[DiligenceItem]) -> Vec<DiligenceFactor> {
    DiligenceFactor::ALL
        .into_iter()
        .filter(|f| !factor_checked(diligence, *f))
        .collect()
}

/// One factor of the checklist as the provider file shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FactorLine {
    pub factor: DiligenceFactor,
    pub label: String,
    pub source: String,
    pub hint: String,
    /// Checked, with evidence.
    pub done: bool,
    pub evidence: Option<String>,
}

/// Where the provider's diligence re-review stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReviewState {
    /// No re-review date is set: the send guard blocks.
    Unset,
    /// The date has passed (`days` ago): the send guard blocks.
    Due {
        days: i64,
    },
    /// Due within [`REVIEW_SOON_DAYS`] days (`days` from today, 0 = today).
    Soon {
        days: i64,
    },
    Ok,
}

/// How far ahead a coming re-review is announced (and the guard adds a condition).
pub const REVIEW_SOON_DAYS: i64 = 30;

impl ReviewState {
    /// `review_on` (`YYYY-MM-DD`) seen from `today`.
    pub fn of(review_on: Option<&str>, today: &str) -> ReviewState {
        let parse = |d: &str| crate::dates::parse_ymd(d.trim());
        match (review_on.and_then(parse), parse(today)) {
            (None, _) | (_, None) => ReviewState::Unset,
            (Some(on), Some(today)) => {
                let days = crate::dates::days_between(today, on);
                if days < 0 {
                    ReviewState::Due { days: -days }
                } else if days <= REVIEW_SOON_DAYS {
                    ReviewState::Soon { days }
                } else {
                    ReviewState::Ok
                }
            }
        }
    }
}

/// The provider's diligence as its file shows it: the standard factors (checked or
/// open), the firm's own checks, and the re-review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DiligenceStatus {
    pub factors: Vec<FactorLine>,
    /// Checks the firm added beyond the standard factors.
    pub others: Vec<DiligenceItem>,
    /// Factors and own checks still open.
    pub open: usize,
    pub review_on: Option<String>,
    pub review: ReviewState,
}

impl DiligenceStatus {
    pub fn of(provider: &Provider, today: &str) -> DiligenceStatus {
        let factors: Vec<FactorLine> = DiligenceFactor::ALL
            .into_iter()
            .map(|f| {
                let held = provider.diligence.iter().find(|d| d.factor == Some(f));
                FactorLine {
                    factor: f,
                    label: f.label().to_owned(),
                    source: f.source().to_owned(),
                    hint: f.hint().to_owned(),
                    done: factor_checked(&provider.diligence, f),
                    evidence: held.and_then(|d| d.evidence.clone()),
                }
            })
            .collect();
        let others: Vec<DiligenceItem> = provider
            .diligence
            .iter()
            .filter(|d| d.factor.is_none())
            .cloned()
            .collect();
        let open =
            factors.iter().filter(|f| !f.done).count() + others.iter().filter(|d| !d.done).count();
        DiligenceStatus {
            factors,
            others,
            open,
            review_on: provider.diligence_review_on.clone(),
            review: ReviewState::of(provider.diligence_review_on.as_deref(), today),
        }
    }
}

/// A provider whose diligence re-review is due or coming: the re-review reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewReminder {
    pub provider_id: ProviderId,
    pub legal_name: String,
    pub review_on: String,
    pub review: ReviewState,
}

/// A checklist with every standard factor checked, each with `evidence`: what a
/// provider file ready for work holds (tests and the benchmark build it).
pub fn all_factors_checked(evidence: &str) -> Vec<DiligenceItem> {
    DiligenceFactor::ALL
        .into_iter()
        .map(|f| DiligenceItem {
            item: f.label().to_owned(),
            done: true,
            evidence: Some(evidence.to_owned()),
            factor: Some(f),
        })
        .collect()
}

/// What the provider has said about its use of AI tools on client work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AiUse {
    /// Not asked yet, or no answer.
    #[default]
    Undeclared,
    /// Declared that it uses none.
    None,
    /// Declared that it uses AI; `ai_use_detail` says which and how.
    Declared,
}

impl AiUse {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Undeclared => "undeclared",
            Self::None => "none",
            Self::Declared => "declared",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "undeclared" => Ok(Self::Undeclared),
            "none" => Ok(Self::None),
            "declared" => Ok(Self::Declared),
            other => Err(Error::invalid(
                "ai_use",
                format!("Unknown AI use \"{other}\": use undeclared, none or declared."),
            )),
        }
    }
}

/// A provider as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Provider {
    /// Stable id (UUID v7).
    pub id: ProviderId,
    /// Unique in a store (ignoring case).
    pub legal_name: String,
    /// ISO 3166-1 alpha-2 codes of every country where it processes data, sorted.
    pub countries: Vec<String>,
    pub services: Vec<String>,
    pub rates: Vec<Rate>,
    pub contacts: Vec<Contact>,
    pub diligence: Vec<DiligenceItem>,
    /// When diligence must be reviewed again, `YYYY-MM-DD`.
    pub diligence_review_on: Option<String>,
    pub nda_on_file: bool,
    /// The day the NDA was signed; present exactly when it is on file.
    pub nda_signed_on: Option<String>,
    pub baa_on_file: bool,
    pub baa_signed_on: Option<String>,
    /// A cross-border transfer mechanism (SCCs, UK IDTA, ...) is on file.
    pub transfer_mechanism_on_file: bool,
    pub transfer_mechanism_signed_on: Option<String>,
    pub ai_use: AiUse,
    pub ai_use_detail: Option<String>,
    /// Names the provider declares it works for or against (for the conflict check).
    pub conflicts: Vec<String>,
    pub notes: Option<String>,
    /// For export-controlled matters: the provider's clearance, or the licence or
    /// exemption number that allows the release (ITAR / EAR).
    #[serde(default)]
    pub export_clearance: Option<String>,
    #[ts(type = "number")]
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// What a person fills in to record a provider. Only the legal name is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderDraft {
    pub legal_name: String,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub countries: Vec<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub services: Vec<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<Rate>>")]
    pub rates: Vec<Rate>,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<Contact>>")]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<DiligenceItem>>")]
    pub diligence: Vec<DiligenceItem>,
    #[serde(default)]
    #[ts(optional)]
    pub diligence_review_on: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<bool>")]
    pub nda_on_file: bool,
    #[serde(default)]
    #[ts(optional)]
    pub nda_signed_on: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<bool>")]
    pub baa_on_file: bool,
    #[serde(default)]
    #[ts(optional)]
    pub baa_signed_on: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<bool>")]
    pub transfer_mechanism_on_file: bool,
    #[serde(default)]
    #[ts(optional)]
    pub transfer_mechanism_signed_on: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<AiUse>")]
    pub ai_use: AiUse,
    #[serde(default)]
    #[ts(optional)]
    pub ai_use_detail: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub conflicts: Vec<String>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub export_clearance: Option<String>,
}

/// A change to a provider: only the fields present change; a list replaces the
/// whole list; an optional text or date set to `null` is cleared (a blank text,
/// which holds nothing, is read as cleared too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderPatch {
    #[serde(default)]
    #[ts(optional)]
    pub legal_name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub countries: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub services: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub rates: Option<Vec<Rate>>,
    #[serde(default)]
    #[ts(optional)]
    pub contacts: Option<Vec<Contact>>,
    #[serde(default)]
    #[ts(optional)]
    pub diligence: Option<Vec<DiligenceItem>>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub diligence_review_on: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub nda_on_file: Option<bool>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub nda_signed_on: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub baa_on_file: Option<bool>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub baa_signed_on: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub transfer_mechanism_on_file: Option<bool>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub transfer_mechanism_signed_on: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub ai_use: Option<AiUse>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub ai_use_detail: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub conflicts: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub export_clearance: Option<Option<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderFilter {
    /// Free text matched against legal name, services and notes.
    #[serde(default)]
    #[ts(optional)]
    pub query: Option<String>,
    /// Only providers that process data in this country (ISO alpha-2).
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderPage {
    pub items: Vec<Provider>,
    #[ts(type = "number")]
    pub total: u64,
}

/// A provider that passed validation; dates are formatted `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProvider {
    pub legal_name: String,
    pub countries: Vec<String>,
    pub services: Vec<String>,
    pub rates: Vec<Rate>,
    pub contacts: Vec<Contact>,
    pub diligence: Vec<DiligenceItem>,
    pub diligence_review_on: Option<String>,
    pub nda: Agreement,
    pub baa: Agreement,
    pub transfer_mechanism: Agreement,
    pub ai_use: AiUse,
    pub ai_use_detail: Option<String>,
    pub conflicts: Vec<String>,
    pub notes: Option<String>,
    pub export_clearance: Option<String>,
}

/// An agreement on file and the day it was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub on_file: bool,
    pub signed_on: Option<String>,
}

impl ProviderDraft {
    pub fn validate(&self) -> Result<ValidProvider> {
        let services = text_list("services", &self.services, SHORT_TEXT_MAX)?;
        list_len("rates", self.rates.len())?;
        let rates = self
            .rates
            .iter()
            .map(|r| {
                Ok(Rate {
                    service: required(
                        "rates",
                        "the service each rate is for",
                        &r.service,
                        SHORT_TEXT_MAX,
                    )?,
                    minor_per_hour: amount("rates", r.minor_per_hour)?,
                    currency: currency("rates", &r.currency)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        for (i, r) in rates.iter().enumerate() {
            if rates[..i].iter().any(|o| {
                o.service.to_lowercase() == r.service.to_lowercase() && o.currency == r.currency
            }) {
                return Err(Error::invalid(
                    "rates",
                    format!(
                        "There are two {} rates for \"{}\"; keep one.",
                        r.currency, r.service
                    ),
                ));
            }
        }
        list_len("contacts", self.contacts.len())?;
        let contacts = self
            .contacts
            .iter()
            .map(|c| {
                let email = optional("contacts", c.email.as_deref(), SHORT_TEXT_MAX)?;
                if let Some(e) = email.as_deref().filter(|e| !looks_like_email(e)) {
                    return Err(Error::invalid(
                        "contacts",
                        format!("\"{e}\" is not an email address: write it as name@example.com."),
                    ));
                }
                Ok(Contact {
                    name: required("contacts", "each contact's name", &c.name, TEXT_MAX)?,
                    role: optional("contacts", c.role.as_deref(), SHORT_TEXT_MAX)?,
                    email,
                    phone: optional("contacts", c.phone.as_deref(), 40)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        list_len("diligence", self.diligence.len())?;
        let mut factors_seen = std::collections::BTreeSet::new();
        let diligence = self
            .diligence
            .iter()
            .map(|d| {
                let evidence = optional("diligence", d.evidence.as_deref(), TEXT_MAX)?;
                if let Some(f) = d.factor {
                    if !factors_seen.insert(f) {
                        return Err(Error::invalid(
                            "diligence",
                            format!("\"{}\" is in the checklist twice: keep one.", f.label()),
                        ));
                    }
                    if d.done && evidence.is_none() {
                        return Err(Error::invalid(
                            "diligence",
                            format!(
                                "Say what shows \"{}\" was checked ({}), or leave it unchecked.",
                                f.label(),
                                f.hint()
                            ),
                        ));
                    }
                }
                // A standard factor keeps its standard wording, so every checklist
                // reads the same and a report can be compared across providers.
                let item = match d.factor {
                    Some(f) => f.label().to_owned(),
                    None => required(
                        "diligence",
                        "what each diligence item checks",
                        &d.item,
                        TEXT_MAX,
                    )?,
                };
                Ok(DiligenceItem {
                    item,
                    done: d.done,
                    evidence,
                    factor: d.factor,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let ai_use_detail = clean_long(
            "ai_use_detail",
            self.ai_use_detail.as_deref().unwrap_or(""),
            LONG_TEXT_MAX,
        )?;
        if self.ai_use == AiUse::Declared && ai_use_detail.is_none() {
            return Err(Error::invalid(
                "ai_use_detail",
                "Describe the AI the provider declared it uses (which tools, for what), or set AI use to none or undeclared.",
            ));
        }
        Ok(ValidProvider {
            legal_name: required(
                "legal_name",
                "the provider's legal name",
                &self.legal_name,
                TEXT_MAX,
            )?,
            countries: countries("countries", &self.countries)?,
            services,
            rates,
            contacts,
            diligence,
            diligence_review_on: optional_date(
                "diligence_review_on",
                self.diligence_review_on.as_deref(),
            )?
            .map(format_date),
            nda: agreement(
                "nda",
                "NDA",
                self.nda_on_file,
                self.nda_signed_on.as_deref(),
            )?,
            baa: agreement(
                "baa",
                "BAA",
                self.baa_on_file,
                self.baa_signed_on.as_deref(),
            )?,
            transfer_mechanism: agreement(
                "transfer_mechanism",
                "transfer mechanism",
                self.transfer_mechanism_on_file,
                self.transfer_mechanism_signed_on.as_deref(),
            )?,
            ai_use: self.ai_use,
            ai_use_detail,
            conflicts: text_list("conflicts", &self.conflicts, TEXT_MAX)?,
            notes: clean_long("notes", self.notes.as_deref().unwrap_or(""), LONG_TEXT_MAX)?,
            export_clearance: clean_long(
                "export_clearance",
                self.export_clearance.as_deref().unwrap_or(""),
                TEXT_MAX,
            )?,
        })
    }
}

/// On file needs the signing date (the send guard judges how old it is); a date
/// without "on file" is a contradiction.
fn agreement(
    prefix: &str,
    what: &str,
    on_file: bool,
    signed_on: Option<&str>,
) -> Result<Agreement> {
    let field = format!("{prefix}_signed_on");
    let date: Option<Date> = optional_date(&field, signed_on)?;
    match (on_file, date) {
        (true, None) => Err(Error::invalid(
            &field,
            format!("Enter the date the {what} was signed, or mark it as not on file."),
        )),
        (false, Some(_)) => Err(Error::invalid(
            &format!("{prefix}_on_file"),
            format!(
                "A signing date is given but the {what} is not marked on file: mark it on file or remove the date."
            ),
        )),
        (on_file, date) => Ok(Agreement {
            on_file,
            signed_on: date.map(format_date),
        }),
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

impl ProviderPatch {
    /// Applies the patch to `p` and validates the result as a whole.
    pub fn apply(&self, p: &Provider) -> Result<ValidProvider> {
        fn pick<T: Clone>(new: &Option<T>, old: &T) -> T {
            new.clone().unwrap_or_else(|| old.clone())
        }
        let pick_opt = crate::fields::patched::<String>;
        ProviderDraft {
            legal_name: pick(&self.legal_name, &p.legal_name),
            countries: pick(&self.countries, &p.countries),
            services: pick(&self.services, &p.services),
            rates: pick(&self.rates, &p.rates),
            contacts: pick(&self.contacts, &p.contacts),
            diligence: pick(&self.diligence, &p.diligence),
            diligence_review_on: pick_opt(&self.diligence_review_on, &p.diligence_review_on),
            nda_on_file: self.nda_on_file.unwrap_or(p.nda_on_file),
            nda_signed_on: pick_opt(&self.nda_signed_on, &p.nda_signed_on),
            baa_on_file: self.baa_on_file.unwrap_or(p.baa_on_file),
            baa_signed_on: pick_opt(&self.baa_signed_on, &p.baa_signed_on),
            transfer_mechanism_on_file: self
                .transfer_mechanism_on_file
                .unwrap_or(p.transfer_mechanism_on_file),
            transfer_mechanism_signed_on: pick_opt(
                &self.transfer_mechanism_signed_on,
                &p.transfer_mechanism_signed_on,
            ),
            ai_use: self.ai_use.unwrap_or(p.ai_use),
            ai_use_detail: pick_opt(&self.ai_use_detail, &p.ai_use_detail),
            conflicts: pick(&self.conflicts, &p.conflicts),
            notes: pick_opt(&self.notes, &p.notes),
            export_clearance: pick_opt(&self.export_clearance, &p.export_clearance),
        }
        .validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft() -> ProviderDraft {
        ProviderDraft {
            legal_name: " Lex Review Pvt Ltd ".into(),
            countries: vec!["in".into(), "GB".into()],
            services: vec!["Document review".into()],
            rates: vec![Rate {
                service: "Document review".into(),
                minor_per_hour: 4500,
                currency: "usd".into(),
            }],
            contacts: vec![Contact {
                name: "Priya".into(),
                email: Some("priya@lexreview.in".into()),
                ..Default::default()
            }],
            diligence: vec![DiligenceItem {
                item: "ISO 27001".into(),
                done: true,
                evidence: Some("certificate in DMS".into()),
                factor: None,
            }],
            diligence_review_on: Some("2027-01-31".into()),
            nda_on_file: true,
            nda_signed_on: Some("2026-01-05".into()),
            ..Default::default()
        }
    }

    /// A provider file written before the field was renamed still reads.
    #[test]
    fn a_rate_written_as_cents_per_hour_still_reads() {
        let r: Rate = serde_json::from_str(
            r#"{"service": "Review", "cents_per_hour": 4500, "currency": "USD"}"#,
        )
        .unwrap();
        assert_eq!(r.minor_per_hour, 4500);
        let written = serde_json::to_value(&r).unwrap();
        assert_eq!(written["minor_per_hour"], 4500);
        assert!(written.get("cents_per_hour").is_none());
    }

    #[test]
    fn normalises_what_it_keeps() {
        let v = draft().validate().unwrap();
        assert_eq!(v.legal_name, "Lex Review Pvt Ltd");
        assert_eq!(v.countries, ["GB", "IN"]);
        assert_eq!(v.rates[0].currency, "USD");
        assert_eq!(v.nda.signed_on.as_deref(), Some("2026-01-05"));
        assert!(!v.baa.on_file);
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let cases: Vec<(ProviderDraft, &str)> = vec![
            (
                ProviderDraft {
                    legal_name: "".into(),
                    ..draft()
                },
                "legal_name",
            ),
            (
                ProviderDraft {
                    countries: vec!["XX".into()],
                    ..draft()
                },
                "countries",
            ),
            (
                ProviderDraft {
                    countries: vec!["India".into()],
                    ..draft()
                },
                "countries",
            ),
            (
                ProviderDraft {
                    services: vec!["s".repeat(SHORT_TEXT_MAX + 1)],
                    ..draft()
                },
                "services",
            ),
            (
                ProviderDraft {
                    rates: vec![Rate {
                        service: "x".into(),
                        minor_per_hour: -1,
                        currency: "USD".into(),
                    }],
                    ..draft()
                },
                "rates",
            ),
            (
                ProviderDraft {
                    rates: vec![Rate {
                        service: "x".into(),
                        minor_per_hour: 1,
                        currency: "DOL".into(),
                    }],
                    ..draft()
                },
                "rates",
            ),
            (
                ProviderDraft {
                    rates: [draft().rates, draft().rates].concat(),
                    ..draft()
                },
                "rates",
            ),
            (
                ProviderDraft {
                    contacts: vec![Contact {
                        name: "A".into(),
                        email: Some("nope".into()),
                        ..Default::default()
                    }],
                    ..draft()
                },
                "contacts",
            ),
            (
                ProviderDraft {
                    diligence_review_on: Some("2027-02-30".into()),
                    ..draft()
                },
                "diligence_review_on",
            ),
            (
                ProviderDraft {
                    nda_signed_on: None,
                    ..draft()
                },
                "nda_signed_on",
            ),
            (
                ProviderDraft {
                    baa_signed_on: Some("2026-01-01".into()),
                    ..draft()
                },
                "baa_on_file",
            ),
            (
                ProviderDraft {
                    ai_use: AiUse::Declared,
                    ..draft()
                },
                "ai_use_detail",
            ),
            (
                ProviderDraft {
                    notes: Some("n".repeat(LONG_TEXT_MAX + 1)),
                    ..draft()
                },
                "notes",
            ),
            (
                ProviderDraft {
                    conflicts: vec!["Acme".into(), "ACME".into()],
                    ..draft()
                },
                "conflicts",
            ),
        ];
        for (d, field) in cases {
            let e = d.validate().unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
    }

    #[test]
    fn notes_keep_line_breaks() {
        let v = ProviderDraft {
            notes: Some("line one\nline two".into()),
            ..draft()
        }
        .validate()
        .unwrap();
        assert_eq!(v.notes.as_deref(), Some("line one\nline two"));
    }

    proptest! {
        /// Whatever country codes are typed, validation refuses them with the
        /// field named or keeps a sorted list of distinct real codes.
        #[test]
        fn countries_are_refused_or_normalised(cs in proptest::collection::vec("[a-zA-Z ]{0,3}", 0..6)) {
            match (ProviderDraft { countries: cs, ..draft() }).validate() {
                Err(e) => prop_assert_eq!(e.field.as_deref(), Some("countries")),
                Ok(v) => {
                    let mut sorted = v.countries.clone();
                    sorted.sort();
                    sorted.dedup();
                    prop_assert_eq!(&sorted, &v.countries);
                    prop_assert!(v.countries.iter().all(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase())));
                }
            }
        }
    }

    fn provider_from(d: ProviderDraft) -> Provider {
        let v = d.validate().unwrap();
        Provider {
            id: "p".into(),
            legal_name: v.legal_name,
            countries: v.countries,
            services: v.services,
            rates: v.rates,
            contacts: v.contacts,
            diligence: v.diligence,
            diligence_review_on: v.diligence_review_on,
            nda_on_file: v.nda.on_file,
            nda_signed_on: v.nda.signed_on,
            baa_on_file: v.baa.on_file,
            baa_signed_on: v.baa.signed_on,
            transfer_mechanism_on_file: v.transfer_mechanism.on_file,
            transfer_mechanism_signed_on: v.transfer_mechanism.signed_on,
            ai_use: v.ai_use,
            ai_use_detail: v.ai_use_detail,
            conflicts: v.conflicts,
            notes: v.notes,
            export_clearance: v.export_clearance,
            revision: 1,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_factor_is_held_once_keeps_its_wording_and_needs_evidence_when_checked() {
        let mut d = draft();
        d.diligence = vec![DiligenceItem {
            item: "whatever was typed".into(),
            done: true,
            evidence: Some("CVs seen".into()),
            factor: Some(DiligenceFactor::Education),
        }];
        let v = d.validate().unwrap();
        assert_eq!(v.diligence[0].item, DiligenceFactor::Education.label());
        d.diligence.push(d.diligence[0].clone());
        let e = d.validate().unwrap_err();
        assert!(e.message.contains("twice"), "{}", e.message);
        d.diligence = vec![DiligenceItem {
            item: String::new(),
            done: true,
            evidence: Some("  ".into()),
            factor: Some(DiligenceFactor::Security),
        }];
        let e = d.validate().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("diligence"));
        assert!(
            e.message.contains("ISO 27001"),
            "the hint says what would do: {}",
            e.message
        );
        // Unchecked, no evidence is needed.
        d.diligence[0].done = false;
        assert!(d.validate().is_ok());
        assert_eq!(
            DiligenceFactor::parse(" Security ").unwrap(),
            DiligenceFactor::Security
        );
        let e = DiligenceFactor::parse("vibes").unwrap_err();
        assert!(e.message.contains("education, experience"), "{}", e.message);
    }

    #[test]
    fn the_checklist_lists_every_factor_with_what_is_open_and_the_review_state() {
        let mut p = provider_from(draft());
        p.diligence = all_factors_checked("file DD-1");
        p.diligence
            .retain(|d| d.factor != Some(DiligenceFactor::Jurisdiction));
        p.diligence.push(DiligenceItem {
            item: "Site visit".into(),
            done: false,
            evidence: None,
            factor: None,
        });
        p.diligence_review_on = Some("2026-12-10".into());
        let s = DiligenceStatus::of(&p, "2026-12-01");
        assert_eq!(s.factors.len(), 7);
        assert_eq!(
            s.factors
                .iter()
                .filter(|f| !f.done)
                .map(|f| f.factor)
                .collect::<Vec<_>>(),
            vec![DiligenceFactor::Jurisdiction]
        );
        assert_eq!(s.others.len(), 1);
        assert_eq!(s.open, 2);
        assert_eq!(s.review, ReviewState::Soon { days: 9 });
        assert_eq!(
            factors_open(&p.diligence),
            vec![DiligenceFactor::Jurisdiction]
        );
        assert_eq!(
            ReviewState::of(Some("2026-11-30"), "2026-12-01"),
            ReviewState::Due { days: 1 }
        );
        assert_eq!(
            ReviewState::of(Some("2026-12-01"), "2026-12-01"),
            ReviewState::Soon { days: 0 }
        );
        assert_eq!(
            ReviewState::of(Some("2027-01-01"), "2026-12-01"),
            ReviewState::Ok
        );
        assert_eq!(ReviewState::of(None, "2026-12-01"), ReviewState::Unset);
    }

    proptest::proptest! {
        /// A later re-review date is never more urgent than an earlier one.
        #[test]
        fn a_later_review_date_is_never_more_urgent(a in 0i64..800, b in 0i64..800, t in 0i64..800) {
            let base = jiff::civil::date(2026, 1, 1);
            let day = |n: i64| format_date(base.checked_add(jiff::Span::new().days(n)).unwrap());
            let rank = |s: ReviewState| match s {
                ReviewState::Unset => 0,
                ReviewState::Due { days } => 1_000 + days,
                ReviewState::Soon { days } => 500 - days,
                ReviewState::Ok => -1,
            };
            let (early, late) = (a.min(b), a.max(b));
            let today = day(t);
            proptest::prop_assert!(
                rank(ReviewState::of(Some(&day(late)), &today))
                    <= rank(ReviewState::of(Some(&day(early)), &today))
            );
        }
    }
}
