//! Deadlines on matters and assignments, as the store keeps them and the UI shows
//! them. The computation itself lives in `mandate-deadlines`; this module holds the
//! shapes that cross into the store, the CLI and the window.

use crate::ids::{AssignmentId, DeadlineId, MatterId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Set by a court or a rule of procedure.
    Court,
    /// The firm's own target.
    Internal,
    /// What a provider must deliver by; usually serves a court deadline.
    Vendor,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Court => "court",
            Self::Internal => "internal",
            Self::Vendor => "vendor",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "court" => Ok(Self::Court),
            "internal" => Ok(Self::Internal),
            "vendor" => Ok(Self::Vendor),
            other => Err(Error::invalid(
                "kind",
                format!("Unknown deadline kind \"{other}\": use court, internal or vendor."),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    Open,
    Done,
}

/// How days are counted (mirrors `mandate_deadlines::CountingMethod`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CountingMethod {
    /// FRCP 6(a)(1): every day counts; a last day on a weekend or holiday rolls.
    #[default]
    Calendar,
    /// Only days the court is open count.
    Court,
    /// Only weekdays that are not federal or state holidays count.
    Business,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CountDirection {
    #[default]
    After,
    Before,
}

/// How the triggering paper was served (FRCP 5(b)(2)); mail, clerk and other
/// consented means add 3 days under FRCP 6(d).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ServiceMethod {
    Electronic,
    Personal,
    Mail,
    Clerk,
    Other,
}

/// One line of a deadline's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeadlineStep {
    /// trigger, count, skip, roll, service_extension, end_of_day, note
    pub kind: String,
    pub text: String,
    pub date: Option<String>,
    pub citation: Option<String>,
}

/// A deadline as stored, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Deadline {
    pub id: DeadlineId,
    pub matter_id: MatterId,
    /// The matter's number, for lists across matters.
    pub matter_number: String,
    pub assignment_id: Option<AssignmentId>,
    pub kind: DeadlineKind,
    pub title: String,
    /// The rule it was computed from (`answer`, `motion-response`, ...), if any.
    pub rule_id: Option<String>,
    pub citation: Option<String>,
    /// `YYYY-MM-DD`; absent for a date entered by hand.
    pub trigger_date: Option<String>,
    pub trigger_name: Option<String>,
    /// The last day, `YYYY-MM-DD`.
    pub due_date: String,
    /// The last moment in the court's time zone, when computed.
    pub due_at: Option<String>,
    pub time_zone: String,
    pub steps: Vec<DeadlineStep>,
    /// What a person must check that the engine cannot know.
    pub verify: Vec<String>,
    /// For a vendor deadline: the court deadline it serves.
    pub serves_id: Option<DeadlineId>,
    /// Problems worth a look, e.g. too little time between a vendor's due date and
    /// the court date it serves. Computed when read.
    pub warnings: Vec<String>,
    pub status: DeadlineStatus,
    pub done_by: Option<String>,
    pub done_at: Option<String>,
    /// Reminder lead times in minutes before the start of the due day.
    pub reminders: Vec<u32>,
    /// Raised whenever the due date is recomputed (iCalendar SEQUENCE).
    #[ts(type = "number")]
    pub sequence: i64,
    #[ts(type = "number")]
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// What a person fills in to add a deadline. Either a rule (`rule_id` + `trigger`),
/// or a period (`days` + `trigger`, with method, direction and service), or a date
/// entered by hand (`due_date`, when no rule applies).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeadlineDraft {
    pub matter_id: MatterId,
    #[serde(default)]
    #[ts(optional)]
    pub assignment_id: Option<AssignmentId>,
    #[serde(default = "default_kind")]
    #[ts(optional, as = "Option<DeadlineKind>")]
    pub kind: DeadlineKind,
    /// Defaults to the rule's name.
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub rule_id: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub trigger: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub days: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub method: Option<CountingMethod>,
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<CountDirection>,
    #[serde(default)]
    #[ts(optional)]
    pub service: Option<ServiceMethod>,
    /// Holiday calendars; `us-federal` when absent.
    #[serde(default)]
    #[ts(optional)]
    pub calendars: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub due_date: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub serves_id: Option<DeadlineId>,
    #[serde(default)]
    #[ts(optional)]
    pub reminders: Option<Vec<u32>>,
}

