//! Providers on a real SQLCipher file in a temporary folder, with keys in memory:
//! the provider file, its search, its refusals and its re-review reminders.

use mandate_core::{AiUse, ErrorCode, ProviderDraft, ProviderFilter, ProviderPatch};

use crate::Store;
use crate::record_fixtures::*;

#[test]
fn a_provider_round_trips_survives_reopening_and_is_searchable() {
    let (dir, vault, mut store) = fresh();
    let p = store
        .create_provider(&provider_draft("Lex Review Pvt Ltd"))
        .unwrap();
    assert_eq!(p.countries, ["IN", "PH"]);
    assert_eq!(p.rates[0].currency, "USD");
    assert_eq!(
        (p.revision, p.nda_on_file, p.ai_use),
        (1, true, AiUse::Undeclared)
    );
    store
        .create_provider(&ProviderDraft {
            countries: vec!["GB".into()],
            services: vec!["Research".into()],
            ..provider_draft("Brief Co")
        })
        .unwrap();
    drop(store);

    let store = Store::open(dir.path(), &vault).unwrap();
    assert_eq!(store.provider(&p.id).unwrap(), p);
    assert_eq!(
        store
            .provider_by_id_or_name("lex review pvt ltd")
            .unwrap()
            .id,
        p.id
    );
    let names = |f: ProviderFilter| -> Vec<String> {
        store
            .list_providers(&f)
            .unwrap()
            .items
            .into_iter()
            .map(|p| p.legal_name)
            .collect()
    };
    assert_eq!(
        names(ProviderFilter::default()),
        ["Brief Co", "Lex Review Pvt Ltd"]
    );
    assert_eq!(
        names(ProviderFilter {
            query: Some("transcr".into()),
            ..Default::default()
        }),
        ["Lex Review Pvt Ltd"]
    );
    assert_eq!(
        names(ProviderFilter {
            query: Some("research".into()),
            ..Default::default()
        }),
        ["Brief Co"]
    );
    assert_eq!(
        names(ProviderFilter {
            query: Some("night spanish".into()),
            ..Default::default()
        }),
        ["Brief Co", "Lex Review Pvt Ltd"]
    );
    assert_eq!(
        names(ProviderFilter {
            country: Some("ph".into()),
            ..Default::default()
        }),
        ["Lex Review Pvt Ltd"]
    );
    for odd in ["\"", "AND", "NOT x", "(", "*", "NEAR("] {
        store
            .list_providers(&ProviderFilter {
                query: Some(odd.into()),
                ..Default::default()
            })
            .unwrap();
    }
    let e = store
        .list_providers(&ProviderFilter {
            country: Some("Narnia".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("country"));
}

#[test]
fn provider_edits_keep_search_current_and_are_audited() {
    let (_dir, _vault, mut store) = fresh();
    let p = store
        .create_provider(&provider_draft("Lex Review"))
        .unwrap();
    let p2 = store
        .update_provider(
            &p.id,
            &ProviderPatch {
                services: Some(vec!["Translation".into()]),
                ai_use: Some(AiUse::None),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((p2.revision, p2.ai_use), (2, AiUse::None));
    let hits = |q: &str| {
        store
            .list_providers(&ProviderFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .total
    };
    assert_eq!((hits("translation"), hits("transcription")), (1, 0));
    // An edit that changes nothing writes nothing.
    let same = store
        .update_provider(
            &p.id,
            &ProviderPatch {
                legal_name: Some(" Lex Review ".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(same.revision, 2);
    assert_eq!(
        audit_actions(&store, "provider", &p.id),
        ["provider.create", "provider.update"]
    );
    let detail = &store.audit_history("provider", &p.id).unwrap()[1].detail;
    assert_eq!(detail["fields"], serde_json::json!(["services", "ai_use"]));
}

#[test]
fn bad_providers_are_refused_and_write_nothing() {
    let (_dir, _vault, mut store) = fresh();
    let p = store
        .create_provider(&provider_draft("Lex Review"))
        .unwrap();
    let before = store.audit_verify().unwrap().records;
    let cases: Vec<(ProviderDraft, ErrorCode, &str)> = vec![
        (
            provider_draft(" LEX review "),
            ErrorCode::Duplicate,
            "legal_name",
        ),
        (provider_draft("  "), ErrorCode::Invalid, "legal_name"),
        (
            ProviderDraft {
                countries: vec!["XX".into()],
                ..provider_draft("A")
            },
            ErrorCode::Invalid,
            "countries",
        ),
        (
            ProviderDraft {
                countries: vec!["India".into()],
                ..provider_draft("A")
            },
            ErrorCode::Invalid,
            "countries",
        ),
        (
            ProviderDraft {
                nda_signed_on: Some("2026-02-30".into()),
                ..provider_draft("A")
            },
            ErrorCode::Invalid,
            "nda_signed_on",
        ),
        (
            ProviderDraft {
                diligence_review_on: Some("tomorrow".into()),
                ..provider_draft("A")
            },
            ErrorCode::Invalid,
            "diligence_review_on",
        ),
        (
            ProviderDraft {
                notes: Some("n".repeat(20_001)),
                ..provider_draft("A")
            },
            ErrorCode::Invalid,
            "notes",
        ),
        (
            provider_draft(&"L".repeat(201)),
            ErrorCode::Invalid,
            "legal_name",
        ),
    ];
    for (d, code, field) in cases {
        let e = store.create_provider(&d).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, Some(field)), "{e:?}");
    }
    let e = store
        .update_provider(
            &p.id,
            &ProviderPatch {
                countries: Some(vec!["QQ".into()]),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("countries"));
    assert_eq!(
        store
            .list_providers(&ProviderFilter::default())
            .unwrap()
            .total,
        1
    );
    assert_eq!(store.audit_verify().unwrap().records, before);
    assert_eq!(store.provider(&p.id).unwrap(), p);
    assert_eq!(
        store.provider("nope").unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn re_review_reminders_list_past_and_coming_reviews_most_urgent_first() {
    let (_d, _v, mut store) = fresh();
    for (name, on) in [
        ("Far Off Ltd", Some("2027-06-01")),
        ("Late Review Ltd", Some("2026-11-20")),
        ("Soon Review Ltd", Some("2026-12-15")),
        ("Edge Review Ltd", Some("2026-12-31")),
        ("Unset Review Ltd", None),
    ] {
        store
            .create_provider(&ProviderDraft {
                diligence_review_on: on.map(String::from),
                ..provider_draft(name)
            })
            .unwrap();
    }
    let due = store.provider_reviews_due(&TODAY.to_string()).unwrap();
    let seen: Vec<(&str, mandate_core::provider::ReviewState)> = due
        .iter()
        .map(|r| (r.legal_name.as_str(), r.review))
        .collect();
    use mandate_core::provider::ReviewState::*;
    assert_eq!(
        seen,
        vec![
            ("Late Review Ltd", Due { days: 11 }),
            ("Soon Review Ltd", Soon { days: 14 }),
            ("Edge Review Ltd", Soon { days: 30 }),
        ]
    );
}

#[test]
fn practice_data_never_reaches_the_disk_in_plaintext() {
    let (dir, _vault, mut store) = fresh();
    store
        .create_provider(&ProviderDraft {
            notes: Some("Quasarbrief secret".into()),
            ..provider_draft("Nebula Outsourcing")
        })
        .unwrap();
    store
        .create_party(&party("Zebulon Industries", &["Zebco"]))
        .unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for needle in [
            &b"Quasarbrief"[..],
            b"Nebula Outsourcing",
            b"Zebulon",
            b"Zebco",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{:?} on disk",
                String::from_utf8_lossy(needle)
            );
        }
    }
}
