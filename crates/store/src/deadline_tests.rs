//! Deadlines in the store, on real SQLCipher files, with a fixed clock.

use jiff::{Timestamp, civil::date};
use mandate_core::deadline::{
    CountingMethod, DeadlineDraft, DeadlineFilter, DeadlineKind, DeadlineSettings, DeadlineStatus,
    ServiceMethod,
};
use mandate_core::{ErrorCode, MatterDraft};
use tempfile::TempDir;

use crate::{MemoryVault, Store};

fn store_with_matter() -> (TempDir, Store, mandate_core::MatterId) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
    let m = store
        .create_matter(&MatterDraft {
            number: "2026-0142".into(),
            title: "Acme v. Widget".into(),
            client_name: "Acme Corp".into(),
            ..Default::default()
        })
        .unwrap();
    (dir, store, m.id)
}

fn rule(matter: &str, rule: &str, trigger: &str) -> DeadlineDraft {
    DeadlineDraft {
        matter_id: matter.into(),
        rule_id: Some(rule.into()),
        trigger: Some(trigger.into()),
        ..Default::default()
    }
}

fn manual(matter: &str, title: &str, due: &str, kind: DeadlineKind) -> DeadlineDraft {
    DeadlineDraft {
        matter_id: matter.into(),
        title: Some(title.into()),
        due_date: Some(due.into()),
        kind,
        ..Default::default()
    }
}

#[test]
fn a_rule_based_deadline_is_computed_explained_and_kept() {
    let (_dir, mut store, m) = store_with_matter();
    let d = store
        .create_deadlines(&DeadlineDraft {
            service: Some(ServiceMethod::Mail),
            ..rule(&m, "motion-response", "2026-03-02")
        })
        .unwrap()
        .remove(0);
    // 14 days after Mon 2026-03-02 is Mon 2026-03-16; FRCP 6(d) adds 3 for mail.
    assert_eq!(d.due_date, "2026-03-19");
    assert_eq!(d.title, "Response to a motion");
    assert_eq!(d.matter_number, "2026-0142");
    assert!(
        d.steps.iter().any(|s| s.text.contains("6(d)")),
        "{:?}",
        d.steps
    );

    // An answer runs from service of the summons (Rule 4), not Rule 5(b) service,
    // so mail adds nothing, and the explanation says why.
    let answer = store
        .create_deadlines(&DeadlineDraft {
            service: Some(ServiceMethod::Mail),
            ..rule(&m, "answer", "2026-03-02")
        })
        .unwrap()
        .remove(0);
    assert_eq!(answer.due_date, "2026-03-23");
    assert!(answer.citation.as_deref().unwrap().contains("12(a)"));
    assert!(
        answer.verify.iter().any(|v| v.contains("6(d) not applied")),
        "{:?}",
        answer.verify
    );
    assert_eq!(d.reminders, DeadlineSettings::default().default_reminders);
    assert_eq!(
        store.deadline(&d.id).unwrap(),
        d,
        "what is read back is what was computed"
    );
}

