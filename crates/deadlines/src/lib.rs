//! Mandate's deadline engine.
//!
//! Pure computation of court deadlines: periods under FRCP 6(a) (calendar days, court
//! or business days, hours) with the FRCP 6(d) service extension and the end of the
//! last day in the court's time zone; holiday calendars and rule sets as data; and
//! iCalendar export. Every result explains itself step by step, with the rule cited.
//!
//! Why a crate of its own: deadlines are the part of the app where a bug costs a
//! client their case, so the logic lives where it can be tested exhaustively (unit and
//! property tests) with no database, UI or clock in the way. Nothing here does I/O
//! except [`calendar::load_calendar_dir`], the loader for user calendar files, and
//! nothing depends on tauri: the desktop app and the CLI call the same functions.

pub mod calendar;
pub mod dates;
pub mod error;
pub mod ical;
pub mod period;
pub mod rules;

pub use calendar::{Calendar, CalendarKind, CalendarRegistry, CalendarSet, Holiday};
pub use dates::{parse_date, parse_time, parse_trigger};
pub use error::DeadlineError;
pub use ical::{Alarm, EventTime, ExportOptions, ExportedDeadline, to_ical};
pub use period::{
    CountingMethod, Deadline, Direction, ExtensionMode, Filing, Period, PeriodRequest, Service,
    ServiceExtension, Step, StepKind, compute, legal_holidays,
};
pub use rules::{Chain, Moved, Rule, RuleSet, builtin_rule_sets, recompute};
