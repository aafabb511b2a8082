//! Holiday calendars as data.
//!
//! A calendar is a TOML file with an id, a name, a source, a version, optional
//! effective dates and a list of holidays, each a fixed date, an nth-weekday rule or a
//! one-off declared closure (see `docs/deadlines.md`). US federal holidays are such a
//! file too (`calendars/us-federal.toml`): the rules (fixed dates, nth weekday, last
//! Monday of May, Saturday→Friday / Sunday→Monday observance) are data, evaluated
//! here. The calendars shipped with the app are embedded with `include_str!`; users
//! can add or replace calendars from a directory ([`CalendarRegistry::load_dir`]).

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::dates::{display_date, parse_date, parse_weekday, weekday_name};
use crate::error::{DeadlineError, toml_position};

/// What kind of body declared a calendar's holidays. It decides when they count:
/// FRCP 6(a)(6)(C) makes state holidays legal holidays only for periods counted
/// forward, while federal holidays ((A), (B)) and the court's own closures count both
/// ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarKind {
    Federal,
    State,
    Court,
}

impl CalendarKind {
    /// Whether this calendar's holidays are legal holidays for a period counted in
    /// the given direction.
    pub fn counts_for(self, forward: bool) -> bool {
        forward || self != CalendarKind::State
    }

    pub fn citation(self) -> &'static str {
        match self {
            CalendarKind::Federal => "FRCP 6(a)(6)(A)–(B)",
            CalendarKind::State => "FRCP 6(a)(6)(C)",
            CalendarKind::Court => "court calendar",
        }
    }
}

/// How a holiday that falls on a weekend is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Observed {
    /// Observed on the day itself, whatever weekday it is.
    #[default]
    None,
    /// Saturday → the Friday before, Sunday → the Monday after (5 U.S.C. 6103(b) and
    /// Executive Order 11582).
    NearestWeekday,
    /// Sunday → the Monday after; Saturday stays (many state statutes).
    SundayToMonday,
}

/// One holiday definition, as written in a calendar file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolidayRule {
    pub name: String,
    pub date: HolidayDate,
    pub observed: Observed,
    /// First year the rule applies (inclusive).
    pub from: Option<i16>,
    /// Last year the rule applies (inclusive).
    pub until: Option<i16>,
    /// Only every n-th year counted from `from` (Inauguration Day: 4).
    pub every: Option<i16>,
    /// Where the holiday comes from (statute, executive order).
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum HolidayDate {
    /// The same month and day every year.
    Fixed { month: i8, day: i8 },
    /// The nth `weekday` of `month` (`nth` = -1 for the last), plus `offset_days`
    /// ("the Tuesday after the first Monday in November" is nth 1 Monday + 1).
    NthWeekday {
        month: i8,
        weekday: String,
        nth: i8,
        offset_days: i8,
    },
    /// A single declared day (a national day of mourning, an ad hoc closure).
    Once { date: Date },
}

/// A calendar: metadata plus holiday rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Calendar {
    pub id: String,
    pub name: String,
    pub kind: CalendarKind,
    pub source: String,
    pub version: String,
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    pub holidays: Vec<HolidayRule>,
    /// SHA-256 (hex) of the file the calendar was read from: recorded with each
    /// deadline it shapes, so a calendar edited since is noticed and the deadline
    /// offered a recompute.
    pub sha256: String,
}

/// A legal holiday on a given (observed) date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The day the holiday is observed: the day that matters for deadlines.
    pub date: Date,
    pub name: String,
    /// The calendar date of the holiday when it is observed on another day
    /// (New Year's Day 2022, a Saturday, was observed Friday 2021-12-31).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_for: Option<Date>,
    pub calendar: String,
    pub kind: CalendarKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Holiday {
    /// "Martin Luther King Jr. Day" or "New Year's Day (observed; falls on Sat 2022-01-01)".
    pub fn describe(&self) -> String {
        match self.observed_for {
            Some(actual) => format!(
                "{} (observed; falls on {})",
                self.name,
                display_date(actual)
            ),
            None => self.name.clone(),
        }
    }
}

