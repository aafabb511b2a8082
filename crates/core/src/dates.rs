//! Dates and instants as Mandate reads and writes them, in one date crate (jiff,
//! which the deadline rules use too): a calendar date is `YYYY-MM-DD`, an instant is
//! RFC 3339 in UTC. The clock itself is [`crate::clock`].

use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::{Error, Result};

/// Earliest and latest years a date may carry: wide enough for any real matter,
/// narrow enough to catch a typo such as 20266.
pub const YEAR_RANGE: std::ops::RangeInclusive<i16> = 1900..=2200;

/// `YYYY-MM-DD` exactly (four-digit year, two-digit month and day), or `None`.
pub fn parse_ymd(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return None;
    }
    if !digits(8..10) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<i16>().ok();
    Date::new(
        n(0..4)?,
        i8::try_from(n(5..7)?).ok()?,
        i8::try_from(n(8..10)?).ok()?,
    )
    .ok()
}

/// A date a person typed into `field`, or an error that says how to write it.
pub fn parse_date(field: &str, s: &str) -> Result<Date> {
    let d = parse_ymd(s.trim()).ok_or_else(|| {
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

/// `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

/// Reads an RFC 3339 instant (any offset) typed into `field`, or says how to write
/// one.
pub fn parse_instant(field: &str, s: &str) -> Result<Timestamp> {
    s.trim().parse::<Timestamp>().map_err(|_| {
        Error::invalid(
            field,
            format!(
                "\"{}\" is not a date and time: use RFC 3339, e.g. 2026-03-02T14:05:00Z or 2026-03-02T09:05:00-05:00.",
                s.trim()
            ),
        )
    })
}

/// The stored form of a moment (a record made or changed, a message sent, a retry
/// due): RFC 3339 in UTC with milliseconds and `Z` (`2026-03-02T14:05:00.000Z`).
/// Always the same length, so text order is time order: the store sorts these columns
/// as text. (A whole second printed as `…:00Z` would sort after `…:00.5Z`.)
pub fn format_instant(t: Timestamp) -> String {
    format!("{t:.3}")
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_the_written_form_is_a_date() {
        assert_eq!(parse_ymd("2026-03-02"), Some(jiff::civil::date(2026, 3, 2)));
        for bad in [
            "2026-3-2",
            "2026-02-30",
            "20260302",
            "2026/03/02",
            "+2026-03-02",
            "2026-03-02T00:00",
            "",
            "２０２６-03-02",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
        assert!(parse_date("d", "1899-12-31").is_err());
        assert!(parse_date("d", " 2026-03-02 ").is_ok());
    }

    #[test]
    fn instants_are_stored_in_utc_with_milliseconds() {
        let t = parse_instant("sent_at", "2026-03-02T09:05:00.123456-05:00").unwrap();
        assert_eq!(format_instant(t), "2026-03-02T14:05:00.123Z");
        let whole = parse_instant("at", "2026-03-02T14:05:00Z").unwrap();
        assert_eq!(format_instant(whole), "2026-03-02T14:05:00.000Z");
        assert!(parse_instant("sent_at", "2026-03-02 14:05").is_err());
    }

    proptest! {
        #[test]
        fn stored_instants_sort_as_text_in_time_order(
            a in 0i64..4_102_444_800_000_000_000,
            b in 0i64..4_102_444_800_000_000_000,
        ) {
            let (ta, tb) = (
                Timestamp::from_nanosecond(i128::from(a)).unwrap(),
                Timestamp::from_nanosecond(i128::from(b)).unwrap(),
            );
            let (sa, sb) = (format_instant(ta), format_instant(tb));
            prop_assert_eq!(sa.len(), 24);
            // Text order is time order, to the millisecond kept.
            let ms = |t: Timestamp| t.as_millisecond();
            prop_assert_eq!(sa.cmp(&sb), ms(ta).cmp(&ms(tb)));
            prop_assert_eq!(parse_instant("at", &sa).unwrap().as_millisecond(), ms(ta));
        }

        #[test]
        fn any_real_date_in_range_round_trips(days in 0i32..(300 * 365)) {
            let d = jiff::civil::date(1900, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            prop_assume!(YEAR_RANGE.contains(&d.year()));
            prop_assert_eq!(parse_date("d", &format_date(d)).unwrap(), d);
            prop_assert_eq!(days_between(jiff::civil::date(1900, 1, 1), d), i64::from(days));
        }
    }
}
