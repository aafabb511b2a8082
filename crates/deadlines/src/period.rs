//! Period computation under FRCP 6(a) and 6(d).
//!
//! [`compute`] is a pure function: a [`PeriodRequest`] and the selected calendars in,
//! a [`Deadline`] out. Every result carries its explanation: the trigger, each step,
//! every day skipped and why, and the rule cited, so a lawyer can check the arithmetic
//! instead of trusting it.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp, ZonedDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarKind, CalendarSet, HolidayIndex};
use crate::dates::{
    check_year, display_date, display_datetime, is_weekend, step_day, weekday_name,
};
use crate::error::{DeadlineError, MAX_DAYS, MAX_HOURS, MAX_YEAR, MIN_YEAR};

/// The court time zone used when none is given.
pub const DEFAULT_TIME_ZONE: &str = "America/New_York";

/// How the days of a period are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CountingMethod {
    /// FRCP 6(a)(1): every day counts; only the last day is rolled.
    #[default]
    Calendar,
    /// Only days the court is open count: not Saturdays, Sundays, or any holiday of the
    /// selected calendars (federal, state, court closures).
    Court,
    /// Weekdays that are not federal or state legal holidays; a court-only closure
    /// still counts as a business day (but the last day is still rolled off it).
    Business,
}

/// Whether the period runs after the trigger or before it (a hearing, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    After,
    Before,
}

/// A period stated in days or in hours (FRCP 6(a)(1) vs 6(a)(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Days(i64),
    Hours(i64),
}

/// How the paper that starts the period was served (FRCP 5(b)(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// 5(b)(2)(E): no added days since 1 Dec 2016.
    Electronic,
    /// Hand delivery, leaving at the office or dwelling: 5(b)(2)(A)–(B).
    Personal,
    /// 5(b)(2)(C): 3 days added under 6(d).
    Mail,
    /// Leaving with the court clerk, 5(b)(2)(D): 3 days added.
    Clerk,
    /// Other means consented to in writing, 5(b)(2)(F): 3 days added.
    Other,
}

impl Service {
    pub fn adds_days(self) -> bool {
        matches!(self, Service::Mail | Service::Clerk | Service::Other)
    }

    fn describe(self) -> &'static str {
        match self {
            Service::Electronic => "electronically (FRCP 5(b)(2)(E))",
            Service::Personal => "personally (FRCP 5(b)(2)(A)–(B))",
            Service::Mail => "by mail (FRCP 5(b)(2)(C))",
            Service::Clerk => "by leaving it with the clerk (FRCP 5(b)(2)(D))",
            Service::Other => "by other means consented to (FRCP 5(b)(2)(F))",
        }
    }
}

/// When the FRCP 6(d) days are added. Configurable because practice has varied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionMode {
    /// Compute the Rule 6(a) date (rolled), add the days, roll again (the reading of
    /// the 2005 Advisory Committee Note).
    #[default]
    AfterPeriod,
    /// Add the days to the period and count once (the pre-2005 practice of some
    /// courts).
    AddToPeriod,
}

/// The FRCP 6(d) extension for service by mail, clerk or other consented means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceExtension {
    pub days: i64,
    pub mode: ExtensionMode,
}

impl Default for ServiceExtension {
    fn default() -> Self {
        ServiceExtension {
            days: 3,
            mode: ExtensionMode::AfterPeriod,
        }
    }
}

/// When the last day ends (FRCP 6(a)(4)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Filing {
    /// Midnight in the court's time zone: due at 23:59:59 local time.
    #[default]
    Electronic,
    /// When the clerk's office is scheduled to close.
    Paper { clerk_closes: Time },
}

/// Everything one computation needs besides the calendars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRequest {
    pub trigger: Date,
    /// Local time of the event in the court's time zone; required for hours.
    pub trigger_time: Option<Time>,
    /// What the event is ("service of the motion"), for the explanation.
    pub trigger_name: Option<String>,
    pub period: Period,
    pub method: CountingMethod,
    pub direction: Direction,
    pub service: Option<Service>,
    pub service_extension: ServiceExtension,
    /// IANA name of the court's time zone.
    pub time_zone: String,
    pub filing: Filing,
}

