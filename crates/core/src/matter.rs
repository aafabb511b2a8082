//! Matters: the unit of a lawyer's work, and what everything else hangs from.

use crate::ids::{MatterId, ProviderId};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::data_class::DataClass;
use crate::dates::parse_date;
use crate::error::{Error, Result};
use crate::fields::countries;
pub use crate::fields::{SHORT_TEXT_MAX, TEXT_MAX};

/// Longest matter number. Firms use short codes ("2026-0142", "ACME/LIT/7").
pub const NUMBER_MAX: usize = 40;

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
    pub id: MatterId,
    /// The firm's matter number; unique in a store.
    pub number: String,
    pub title: String,
    pub client_name: String,
    pub practice_area: Option<String>,
    pub court: Option<String>,
    pub jurisdiction: Option<String>,
    /// The attorney who supervises work sent out on this matter.
    pub supervising_attorney: Option<String>,
    /// Classes of sensitive data the matter holds, sorted; each brings its own
    /// conditions before the matter's work may be sent to a provider.
    pub data_classes: Vec<DataClass>,
    /// ISO 3166-1 alpha-2 codes of the countries where providers may process this
    /// matter's data, sorted; empty means no restriction.
    pub allowed_countries: Vec<String>,
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
    #[serde(default)]
    #[ts(optional)]
    pub supervising_attorney: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<DataClass>>")]
    pub data_classes: Vec<DataClass>,
    /// Empty: providers in any country.
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub allowed_countries: Vec<String>,
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    #[ts(optional)]
    pub opened_on: Option<String>,
}

/// A change to a matter: only the fields present are changed. An optional field
/// set to `null` is cleared (a blank text, which holds nothing, is read as cleared
/// too).
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
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub practice_area: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub court: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub jurisdiction: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub supervising_attorney: Option<Option<String>>,
    /// The whole new set (an empty list clears it).
    #[serde(default)]
    #[ts(optional)]
    pub data_classes: Option<Vec<DataClass>>,
    /// The whole new list (an empty list lifts the restriction).
    #[serde(default)]
    #[ts(optional)]
    pub allowed_countries: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<MatterStatus>,
    #[serde(default)]
    #[ts(optional)]
    pub opened_on: Option<String>,
}

/// The order of a matter list. Ties are broken by the matter number, which is
/// unique, so every order is total and pages never overlap or skip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatterSort {
    /// Most recently opened first; matters opened the same day, highest number first.
    #[default]
    OpenedDesc,
    Number,
    /// By title, then number.
    Title,
    /// By client name, then number.
    Client,
}

impl MatterSort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenedDesc => "opened_desc",
            Self::Number => "number",
            Self::Title => "title",
            Self::Client => "client",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "opened_desc" | "opened" => Ok(Self::OpenedDesc),
            "number" => Ok(Self::Number),
            "title" => Ok(Self::Title),
            "client" => Ok(Self::Client),
            other => Err(Error::invalid(
                "sort",
                format!("Unknown sort \"{other}\": use opened, number, title or client."),
            )),
        }
    }
}

/// Which matters to list, in which order, and which page.
///
/// Pages are fetched by seeking (keyset pagination): pass the previous page's
/// [`MatterPage::next`] as `after`, with the same filter and sort, to get the next
/// page. The cost of a page does not grow with how far down the list it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterFilter {
    /// Free text typed by a person, matched against number, title and client.
    #[serde(default)]
    #[ts(optional)]
    pub query: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<MatterStatus>,
    /// Only matters whose client's name begins with this, ignoring case (a full
    /// name matches that client, and any whose name continues it).
    #[serde(default)]
    #[ts(optional)]
    pub client: Option<String>,
    /// Only matters before this court (the whole name, ignoring case).
    #[serde(default)]
    #[ts(optional)]
    pub court: Option<String>,
    /// Only matters with an assignment (work order) to this provider, by its id.
    #[serde(default)]
    #[ts(optional)]
    pub provider_id: Option<ProviderId>,
    #[serde(default)]
    #[ts(optional)]
    #[ts(as = "Option<MatterSort>")]
    pub sort: MatterSort,
    /// Page size; at most [`MatterFilter::MAX_LIMIT`].
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Continue after this position: the `next` of the previous page (same filter
    /// and sort). Absent for the first page.
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<String>,
    /// Rows to skip. Kept for older callers; each skipped row is still read, so
    /// prefer `after`. Refused together with `after`.
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
    /// Whether to count every match into [`MatterPage::total`]. Absent: count on
    /// the first page (no `after`) only, since the count costs as much as reading
    /// every match.
    #[serde(default)]
    #[ts(optional)]
    pub count: Option<bool>,
}

impl MatterFilter {
    pub const DEFAULT_LIMIT: u32 = 200;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn effective_limit(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }

    /// Whether this request counts the matches (see [`MatterFilter::count`]).
    pub fn wants_count(&self) -> bool {
        self.count.unwrap_or(self.after.is_none())
    }
}

