use super::*;
use crate::calendar::{CalendarRegistry, parse_calendar};
use jiff::civil::date;

fn cals(ids: &[&str]) -> CalendarSet {
    CalendarRegistry::builtin().select(ids).unwrap()
}

fn federal() -> CalendarSet {
    cals(&["us-federal"])
}

fn skipped(d: &Deadline) -> Vec<(Date, String)> {
    d.skipped
        .iter()
        .map(|s| (s.date, s.reason.clone()))
        .collect()
}

#[test]
fn fourteen_days_after_fri_2026_06_05_rolls_over_juneteenth_to_mon_06_22() {
    let d = compute(&PeriodRequest::days(date(2026, 6, 5), 14), &federal()).unwrap();
    assert_eq!(d.due, date(2026, 6, 22));
    assert_eq!(
        skipped(&d),
        vec![
            (
                date(2026, 6, 19),
                "Juneteenth National Independence Day".into()
            ),
            (date(2026, 6, 20), "Saturday".into()),
            (date(2026, 6, 21), "Sunday".into()),
        ]
    );
    let texts: Vec<&str> = d.steps.iter().map(|s| s.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Fri 2026-06-19: Juneteenth")),
        "{texts:#?}"
    );
    assert!(d.citations.contains(&"FRCP 6(a)(1)(C)".to_string()));
}

#[test]
fn mlk_day_2026_is_skipped_and_named() {
    // 3 days after Fri 2026-01-16 is Mon 2026-01-19, MLK Day.
    let d = compute(&PeriodRequest::days(date(2026, 1, 16), 3), &federal()).unwrap();
    assert_eq!(d.due, date(2026, 1, 20));
    assert!(
        d.steps
            .iter()
            .any(|s| s.text == "Mon 2026-01-19: Martin Luther King Jr. Day (us-federal)")
    );
}

#[test]
fn new_years_day_2022_observed_on_fri_2021_12_31_is_rolled_over() {
    // 10 days after Tue 2021-12-21 is Fri 2021-12-31, the observed New Year's Day.
    let d = compute(&PeriodRequest::days(date(2021, 12, 21), 10), &federal()).unwrap();
    assert_eq!(d.due, date(2022, 1, 3));
    assert!(
        d.skipped[0]
            .reason
            .contains("New Year's Day (observed; falls on Sat 2022-01-01)")
    );
}

#[test]
fn twenty_one_days_after_mail_service_adds_three_days_after_the_6a_date() {
    let mut req = PeriodRequest::days(date(2026, 3, 2), 21);
    req.service = Some(Service::Mail);
    let d = compute(&req, &federal()).unwrap();
    // 6(a) date: Mon 2026-03-23; + 3 days = Thu 2026-03-26.
    assert_eq!(d.due, date(2026, 3, 26));
    let ext = d
        .steps
        .iter()
        .find(|s| s.kind == StepKind::ServiceExtension)
        .unwrap();
    assert!(
        ext.text
            .contains("Mon 2026-03-23 + 3 days = Thu 2026-03-26"),
        "{}",
        ext.text
    );
    assert!(d.verify.iter().any(|v| v.contains("configurable")));
}

#[test]
fn mail_extension_landing_on_a_weekend_rolls_again() {
    let mut req = PeriodRequest::days(date(2026, 3, 4), 21);
    req.service = Some(Service::Mail);
    // 6(a) date Wed 2026-03-25; + 3 = Sat 2026-03-28; rolled to Mon 2026-03-30.
    assert_eq!(compute(&req, &federal()).unwrap().due, date(2026, 3, 30));
    req.service_extension.mode = ExtensionMode::AddToPeriod;
    // 24 days after Wed 2026-03-04 = Sat 2026-03-28 -> Mon 2026-03-30 as well.
    assert_eq!(compute(&req, &federal()).unwrap().due, date(2026, 3, 30));
}

#[test]
fn electronic_service_adds_nothing() {
    let mut req = PeriodRequest::days(date(2026, 3, 2), 21);
    req.service = Some(Service::Electronic);
    let d = compute(&req, &federal()).unwrap();
    assert_eq!(d.due, date(2026, 3, 23));
    assert!(
        d.steps
            .iter()
            .any(|s| s.kind == StepKind::Note && s.text.contains("no days added"))
    );
}

