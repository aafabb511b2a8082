//! Property tests for the period computation: invariants that must hold for every
//! trigger date, period and calendar choice, not just the worked examples.

use jiff::Span;
use jiff::civil::{Date, Weekday, date};
use mandate_deadlines::{
    CalendarRegistry, CalendarSet, CountingMethod, Direction, PeriodRequest, Service, compute,
};
use proptest::prelude::*;

fn calendar_sets() -> Vec<CalendarSet> {
    let reg = CalendarRegistry::builtin();
    vec![
        reg.select(&["us-federal"]).unwrap(),
        reg.select(&["us-federal", "us-ny"]).unwrap(),
        reg.select(&["us-federal", "us-ny", "us-dcd"]).unwrap(),
    ]
}

fn trigger() -> impl Strategy<Value = Date> {
    // 1960-01-01 .. about 2150.
    (0i64..70_000).prop_map(|n| date(1960, 1, 1).checked_add(Span::new().days(n)).unwrap())
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::After), Just(Direction::Before)]
}

fn service() -> impl Strategy<Value = Option<Service>> {
    prop_oneof![
        Just(None),
        Just(Some(Service::Electronic)),
        Just(Some(Service::Mail)),
        Just(Some(Service::Clerk)),
        Just(Some(Service::Other)),
    ]
}

fn method() -> impl Strategy<Value = CountingMethod> {
    prop_oneof![
        Just(CountingMethod::Calendar),
        Just(CountingMethod::Court),
        Just(CountingMethod::Business),
    ]
}

/// Why `d` is not a day a period may end on, for a period in this direction.
fn closed(set: &CalendarSet, d: Date, forward: bool) -> Option<String> {
    if matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
        return Some("weekend".into());
    }
    set.index(d.year(), d.year())
        .holiday_on(d, forward, |_| true)
        .map(|h| h.name.clone())
}

fn request(
    t: Date,
    n: i64,
    m: CountingMethod,
    dir: Direction,
    s: Option<Service>,
) -> PeriodRequest {
    let mut req = PeriodRequest::days(t, n);
    req.method = m;
    req.direction = dir;
    req.service = s;
    req
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn due_date_is_never_a_weekend_or_legal_holiday(
        t in trigger(), n in 1i64..400, m in method(), dir in direction(), s in service(), c in 0usize..3,
    ) {
        let set = &calendar_sets()[c];
        let d = compute(&request(t, n, m, dir, s), set).unwrap();
        let forward = dir == Direction::After;
        prop_assert_eq!(closed(set, d.due, forward), None, "due {} for {:?}", d.due, d.period);
    }

    #[test]
    fn one_more_calendar_day_never_moves_a_forward_deadline_earlier(
        t in trigger(), n in 1i64..1000, s in service(), c in 0usize..3,
    ) {
        let set = &calendar_sets()[c];
        let a = compute(&request(t, n, CountingMethod::Calendar, Direction::After, s), set).unwrap();
        let b = compute(&request(t, n + 1, CountingMethod::Calendar, Direction::After, s), set).unwrap();
        prop_assert!(b.due >= a.due, "{} days -> {}, {} days -> {}", n, a.due, n + 1, b.due);
    }

    #[test]
    fn one_more_calendar_day_never_moves_a_backward_deadline_later(
        t in trigger(), n in 1i64..1000, c in 0usize..3,
    ) {
        let set = &calendar_sets()[c];
        let a = compute(&request(t, n, CountingMethod::Calendar, Direction::Before, None), set).unwrap();
        let b = compute(&request(t, n + 1, CountingMethod::Calendar, Direction::Before, None), set).unwrap();
        prop_assert!(b.due <= a.due);
    }

    #[test]
    fn backward_periods_never_land_after_the_event(
        t in trigger(), n in 1i64..3650, m in method(), c in 0usize..3,
    ) {
        let set = &calendar_sets()[c];
        let d = compute(&request(t, n, m, Direction::Before, None), set).unwrap();
        prop_assert!(d.due < t, "{} before {} gave {}", n, t, d.due);
    }

    #[test]
    fn court_day_counting_lands_on_a_court_day_after_exactly_n_court_days(
        t in trigger(), n in 1i64..200, dir in direction(), c in 0usize..3,
    ) {
        let set = &calendar_sets()[c];
        let forward = dir == Direction::After;
        let d = compute(&request(t, n, CountingMethod::Court, dir, None), set).unwrap();
        prop_assert_eq!(closed(set, d.due, forward), None);
        // Count the court days strictly between the trigger and the due date (inclusive
        // of the due date): there must be exactly n.
        let mut counted = 0;
        let mut day = t;
        while day != d.due {
            day = if forward { day.tomorrow().unwrap() } else { day.yesterday().unwrap() };
            if closed(set, day, forward).is_none() {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, n);
    }

    /// A period in hours ends at an instant, worked out here without the engine: the
    /// trigger's clock time in the court's zone, then `h` elapsed hours (every hour
    /// counts, FRCP 6(a)(2)(A)-(B), so a change of daylight saving time moves the
    /// clock time); if that day is closed, the same clock time on the next open day
    /// (6(a)(2)(C)). A wrong hour, minute or offset fails here, not only a wrong day.
    #[test]
    fn hours_deadlines_keep_the_clock_time_and_avoid_closed_days(
        t in trigger(), h in 1i64..2000, hour in 0i8..24, minute in 0i8..60, c in 0usize..3,
        zone in prop_oneof![Just("America/New_York"), Just("America/Chicago"), Just("America/Los_Angeles")],
    ) {
        let set = &calendar_sets()[c];
        let time = jiff::civil::Time::constant(hour, minute, 0, 0);
        let mut req = PeriodRequest::days(t, 1);
        req.period = mandate_deadlines::Period::Hours(h);
        req.trigger_time = Some(time);
        req.time_zone = zone.to_owned();
        let d = compute(&req, set).unwrap();

        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        let start = tz.to_zoned_datetime(t.to_datetime(time)).unwrap();
        let end = start.checked_add(jiff::SignedDuration::from_hours(h)).unwrap();
        let mut day = end.date();
        while closed(set, day, true).is_some() {
            day = day.tomorrow().unwrap();
        }
        let expected = if day == end.date() {
            end.clone()
        } else {
            tz.to_zoned_datetime(day.to_datetime(end.time())).unwrap()
        };
        prop_assert_eq!(closed(set, d.due, true), None);
        prop_assert_eq!(d.due, day, "{} h after {}", h, start);
        prop_assert_eq!(d.due_at_utc, expected.timestamp(), "{} h after {}: {}", h, start, d.due_at);
        prop_assert_eq!(&d.due_at, &expected.to_string());
        // The clock time of the count's end, kept when the day rolls forward.
        let due_at: jiff::ZonedDateTime = d.due_at.parse().unwrap();
        prop_assert_eq!(due_at.time(), end.time(), "{}", d.due_at);
        if day == end.date() {
            prop_assert_eq!(
                d.due_at_utc.duration_since(start.timestamp()),
                jiff::SignedDuration::from_hours(h)
            );
        } else {
            prop_assert!(d.due_at_utc > end.timestamp());
        }
    }
}