impl HolidayRule {
    fn applies_in(&self, year: i16) -> bool {
        if self.from.is_some_and(|from| year < from) || self.until.is_some_and(|u| year > u) {
            return false;
        }
        match self.every {
            Some(every) if every > 1 => {
                (i32::from(year) - i32::from(self.from.unwrap_or(0))).rem_euclid(i32::from(every))
                    == 0
            }
            _ => true,
        }
    }

    /// The holiday's calendar date in `year`, before weekend observance.
    fn actual_date(&self, year: i16) -> Option<Date> {
        if !self.applies_in(year) {
            return None;
        }
        match &self.date {
            HolidayDate::Fixed { month, day } => Date::new(year, *month, *day).ok(),
            HolidayDate::NthWeekday {
                month,
                weekday,
                nth,
                offset_days,
            } => {
                let weekday = parse_weekday(weekday)?;
                let d = Date::new(year, *month, 1)
                    .ok()?
                    .nth_weekday_of_month(*nth, weekday)
                    .ok()?;
                d.checked_add(jiff::Span::new().days(i64::from(*offset_days)))
                    .ok()
            }
            HolidayDate::Once { date } => (date.year() == year).then_some(*date),
        }
    }

    fn observed_date(&self, actual: Date) -> Date {
        let shifted = match (self.observed, actual.weekday()) {
            (Observed::NearestWeekday, Weekday::Saturday) => actual.yesterday(),
            (Observed::NearestWeekday | Observed::SundayToMonday, Weekday::Sunday) => {
                actual.tomorrow()
            }
            _ => Ok(actual),
        };
        shifted.unwrap_or(actual)
    }
}

impl Calendar {
    /// Every holiday of this calendar observed in `year`, sorted by date. Observance
    /// can move a holiday across a year boundary, so rules of the neighbouring years
    /// are evaluated too.
    pub fn holidays_in_year(&self, year: i16) -> Vec<Holiday> {
        let mut out = Vec::new();
        for rule in &self.holidays {
            for rule_year in [year - 1, year, year + 1] {
                let Some(actual) = rule.actual_date(rule_year) else {
                    continue;
                };
                let observed = rule.observed_date(actual);
                if observed.year() != year || !self.in_effect(observed) {
                    continue;
                }
                out.push(Holiday {
                    date: observed,
                    name: rule.name.clone(),
                    observed_for: (observed != actual).then_some(actual),
                    calendar: self.id.clone(),
                    kind: self.kind,
                    source: rule.source.clone(),
                });
            }
        }
        out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.name.cmp(&b.name)));
        out
    }

    fn in_effect(&self, date: Date) -> bool {
        self.effective_from.is_none_or(|from| date >= from)
            && self.effective_until.is_none_or(|until| date <= until)
    }
}

/// The calendars chosen for one computation (e.g. `us-federal` + `us-ny`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CalendarSet {
    pub calendars: Vec<Calendar>,
}

impl CalendarSet {
    pub fn ids(&self) -> Vec<String> {
        self.calendars.iter().map(|c| c.id.clone()).collect()
    }

    /// All holidays of all calendars in the set observed in `year`, sorted by date.
    pub fn holidays_in_year(&self, year: i16) -> Vec<Holiday> {
        let mut all: Vec<Holiday> = self
            .calendars
            .iter()
            .flat_map(|c| c.holidays_in_year(year))
            .collect();
        all.sort_by(|a, b| {
            a.date
                .cmp(&b.date)
                .then_with(|| a.calendar.cmp(&b.calendar))
        });
        all
    }