#[test]
fn backward_period_landing_on_weekend_and_holiday_moves_earlier() {
    // 8 days before Tue 2026-01-27 is Mon 2026-01-19 (MLK), then Sun, Sat -> Fri 01-16.
    let mut req = PeriodRequest::days(date(2026, 1, 27), 8);
    req.direction = Direction::Before;
    let d = compute(&req, &federal()).unwrap();
    assert_eq!(d.due, date(2026, 1, 16));
    // 11 days before Wed 2026-03-18 is Sat 2026-03-07 -> Fri 2026-03-06.
    let mut req = PeriodRequest::days(date(2026, 3, 18), 11);
    req.direction = Direction::Before;
    assert_eq!(compute(&req, &federal()).unwrap().due, date(2026, 3, 6));
}

#[test]
fn state_holidays_count_forward_but_not_backward() {
    let ny = cals(&["us-federal", "us-ny"]);
    // Forward: 14 days after Thu 2026-01-29 is Lincoln's Birthday (NY), Thu 2026-02-12.
    let d = compute(&PeriodRequest::days(date(2026, 1, 29), 14), &ny).unwrap();
    assert_eq!(d.due, date(2026, 2, 13));
    // Backward: 14 days before Thu 2026-02-26 is the same day, and it stands.
    let mut req = PeriodRequest::days(date(2026, 2, 26), 14);
    req.direction = Direction::Before;
    let d = compute(&req, &ny).unwrap();
    assert_eq!(d.due, date(2026, 2, 12));
    assert!(d.steps.iter().any(|s| s.text.contains("6(a)(6)(C)")));
}

#[test]
fn court_days_skip_weekends_and_holidays_while_counting() {
    let mut req = PeriodRequest::days(date(2026, 1, 16), 5);
    req.method = CountingMethod::Court;
    let d = compute(&req, &federal()).unwrap();
    assert_eq!(d.due, date(2026, 1, 26));
    let days: Vec<Date> = d.skipped.iter().map(|s| s.date).collect();
    assert_eq!(
        days,
        vec![
            date(2026, 1, 17),
            date(2026, 1, 18),
            date(2026, 1, 19),
            date(2026, 1, 24),
            date(2026, 1, 25)
        ]
    );
}

#[test]
fn business_days_count_court_only_closures() {
    let mut reg = CalendarRegistry::builtin();
    reg.insert(
        parse_calendar(
            "t.toml",
            "id = \"closure\"\nname = \"c\"\nkind = \"court\"\nsource = \"s\"\nversion = \"1\"\n[[holiday]]\nname = \"Court closed\"\ndate = 2026-03-04\n",
        )
        .unwrap(),
    );
    let set = reg.select(&["us-federal", "closure"]).unwrap();
    let mut req = PeriodRequest::days(date(2026, 3, 2), 3);
    req.method = CountingMethod::Court;
    assert_eq!(compute(&req, &set).unwrap().due, date(2026, 3, 6));
    req.method = CountingMethod::Business;
    assert_eq!(compute(&req, &set).unwrap().due, date(2026, 3, 5));
}

#[test]
fn electronic_filing_ends_at_midnight_in_the_court_time_zone() {
    let d = compute(&PeriodRequest::days(date(2026, 3, 2), 21), &federal()).unwrap();
    assert_eq!(d.due_at, "2026-03-23T23:59:59-04:00[America/New_York]");
    assert_eq!(d.due_at_utc.to_string(), "2026-03-24T03:59:59Z");
    let mut req = PeriodRequest::days(date(2026, 3, 2), 21);
    req.time_zone = "America/Los_Angeles".into();
    req.filing = Filing::Paper {
        clerk_closes: Time::constant(16, 30, 0, 0),
    };
    let d = compute(&req, &federal()).unwrap();
    assert_eq!(d.due_at, "2026-03-23T16:30:00-07:00[America/Los_Angeles]");
}