fn default_kind() -> DeadlineKind {
    DeadlineKind::Court
}

impl Default for DeadlineKind {
    fn default() -> Self {
        default_kind()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeadlineFilter {
    #[serde(default)]
    #[ts(optional)]
    pub matter_id: Option<MatterId>,
    #[serde(default)]
    #[ts(optional)]
    pub assignment_id: Option<AssignmentId>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<DeadlineStatus>,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<String>,
}

/// Open deadlines across all matters, in the buckets a paralegal checks each morning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    pub today: String,
    pub overdue: Vec<Deadline>,
    pub due_today: Vec<Deadline>,
    /// Tomorrow through 7 days from today.
    pub next_7_days: Vec<Deadline>,
    /// 8 through 30 days from today.
    pub next_30_days: Vec<Deadline>,
}

/// The last day of the "next 7 days" bucket, in days from today.
pub const NEXT_WEEK_DAYS: i64 = 7;
/// The last day of the "next 30 days" bucket, in days from today.
pub const NEXT_MONTH_DAYS: i64 = 30;

/// Which bucket of the [`Dashboard`] an open deadline due on `due` falls in, seen
/// from `today`; `None` after the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bucket {
    Overdue,
    DueToday,
    NextWeek,
    NextMonth,
}

impl Bucket {
    pub fn of(due: jiff::civil::Date, today: jiff::civil::Date) -> Option<Bucket> {
        let days = crate::dates::days_between(today, due);
        match days {
            d if d < 0 => Some(Bucket::Overdue),
            0 => Some(Bucket::DueToday),
            d if d <= NEXT_WEEK_DAYS => Some(Bucket::NextWeek),
            d if d <= NEXT_MONTH_DAYS => Some(Bucket::NextMonth),
            _ => None,
        }
    }
}

/// A rule a person can pick when adding a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    /// The event that starts the period.
    pub trigger: String,
    pub citation: String,
    /// "21 calendar days after", "7 days before", ...
    pub period: String,
}

/// An open deadline counted with a holiday calendar whose file has changed since (a
/// court closure added, a holiday removed): it may no longer be right until it is
/// recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarChange {
    pub deadline_id: DeadlineId,
    pub matter_number: String,
    pub title: String,
    pub due_date: String,
    /// The calendar that changed (or is gone).
    pub calendar: String,
}

/// How one deadline moved when its trigger changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MovedDeadline {
    pub id: DeadlineId,
    pub title: String,
    pub old_due: String,
    pub new_due: String,
}

/// A reminder that is due now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeadlineReminder {
    pub deadline: Deadline,
    pub lead_minutes: u32,
    /// True when the reminder's moment passed while Mandate was not running.
    pub missed: bool,
}

/// Firm-wide deadline settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeadlineSettings {
    /// Court days a vendor deadline must leave before the court deadline it serves.
    pub vendor_buffer_court_days: u32,
    /// Reminder lead times (minutes before the due day) for new deadlines.
    pub default_reminders: Vec<u32>,
    /// Whether desktop notifications name the matter (its number) and the deadline.
    /// Off unless the firm turns it on: notifications can show on a locked screen,
    /// and a matter number or a deadline's title can tell who the client is.
    /// Settings saved before it existed read as off.
    #[serde(default)]
    pub notification_titles: bool,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        Self {
            vendor_buffer_court_days: 3,
            // A week before, and the day before.
            default_reminders: vec![7 * 24 * 60, 24 * 60],
            notification_titles: false,
        }
    }
}