    /// Holidays for every year in `from..=to`, indexed by date, for fast look-up
    /// while counting.
    pub fn index(&self, from: i16, to: i16) -> HolidayIndex {
        let mut by_date: BTreeMap<Date, Vec<Holiday>> = BTreeMap::new();
        for year in from..=to {
            for h in self.holidays_in_year(year) {
                by_date.entry(h.date).or_default().push(h);
            }
        }
        HolidayIndex { by_date }
    }
}

/// Holidays by date over a range of years (see [`CalendarSet::index`]).
#[derive(Debug, Clone, Default)]
pub struct HolidayIndex {
    by_date: BTreeMap<Date, Vec<Holiday>>,
}

impl HolidayIndex {
    /// The first holiday on `date` that counts for a period in this direction and
    /// passes `filter`.
    pub fn holiday_on(
        &self,
        date: Date,
        forward: bool,
        filter: impl Fn(&Holiday) -> bool,
    ) -> Option<&Holiday> {
        self.by_date
            .get(&date)?
            .iter()
            .find(|h| h.kind.counts_for(forward) && filter(h))
    }

    /// State holidays on `date` that do not count because the period runs backward.
    pub fn ignored_state_holiday(&self, date: Date, forward: bool) -> Option<&Holiday> {
        if forward {
            return None;
        }
        self.by_date
            .get(&date)?
            .iter()
            .find(|h| h.kind == CalendarKind::State)
    }
}

/// All known calendars: the embedded ones plus any loaded from a user directory.
#[derive(Debug, Clone, Default)]
pub struct CalendarRegistry {
    calendars: BTreeMap<String, Calendar>,
}

/// The calendar files shipped with the app, as (file name, contents).
pub const BUILTIN_CALENDARS: &[(&str, &str)] = &[
    (
        "us-federal.toml",
        include_str!("../calendars/us-federal.toml"),
    ),
    ("us-ny.toml", include_str!("../calendars/us-ny.toml")),
    ("us-dcd.toml", include_str!("../calendars/us-dcd.toml")),
];

impl CalendarRegistry {
    /// The calendars shipped with the app.
    pub fn builtin() -> Self {
        let mut registry = CalendarRegistry::default();
        for (file, text) in BUILTIN_CALENDARS {
            // The embedded files are parsed by a unit test, so this cannot fail in a
            // released build.
            #[allow(clippy::expect_used)]
            let calendar = parse_calendar(file, text).expect("embedded calendar parses");
            registry.insert(calendar);
        }
        registry
    }

    /// Adds a calendar, replacing one with the same id (so a user file can ship a
    /// newer version of a built-in calendar).
    pub fn insert(&mut self, calendar: Calendar) {
        self.calendars.insert(calendar.id.clone(), calendar);
    }

    /// Loads every `*.toml` file in `dir`. A file that fails to parse is reported in
    /// the returned errors (naming the file and line) and the others still load.
    pub fn load_dir(&mut self, dir: &Path) -> Vec<DeadlineError> {
        let (calendars, errors) = load_calendar_dir(dir);
        for c in calendars {
            self.insert(c);
        }
        errors
    }

    pub fn ids(&self) -> Vec<&str> {
        self.calendars.keys().map(String::as_str).collect()
    }

    pub fn calendars(&self) -> impl Iterator<Item = &Calendar> {
        self.calendars.values()
    }

    pub fn get(&self, id: &str) -> Result<&Calendar, DeadlineError> {
        self.calendars
            .get(id)
            .ok_or_else(|| DeadlineError::UnknownCalendar {
                id: id.to_string(),
                known: self.ids().join(", "),
            })
    }

    /// The calendars with these ids, in the order given.
    pub fn select<S: AsRef<str>>(&self, ids: &[S]) -> Result<CalendarSet, DeadlineError> {
        let calendars = ids
            .iter()
            .map(|id| self.get(id.as_ref().trim()).cloned())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CalendarSet { calendars })
    }
}