impl PeriodRequest {
    /// A calendar-day period after `trigger`, electronic filing in New York time.
    pub fn days(trigger: Date, days: i64) -> Self {
        PeriodRequest {
            trigger,
            trigger_time: None,
            trigger_name: None,
            period: Period::Days(days),
            method: CountingMethod::Calendar,
            direction: Direction::After,
            service: None,
            service_extension: ServiceExtension::default(),
            time_zone: DEFAULT_TIME_ZONE.to_string(),
            filing: Filing::Electronic,
        }
    }
}

/// What kind of step an explanation line is, for the UI to style and filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Trigger,
    Count,
    Skip,
    Roll,
    ServiceExtension,
    EndOfDay,
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// A day passed over while counting or rolling, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDay {
    pub date: Date,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// The rule a deadline was computed for, when it came from a rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    pub id: String,
    pub name: String,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerInfo {
    pub date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A computed deadline and how it was reached. Field order is the JSON order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The last day, `YYYY-MM-DD`.
    pub due: Date,
    /// The last moment, in the court's time zone (RFC 9557, e.g.
    /// `2026-03-23T23:59:59-04:00[America/New_York]`).
    pub due_at: String,
    pub due_at_utc: Timestamp,
    pub time_zone: String,
    pub trigger: TriggerInfo,
    pub period: Period,
    pub method: CountingMethod,
    pub direction: Direction,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    pub calendars: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef>,
    pub steps: Vec<Step>,
    pub skipped: Vec<SkippedDay>,
    pub citations: Vec<String>,
    /// Points a person must check; the engine cannot know them.
    pub verify: Vec<String>,
}

struct Explainer<'a> {
    index: &'a HolidayIndex,
    forward: bool,
    steps: Vec<Step>,
    skipped: Vec<SkippedDay>,
}

impl Explainer<'_> {
    fn step(&mut self, kind: StepKind, date: Option<Date>, citation: Option<&str>, text: String) {
        self.steps.push(Step {
            kind,
            text,
            date,
            citation: citation.map(str::to_string),
        });
    }

    /// Why `date` is not a day a period may end on (or, with `counting_filter`, not a
    /// day that counts), or `None` if it is.
    fn closed_reason(
        &self,
        date: Date,
        filter: impl Fn(CalendarKind) -> bool,
    ) -> Option<(String, Option<String>)> {
        if is_weekend(date) {
            return Some((weekday_name(date.weekday()).to_string(), None));
        }
        self.index
            .holiday_on(date, self.forward, |h| filter(h.kind))
            .map(|h| (h.describe(), Some(h.calendar.clone())))
    }

    fn skip(&mut self, date: Date, reason: String, calendar: Option<String>, why: &str) {
        let cal = calendar
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        self.step(
            StepKind::Skip,
            Some(date),
            None,
            format!("{}: {reason}{cal}{why}", display_date(date)),
        );
        self.skipped.push(SkippedDay {
            date,
            reason,
            calendar,
        });
    }

    /// FRCP 6(a)(1)(C) / 6(a)(2)(C) with 6(a)(5): move off a Saturday, Sunday or legal
    /// holiday, forward or (for backward periods) earlier.
    fn roll(&mut self, date: Date, citation: &str) -> Result<Date, DeadlineError> {
        let mut d = date;
        while let Some((reason, cal)) = self.closed_reason(d, |_| true) {
            self.skip(d, reason, cal, "");
            d = step_day(d, self.forward)?;
        }
        if d != date {
            let which = if self.forward {
                "the next day"
            } else {
                "the day before (counting backward, FRCP 6(a)(5))"
            };
            self.step(
                StepKind::Roll,
                Some(d),
                Some(citation),
                format!(
                    "{} is a Saturday, Sunday or legal holiday, so the period runs until {which} that is none of those: {} ({citation}).",
                    display_date(date),
                    display_date(d)
                ),
            );
        } else if let Some(h) = self.index.ignored_state_holiday(d, self.forward) {
            let text = format!(
                "{} is {} ({}), a state holiday; state holidays are legal holidays only for periods counted forward (FRCP 6(a)(6)(C)), so it is not skipped.",
                display_date(d),
                h.describe(),
                h.calendar
            );
            self.step(StepKind::Note, Some(d), Some("FRCP 6(a)(6)(C)"), text);
        }
        Ok(d)
    }
}

