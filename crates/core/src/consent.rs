//! Client consent to outsourcing: for one matter and one provider, what the
//! client agreed may be sent (scope, classes of data), to which countries, when,
//! and what shows it. The send guard reads these; a consent is the firm's record
//! (owning side: firm) and never leaves the machine.

use crate::ids::{ConsentId, MatterId, ProviderId};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates::{format_date, parse_date};
use crate::error::{Error, Result};
use crate::fields::{LONG_TEXT_MAX, TEXT_MAX, clean_long, countries, list_len, required};

pub use crate::data_class::DataClass;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Consent {
    /// Stable id (UUID v7).
    pub id: ConsentId,
    pub matter_id: MatterId,
    pub provider_id: ProviderId,
    /// What the client agreed may be outsourced ("first-level document review").
    pub scope: String,
    /// The classes of sensitive data the consent covers, sorted.
    pub data_classes: Vec<DataClass>,
    /// ISO 3166-1 alpha-2 codes of the countries the client allowed, sorted.
    pub countries: Vec<String>,
    /// The day consent was given, `YYYY-MM-DD`.
    pub given_on: String,
    /// What shows it: "email from GC J. Smith, 2026-03-02, filed in DMS 4411".
    pub evidence: String,
    /// Whether the client also consented to the provider's use of AI tools on the
    /// work (ABA Formal Op. 512); the send guard asks it of a provider that declared AI.
    #[serde(default)]
    pub covers_ai_use: bool,
    /// What shows that consent; present exactly when it is given.
    #[serde(default)]
    pub ai_use_evidence: Option<String>,
    #[ts(type = "number")]
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentDraft {
    pub matter_id: MatterId,
    pub provider_id: ProviderId,
    pub scope: String,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<DataClass>>")]
    pub data_classes: Vec<DataClass>,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub countries: Vec<String>,
    pub given_on: String,
    pub evidence: String,
    #[serde(default)]
    #[ts(optional, as = "Option<bool>")]
    pub covers_ai_use: bool,
    #[serde(default)]
    #[ts(optional)]
    pub ai_use_evidence: Option<String>,
}

/// A correction to a consent; the matter and provider never change (record a new
/// consent instead).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentPatch {
    #[serde(default)]
    #[ts(optional)]
    pub scope: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub data_classes: Option<Vec<DataClass>>,
    #[serde(default)]
    #[ts(optional)]
    pub countries: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub given_on: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub evidence: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub covers_ai_use: Option<bool>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub ai_use_evidence: Option<Option<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentFilter {
    #[serde(default)]
    #[ts(optional)]
    pub matter_id: Option<MatterId>,
    #[serde(default)]
    #[ts(optional)]
    pub provider_id: Option<ProviderId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidConsent {
    pub scope: String,
    pub data_classes: Vec<DataClass>,
    pub countries: Vec<String>,
    pub given_on: Date,
    pub evidence: String,
    pub covers_ai_use: bool,
    pub ai_use_evidence: Option<String>,
}

impl ConsentDraft {
    /// `today` refuses a consent dated in the future: it cannot have been given yet.
    pub fn validate(&self, today: Date) -> Result<ValidConsent> {
        if self.matter_id.trim().is_empty() {
            return Err(Error::invalid(
                "matter_id",
                "Choose the matter the consent is for.",
            ));
        }
        if self.provider_id.trim().is_empty() {
            return Err(Error::invalid(
                "provider_id",
                "Choose the provider the consent is for.",
            ));
        }
        validate_fields(
            &self.scope,
            &self.data_classes,
            &self.countries,
            &self.given_on,
            &self.evidence,
            AiConsent {
                covered: self.covers_ai_use,
                evidence: self.ai_use_evidence.as_deref(),
            },
            today,
        )
    }
}

/// The client's consent to the provider's use of AI, as entered.
struct AiConsent<'a> {
    covered: bool,
    evidence: Option<&'a str>,
}

impl ConsentPatch {
    pub fn apply(&self, c: &Consent, today: Date) -> Result<ValidConsent> {
        validate_fields(
            self.scope.as_ref().unwrap_or(&c.scope),
            self.data_classes.as_ref().unwrap_or(&c.data_classes),
            self.countries.as_ref().unwrap_or(&c.countries),
            self.given_on.as_ref().unwrap_or(&c.given_on),
            self.evidence.as_ref().unwrap_or(&c.evidence),
            AiConsent {
                covered: self.covers_ai_use.unwrap_or(c.covers_ai_use),
                evidence: match &self.ai_use_evidence {
                    Some(v) => v.as_deref(),
                    None => c.ai_use_evidence.as_deref(),
                },
            },
            today,
        )
    }
}

fn validate_fields(
    scope: &str,
    data_classes: &[DataClass],
    country_codes: &[String],
    given_on: &str,
    evidence: &str,
    ai: AiConsent<'_>,
    today: Date,
) -> Result<ValidConsent> {
    let scope = required(
        "scope",
        "what the client agreed may be outsourced",
        scope,
        TEXT_MAX,
    )?;
    list_len("data_classes", data_classes.len())?;
    let mut classes = data_classes.to_vec();
    classes.sort();
    classes.dedup();
    let countries = countries("countries", country_codes)?;
    if given_on.trim().is_empty() {
        return Err(Error::invalid(
            "given_on",
            "Enter the date the client gave consent.",
        ));
    }
    let given = parse_date("given_on", given_on)?;
    if given > today {
        return Err(Error::invalid(
            "given_on",
            format!(
                "{} is in the future; enter the date consent was actually given.",
                format_date(given)
            ),
        ));
    }
    let evidence = clean_long("evidence", evidence, LONG_TEXT_MAX)?.ok_or_else(|| {
        Error::invalid(
            "evidence",
            "Say what shows the consent (an email, a signed letter, where it is filed).",
        )
    })?;
    let ai_use_evidence = if ai.covered {
        Some(
            clean_long("ai_use_evidence", ai.evidence.unwrap_or(""), LONG_TEXT_MAX)?.ok_or_else(
                || {
                    Error::invalid(
                        "ai_use_evidence",
                        "Say what shows the client's consent to the provider's use of AI (the document, and where it is filed).",
                    )
                },
            )?,
        )
    } else {
        None
    };
    Ok(ValidConsent {
        scope,
        data_classes: classes,
        countries,
        given_on: given,
        evidence,
        covers_ai_use: ai.covered,
        ai_use_evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 3, 10);

    fn draft() -> ConsentDraft {
        ConsentDraft {
            matter_id: "m".into(),
            provider_id: "p".into(),
            scope: "First-level review".into(),
            data_classes: vec![
                DataClass::ProtectiveOrder,
                DataClass::EuUkPersonalData,
                DataClass::ProtectiveOrder,
            ],
            countries: vec!["in".into()],
            given_on: "2026-03-02".into(),
            evidence: "Email from GC".into(),
            ..Default::default()
        }
    }

    #[test]
    fn consent_to_ai_use_needs_its_evidence_and_none_is_kept_without_it() {
        let mut d = draft();
        d.covers_ai_use = true;
        assert_eq!(
            d.validate(TODAY).unwrap_err().field.as_deref(),
            Some("ai_use_evidence")
        );
        d.ai_use_evidence = Some(" AI addendum, DMS 4412 ".into());
        let v = d.validate(TODAY).unwrap();
        assert!(v.covers_ai_use);
        assert_eq!(v.ai_use_evidence.as_deref(), Some("AI addendum, DMS 4412"));
        d.covers_ai_use = false;
        assert_eq!(d.validate(TODAY).unwrap().ai_use_evidence, None);
    }

    #[test]
    fn sorts_and_deduplicates_classes_and_countries() {
        let v = draft().validate(TODAY).unwrap();
        assert_eq!(
            v.data_classes,
            [DataClass::EuUkPersonalData, DataClass::ProtectiveOrder]
        );
        assert_eq!(v.countries, ["IN"]);
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        for (d, field) in [
            (
                ConsentDraft {
                    matter_id: " ".into(),
                    ..draft()
                },
                "matter_id",
            ),
            (
                ConsentDraft {
                    scope: "".into(),
                    ..draft()
                },
                "scope",
            ),
            (
                ConsentDraft {
                    countries: vec!["XY".into()],
                    ..draft()
                },
                "countries",
            ),
            (
                ConsentDraft {
                    given_on: "".into(),
                    ..draft()
                },
                "given_on",
            ),
            (
                ConsentDraft {
                    given_on: "2026-13-01".into(),
                    ..draft()
                },
                "given_on",
            ),
            (
                ConsentDraft {
                    given_on: "2026-03-11".into(),
                    ..draft()
                },
                "given_on",
            ),
            (
                ConsentDraft {
                    evidence: "  ".into(),
                    ..draft()
                },
                "evidence",
            ),
        ] {
            let e = d.validate(TODAY).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
    }

    #[test]
    fn data_classes_parse_and_round_trip_as_json() {
        for c in DataClass::ALL {
            assert_eq!(DataClass::parse(c.as_str()).unwrap(), c);
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        assert!(DataClass::parse("pii").is_err());
    }
}