/// A reminder lead time in words: "7 days", "1 day", "1 hour", "90 minutes".
pub fn lead_time_words(minutes: u32) -> String {
    const DAY: u32 = 24 * 60;
    let (n, unit) = if minutes > 0 && minutes.is_multiple_of(DAY) {
        (minutes / DAY, "day")
    } else if minutes > 0 && minutes.is_multiple_of(60) {
        (minutes / 60, "hour")
    } else {
        (minutes, "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// When a reminder's deadline is due: "due today", "was due 2026-03-02", "due in
/// 1 day (2026-03-03)", or "due 2026-03-03" for a lead-time reminder that came while
/// Mandate was closed (its lead time has passed, so "in 1 day" may be wrong).
pub fn reminder_due_words(r: &DeadlineReminder) -> String {
    let date = &r.deadline.due_date;
    match (r.lead_minutes, r.missed) {
        (0, false) => "due today".to_owned(),
        (0, true) => format!("was due {date}"),
        (m, false) => format!("due in {} ({date})", lead_time_words(m)),
        (_, true) => format!("due {date}"),
    }
}

/// A desktop notification: its title line and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The desktop notifications for reminders raised together. With
/// `notification_titles` (a deadline setting) each reminder gets one naming the
/// matter number and the deadline's title. Without it — the default, since
/// notifications show on a locked screen — they name no matter, client or
/// deadline: one notification says what is due, and the window tells which.
pub fn reminder_notices(due: &[DeadlineReminder], notification_titles: bool) -> Vec<Notice> {
    if notification_titles {
        return due
            .iter()
            .map(|r| Notice {
                title: format!(
                    "Matter {}: deadline {}",
                    r.deadline.matter_number,
                    reminder_due_words(r)
                ),
                body: r.deadline.title.clone(),
            })
            .collect();
    }
    match due {
        [] => Vec::new(),
        [r] => vec![Notice {
            title: format!("Deadline {}", reminder_due_words(r)),
            body: "On one of your matters. Open Mandate to see which.".to_owned(),
        }],
        _ => {
            // "2 due today, 1 due in 7 days (2026-03-09)", in the order raised.
            let mut counts: Vec<(String, usize)> = Vec::new();
            for r in due {
                let words = reminder_due_words(r);
                match counts.iter_mut().find(|(w, _)| *w == words) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((words, 1)),
                }
            }
            let summary: Vec<String> = counts.iter().map(|(w, n)| format!("{n} {w}")).collect();
            vec![Notice {
                title: format!("{} deadline reminders", due.len()),
                body: format!("{}. Open Mandate to see which matters.", summary.join(", ")),
            }]
        }
    }
}

/// Longest title of a deadline.
pub const TITLE_MAX: usize = 200;
/// Longest reminder lead: a year.
pub const REMINDER_MAX_MINUTES: u32 = 366 * 24 * 60;

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Each day falls in exactly the bucket its distance says, and a later due
        /// date is never in an earlier bucket.
        #[test]
        fn buckets_follow_the_distance_in_days(a in -400i64..400, b in -400i64..400) {
            let today = jiff::civil::date(2026, 11, 27);
            let on = |n: i64| today.checked_add(jiff::Span::new().days(n)).unwrap();
            let expected = |n: i64| match n {
                n if n < 0 => Some(Bucket::Overdue),
                0 => Some(Bucket::DueToday),
                1..=7 => Some(Bucket::NextWeek),
                8..=30 => Some(Bucket::NextMonth),
                _ => None,
            };
            proptest::prop_assert_eq!(Bucket::of(on(a), today), expected(a));
            if a <= b {
                let (x, y) = (Bucket::of(on(a), today), Bucket::of(on(b), today));
                if let (Some(x), Some(y)) = (x, y) {
                    proptest::prop_assert!(x <= y);
                }
            }
        }
    }

    fn reminder(number: &str, title: &str, due: &str, lead: u32, missed: bool) -> DeadlineReminder {
        DeadlineReminder {
            deadline: Deadline {
                id: format!("d-{number}-{lead}").into(),
                matter_id: format!("m-{number}").into(),
                matter_number: number.to_owned(),
                assignment_id: None,
                kind: DeadlineKind::Court,
                title: title.to_owned(),
                rule_id: None,
                citation: None,
                trigger_date: None,
                trigger_name: None,
                due_date: due.to_owned(),
                due_at: None,
                time_zone: "America/New_York".to_owned(),
                steps: Vec::new(),
                verify: Vec::new(),
                serves_id: None,
                warnings: Vec::new(),
                status: DeadlineStatus::Open,
                done_by: None,
                done_at: None,
                reminders: vec![lead],
                sequence: 0,
                revision: 1,
                created_at: "2026-03-01T00:00:00Z".to_owned(),
                updated_at: "2026-03-01T00:00:00Z".to_owned(),
            },
            lead_minutes: lead,
            missed,
        }
    }

    #[test]
    fn lead_times_are_worded_with_the_right_plural() {
        assert_eq!(lead_time_words(60), "1 hour");
        assert_eq!(lead_time_words(120), "2 hours");
        assert_eq!(lead_time_words(24 * 60), "1 day");
        assert_eq!(lead_time_words(7 * 24 * 60), "7 days");
        assert_eq!(lead_time_words(1), "1 minute");
        assert_eq!(lead_time_words(90), "90 minutes");
        assert_eq!(lead_time_words(0), "0 minutes");
    }

    #[test]
    fn notifications_name_no_matter_or_deadline_unless_the_setting_is_on() {
        let one = [reminder(
            "2026-0012",
            "Answer for Acme Corp",
            "2026-03-02",
            0,
            false,
        )];
        let off = reminder_notices(&one, false);
        assert_eq!(
            off,
            [Notice {
                title: "Deadline due today".to_owned(),
                body: "On one of your matters. Open Mandate to see which.".to_owned(),
            }]
        );
        for n in &off {
            for secret in ["2026-0012", "Acme", "Answer"] {
                assert!(
                    !n.title.contains(secret) && !n.body.contains(secret),
                    "{n:?}"
                );
            }
        }
        assert_eq!(
            reminder_notices(&one, true),
            [Notice {
                title: "Matter 2026-0012: deadline due today".to_owned(),
                body: "Answer for Acme Corp".to_owned(),
            }]
        );
    }

    #[test]
    fn several_reminders_make_one_anonymous_notification_or_one_each_with_titles() {
        let due = [
            reminder("2026-0012", "Answer", "2026-03-02", 0, true),
            reminder("2026-0013", "Reply", "2026-03-09", 7 * 24 * 60, false),
            reminder("2026-0014", "Brief", "2026-03-09", 7 * 24 * 60, false),
            reminder("2026-0015", "Hearing", "2026-03-03", 60, false),
        ];
        assert_eq!(
            reminder_notices(&due, false),
            [Notice {
                title: "4 deadline reminders".to_owned(),
                body: "1 was due 2026-03-02, 2 due in 7 days (2026-03-09), \
                       1 due in 1 hour (2026-03-03). Open Mandate to see which matters."
                    .to_owned(),
            }]
        );
        let titled = reminder_notices(&due, true);
        assert_eq!(titled.len(), 4);
        assert_eq!(
            titled[0].title,
            "Matter 2026-0012: deadline was due 2026-03-02"
        );
        assert_eq!(
            titled[1].title,
            "Matter 2026-0013: deadline due in 7 days (2026-03-09)"
        );
        assert_eq!(
            titled[3].title,
            "Matter 2026-0015: deadline due in 1 hour (2026-03-03)"
        );
        assert_eq!(titled[3].body, "Hearing");
        assert!(reminder_notices(&[], false).is_empty());
        // A lead-time reminder that came while Mandate was closed gives the date only.
        let late = [reminder("2026-0016", "Motion", "2026-03-04", 24 * 60, true)];
        assert_eq!(
            reminder_notices(&late, false)[0].title,
            "Deadline due 2026-03-04"
        );
    }

    #[test]
    fn settings_saved_before_the_notification_setting_read_as_off() {
        let old: DeadlineSettings =
            serde_json::from_str(r#"{"vendor_buffer_court_days":5,"default_reminders":[1440]}"#)
                .unwrap();
        assert!(!old.notification_titles);
        assert_eq!(old.vendor_buffer_court_days, 5);
        assert!(!DeadlineSettings::default().notification_titles);
    }
}