fn validate_period(period: Period) -> Result<(), DeadlineError> {
    let (value, unit, max) = match period {
        Period::Days(n) => (n, "days", MAX_DAYS),
        Period::Hours(n) => (n, "hours", MAX_HOURS),
    };
    let reason = if value < 1 {
        "a period must be at least 1"
    } else if value > max {
        "that is longer than any rule provides; it is probably a typo"
    } else {
        return Ok(());
    };
    Err(DeadlineError::InvalidPeriod {
        value,
        unit,
        max,
        reason,
    })
}

fn add_days(date: Date, days: i64) -> Result<Date, DeadlineError> {
    date.checked_add(Span::new().days(days))
        .map_err(DeadlineError::arithmetic)
}

/// Computes one deadline. Pure: no clock, no files; `calendars` are already loaded.
pub fn compute(req: &PeriodRequest, calendars: &CalendarSet) -> Result<Deadline, DeadlineError> {
    validate_period(req.period)?;
    check_year(i64::from(req.trigger.year()))?;
    let tz = TimeZone::get(&req.time_zone).map_err(|_| DeadlineError::UnknownTimeZone {
        name: req.time_zone.clone(),
    })?;
    let forward = req.direction == Direction::After;
    let extension_days = match req.service {
        Some(s) if s.adds_days() && forward => req.service_extension.days.clamp(0, 30),
        _ => 0,
    };

    // Index holidays over every year the computation can touch. Court-day counting
    // covers about 1.5 calendar days per counted day, so allow twice the period.
    let span_days = match req.period {
        Period::Days(n) => n * 2,
        Period::Hours(h) => h / 24 + 1,
    } + extension_days
        + 60;
    let span_years = i16::try_from(span_days / 365 + 1).unwrap_or(MAX_YEAR);
    let year = req.trigger.year();
    let (from, to) = if forward {
        (year - 1, year.saturating_add(span_years))
    } else {
        (year.saturating_sub(span_years), year + 1)
    };
    let index = calendars.index(from.max(MIN_YEAR - 1), to.min(MAX_YEAR + 1));

    let mut ex = Explainer {
        index: &index,
        forward,
        steps: Vec::new(),
        skipped: Vec::new(),
    };
    let trigger_name = req
        .trigger_name
        .as_deref()
        .unwrap_or("the triggering event");
    let way = if forward { "after" } else { "before" };
    let mut verify = vec![
        "FRCP 6(a)(3): if the clerk's office is inaccessible on the last day (weather, outage), the period is extended; closures not in the selected calendars are unknown to this computation.".to_string(),
        "Local rules, standing orders and court orders can set different periods; check them.".to_string(),
    ];

    let due_at: ZonedDateTime = match req.period {
        Period::Days(n) => {
            let n =
                if extension_days > 0 && req.service_extension.mode == ExtensionMode::AddToPeriod {
                    n + extension_days
                } else {
                    n
                };
            ex.step(
                StepKind::Trigger,
                Some(req.trigger),
                Some("FRCP 6(a)(1)(A)"),
                format!(
                    "Trigger: {trigger_name} on {}. The day of the event is not counted (FRCP 6(a)(1)(A)).",
                    display_date(req.trigger)
                ),
            );
            let last = count_days(&mut ex, req, n)?;
            let mut due = ex.roll(last, "FRCP 6(a)(1)(C)")?;
            if extension_days > 0 {
                due = extend_for_service(&mut ex, req, due, extension_days, &mut verify)?;
            } else {
                note_service(&mut ex, req, forward);
            }
            end_of_day(&mut ex, req, due, &tz, &mut verify)?
        }
        Period::Hours(h) => {
            let time = req.trigger_time.ok_or(DeadlineError::HoursNeedTime)?;
            let start = tz
                .to_zoned_datetime(req.trigger.to_datetime(time))
                .map_err(DeadlineError::arithmetic)?;
            ex.step(
                StepKind::Trigger,
                Some(req.trigger),
                Some("FRCP 6(a)(2)(A)"),
                format!(
                    "Trigger: {trigger_name} at {} {}. Counting begins immediately (FRCP 6(a)(2)(A)).",
                    display_datetime(start.datetime()),
                    req.time_zone
                ),
            );
            let signed = if forward { h } else { -h };
            let end = start
                .checked_add(SignedDuration::from_hours(signed))
                .map_err(DeadlineError::arithmetic)?;
            ex.step(
                StepKind::Count,
                Some(end.date()),
                Some("FRCP 6(a)(2)(B)"),
                format!(
                    "Counted {h} hours {way}, every hour including those on Saturdays, Sundays and legal holidays (FRCP 6(a)(2)(B)): {} {}.",
                    display_datetime(end.datetime()),
                    req.time_zone
                ),
            );
            let mut end = same_time_on(&end, ex.roll(end.date(), "FRCP 6(a)(2)(C)")?)?;
            if extension_days > 0 {
                let day =
                    extend_for_service(&mut ex, req, end.date(), extension_days, &mut verify)?;
                end = same_time_on(&end, day)?;
            } else {
                note_service(&mut ex, req, forward);
            }
            ex.step(
                StepKind::EndOfDay,
                Some(end.date()),
                Some("FRCP 6(a)(2)"),
                format!(
                    "A period in hours ends at the computed time, not at the end of the day: due {} {} ({}).",
                    display_datetime(end.datetime()),
                    req.time_zone,
                    end.timestamp()
                ),
            );
            end
        }
    };

    let due = due_at.date();
    check_year(i64::from(due.year()))?;
    if !forward && index.ignored_state_holiday(due, false).is_some() {
        verify.push("A state holiday was disregarded because the period runs backward (FRCP 6(a)(6)(C)); confirm the court treats it so.".into());
    }
    let mut citations: Vec<String> = Vec::new();
    for s in &ex.steps {
        if let Some(c) = &s.citation
            && !citations.contains(c)
        {
            citations.push(c.clone());
        }
    }
    Ok(Deadline {
        due,
        due_at: due_at.to_string(),
        due_at_utc: due_at.timestamp(),
        time_zone: req.time_zone.clone(),
        trigger: TriggerInfo {
            date: req.trigger,
            time: req.trigger_time,
            name: req.trigger_name.clone(),
        },
        period: req.period,
        method: req.method,
        direction: req.direction,
        service: req.service,
        calendars: calendars.ids(),
        rule: None,
        steps: ex.steps,
        skipped: ex.skipped,
        citations,
        verify,
    })
}

