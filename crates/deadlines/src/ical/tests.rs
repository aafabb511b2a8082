use super::*;
use jiff::civil::date;

/// A small RFC 5545 reader for the tests: checks the physical format (CRLF only,
/// lines of at most 75 octets), unfolds, and returns the content lines.
fn unfold(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "must end with CRLF");
    assert!(
        !text.replace("\r\n", "").contains(['\n', '\r']),
        "bare CR or LF found"
    );
    let mut lines: Vec<String> = Vec::new();
    for physical in text.trim_end_matches("\r\n").split("\r\n") {
        assert!(physical.len() <= 75, "line over 75 octets: {physical:?}");
        if let Some(cont) = physical.strip_prefix(' ') {
            lines.last_mut().expect("continuation first").push_str(cont);
        } else {
            lines.push(physical.to_string());
        }
    }
    lines
}

/// Properties of each VEVENT (name with parameters -> value), alarms excluded.
fn events(lines: &[String]) -> Vec<BTreeMap<String, String>> {
    let mut out = Vec::new();
    let mut cur: Option<BTreeMap<String, String>> = None;
    let mut in_alarm = false;
    for l in lines {
        match l.as_str() {
            "BEGIN:VEVENT" => cur = Some(BTreeMap::new()),
            "END:VEVENT" => out.extend(cur.take()),
            "BEGIN:VALARM" => in_alarm = true,
            "END:VALARM" => in_alarm = false,
            _ => {
                if let (Some(ev), false) = (cur.as_mut(), in_alarm) {
                    let (k, v) = l.split_once(':').unwrap();
                    ev.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    out
}

fn sample() -> Vec<ExportedDeadline> {
    vec![
        ExportedDeadline {
            id: "01J9Z6X0-answer".into(),
            matter_number: "2026-0042".into(),
            kind: "Answer to complaint".into(),
            title: "Answer for Acme Corp; argue lack of personal jurisdiction".into(),
            when: EventTime::AllDay {
                date: date(2026, 3, 23),
            },
            sequence: 2,
            citation: Some("FRCP 12(a)(1)(A)(i)".into()),
            private_detail: Some(
                "Client: Acme Corp. Strategy: move to dismiss, then settle.".into(),
            ),
            alarms: vec![
                Alarm {
                    minutes_before: 1440 * 7,
                },
                Alarm {
                    minutes_before: 1440,
                },
            ],
        },
        ExportedDeadline {
            id: "01J9Z6X1-reply".into(),
            matter_number: "2026-0042".into(),
            kind:
                "Reply in support of a motion, with a deliberately long kind to force folding ééé"
                    .into(),
            title: String::new(),
            when: EventTime::Timed {
                at: date(2026, 11, 2).at(23, 59, 59, 0),
                time_zone: "America/New_York".into(),
            },
            sequence: 0,
            citation: None,
            private_detail: None,
            alarms: vec![Alarm { minutes_before: 90 }],
        },
    ]
}

fn opts(private: bool) -> ExportOptions {
    ExportOptions {
        dtstamp: "2026-03-02T15:04:05Z".parse().unwrap(),
        include_private_detail: private,
        calendar_name: Some("Mandate deadlines".into()),
    }
}

#[test]
fn output_parses_back_with_stable_uids_and_dates() {
    let text = to_ical(&sample(), &opts(false)).unwrap();
    let lines = unfold(&text);
    assert_eq!(lines[0], "BEGIN:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    let evs = events(&lines);
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[0]["UID"], "01J9Z6X0-answer@mandate");
    assert_eq!(evs[0]["DTSTAMP"], "20260302T150405Z");
    assert_eq!(evs[0]["SEQUENCE"], "2");
    assert_eq!(evs[0]["DTSTART;VALUE=DATE"], "20260323");
    assert_eq!(evs[0]["DTEND;VALUE=DATE"], "20260324");
    assert_eq!(evs[1]["UID"], "01J9Z6X1-reply@mandate");
    assert_eq!(evs[1]["DTSTART;TZID=America/New_York"], "20261102T235959");
    // Long lines were folded, and unfolding restores them.
    assert!(text.contains("\r\n "));
    assert!(evs[1]["SUMMARY"].ends_with("folding ééé"));
    // Same input, same output: UIDs are stable across exports.
    assert_eq!(text, to_ical(&sample(), &opts(false)).unwrap());
}

#[test]
fn private_detail_is_left_out_by_default() {
    let text = to_ical(&sample(), &opts(false)).unwrap();
    let joined = unfold(&text).join("\n");
    assert!(!joined.contains("Acme"), "{joined}");
    assert!(!joined.contains("Strategy"));
    let evs = events(&unfold(&text));
    assert_eq!(evs[0]["SUMMARY"], "2026-0042: Answer to complaint");

    let text = to_ical(&sample(), &opts(true)).unwrap();
    let evs = events(&unfold(&text));
    assert!(evs[0]["SUMMARY"].contains("Acme Corp\\; argue"));
    assert!(evs[0]["DESCRIPTION"].contains("Strategy: move to dismiss\\, then settle."));
}

#[test]
fn alarms_are_display_with_description() {
    let text = to_ical(&sample(), &opts(false)).unwrap();
    let lines = unfold(&text);
    let triggers: Vec<&String> = lines.iter().filter(|l| l.starts_with("TRIGGER:")).collect();
    assert_eq!(
        triggers,
        vec!["TRIGGER:-P7D", "TRIGGER:-P1D", "TRIGGER:-PT1H30M"]
    );
    assert_eq!(lines.iter().filter(|l| *l == "ACTION:DISPLAY").count(), 3);
    let alarm_desc = lines
        .iter()
        .filter(|l| l.starts_with("DESCRIPTION:Reminder: "))
        .count();
    assert_eq!(alarm_desc, 3);
}

#[test]
fn timed_events_get_a_vtimezone() {
    let text = to_ical(&sample(), &opts(false)).unwrap();
    let lines = unfold(&text);
    assert!(lines.contains(&"BEGIN:VTIMEZONE".to_string()));
    assert!(lines.contains(&"TZID:America/New_York".to_string()));
    // 2026-11-01 02:00 EDT -> EST lies between nothing before the event and the event:
    // the observance in force on 2026-11-02 is EST, starting 2026-11-01 02:00 local.
    assert!(
        lines.contains(&"DTSTART:20261101T020000".to_string()),
        "{lines:#?}"
    );
    assert!(lines.contains(&"TZOFFSETTO:-0500".to_string()));
}

#[test]
fn escaping_and_folding_helpers() {
    assert_eq!(escape_text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
    let mut w = Writer::default();
    w.line(&"é".repeat(100));
    for l in w.text.trim_end_matches("\r\n").split("\r\n") {
        assert!(l.len() <= 75);
    }
    assert_eq!(trigger_duration(0), "PT0M");
    assert_eq!(trigger_duration(1440 + 150), "-P1DT2H30M");
}

#[test]
fn bad_ids_and_zones_are_rejected() {
    let mut d = sample();
    d[0].id = "has space".into();
    assert_eq!(
        to_ical(&d, &opts(false)).unwrap_err().code(),
        "invalid_event"
    );
    let mut d = sample();
    d[1].when = EventTime::Timed {
        at: date(2026, 1, 1).at(9, 0, 0, 0),
        time_zone: "Nowhere/Else".into(),
    };
    assert_eq!(
        to_ical(&d, &opts(false)).unwrap_err().code(),
        "unknown_time_zone"
    );
}