#[test]
fn hours_run_from_the_event_and_roll_to_the_same_time() {
    let mut req = PeriodRequest::days(date(2026, 6, 18), 0);
    req.period = Period::Hours(48);
    req.trigger_time = Some(Time::constant(10, 0, 0, 0));
    let d = compute(&req, &federal()).unwrap();
    // Thu 10:00 + 48h = Sat 2026-06-20 10:00 -> Mon 2026-06-22 10:00 (Fri was not the end).
    assert_eq!(d.due, date(2026, 6, 22));
    assert_eq!(d.due_at, "2026-06-22T10:00:00-04:00[America/New_York]");
    // Over the DST change, hours are real elapsed hours: Sat 2026-03-07 12:00 EST + 24h
    // = Sun 2026-03-08 13:00 EDT -> Mon 2026-03-09 13:00.
    req.trigger = date(2026, 3, 7);
    req.trigger_time = Some(Time::constant(12, 0, 0, 0));
    req.period = Period::Hours(24);
    let d = compute(&req, &federal()).unwrap();
    assert_eq!(d.due_at, "2026-03-09T13:00:00-04:00[America/New_York]");
}

#[test]
fn hours_need_a_time() {
    let mut req = PeriodRequest::days(date(2026, 6, 18), 0);
    req.period = Period::Hours(48);
    assert_eq!(
        compute(&req, &federal()).unwrap_err().code(),
        "hours_need_time"
    );
}

#[test]
fn absurd_and_negative_periods_are_rejected() {
    for (period, code) in [
        (Period::Days(0), "invalid_period"),
        (Period::Days(-5), "invalid_period"),
        (Period::Days(3651), "invalid_period"),
        (Period::Hours(10_001), "invalid_period"),
    ] {
        let mut req = PeriodRequest::days(date(2026, 1, 1), 1);
        req.period = period;
        let err = compute(&req, &federal()).unwrap_err();
        assert_eq!(err.code(), code);
        assert!(err.to_string().contains("Enter a whole number"), "{err}");
    }
    assert!(compute(&PeriodRequest::days(date(2026, 1, 1), 3650), &federal()).is_ok());
}

#[test]
fn years_out_of_range_and_unknown_time_zones_are_rejected() {
    let err = compute(&PeriodRequest::days(date(1850, 1, 1), 3), &federal()).unwrap_err();
    assert_eq!(err.code(), "year_out_of_range");
    let err = compute(&PeriodRequest::days(date(2199, 6, 1), 3650), &federal()).unwrap_err();
    assert_eq!(err.code(), "year_out_of_range");
    let mut req = PeriodRequest::days(date(2026, 1, 1), 3);
    req.time_zone = "Mars/Olympus".into();
    assert_eq!(
        compute(&req, &federal()).unwrap_err().code(),
        "unknown_time_zone"
    );
}

#[test]
fn json_is_stable() {
    let mut req = PeriodRequest::days(date(2026, 6, 5), 14);
    req.trigger_name = Some("service of the motion".into());
    let d = compute(&req, &federal()).unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["due"], "2026-06-22");
    assert_eq!(
        json["due_at"],
        "2026-06-22T23:59:59-04:00[America/New_York]"
    );
    assert_eq!(json["period"]["days"], 14);
    assert_eq!(json["method"], "calendar");
    assert_eq!(json["direction"], "after");
    assert_eq!(json["steps"][0]["kind"], "trigger");
    assert_eq!(json["skipped"][0]["date"], "2026-06-19");
    let text = serde_json::to_string(&d).unwrap();
    assert!(text.starts_with("{\"due\":\"2026-06-22\""), "{text}");
    let back: Deadline = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
}

#[test]
fn legal_holidays_checks_the_year() {
    assert_eq!(legal_holidays(&federal(), 2027).unwrap().len(), 12); // incl. Fri 2027-12-31 for 2028
    assert_eq!(
        legal_holidays(&federal(), 2300).unwrap_err().code(),
        "year_out_of_range"
    );
}

#[test]
fn requests_round_trip_through_json_for_ipc() {
    let mut req = PeriodRequest::days(date(2026, 3, 2), 21);
    req.service = Some(Service::Mail);
    req.trigger_time = Some(Time::constant(14, 30, 0, 0));
    req.filing = Filing::Paper {
        clerk_closes: Time::constant(17, 0, 0, 0),
    };
    let json = serde_json::to_string(&req).unwrap();
    assert!(json.contains("\"trigger\":\"2026-03-02\""), "{json}");
    let back: PeriodRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(back, req);
}