/// Counts `n` days from the trigger by the request's method; returns the last day
/// before any rolling.
fn count_days(ex: &mut Explainer<'_>, req: &PeriodRequest, n: i64) -> Result<Date, DeadlineError> {
    let way = if ex.forward { "after" } else { "before" };
    match req.method {
        CountingMethod::Calendar => {
            let last = add_days(req.trigger, if ex.forward { n } else { -n })?;
            ex.step(
                StepKind::Count,
                Some(last),
                Some("FRCP 6(a)(1)(B)"),
                format!(
                    "Counted {n} calendar days {way}, including intermediate Saturdays, Sundays and legal holidays (FRCP 6(a)(1)(B)): day {n} is {}.",
                    display_date(last)
                ),
            );
            Ok(last)
        }
        CountingMethod::Court | CountingMethod::Business => {
            let business = req.method == CountingMethod::Business;
            let (label, excluded) = if business {
                (
                    "business",
                    "Saturdays, Sundays and federal or state legal holidays",
                )
            } else {
                (
                    "court",
                    "Saturdays, Sundays and every holiday or closure of the selected calendars",
                )
            };
            let why = format!(" — not counted as a {label} day");
            let mut d = req.trigger;
            let mut counted = 0;
            while counted < n {
                d = step_day(d, ex.forward)?;
                match ex.closed_reason(d, |k| !business || k != CalendarKind::Court) {
                    Some((reason, cal)) => ex.skip(d, reason, cal, &why),
                    None => counted += 1,
                }
            }
            ex.step(
                StepKind::Count,
                Some(d),
                Some("rule set: period stated in court/business days"),
                format!(
                    "Counted {n} {label} days {way}, leaving out {excluded}: day {n} is {}.",
                    display_date(d)
                ),
            );
            Ok(d)
        }
    }
}

