//! The one error type of the deadline engine.
//!
//! Every variant has a stable machine code ([`DeadlineError::code`]) that the UI and the
//! CLI can act on, and a message that says what was wrong and what to do about it.
//! Serialized, an error is `{"code": "...", "message": "..."}` so it can cross the IPC
//! boundary without becoming a bare string.

use std::path::PathBuf;

use serde::ser::SerializeStruct;

/// Lowest and highest year the engine computes for. Outside this range the holiday
/// rules are not meaningful (and a typo like `20266` is far more likely than a real
/// deadline).
pub const MIN_YEAR: i16 = 1900;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i16 = 2200;
/// Longest period in days the engine accepts (about ten years).
pub const MAX_DAYS: i64 = 3650;
/// Longest period in hours the engine accepts.
pub const MAX_HOURS: i64 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum DeadlineError {
    #[error(
        "\"{input}\" is not a valid date: {reason}. Enter the date as YYYY-MM-DD, e.g. 2026-03-02."
    )]
    InvalidDate { input: String, reason: String },

    #[error(
        "\"{input}\" is not a valid time: {reason}. Enter the time as HH:MM or HH:MM:SS (24-hour clock), e.g. 14:30."
    )]
    InvalidTime { input: String, reason: String },

    #[error(
        "year {year} is outside the supported range {MIN_YEAR}–{MAX_YEAR}. Check the date for a typo."
    )]
    YearOutOfRange { year: i64 },

    #[error(
        "a period of {value} {unit} is not accepted: {reason}. Enter a whole number from 1 to {max} {unit}."
    )]
    InvalidPeriod {
        value: i64,
        unit: &'static str,
        max: i64,
        reason: &'static str,
    },

    #[error(
        "a period stated in hours is counted from the moment of the event (FRCP 6(a)(2)), so it needs the event's time. Give the trigger as YYYY-MM-DDTHH:MM, e.g. 2026-03-02T14:30."
    )]
    HoursNeedTime,

    #[error(
        "unknown calendar \"{id}\". Known calendars: {known}. Add a calendar file for it or pick one of these."
    )]
    UnknownCalendar { id: String, known: String },

    #[error("unknown rule \"{id}\". Known rules: {known}.")]
    UnknownRule { id: String, known: String },

    #[error("unknown chain \"{id}\". Known chains: {known}.")]
    UnknownChain { id: String, known: String },

    #[error(
        "unknown time zone \"{name}\". Use an IANA time zone name such as America/New_York or America/Los_Angeles."
    )]
    UnknownTimeZone { name: String },

    #[error(
        "{file}:{line}:{column}: {message}. Fix this line; the other calendar files were still loaded."
    )]
    CalendarSyntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{file}: {message}. Fix the file; the other calendar files were still loaded.")]
    InvalidCalendar { file: String, message: String },

    #[error("{file}:{line}:{column}: {message}. Fix this line in the rule file.")]
    RuleSyntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{file}: {message}. Fix the rule file.")]
    InvalidRule { file: String, message: String },

    #[error("could not read {}: {source}. Check that the path exists and is readable.", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("calendar export: deadline \"{id}\": {message}")]
    InvalidEvent { id: String, message: String },

    #[error(
        "the computation left the range of dates the engine supports ({detail}). Check the trigger date and period."
    )]
    DateArithmetic { detail: String },
}

impl DeadlineError {
    /// A stable, machine-readable code for this error. The UI branches on it; never
    /// change an existing code.
    pub fn code(&self) -> &'static str {
        match self {
            DeadlineError::InvalidDate { .. } => "invalid_date",
            DeadlineError::InvalidTime { .. } => "invalid_time",
            DeadlineError::YearOutOfRange { .. } => "year_out_of_range",
            DeadlineError::InvalidPeriod { .. } => "invalid_period",
            DeadlineError::HoursNeedTime => "hours_need_time",
            DeadlineError::UnknownCalendar { .. } => "unknown_calendar",
            DeadlineError::UnknownRule { .. } => "unknown_rule",
            DeadlineError::UnknownChain { .. } => "unknown_chain",
            DeadlineError::UnknownTimeZone { .. } => "unknown_time_zone",
            DeadlineError::CalendarSyntax { .. } => "calendar_syntax",
            DeadlineError::InvalidCalendar { .. } => "invalid_calendar",
            DeadlineError::RuleSyntax { .. } => "rule_syntax",
            DeadlineError::InvalidRule { .. } => "invalid_rule",
            DeadlineError::Io { .. } => "io",
            DeadlineError::InvalidEvent { .. } => "invalid_event",
            DeadlineError::DateArithmetic { .. } => "date_out_of_range",
        }
    }

    pub(crate) fn arithmetic(err: jiff::Error) -> Self {
        DeadlineError::DateArithmetic {
            detail: err.to_string(),
        }
    }
}

impl serde::Serialize for DeadlineError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("DeadlineError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// Turns a byte offset in `text` into a 1-based (line, column).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Converts a TOML error into (line, column, message) against its source text.
pub(crate) fn toml_position(text: &str, err: &toml::de::Error) -> (usize, usize, String) {
    let (line, column) = err.span().map_or((1, 1), |span| line_col(text, span.start));
    (line, column, err.message().trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nb = [\nc";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 8), (2, 3));
    }

    #[test]
    fn error_serializes_as_code_and_message() {
        let err = DeadlineError::UnknownCalendar {
            id: "xx".into(),
            known: "us-federal".into(),
        };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "unknown_calendar");
        assert!(json["message"].as_str().unwrap().contains("us-federal"));
    }
}
