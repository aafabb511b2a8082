//! Deadlines on matters and assignments, as the store keeps them and the UI shows
//! them. The computation itself lives in `mandate-deadlines`; this module holds the
//! shapes that cross into the store, the CLI and the window.

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
    pub id: String,
    pub matter_id: String,
    /// The matter's number, for lists across matters.
    pub matter_number: String,
    pub assignment_id: Option<String>,
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
    pub serves_id: Option<String>,
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
    pub matter_id: String,
    #[serde(default)]
    #[ts(optional)]
    pub assignment_id: Option<String>,
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
    pub serves_id: Option<String>,
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
    pub matter_id: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub assignment_id: Option<String>,
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

/// How one deadline moved when its trigger changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MovedDeadline {
    pub id: String,
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
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        Self {
            vendor_buffer_court_days: 3,
            // A week before, and the day before.
            default_reminders: vec![7 * 24 * 60, 24 * 60],
        }
    }
}

/// Longest title of a deadline.
pub const TITLE_MAX: usize = 200;
/// Longest reminder lead: a year.
pub const REMINDER_MAX_MINUTES: u32 = 366 * 24 * 60;