fn extend_for_service(
    ex: &mut Explainer<'_>,
    req: &PeriodRequest,
    due: Date,
    days: i64,
    verify: &mut Vec<String>,
) -> Result<Date, DeadlineError> {
    let how = req.service.map_or("", Service::describe);
    verify.push(format!(
        "FRCP 6(d): the {days} added days are configurable (when they are added and whether the date is rolled again); this computation {}. Verify against the 2005 Advisory Committee Note and local practice.",
        match req.service_extension.mode {
            ExtensionMode::AfterPeriod => "adds them after the Rule 6(a) date and then rolls again",
            ExtensionMode::AddToPeriod => "adds them to the period and counts once",
        }
    ));
    match req.service_extension.mode {
        ExtensionMode::AddToPeriod => {
            ex.step(
                StepKind::ServiceExtension,
                Some(due),
                Some("FRCP 6(d)"),
                format!(
                    "Served {how}: {days} days were added to the period before counting (FRCP 6(d); setting: add to period)."
                ),
            );
            Ok(due)
        }
        ExtensionMode::AfterPeriod => {
            let extended = add_days(due, days)?;
            ex.step(
                StepKind::ServiceExtension,
                Some(extended),
                Some("FRCP 6(d)"),
                format!(
                    "Served {how}: {days} days are added after the period would otherwise expire under Rule 6(a) (FRCP 6(d)): {} + {days} days = {}. Setting: add after the Rule 6(a) date, then roll again.",
                    display_date(due),
                    display_date(extended)
                ),
            );
            ex.roll(extended, "FRCP 6(a)(1)(C) applied after FRCP 6(d)")
        }
    }
}

fn note_service(ex: &mut Explainer<'_>, req: &PeriodRequest, forward: bool) {
    let Some(service) = req.service else { return };
    let text = if service.adds_days() && !forward {
        "FRCP 6(d) adds days only to periods that run after service; not applied to a period counted backward.".to_string()
    } else if service.adds_days() {
        "FRCP 6(d) extension is set to 0 days; none added.".to_string()
    } else {
        format!(
            "Served {}: no days added (FRCP 6(d) applies only to service under Rule 5(b)(2)(C), (D) or (F)).",
            service.describe()
        )
    };
    ex.step(StepKind::Note, None, Some("FRCP 6(d)"), text);
}

fn end_of_day(
    ex: &mut Explainer<'_>,
    req: &PeriodRequest,
    due: Date,
    tz: &TimeZone,
    verify: &mut Vec<String>,
) -> Result<ZonedDateTime, DeadlineError> {
    let (time, text, citation) = match req.filing {
        Filing::Electronic => (
            Time::constant(23, 59, 59, 0),
            "Electronic filing: the last day ends at midnight in the court's time zone (FRCP 6(a)(4)(A))",
            "FRCP 6(a)(4)(A)",
        ),
        Filing::Paper { clerk_closes } => {
            verify.push(
                "The clerk's office closing time is a setting; check the court's posted hours."
                    .into(),
            );
            (
                clerk_closes,
                "Filing by other means: the last day ends when the clerk's office is scheduled to close (FRCP 6(a)(4)(B))",
                "FRCP 6(a)(4)(B)",
            )
        }
    };
    let at = tz
        .to_zoned_datetime(due.to_datetime(time))
        .map_err(DeadlineError::arithmetic)?;
    ex.step(
        StepKind::EndOfDay,
        Some(due),
        Some(citation),
        format!(
            "{text}: due {} {} {} ({}).",
            display_date(due),
            at.time(),
            req.time_zone,
            at.timestamp()
        ),
    );
    Ok(at)
}

fn same_time_on(zdt: &ZonedDateTime, date: Date) -> Result<ZonedDateTime, DeadlineError> {
    if zdt.date() == date {
        return Ok(zdt.clone());
    }
    zdt.with()
        .date(date)
        .build()
        .map_err(DeadlineError::arithmetic)
}

/// The legal holidays of `calendars` observed in `year` (for listing them).
pub fn legal_holidays(
    calendars: &CalendarSet,
    year: i64,
) -> Result<Vec<crate::calendar::Holiday>, DeadlineError> {
    check_year(year)?;
    Ok(calendars.holidays_in_year(year as i16))
}

#[cfg(test)]
mod tests;