#[test]
fn a_period_rolls_past_juneteenth() {
    let (_dir, mut store, m) = store_with_matter();
    let d = store
        .create_deadlines(&DeadlineDraft {
            title: Some("Opposition".into()),
            days: Some(14),
            trigger: Some("2026-06-05".into()),
            matter_id: m,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(d.due_date, "2026-06-22");
    assert!(d.steps.iter().any(|s| s.text.contains("Juneteenth")));
}

#[test]
fn a_chain_moves_together_when_its_trigger_changes() {
    let (_dir, mut store, m) = store_with_matter();
    let made = store
        .create_deadlines(&rule(&m, "motion-briefing", "2026-03-02"))
        .unwrap();
    assert_eq!(made.len(), 2, "response and reply");
    let before: Vec<_> = made.iter().map(|d| d.due_date.clone()).collect();
    assert!(before[0] < before[1], "the reply follows the response");

    let moved = store
        .change_deadline_trigger(&made[0].id, "2026-03-09")
        .unwrap();
    assert_eq!(moved.len(), 2, "{moved:?}");
    for (mv, old) in moved.iter().zip(&before) {
        assert_eq!(&mv.old_due, old);
        assert!(mv.new_due > mv.old_due);
    }
    let after = store.deadline(&made[1].id).unwrap();
    assert_eq!(after.due_date, moved[1].new_due);
    assert_eq!(
        (after.sequence, after.trigger_date.as_deref()),
        (1, Some("2026-03-09"))
    );
    // Moving to the same date again moves nothing.
    assert!(
        store
            .change_deadline_trigger(&made[0].id, "2026-03-09")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_written() {
    let (_dir, mut store, m) = store_with_matter();
    for (draft, field) in [
        (rule(&m, "answer", "2026-02-30"), "trigger"),
        (rule(&m, "no-such-rule", "2026-03-02"), "rule_id"),
        (rule(&m, "answer", "2301-01-01"), "trigger"),
        (
            DeadlineDraft {
                days: Some(-5),
                trigger: Some("2026-03-02".into()),
                title: Some("x".into()),
                matter_id: m.clone(),
                ..Default::default()
            },
            "days",
        ),
        (
            DeadlineDraft {
                matter_id: m.clone(),
                title: Some("x".into()),
                ..Default::default()
            },
            "due_date",
        ),
        (
            DeadlineDraft {
                matter_id: m.clone(),
                due_date: Some("2026-05-01".into()),
                ..Default::default()
            },
            "title",
        ),
        (
            DeadlineDraft {
                calendars: Some(vec!["atlantis".into()]),
                ..rule(&m, "answer", "2026-03-02")
            },
            "calendars",
        ),
        (
            DeadlineDraft {
                reminders: Some(vec![999_999_999]),
                ..rule(&m, "answer", "2026-03-02")
            },
            "reminders",
        ),
    ] {
        let e = store.create_deadlines(&draft).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Invalid, Some(field)),
            "{draft:?} → {e:?}"
        );
    }
    let e = store
        .create_deadlines(&rule("no-such-matter", "answer", "2026-03-02"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(
        store
            .list_deadlines(&DeadlineFilter::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_dashboard_sorts_open_deadlines_into_buckets() {
    let (_dir, mut store, m) = store_with_matter();
    for (t, due) in [
        ("Late", "2026-11-20"),
        ("Now", "2026-11-27"),
        ("Soon", "2026-12-03"),
        ("Later", "2026-12-20"),
        ("Far", "2027-02-01"),
    ] {
        store
            .create_deadlines(&manual(&m, t, due, DeadlineKind::Internal))
            .unwrap();
    }
    let done = store
        .create_deadlines(&manual(
            &m,
            "Finished",
            "2026-11-28",
            DeadlineKind::Internal,
        ))
        .unwrap()
        .remove(0);
    let done = store.set_deadline_done(&done.id, true).unwrap();
    assert_eq!(done.status, DeadlineStatus::Done);
    assert!(done.done_by.is_some() && done.done_at.is_some());

    let dash = store.deadline_dashboard(date(2026, 11, 27)).unwrap();
    let titles = |v: &[mandate_core::deadline::Deadline]| {
        v.iter().map(|d| d.title.clone()).collect::<Vec<_>>()
    };
    assert_eq!(titles(&dash.overdue), ["Late"]);
    assert_eq!(titles(&dash.due_today), ["Now"]);
    assert_eq!(titles(&dash.next_7_days), ["Soon"]);
    assert_eq!(titles(&dash.next_30_days), ["Later"]);

    let reopened = store.set_deadline_done(&done.id, false).unwrap();
    assert_eq!(
        (reopened.status, reopened.done_by),
        (DeadlineStatus::Open, None)
    );
    let actions: Vec<_> = store
        .audit_history("deadline", &done.id)
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        ["deadline.create", "deadline.done", "deadline.reopen"]
    );
}

#[test]
fn a_vendor_deadline_too_close_to_its_court_date_is_flagged() {
    let (_dir, mut store, m) = store_with_matter();
    // Court deadline Thu 2026-03-26.
    let court = store
        .create_deadlines(&manual(
            &m,
            "Opposition due",
            "2026-03-26",
            DeadlineKind::Court,
        ))
        .unwrap()
        .remove(0);
    let tight = store
        .create_deadlines(&DeadlineDraft {
            serves_id: Some(court.id.clone()),
            ..manual(
                &m,
                "Draft from provider",
                "2026-03-24",
                DeadlineKind::Vendor,
            )
        })
        .unwrap()
        .remove(0);
    assert_eq!(tight.warnings.len(), 1, "{:?}", tight.warnings);
    assert!(
        tight.warnings[0].contains("Only 1 court day"),
        "{}",
        tight.warnings[0]
    );
    let roomy = store
        .create_deadlines(&DeadlineDraft {
            serves_id: Some(court.id.clone()),
            ..manual(&m, "Research memo", "2026-03-19", DeadlineKind::Vendor)
        })
        .unwrap()
        .remove(0);
    assert!(roomy.warnings.is_empty(), "{:?}", roomy.warnings);
    // The firm can ask for more room.
    store
        .set_deadline_settings(&DeadlineSettings {
            vendor_buffer_court_days: 6,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(store.deadline(&roomy.id).unwrap().warnings.len(), 1);
}

#[test]
fn reminders_come_once_and_again_after_a_recompute() {
    let (_dir, mut store, m) = store_with_matter();
    let d = store
        .create_deadlines(&DeadlineDraft {
            reminders: Some(vec![24 * 60]),
            title: Some("Reply".into()),
            days: Some(7),
            trigger: Some("2026-11-20".into()),
            matter_id: m,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(d.due_date, "2026-11-27");
    // The day before, 00:00 New York time, is 2026-11-26T05:00Z.
    let before: Timestamp = "2026-11-26T04:59:00Z".parse().unwrap();
    assert!(store.reminders_due(before).unwrap().is_empty());
    let at: Timestamp = "2026-11-26T05:01:00Z".parse().unwrap();
    let due = store.reminders_due(at).unwrap();
    assert_eq!(
        (due.len(), due[0].lead_minutes, due[0].missed),
        (1, 24 * 60, false)
    );
    store.mark_reminder_sent(&due[0]).unwrap();
    assert!(store.reminders_due(at).unwrap().is_empty(), "never twice");

    // The app was closed through the due day's start: the lead-0 reminder is missed.
    let later: Timestamp = "2026-11-27T15:00:00Z".parse().unwrap();
    let due = store.reminders_due(later).unwrap();
    assert_eq!(
        (due.len(), due[0].lead_minutes, due[0].missed),
        (1, 0, true)
    );
    store.mark_reminder_sent(&due[0]).unwrap();
    assert!(store.reminders_due(later).unwrap().is_empty());

    // Done deadlines do not remind.
    store.set_deadline_done(&d.id, true).unwrap();
    let much_later: Timestamp = "2026-11-28T15:00:00Z".parse().unwrap();
    assert!(store.reminders_due(much_later).unwrap().is_empty());
}

#[test]
fn the_ics_export_keeps_uids_and_leaves_titles_out_by_default() {
    let (_dir, mut store, m) = store_with_matter();
    let d = store
        .create_deadlines(&rule(&m, "answer", "2026-03-02"))
        .unwrap()
        .remove(0);
    store
        .create_deadlines(&DeadlineDraft {
            method: Some(CountingMethod::Court),
            days: Some(5),
            trigger: Some("2026-03-02".into()),
            title: Some("Call Acme's CFO".into()),
            matter_id: m.clone(),
            ..Default::default()
        })
        .unwrap();
    let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
    let ics = store
        .export_deadlines_ics(
            &DeadlineFilter {
                matter_id: Some(m.clone()),
                ..Default::default()
            },
            false,
            now,
        )
        .unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains(&format!("UID:{}@mandate", d.id)), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:20260323"));
    assert!(ics.contains("DTEND;VALUE=DATE:20260324"));
    assert!(!ics.contains("CFO"), "private titles stay out by default");
    assert!(ics.contains("2026-0142"));
    let private = store
        .export_deadlines_ics(
            &DeadlineFilter {
                matter_id: Some(m),
                ..Default::default()
            },
            true,
            now,
        )
        .unwrap();
    assert!(private.contains("CFO"));
    // Recomputing raises SEQUENCE on the same UID.
    store.change_deadline_trigger(&d.id, "2026-03-03").unwrap();
    let again = store
        .export_deadlines_ics(&DeadlineFilter::default(), false, now)
        .unwrap();
    let block = again
        .split("BEGIN:VEVENT")
        .find(|b| b.contains(d.id.as_str()))
        .unwrap();
    assert!(block.contains("SEQUENCE:1"), "{block}");
}

#[test]
fn a_broken_firm_calendar_is_named_and_the_others_still_count() {
    let (dir, mut store, m) = store_with_matter();
    let cals = dir.path().join("calendars");
    std::fs::create_dir_all(&cals).unwrap();
    std::fs::write(
        cals.join("broken.toml"),
        "id = \"broken\"\nname = [unclosed\n",
    )
    .unwrap();
    let problems = store.calendar_problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("broken.toml") && problems[0].contains("line"),
        "{}",
        problems[0]
    );
    // The built-in federal calendar still applies: Juneteenth still rolls.
    let d = store
        .create_deadlines(&DeadlineDraft {
            title: Some("Opposition".into()),
            days: Some(14),
            trigger: Some("2026-06-05".into()),
            matter_id: m,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(d.due_date, "2026-06-22");
}

/// The calendars are parsed once for the several reads a view makes together, and
/// again as soon as a file's bytes change, even within the clock's tick.
#[test]
fn the_firm_calendars_are_parsed_once_until_a_file_changes() {
    let (dir, store, _m) = store_with_matter();
    let cals = dir.path().join("calendars");
    std::fs::create_dir_all(&cals).unwrap();
    std::fs::write(cals.join("firm.toml"), "id = \"firm\"\nname = [unclosed\n").unwrap();
    let reads = || store.calendars.borrow().reads;
    let broken = store.calendar_problems();
    assert_eq!(broken.len(), 1);
    store.deadlines_on_changed_calendars().unwrap();
    store.calendar_problems();
    assert_eq!(
        reads(),
        1,
        "three reads of an unchanged folder parse it once"
    );
    // Mended at once, to the same length: the bytes changed, so it is read again.
    std::fs::write(
        cals.join("firm.toml"),
        "id = \"firm\"\nname = \"Firm\"   \n",
    )
    .unwrap();
    let problems = store.calendar_problems();
    assert_eq!(reads(), 2);
    assert_ne!(
        problems, broken,
        "the mended file's problems, not the old ones"
    );
}

#[test]
fn an_ics_export_is_written_only_as_ics_and_recorded_with_its_count() {
    let (dir, mut store, m) = store_with_matter();
    store
        .create_deadlines(&DeadlineDraft {
            matter_id: m.clone(),
            title: Some("Hearing".into()),
            due_date: Some("2026-12-01".into()),
            ..Default::default()
        })
        .unwrap();
    store
        .create_deadlines(&DeadlineDraft {
            matter_id: m.clone(),
            title: Some("Brief".into()),
            due_date: Some("2026-12-08".into()),
            ..Default::default()
        })
        .unwrap();
    let out = TempDir::new().unwrap();
    let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
    let only = DeadlineFilter {
        matter_id: Some(m.clone()),
        ..Default::default()
    };
    let file = out.path().join("firm.ics");
    let n = store
        .export_deadlines_ics_to(&file, crate::Existing::Refuse, &only, false, now)
        .unwrap();
    assert_eq!(n, 2);
    let ics = std::fs::read_to_string(&file).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);

    let recorded: Vec<_> = store
        .matter_history(&m)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "deadline.export_ics")
        .collect();
    assert_eq!(recorded.len(), 1, "the matter's history shows its export");
    assert_eq!(recorded[0].detail["count"], 2);
    assert_eq!(recorded[0].detail["include_private"], false);
    let head: crate::AuditHead =
        serde_json::from_slice(&std::fs::read(dir.path().join(crate::audit::HEAD_FILE)).unwrap())
            .unwrap();
    assert_eq!(head, store.audit_head().unwrap().unwrap());

    // The same file again, with nobody asked about replacing it: refused, as it was.
    std::fs::write(&file, b"the firm's own calendar").unwrap();
    let e = store
        .export_deadlines_ics_to(&file, crate::Existing::Refuse, &only, false, now)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(std::fs::read(&file).unwrap(), b"the firm's own calendar");
    // Not a calendar's name: refused, nothing written.
    let txt = out.path().join("firm.txt");
    assert!(
        store
            .export_deadlines_ics_to(&txt, crate::Existing::Replace, &only, false, now)
            .is_err()
    );
    assert!(!txt.exists());
    // Replacing, when the person agreed: every deadline, recorded again.
    let n = store
        .export_deadlines_ics_to(
            &file,
            crate::Existing::Replace,
            &DeadlineFilter::default(),
            true,
            now,
        )
        .unwrap();
    assert_eq!(n, 2);
    assert!(std::fs::read_to_string(&file).unwrap().contains("Hearing"));
    let counts: Vec<_> = store
        .audit_history("store", store.id())
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "deadline.export_ics")
        .map(|r| {
            (
                r.detail["count"].clone(),
                r.detail.get("matter_id").cloned(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (serde_json::json!(2), Some(serde_json::json!(m))),
            (serde_json::json!(2), None)
        ]
    );
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn an_edited_firm_calendar_is_noticed_on_the_deadlines_it_shaped_and_a_recompute_moves_them() {
    let (dir, mut store, m) = store_with_matter();
    let cals = dir.path().join("calendars");
    std::fs::create_dir_all(&cals).unwrap();
    let file = cals.join("sdny-closures.toml");
    let header = "id = \"sdny-closures\"\nname = \"S.D.N.Y. closures\"\nkind = \"court\"\nsource = \"clerk's notice\"\nversion = \"1\"\n";
    std::fs::write(
        &file,
        format!("{header}[[holiday]]\nname = \"Snow closure\"\ndate = 2026-01-05\n"),
    )
    .unwrap();
    let d = store
        .create_deadlines(&DeadlineDraft {
            title: Some("Opposition".into()),
            days: Some(14),
            trigger: Some("2026-06-01".into()),
            calendars: Some(vec!["us-federal".into(), "sdny-closures".into()]),
            matter_id: m.clone(),
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(d.due_date, "2026-06-15");
    // A deadline entered by hand was counted with no calendar: never flagged.
    store
        .create_deadlines(&DeadlineDraft {
            title: Some("Call the client".into()),
            due_date: Some("2026-06-15".into()),
            matter_id: m,
            ..Default::default()
        })
        .unwrap();
    assert!(store.deadlines_on_changed_calendars().unwrap().is_empty());

    // The clerk closes the court on the due day: the firm adds it to its calendar.
    std::fs::write(
        &file,
        format!(
            "{header}[[holiday]]\nname = \"Snow closure\"\ndate = 2026-01-05\n[[holiday]]\nname = \"Power outage\"\ndate = 2026-06-15\n"
        ),
    )
    .unwrap();
    let changed = store.deadlines_on_changed_calendars().unwrap();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(
        (
            changed[0].deadline_id.as_str(),
            changed[0].calendar.as_str()
        ),
        (d.id.as_str(), "sdny-closures")
    );
    let moved = store.recompute_deadline(&d.id).unwrap();
    assert_eq!(moved[0].new_due, "2026-06-16", "{moved:?}");
    assert!(store.deadlines_on_changed_calendars().unwrap().is_empty());
    // A calendar that is gone is a change too.
    std::fs::remove_file(&file).unwrap();
    assert_eq!(store.deadlines_on_changed_calendars().unwrap().len(), 1);
}