/// Reads every `*.toml` file in `dir` (sorted by name). This is the only I/O in the
/// crate's calendar handling; parsing itself is [`parse_calendar`].
pub fn load_calendar_dir(dir: &Path) -> (Vec<Calendar>, Vec<DeadlineError>) {
    let mut calendars = Vec::new();
    let mut errors = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(DeadlineError::Io {
                path: dir.to_path_buf(),
                source,
            });
            return (calendars, errors);
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse_calendar(&name, &text) {
                Ok(c) => calendars.push(c),
                Err(e) => errors.push(e),
            },
            Err(source) => errors.push(DeadlineError::Io { path, source }),
        }
    }
    (calendars, errors)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    id: String,
    name: String,
    kind: CalendarKind,
    source: String,
    version: String,
    effective_from: Option<toml::Value>,
    effective_until: Option<toml::Value>,
    #[serde(default)]
    holiday: Vec<toml::Spanned<RawHoliday>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    month: Option<i8>,
    day: Option<i8>,
    weekday: Option<String>,
    nth: Option<i8>,
    #[serde(default)]
    offset_days: i8,
    date: Option<toml::Value>,
    #[serde(default)]
    observed: Observed,
    from: Option<i16>,
    until: Option<i16>,
    every: Option<i16>,
    source: Option<String>,
}

/// Parses one calendar file. `file` names it in error messages.
pub fn parse_calendar(file: &str, text: &str) -> Result<Calendar, DeadlineError> {
    let raw: RawCalendar = toml::from_str(text).map_err(|e| {
        let (line, column, message) = toml_position(text, &e);
        DeadlineError::CalendarSyntax {
            file: file.to_string(),
            line,
            column,
            message,
        }
    })?;
    let invalid = |message: String| DeadlineError::InvalidCalendar {
        file: file.to_string(),
        message,
    };
    if raw.id.trim().is_empty() || raw.id.contains([',', ' ']) {
        return Err(invalid(format!(
            "calendar id \"{}\" must be non-empty with no spaces or commas",
            raw.id
        )));
    }
    let date_field = |v: &Option<toml::Value>| -> Result<Option<Date>, DeadlineError> {
        v.as_ref().map(toml_date).transpose().map_err(&invalid)
    };
    let mut holidays = Vec::with_capacity(raw.holiday.len());
    for spanned in raw.holiday {
        let (line, column) = crate::error::line_col(text, spanned.span().start);
        let h = spanned.into_inner();
        let at = |message: String| DeadlineError::CalendarSyntax {
            file: file.to_string(),
            line,
            column,
            message: format!("holiday \"{}\": {message}", h.name),
        };
        let date = match (&h.date, h.month, h.day, &h.weekday, h.nth) {
            (Some(d), None, None, None, None) => HolidayDate::Once {
                date: toml_date(d).map_err(at)?,
            },
            (None, Some(month), Some(day), None, None) => {
                // 2024 is a leap year, so Feb 29 is accepted here and simply yields no
                // holiday in other years.
                Date::new(2024, month, day)
                    .map_err(|_| at(format!("there is no day {month}-{day}")))?;
                HolidayDate::Fixed { month, day }
            }
            (None, Some(month), None, Some(weekday), Some(nth)) => {
                if parse_weekday(weekday).is_none() {
                    return Err(at(format!("unknown weekday \"{weekday}\"")));
                }
                if !(1..=12).contains(&month) || !matches!(nth, -5..=-1 | 1..=5) {
                    return Err(at("month must be 1–12 and nth 1–5 or -1 (last)".into()));
                }
                HolidayDate::NthWeekday {
                    month,
                    weekday: weekday_name(parse_weekday(weekday).unwrap_or(Weekday::Monday))
                        .to_ascii_lowercase(),
                    nth,
                    offset_days: h.offset_days,
                }
            }
            _ => {
                return Err(at(
                    "give exactly one of: `date`; `month` + `day`; `month` + `weekday` + `nth`"
                        .into(),
                ));
            }
        };
        holidays.push(HolidayRule {
            name: h.name,
            date,
            observed: h.observed,
            from: h.from,
            until: h.until,
            every: h.every,
            source: h.source,
        });
    }
    Ok(Calendar {
        id: raw.id,
        name: raw.name,
        kind: raw.kind,
        source: raw.source,
        version: raw.version,
        effective_from: date_field(&raw.effective_from)?,
        effective_until: date_field(&raw.effective_until)?,
        holidays,
        sha256: {
            use sha2::Digest as _;
            hex::encode(sha2::Sha256::digest(text.as_bytes()))
        },
    })
}

