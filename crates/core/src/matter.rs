//! Matters: the unit of a lawyer's work, and what everything else hangs from.

use serde::{Deserialize, Serialize};
use time::{Date, macros::format_description};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Longest matter number. Firms use short codes ("2026-0142", "ACME/LIT/7").
pub const NUMBER_MAX: usize = 40;
/// Longest title or client name; long enough for a full case caption's short form.
pub const TEXT_MAX: usize = 200;
/// Longest practice area, court or jurisdiction.
pub const SHORT_TEXT_MAX: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatterStatus {
    Open,
    Closed,
}

impl MatterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            other => Err(Error::invalid(
                "status",
                format!("Unknown matter status \"{other}\": use open or closed."),
            )),
        }
    }
}

/// A matter as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Matter {
    /// Stable id (UUID v7), the same on every device that holds the matter.
    pub id: String,
    /// The firm's matter number; unique in a store.
    pub number: String,
    pub title: String,
    pub client_name: String,
    pub practice_area: Option<String>,
    pub court: Option<String>,
    pub jurisdiction: Option<String>,
    pub status: MatterStatus,
    /// The day the matter was opened, `YYYY-MM-DD`.
    pub opened_on: String,
    /// Raised on every change, so later sync can tell revisions apart.
    #[ts(type = "number")]
    pub revision: i64,
    /// RFC 3339 UTC timestamps.
    pub created_at: String,
    pub updated_at: String,
}

/// What a person fills in to open a matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterDraft {
    pub number: String,
    pub title: String,
    pub client_name: String,
    #[serde(default)]
    #[ts(optional)]
    pub practice_area: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub court: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub jurisdiction: Option<String>,
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    #[ts(optional)]
    pub opened_on: Option<String>,
}

/// A change to a matter: only the fields present are changed. An empty string
/// clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterPatch {
    #[serde(default)]
    #[ts(optional)]
    pub number: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub client_name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub practice_area: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub court: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub jurisdiction: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<MatterStatus>,
    #[serde(default)]
    #[ts(optional)]
    pub opened_on: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatterSort {
    /// Most recently opened first.
    #[default]
    OpenedDesc,
    Number,
    Title,
    Client,
}

/// Which matters to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterFilter {
    /// Free text typed by a person, matched against number, title and client.
    #[serde(default)]
    #[ts(optional)]
    pub query: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<MatterStatus>,
    #[serde(default)]
    #[ts(optional)]
    #[ts(as = "Option<MatterSort>")]
    pub sort: MatterSort,
    /// Page size; at most [`MatterFilter::MAX_LIMIT`].
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

impl MatterFilter {
    pub const DEFAULT_LIMIT: u32 = 200;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn effective_limit(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }
}

/// One page of a matter list, with the total that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterPage {
    pub items: Vec<Matter>,
    #[ts(type = "number")]
    pub total: u64,
}

/// A draft that passed validation: trimmed, within limits, with a real date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMatter {
    pub number: String,
    pub title: String,
    pub client_name: String,
    pub practice_area: Option<String>,
    pub court: Option<String>,
    pub jurisdiction: Option<String>,
    pub opened_on: Date,
}

impl MatterDraft {
    /// Checks every field and returns the first problem, named by field, with a
    /// message a person can act on. `today` fills a missing opening date.
    pub fn validate(&self, today: Date) -> Result<ValidMatter> {
        Ok(ValidMatter {
            number: number(&self.number)?,
            title: required("title", "a title", &self.title, TEXT_MAX)?,
            client_name: required(
                "client_name",
                "the client's name",
                &self.client_name,
                TEXT_MAX,
            )?,
            practice_area: optional(
                "practice_area",
                self.practice_area.as_deref(),
                SHORT_TEXT_MAX,
            )?,
            court: optional("court", self.court.as_deref(), SHORT_TEXT_MAX)?,
            jurisdiction: optional("jurisdiction", self.jurisdiction.as_deref(), SHORT_TEXT_MAX)?,
            opened_on: match self.opened_on.as_deref().map(str::trim) {
                None | Some("") => today,
                Some(s) => parse_date("opened_on", s)?,
            },
        })
    }
}

impl MatterPatch {
    /// Applies the patch to `matter`'s current values and validates the result as
    /// a whole, so an edit can never store what creation would refuse.
    pub fn apply(&self, matter: &Matter) -> Result<(ValidMatter, MatterStatus)> {
        let pick = |new: &Option<String>, old: &Option<String>| match new {
            Some(v) => Some(v.clone()),
            None => old.clone(),
        };
        let draft = MatterDraft {
            number: self.number.clone().unwrap_or_else(|| matter.number.clone()),
            title: self.title.clone().unwrap_or_else(|| matter.title.clone()),
            client_name: self
                .client_name
                .clone()
                .unwrap_or_else(|| matter.client_name.clone()),
            practice_area: pick(&self.practice_area, &matter.practice_area),
            court: pick(&self.court, &matter.court),
            jurisdiction: pick(&self.jurisdiction, &matter.jurisdiction),
            opened_on: Some(
                self.opened_on
                    .clone()
                    .unwrap_or_else(|| matter.opened_on.clone()),
            ),
        };
        // The opening date is always present here, so `today` is never used.
        let valid = draft.validate(Date::MIN)?;
        Ok((valid, self.status.unwrap_or(matter.status)))
    }
}

fn number(raw: &str) -> Result<String> {
    let n = required("number", "a matter number", raw, NUMBER_MAX)?;
    if let Some(c) = n
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '/' | '.' | '_' | ' ' | ':' | '#')))
    {
        return Err(Error::invalid(
            "number",
            format!(
                "A matter number may hold letters, digits, spaces and - / . _ : # only; remove \"{c}\"."
            ),
        ));
    }
    Ok(n)
}