/// One page of a matter list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterPage {
    pub items: Vec<Matter>,
    /// Every match, not only this page; null when the request did not count
    /// (later pages, by default).
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    /// Pass as `after` to get the next page; null on the last page.
    pub next: Option<String>,
}

/// Where a page ended, as the sort sees it: the last row's sort key and number.
/// Travels as an opaque string ([`MatterCursor::encode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterCursor {
    pub sort: MatterSort,
    /// The sort column's value (opening date, title or client); unused for
    /// [`MatterSort::Number`].
    pub key: String,
    /// The matter number: unique, so it settles ties.
    pub number: String,
}

impl MatterCursor {
    /// The cursor just after `m` in `sort` order.
    pub fn after(sort: MatterSort, m: &Matter) -> Self {
        let key = match sort {
            MatterSort::OpenedDesc => m.opened_on.clone(),
            MatterSort::Number => String::new(),
            MatterSort::Title => m.title.clone(),
            MatterSort::Client => m.client_name.clone(),
        };
        Self {
            sort,
            key,
            number: m.number.clone(),
        }
    }

    pub fn encode(&self) -> String {
        serde_json::json!([self.sort.as_str(), self.key, self.number]).to_string()
    }

    /// Reads a cursor made by [`MatterCursor::encode`] for the same `sort`.
    pub fn decode(raw: &str, sort: MatterSort) -> Result<Self> {
        let bad = || {
            Error::invalid(
                "after",
                "This page position is not one Mandate made; start again from the first page.",
            )
        };
        let (s, key, number): (String, String, String) =
            serde_json::from_str(raw).map_err(|_| bad())?;
        let s = MatterSort::parse(&s).map_err(|_| bad())?;
        if s != sort {
            return Err(Error::invalid(
                "after",
                "This page position belongs to another sort order; start again from the first page.",
            ));
        }
        Ok(Self { sort, key, number })
    }
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
    pub supervising_attorney: Option<String>,
    pub data_classes: Vec<DataClass>,
    pub allowed_countries: Vec<String>,
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
            supervising_attorney: optional(
                "supervising_attorney",
                self.supervising_attorney.as_deref(),
                SHORT_TEXT_MAX,
            )?,
            data_classes: data_classes(&self.data_classes),
            allowed_countries: countries("allowed_countries", &self.allowed_countries)?,
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
        let pick = crate::fields::patched::<String>;
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
            supervising_attorney: pick(&self.supervising_attorney, &matter.supervising_attorney),
            data_classes: self
                .data_classes
                .clone()
                .unwrap_or_else(|| matter.data_classes.clone()),
            allowed_countries: self
                .allowed_countries
                .clone()
                .unwrap_or_else(|| matter.allowed_countries.clone()),
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

/// Each class once, in a fixed order, so equal sets compare equal. There are only
/// four classes, so the set can never be too long.
fn data_classes(raw: &[DataClass]) -> Vec<DataClass> {
    let mut v = raw.to_vec();
    v.sort();
    v.dedup();
    v
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use jiff::civil::date;
    use proptest::prelude::*;

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
        let v = draft().validate(date(2026, 11, 27)).unwrap();
        assert_eq!(v.number, "2026-001");
        assert_eq!(v.practice_area, None);
        assert_eq!(v.opened_on, date(2026, 11, 27));
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
            let e = d.validate(date(2026, 1, 1)).unwrap_err();
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
            supervising_attorney: Some("Dana Whitfield".into()),
            data_classes: vec![DataClass::HealthInformation],
            allowed_countries: vec!["IN".into()],
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
        assert_eq!(v.supervising_attorney.as_deref(), Some("Dana Whitfield"));
        assert_eq!(v.data_classes, [DataClass::HealthInformation]);
        assert_eq!(v.allowed_countries, ["IN"]);
        let (v, _) = MatterPatch {
            supervising_attorney: Some(None),
            data_classes: Some(vec![]),
            allowed_countries: Some(vec!["ph".into(), "in".into()]),
            ..Default::default()
        }
        .apply(&m)
        .unwrap();
        assert_eq!(v.supervising_attorney, None, "null clears it");
        assert!(v.data_classes.is_empty());
        assert_eq!(v.allowed_countries, ["IN", "PH"]);
        // On the wire: absent keeps, null clears, a value sets.
        let patch = |json: &str| serde_json::from_str::<MatterPatch>(json).unwrap();
        assert_eq!(patch("{}").court, None);
        assert_eq!(patch(r#"{"court": null}"#).court, Some(None));
        assert_eq!(
            patch(r#"{"court": "D. Del."}"#).court,
            Some(Some("D. Del.".into()))
        );
        let (kept, _) = patch("{}").apply(&m).unwrap();
        assert_eq!(kept.practice_area.as_deref(), m.practice_area.as_deref());
        let (cleared, _) = patch(r#"{"practice_area": null}"#).apply(&m).unwrap();
        assert_eq!(cleared.practice_area, None);
        let e = MatterPatch {
            title: Some(" ".into()),
            ..Default::default()
        }
        .apply(&m)
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("title"));
    }

    #[test]
    fn safeguards_are_validated_and_normalised() {
        let v = MatterDraft {
            supervising_attorney: Some("  Dana Whitfield ".into()),
            data_classes: vec![
                DataClass::ProtectiveOrder,
                DataClass::EuUkPersonalData,
                DataClass::ProtectiveOrder,
            ],
            allowed_countries: vec!["gb".into(), " ".into(), "DE".into(), "GB".into()],
            ..draft()
        }
        .validate(date(2026, 1, 1))
        .unwrap();
        assert_eq!(v.supervising_attorney.as_deref(), Some("Dana Whitfield"));
        assert_eq!(
            v.data_classes,
            [DataClass::EuUkPersonalData, DataClass::ProtectiveOrder]
        );
        assert_eq!(v.allowed_countries, ["DE", "GB"]);

        for (d, field) in [
            (
                MatterDraft {
                    supervising_attorney: Some("a".repeat(121)),
                    ..draft()
                },
                "supervising_attorney",
            ),
            (
                MatterDraft {
                    supervising_attorney: Some("Dana\nWhitfield".into()),
                    ..draft()
                },
                "supervising_attorney",
            ),
            (
                MatterDraft {
                    allowed_countries: vec!["Germany".into()],
                    ..draft()
                },
                "allowed_countries",
            ),
            (
                MatterDraft {
                    allowed_countries: vec!["ZZ".into()],
                    ..draft()
                },
                "allowed_countries",
            ),
        ] {
            let e = d.validate(date(2026, 1, 1)).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
            assert!(e.message.ends_with('.'), "{}", e.message);
        }
        let e = MatterDraft {
            allowed_countries: vec!["Germany".into()],
            ..draft()
        }
        .validate(date(2026, 1, 1))
        .unwrap_err();
        assert!(e.message.contains("use two letters"), "{}", e.message);
    }

    #[test]
    fn a_draft_without_safeguards_reads_from_old_json() {
        let d: MatterDraft =
            serde_json::from_str(r#"{"number": "N", "title": "T", "client_name": "C"}"#).unwrap();
        assert!(d.data_classes.is_empty() && d.allowed_countries.is_empty());
        assert_eq!(d.supervising_attorney, None);
    }

    #[test]
    fn cursors_round_trip_and_refuse_another_sort_or_junk() {
        let m = Matter {
            id: "x".into(),
            number: "N-1".into(),
            title: "T \"quoted\" ✓".into(),
            client_name: "C".into(),
            practice_area: None,
            court: None,
            jurisdiction: None,
            supervising_attorney: None,
            data_classes: vec![],
            allowed_countries: vec![],
            status: MatterStatus::Open,
            opened_on: "2026-01-02".into(),
            revision: 1,
            created_at: String::new(),
            updated_at: String::new(),
        };
        for sort in [
            MatterSort::OpenedDesc,
            MatterSort::Number,
            MatterSort::Title,
            MatterSort::Client,
        ] {
            let c = MatterCursor::after(sort, &m);
            assert_eq!(MatterCursor::decode(&c.encode(), sort).unwrap(), c);
            assert_eq!(MatterSort::parse(sort.as_str()).unwrap(), sort);
        }
        let title = MatterCursor::after(MatterSort::Title, &m).encode();
        let e = MatterCursor::decode(&title, MatterSort::Number).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("after"));
        assert!(e.message.contains("another sort order"));
        for junk in [
            "",
            "x",
            "[1,2,3]",
            "[\"title\",\"a\"]",
            "[\"nope\",\"a\",\"b\"]",
        ] {
            let e = MatterCursor::decode(junk, MatterSort::Title).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("after"), "{junk}");
        }
    }

    #[test]
    fn counts_on_the_first_page_unless_told() {
        let first = MatterFilter::default();
        assert!(first.wants_count());
        let later = MatterFilter {
            after: Some("c".into()),
            ..Default::default()
        };
        assert!(!later.wants_count());
        assert!(
            MatterFilter {
                count: Some(true),
                ..later
            }
            .wants_count()
        );
    }

    proptest! {
        /// Whatever a person types, validation either refuses it with a field
        /// named, or returns values that are trimmed, within limits and stable
        /// under a second validation.
        #[test]
        fn validation_is_total_and_idempotent(number in "\\PC{0,50}", title in "\\PC{0,210}", client in "[ a-zA-Z\\n]{0,30}") {
            let d = MatterDraft { number, title, client_name: client, ..Default::default() };
            match d.validate(date(2026, 1, 1)) {
                Err(e) => prop_assert!(e.field.is_some()),
                Ok(v) => {
                    prop_assert!(v.number.chars().count() <= NUMBER_MAX && !v.number.is_empty());
                    prop_assert_eq!(v.title.trim(), v.title.as_str());
                    let again = MatterDraft { number: v.number.clone(), title: v.title.clone(), client_name: v.client_name.clone(), ..Default::default() }
                        .validate(date(2026, 1, 1)).unwrap();
                    prop_assert_eq!(again, v);
                }
            }
        }
    }
}
