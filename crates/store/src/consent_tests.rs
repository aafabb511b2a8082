//! Consents on a real SQLCipher file, with keys in memory.

use mandate_core::{ConsentDraft, ConsentFilter, ConsentPatch, DataClass, ErrorCode};

use crate::record_fixtures::*;

#[test]
fn consents_need_a_real_matter_and_provider_and_a_past_date() {
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    let p = store
        .create_provider(&provider_draft("Lex Review"))
        .unwrap();
    let draft = ConsentDraft {
        matter_id: m.id.clone(),
        provider_id: p.id.clone(),
        scope: "Document review".into(),
        data_classes: vec![DataClass::ProtectiveOrder, DataClass::EuUkPersonalData],
        countries: vec!["in".into()],
        given_on: "2026-03-02".into(),
        evidence: "Email from the GC, filed in DMS 4411".into(),
        ..Default::default()
    };
    let c = store.create_consent(&draft, TODAY).unwrap();
    assert_eq!(
        c.data_classes,
        [DataClass::EuUkPersonalData, DataClass::ProtectiveOrder]
    );
    assert_eq!(c.countries, ["IN"]);
    let records = store.audit_verify().unwrap().records;

    let cases: Vec<(ConsentDraft, ErrorCode, Option<&str>)> = vec![
        (
            ConsentDraft {
                matter_id: "no-such-matter".into(),
                ..draft.clone()
            },
            ErrorCode::NotFound,
            None,
        ),
        (
            ConsentDraft {
                provider_id: "no-such-provider".into(),
                ..draft.clone()
            },
            ErrorCode::NotFound,
            None,
        ),
        (
            ConsentDraft {
                given_on: "2026-02-30".into(),
                ..draft.clone()
            },
            ErrorCode::Invalid,
            Some("given_on"),
        ),
        (
            ConsentDraft {
                given_on: "2199-01-01".into(),
                ..draft.clone()
            },
            ErrorCode::Invalid,
            Some("given_on"),
        ),
        (
            ConsentDraft {
                countries: vec!["EU".into(), "ZZ".into()],
                ..draft.clone()
            },
            ErrorCode::Invalid,
            Some("countries"),
        ),
        (
            ConsentDraft {
                evidence: "".into(),
                ..draft.clone()
            },
            ErrorCode::Invalid,
            Some("evidence"),
        ),
        (
            ConsentDraft {
                scope: "s".repeat(201),
                ..draft.clone()
            },
            ErrorCode::Invalid,
            Some("scope"),
        ),
    ];
    for (d, code, field) in cases {
        let e = store.create_consent(&d, TODAY).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, field), "{e:?}");
    }
    assert_eq!(store.audit_verify().unwrap().records, records);

    let by_matter = store
        .list_consents(&ConsentFilter {
            matter_id: Some(m.id.clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_matter, std::slice::from_ref(&c));
    assert!(
        store
            .list_consents(&ConsentFilter {
                provider_id: Some("other".into()),
                ..Default::default()
            })
            .unwrap()
            .is_empty()
    );

    let c2 = store
        .update_consent(
            &c.id,
            &ConsentPatch {
                countries: Some(vec!["IN".into(), "PH".into()]),
                ..Default::default()
            },
            TODAY,
        )
        .unwrap();
    assert_eq!((c2.countries.len(), c2.revision), (2, 2));
    assert_eq!(
        audit_actions(&store, "consent", &c.id),
        ["consent.create", "consent.update"]
    );
}

#[test]
fn a_consent_dated_today_on_the_lawyers_clock_is_accepted_east_of_utc() {
    // 00:30 on 2 December in Tokyo is still 1 December in UTC: the consent is dated
    // the lawyer's today, which the store must take from the caller, not from UTC.
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-TZ");
    let p = store
        .create_provider(&provider_draft("Tokyo Review"))
        .unwrap();
    let tokyo_today = jiff::Timestamp::from_second(1_764_603_000) // 2025-12-01T15:30:00Z
        .unwrap()
        .in_tz("Asia/Tokyo")
        .unwrap()
        .date();
    assert_eq!(tokyo_today, jiff::civil::date(2025, 12, 2));
    let draft = ConsentDraft {
        matter_id: m.id.clone(),
        provider_id: p.id.clone(),
        scope: "Review".into(),
        given_on: "2025-12-02".into(),
        evidence: "Signed by the client this morning".into(),
        ..Default::default()
    };
    store.create_consent(&draft, tokyo_today).unwrap();
    // The day after the lawyer's today is still the future.
    let e = store
        .create_consent(
            &ConsentDraft {
                given_on: "2025-12-03".into(),
                ..draft
            },
            tokyo_today,
        )
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("given_on"));
}