fn required(field: &str, what: &str, raw: &str, max: usize) -> Result<String> {
    let v = clean(field, raw, max)?;
    if v.is_empty() {
        return Err(Error::invalid(field, format!("Enter {what}.")));
    }
    Ok(v)
}

fn optional(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>> {
    match raw {
        None => Ok(None),
        Some(s) => {
            let v = clean(field, s, max)?;
            Ok((!v.is_empty()).then_some(v))
        }
    }
}

fn clean(field: &str, raw: &str, max: usize) -> Result<String> {
    let v = raw.trim();
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "Remove line breaks and other control characters from this field.",
        ));
    }
    let len = v.chars().count();
    if len > max {
        return Err(Error::invalid(
            field,
            format!("This field holds at most {max} characters; it has {len}. Shorten it."),
        ));
    }
    Ok(v.to_owned())
}

/// Earliest and latest years a date may carry: wide enough for any real matter,
/// narrow enough to catch a typo such as 20266.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1900..=2200;

pub fn parse_date(field: &str, s: &str) -> Result<Date> {
    let fmt = format_description!("[year]-[month]-[day]");
    let d = Date::parse(s.trim(), &fmt).map_err(|_| {
        Error::invalid(
            field,
            format!("\"{s}\" is not a real date: write it as YYYY-MM-DD, e.g. 2026-03-02."),
        )
    })?;
    if !YEAR_RANGE.contains(&d.year()) {
        return Err(Error::invalid(
            field,
            format!("{s} is outside the years 1900 to 2200; check the year."),
        ));
    }
    Ok(d)
}

pub fn format_date(d: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use proptest::prelude::*;
    use time::macros::date;

    fn draft() -> MatterDraft {
        MatterDraft {
            number: " 2026-001 ".into(),
            title: "Acme v. Widget".into(),
            client_name: "Acme Corp".into(),
            practice_area: Some("".into()),
            ..Default::default()
        }
    }

    #[test]
    fn trims_and_defaults_the_date() {
        let v = draft().validate(date!(2026 - 11 - 27)).unwrap();
        assert_eq!(v.number, "2026-001");
        assert_eq!(v.practice_area, None);
        assert_eq!(v.opened_on, date!(2026 - 11 - 27));
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        for (d, field) in [
            (
                MatterDraft {
                    number: "  ".into(),
                    ..draft()
                },
                "number",
            ),
            (
                MatterDraft {
                    title: "".into(),
                    ..draft()
                },
                "title",
            ),
            (
                MatterDraft {
                    client_name: "x\ny".into(),
                    ..draft()
                },
                "client_name",
            ),
            (
                MatterDraft {
                    number: "a;b".into(),
                    ..draft()
                },
                "number",
            ),
            (
                MatterDraft {
                    court: Some("c".repeat(121)),
                    ..draft()
                },
                "court",
            ),
            (
                MatterDraft {
                    opened_on: Some("2026-02-30".into()),
                    ..draft()
                },
                "opened_on",
            ),
            (
                MatterDraft {
                    opened_on: Some("1899-12-31".into()),
                    ..draft()
                },
                "opened_on",
            ),
        ] {
            let e = d.validate(date!(2026 - 1 - 1)).unwrap_err();
            assert_eq!(e.code, ErrorCode::Invalid);
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
    }

    #[test]
    fn error_serializes_as_code_message_field() {
        let e = Error::invalid("title", "Enter a title.");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid", "message": "Enter a title.", "field": "title"})
        );
    }

    #[test]
    fn patch_keeps_unchanged_fields_and_validates_the_result() {
        let m = Matter {
            id: "x".into(),
            number: "N-1".into(),
            title: "T".into(),
            client_name: "C".into(),
            practice_area: Some("Lit".into()),
            court: None,
            jurisdiction: None,
            status: MatterStatus::Open,
            opened_on: "2026-01-02".into(),
            revision: 1,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let (v, s) = MatterPatch {
            title: Some("New".into()),
            status: Some(MatterStatus::Closed),
            ..Default::default()
        }
        .apply(&m)
        .unwrap();
        assert_eq!(
            (v.title.as_str(), v.number.as_str(), s),
            ("New", "N-1", MatterStatus::Closed)
        );
        assert_eq!(v.practice_area.as_deref(), Some("Lit"));
        let e = MatterPatch {
            title: Some(" ".into()),
            ..Default::default()
        }
        .apply(&m)
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("title"));
    }

    proptest! {
        /// Whatever a person types, validation either refuses it with a field
        /// named, or returns values that are trimmed, within limits and stable
        /// under a second validation.
        #[test]
        fn validation_is_total_and_idempotent(number in "\\PC{0,50}", title in "\\PC{0,210}", client in "[ a-zA-Z\\n]{0,30}") {
            let d = MatterDraft { number, title, client_name: client, ..Default::default() };
            match d.validate(date!(2026 - 1 - 1)) {
                Err(e) => prop_assert!(e.field.is_some()),
                Ok(v) => {
                    prop_assert!(v.number.chars().count() <= NUMBER_MAX && !v.number.is_empty());
                    prop_assert_eq!(v.title.trim(), v.title.as_str());
                    let again = MatterDraft { number: v.number.clone(), title: v.title.clone(), client_name: v.client_name.clone(), ..Default::default() }
                        .validate(date!(2026 - 1 - 1)).unwrap();
                    prop_assert_eq!(again, v);
                }
            }
        }

        #[test]
        fn any_real_date_in_range_round_trips(days in 0i64..(300 * 365)) {
            let d = date!(1900 - 1 - 1) + time::Duration::days(days);
            prop_assume!(YEAR_RANGE.contains(&d.year()));
            prop_assert_eq!(parse_date("d", &format_date(d)).unwrap(), d);
        }
    }
}
