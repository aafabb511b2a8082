//! Parsing and display of the dates users type and read.
//!
//! Parsing is strict (`YYYY-MM-DD`) and the errors say exactly what was wrong, because
//! a silently "corrected" date is a missed deadline.

use jiff::civil::{Date, DateTime, Time, Weekday};

use crate::error::{DeadlineError, MAX_YEAR, MIN_YEAR};

/// Parses `YYYY-MM-DD`, rejecting impossible dates (2026-02-30) and years outside
/// [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn parse_date(input: &str) -> Result<Date, DeadlineError> {
    let input = input.trim();
    let invalid = |reason: String| DeadlineError::InvalidDate {
        input: input.to_string(),
        reason,
    };
    let parts: Vec<&str> = input.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(invalid("expected three parts, year-month-day".into()));
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(invalid(
            "expected a 4-digit year, 2-digit month and 2-digit day".into(),
        ));
    }
    let number = |s: &str, what: &str| -> Result<i64, DeadlineError> {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(format!("the {what} \"{s}\" is not a number")));
        }
        s.parse::<i64>()
            .map_err(|_| invalid(format!("the {what} \"{s}\" is not a number")))
    };
    let (year, month, day) = (number(y, "year")?, number(m, "month")?, number(d, "day")?);
    check_year(year)?;
    if !(1..=12).contains(&month) {
        return Err(invalid(format!("there is no month {month}")));
    }
    let first = Date::new(year as i16, month as i8, 1).map_err(|e| invalid(e.to_string()))?;
    let days_in_month = i64::from(first.days_in_month());
    if !(1..=days_in_month).contains(&day) {
        return Err(invalid(format!(
            "{} {year} has {days_in_month} days",
            month_name(month as i8)
        )));
    }
    Date::new(year as i16, month as i8, day as i8).map_err(|e| invalid(e.to_string()))
}

/// Parses `HH:MM` or `HH:MM:SS` (24-hour clock).
pub fn parse_time(input: &str) -> Result<Time, DeadlineError> {
    let input = input.trim();
    let invalid = |reason: &str| DeadlineError::InvalidTime {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let parts: Vec<&str> = input.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid("expected HH:MM or HH:MM:SS"));
    }
    let n = |i: usize| parts.get(i).map_or(Ok(0), |p| p.parse::<i8>());
    let (h, m, s) = match (n(0), n(1), n(2)) {
        (Ok(h), Ok(m), Ok(s)) => (h, m, s),
        _ => return Err(invalid("expected HH:MM or HH:MM:SS")),
    };
    Time::new(h, m, s, 0).map_err(|_| invalid("hours run 00–23, minutes and seconds 00–59"))
}

/// Parses a trigger given as `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` (a space may stand
/// for the `T`). The time, when present, is local to the court's time zone.
pub fn parse_trigger(input: &str) -> Result<(Date, Option<Time>), DeadlineError> {
    let input = input.trim();
    match input.split_once(['T', 't', ' ']) {
        Some((date, time)) => Ok((parse_date(date)?, Some(parse_time(time)?))),
        None => Ok((parse_date(input)?, None)),
    }
}

pub(crate) fn check_year(year: i64) -> Result<(), DeadlineError> {
    if (i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&year) {
        Ok(())
    } else {
        Err(DeadlineError::YearOutOfRange { year })
    }
}

/// "Mon 2026-01-19": how every date appears in an explanation.
pub fn display_date(date: Date) -> String {
    format!("{} {date}", weekday_abbrev(date.weekday()))
}

/// Same as [`display_date`] with the time of day.
pub fn display_datetime(dt: DateTime) -> String {
    format!(
        "{} {} {:02}:{:02}",
        weekday_abbrev(dt.date().weekday()),
        dt.date(),
        dt.hour(),
        dt.minute()
    )
}

pub fn weekday_abbrev(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

pub(crate) fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

pub(crate) fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s.to_ascii_lowercase().as_str() {
        "monday" | "mon" => Weekday::Monday,
        "tuesday" | "tue" => Weekday::Tuesday,
        "wednesday" | "wed" => Weekday::Wednesday,
        "thursday" | "thu" => Weekday::Thursday,
        "friday" | "fri" => Weekday::Friday,
        "saturday" | "sat" => Weekday::Saturday,
        "sunday" | "sun" => Weekday::Sunday,
        _ => return None,
    })
}

pub(crate) fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(usize::try_from(month - 1).unwrap_or(0))
        .copied()
        .unwrap_or("?")
}

/// Next or previous day; errors only at the ends of jiff's range, far outside ours.
pub(crate) fn step_day(date: Date, forward: bool) -> Result<Date, DeadlineError> {
    if forward {
        date.tomorrow()
    } else {
        date.yesterday()
    }
    .map_err(DeadlineError::arithmetic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn parses_valid_dates() {
        assert_eq!(parse_date("2026-03-02").unwrap(), date(2026, 3, 2));
        assert_eq!(parse_date(" 2024-02-29 ").unwrap(), date(2024, 2, 29));
    }

    #[test]
    fn rejects_impossible_dates_with_a_reason() {
        let err = parse_date("2026-02-30").unwrap_err();
        assert_eq!(err.code(), "invalid_date");
        assert!(
            err.to_string().contains("February 2026 has 28 days"),
            "{err}"
        );
        assert_eq!(parse_date("2026-13-01").unwrap_err().code(), "invalid_date");
        assert_eq!(parse_date("2026-3-2").unwrap_err().code(), "invalid_date");
        assert_eq!(parse_date("yesterday").unwrap_err().code(), "invalid_date");
    }

    #[test]
    fn rejects_years_out_of_range() {
        let err = parse_date("2201-01-01").unwrap_err();
        assert_eq!(err.code(), "year_out_of_range");
        assert_eq!(
            parse_date("1899-12-31").unwrap_err().code(),
            "year_out_of_range"
        );
    }

    #[test]
    fn parses_triggers_with_and_without_time() {
        assert_eq!(
            parse_trigger("2026-03-02").unwrap(),
            (date(2026, 3, 2), None)
        );
        let (d, t) = parse_trigger("2026-03-02T14:30").unwrap();
        assert_eq!(d, date(2026, 3, 2));
        assert_eq!(t, Some(Time::constant(14, 30, 0, 0)));
        assert_eq!(
            parse_trigger("2026-03-02T25:00").unwrap_err().code(),
            "invalid_time"
        );
    }
}
