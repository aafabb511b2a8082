//! Providers: the outside firms (LPOs, reviewers, translators) work is sent to,
//! with what the send guard will need to know about them: where they process
//! data, what diligence was done and when it must be redone, which agreements
//! are on file, whether they use AI, and whom they declare they act against.
//!
//! A provider record is the firm's own view of the provider (owning side: firm);
//! the provider never edits it.

use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::fields::{
    LONG_TEXT_MAX, amount, clean_long, countries, currency, list_len, optional, optional_date,
    required, text_list,
};
use crate::matter::{SHORT_TEXT_MAX, TEXT_MAX, format_date};

/// An hourly rate for one service, in the currency's minor unit (cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rate {
    pub service: String,
    #[ts(type = "number")]
    pub cents_per_hour: i64,
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
    pub id: String,
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
/// whole list; an empty string clears an optional text or date.
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
    #[serde(default)]
    #[ts(optional)]
    pub diligence_review_on: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub nda_on_file: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub nda_signed_on: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub baa_on_file: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub baa_signed_on: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub transfer_mechanism_on_file: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub transfer_mechanism_signed_on: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub ai_use: Option<AiUse>,
    #[serde(default)]
    #[ts(optional)]
    pub ai_use_detail: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub conflicts: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub export_clearance: Option<String>,
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
                    cents_per_hour: amount("rates", r.cents_per_hour)?,
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
        let diligence = self
            .diligence
            .iter()
            .map(|d| {
                Ok(DiligenceItem {
                    item: required(
                        "diligence",
                        "what each diligence item checks",
                        &d.item,
                        TEXT_MAX,
                    )?,
                    done: d.done,
                    evidence: optional("diligence", d.evidence.as_deref(), TEXT_MAX)?,
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
        fn pick_opt(new: &Option<String>, old: &Option<String>) -> Option<String> {
            match new {
                Some(v) => Some(v.clone()),
                None => old.clone(),
            }
        }
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
                cents_per_hour: 4500,
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
            }],
            diligence_review_on: Some("2027-01-31".into()),
            nda_on_file: true,
            nda_signed_on: Some("2026-01-05".into()),
            ..Default::default()
        }
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
                        cents_per_hour: -1,
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
                        cents_per_hour: 1,
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
}
