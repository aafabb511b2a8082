//! Assignments on a real SQLCipher file, with keys in memory: the state machine
//! and its audit, refusals and list filters.

use mandate_core::{
    AssignmentDraft, AssignmentFilter, AssignmentPatch, AssignmentStatus as S, ErrorCode, Side,
};

use crate::record_fixtures::*;

#[test]
fn assignments_move_through_the_state_machine_and_every_move_is_audited() {
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    let p = store
        .create_provider(&provider_draft("Lex Review"))
        .unwrap();
    let a = store
        .create_assignment(&assignment_draft(&m.id, &p.id))
        .unwrap();
    assert_eq!(
        (
            a.status,
            a.owner,
            a.revision,
            a.budget.as_ref().map(|b| b.minor)
        ),
        (S::Draft, Side::Firm, 1, Some(2_000_000))
    );

    for (to, side) in [
        (S::Sent, Side::Firm),
        (S::Accepted, Side::Provider),
        (S::InProgress, Side::Provider),
        (S::Delivered, Side::Provider),
        (S::UnderReview, Side::Firm),
        (S::RevisionRequested, Side::Firm),
        (S::InProgress, Side::Provider),
        (S::Delivered, Side::Provider),
        (S::UnderReview, Side::Firm),
    ] {
        assert_eq!(store.move_assignment(&a.id, to, side).unwrap().status, to);
    }

    // The provider may not approve its own work; the refusal changes nothing.
    let e = store
        .move_assignment(&a.id, S::Approved, Side::Provider)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert!(e.message.contains("Only the firm"), "{}", e.message);
    assert_eq!(store.assignment(&a.id).unwrap().status, S::UnderReview);

    let done = store
        .move_assignment(&a.id, S::Approved, Side::Firm)
        .unwrap();
    assert_eq!((done.status, done.revision), (S::Approved, 11));
    let e = store
        .move_assignment(&a.id, S::Cancelled, Side::Firm)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    // A closed work order keeps its terms.
    let e = store
        .update_assignment(
            &a.id,
            &AssignmentPatch {
                scope: Some("More".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);

    let history = store.audit_history("assignment", &a.id).unwrap();
    assert_eq!(history.len(), 11);
    assert_eq!(history[0].action, "assignment.create");
    assert_eq!(
        history[1].detail,
        serde_json::json!({"matter_id": a.matter_id, "from": "draft", "to": "sent", "side": "firm"})
    );
    assert_eq!(
        history[10].detail,
        serde_json::json!({"matter_id": a.matter_id, "from": "under_review", "to": "approved", "side": "firm"})
    );
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn bad_assignments_are_refused_and_lists_filter() {
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    let m2 = matter(&mut store, "2026-002");
    let p = store
        .create_provider(&provider_draft("Lex Review"))
        .unwrap();
    let records = store.audit_verify().unwrap().records;
    let cases: Vec<(AssignmentDraft, ErrorCode, Option<&str>)> = vec![
        (
            assignment_draft("no-such-matter", &p.id),
            ErrorCode::NotFound,
            None,
        ),
        (
            assignment_draft(&m.id, "no-such-provider"),
            ErrorCode::NotFound,
            None,
        ),
        (
            AssignmentDraft {
                scope: "".into(),
                ..assignment_draft(&m.id, &p.id)
            },
            ErrorCode::Invalid,
            Some("scope"),
        ),
        (
            AssignmentDraft {
                due_on: "15/04/2026".into(),
                ..assignment_draft(&m.id, &p.id)
            },
            ErrorCode::Invalid,
            Some("due_on"),
        ),
        (
            AssignmentDraft {
                budget_currency: Some("XYZ".into()),
                ..assignment_draft(&m.id, &p.id)
            },
            ErrorCode::Invalid,
            Some("budget_currency"),
        ),
        (
            AssignmentDraft {
                budget: Some("-1".into()),
                ..assignment_draft(&m.id, &p.id)
            },
            ErrorCode::Invalid,
            Some("budget"),
        ),
        (
            AssignmentDraft {
                supervising_attorney: "".into(),
                ..assignment_draft(&m.id, &p.id)
            },
            ErrorCode::Invalid,
            Some("supervising_attorney"),
        ),
        (
            AssignmentDraft {
                instructions: Some("i".repeat(20_001)),
                ..assignment_draft(&m.id, &p.id)
            },
            ErrorCode::Invalid,
            Some("instructions"),
        ),
    ];
    for (d, code, field) in cases {
        let e = store.create_assignment(&d).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, field), "{e:?}");
    }
    assert_eq!(store.audit_verify().unwrap().records, records);

    let a1 = store
        .create_assignment(&AssignmentDraft {
            due_on: "2026-05-01".into(),
            ..assignment_draft(&m.id, &p.id)
        })
        .unwrap();
    let a2 = store
        .create_assignment(&assignment_draft(&m2.id, &p.id))
        .unwrap();
    store.move_assignment(&a2.id, S::Sent, Side::Firm).unwrap();
    let e = store
        .move_assignment(&a1.id, S::Sent, Side::Provider)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert_eq!(
        store
            .move_assignment("nope", S::Sent, Side::Firm)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );

    let ids = |f: AssignmentFilter| -> Vec<mandate_core::AssignmentId> {
        store
            .list_assignments(&f)
            .unwrap()
            .items
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(
        ids(AssignmentFilter::default()),
        [a2.id.clone(), a1.id.clone()],
        "soonest due first"
    );
    assert_eq!(
        ids(AssignmentFilter {
            matter_id: Some(m.id.clone()),
            ..Default::default()
        }),
        [a1.id.as_str()]
    );
    assert_eq!(
        ids(AssignmentFilter {
            status: Some(S::Sent),
            ..Default::default()
        }),
        [a2.id.as_str()]
    );

    let edited = store
        .update_assignment(
            &a1.id,
            &AssignmentPatch {
                budget: Some(None),
                due_on: Some("2026-05-02".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((edited.budget, edited.revision), (None, 2));
    // A budget in yen is kept in yen: 150,000 yen, not 1,500.00.
    let yen = store
        .update_assignment(
            &a1.id,
            &AssignmentPatch {
                budget: Some(Some("150,000".into())),
                budget_currency: Some("JPY".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let b = yen.budget.unwrap();
    assert_eq!((b.minor, b.text.as_str()), (150_000, "JPY 150,000"));
    assert_eq!(edited.due_on, "2026-05-02");
}