/// Accepts a TOML date (`2018-12-05`) or a string (`"2018-12-05"`).
fn toml_date(v: &toml::Value) -> Result<Date, String> {
    let s = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) => dt.to_string(),
        other => return Err(format!("expected a date YYYY-MM-DD, found {other}")),
    };
    parse_date(&s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn federal() -> Calendar {
        CalendarRegistry::builtin()
            .get("us-federal")
            .unwrap()
            .clone()
    }

    fn names_in(year: i16) -> Vec<(Date, String)> {
        federal()
            .holidays_in_year(year)
            .into_iter()
            .map(|h| (h.date, h.name))
            .collect()
    }

    #[test]
    fn builtin_calendars_parse() {
        let reg = CalendarRegistry::builtin();
        assert_eq!(reg.ids(), vec!["us-dcd", "us-federal", "us-ny"]);
    }

    #[test]
    fn mlk_2026_is_monday_january_19() {
        let hs = names_in(2026);
        assert!(hs.contains(&(date(2026, 1, 19), "Martin Luther King Jr. Day".into())));
    }

    #[test]
    fn new_years_day_2022_observed_friday_2021_12_31() {
        let hs = federal().holidays_in_year(2021);
        let nyd = hs.iter().find(|h| h.date == date(2021, 12, 31)).unwrap();
        assert_eq!(nyd.name, "New Year's Day");
        assert_eq!(nyd.observed_for, Some(date(2022, 1, 1)));
        assert!(nyd.describe().contains("falls on Sat 2022-01-01"));
        // And 2022 itself has no New Year's Day holiday in January.
        assert!(!names_in(2022).iter().any(|(d, _)| *d == date(2022, 1, 1)));
    }

    #[test]
    fn federal_2026_matches_opm_list() {
        let got: Vec<Date> = names_in(2026).into_iter().map(|(d, _)| d).collect();
        let want = vec![
            date(2026, 1, 1),
            date(2026, 1, 19),
            date(2026, 2, 16),
            date(2026, 5, 25),
            date(2026, 6, 19),
            date(2026, 7, 3), // Independence Day (Sat) observed Friday
            date(2026, 9, 7),
            date(2026, 10, 12),
            date(2026, 11, 11),
            date(2026, 11, 26),
            date(2026, 12, 25),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn juneteenth_from_2021_and_mlk_from_1986() {
        assert!(names_in(2021).iter().any(|(d, _)| *d == date(2021, 6, 18)));
        assert!(!names_in(2020).iter().any(|(_, n)| n.contains("Juneteenth")));
        assert!(!names_in(1985).iter().any(|(_, n)| n.contains("King")));
        assert!(names_in(1986).iter().any(|(d, _)| *d == date(1986, 1, 20)));
    }

    #[test]
    fn declared_closures_are_holidays() {
        assert!(names_in(2018).iter().any(|(d, _)| *d == date(2018, 12, 5)));
        assert!(names_in(2025).iter().any(|(d, _)| *d == date(2025, 1, 9)));
    }

    #[test]
    fn inauguration_day_is_not_national_but_is_on_the_dc_court_calendar() {
        assert!(
            !names_in(2025)
                .iter()
                .any(|(_, n)| n.contains("Inauguration"))
        );
        let dcd = CalendarRegistry::builtin().get("us-dcd").unwrap().clone();
        let days: Vec<Date> = dcd.holidays_in_year(2025).iter().map(|h| h.date).collect();
        assert!(days.contains(&date(2025, 1, 20)));
        assert!(dcd.holidays_in_year(2026).is_empty());
        // 2013: Jan 20 was a Sunday, observed Monday Jan 21.
        let days: Vec<Date> = dcd.holidays_in_year(2013).iter().map(|h| h.date).collect();
        assert_eq!(days, vec![date(2013, 1, 21)]);
    }

    #[test]
    fn state_holidays_count_forward_only() {
        let reg = CalendarRegistry::builtin();
        let set = reg.select(&["us-federal", "us-ny"]).unwrap();
        let idx = set.index(2026, 2026);
        // Lincoln's Birthday, Thu 2026-02-12 (New York).
        assert!(idx.holiday_on(date(2026, 2, 12), true, |_| true).is_some());
        assert!(idx.holiday_on(date(2026, 2, 12), false, |_| true).is_none());
        assert!(
            idx.ignored_state_holiday(date(2026, 2, 12), false)
                .is_some()
        );
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let text = "id = \"x\"\nname = \"X\"\nkind = \"state\"\nsource = \"s\"\nversion = \"1\"\n[[holiday]]\nname = \"Bad\nmonth = 1\n";
        let err = parse_calendar("bad.toml", text).unwrap_err();
        assert_eq!(err.code(), "calendar_syntax");
        let msg = err.to_string();
        assert!(msg.starts_with("bad.toml:7:"), "{msg}");
    }

    #[test]
    fn semantic_error_names_the_holiday_line() {
        let text = "id = \"x\"\nname = \"X\"\nkind = \"state\"\nsource = \"s\"\nversion = \"1\"\n\n[[holiday]]\nname = \"Bad\"\nmonth = 2\nday = 30\n";
        let err = parse_calendar("bad.toml", text).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("bad.toml:7:") || msg.starts_with("bad.toml:8:"),
            "{msg}"
        );
        assert!(msg.contains("Bad"), "{msg}");
    }

    #[test]
    fn directory_loader_keeps_good_files_when_one_is_bad() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a-good.toml"),
            "id = \"firm\"\nname = \"Firm closures\"\nkind = \"court\"\nsource = \"memo\"\nversion = \"1\"\n[[holiday]]\nname = \"Closure\"\ndate = 2026-08-14\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b-bad.toml"), "id = \"oops\"\nname = = 3\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let mut reg = CalendarRegistry::builtin();
        let errors = reg.load_dir(dir.path());
        assert_eq!(errors.len(), 1);
        let msg = errors[0].to_string();
        assert!(msg.contains("b-bad.toml:2:"), "{msg}");
        let firm = reg.get("firm").unwrap();
        assert_eq!(firm.holidays_in_year(2026)[0].date, date(2026, 8, 14));
        assert!(reg.get("us-federal").is_ok());
    }

    #[test]
    fn effective_dates_limit_the_holidays() {
        let text = "id = \"c\"\nname = \"C\"\nkind = \"court\"\nsource = \"s\"\nversion = \"1\"\neffective_from = 2026-07-01\neffective_until = \"2027-06-30\"\n[[holiday]]\nname = \"Founders Day\"\nmonth = 3\nday = 10\n";
        let c = parse_calendar("c.toml", text).unwrap();
        assert!(c.holidays_in_year(2026).is_empty());
        assert_eq!(c.holidays_in_year(2027)[0].date, date(2027, 3, 10));
        assert!(c.holidays_in_year(2028).is_empty());
    }

    #[test]
    fn unknown_calendar_lists_known_ids() {
        let err = CalendarRegistry::builtin().select(&["us-xx"]).unwrap_err();
        assert_eq!(err.code(), "unknown_calendar");
        assert!(err.to_string().contains("us-federal"));
    }
}
