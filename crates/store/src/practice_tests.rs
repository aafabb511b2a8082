//! Parties, providers, consents and assignments on a real SQLCipher file in a
//! temporary folder, with keys in memory.

use mandate_core::{
    AiUse, AssignmentDraft, AssignmentFilter, AssignmentPatch, AssignmentStatus as S, ConsentDraft,
    ConsentFilter, ConsentPatch, DataClass, ErrorCode, Matter, MatterDraft, MatterPartyDraft,
    PartyDraft, PartyFilter, PartyKind, PartyPatch, PartyRole, ProviderDraft, ProviderFilter,
    ProviderPatch, Rate, Side,
};
use tempfile::TempDir;

use crate::{MemoryVault, Store};

/// The date on the person's own clock, as the window and the CLI pass it.
const TODAY: jiff::civil::Date = jiff::civil::date(2026, 12, 1);

fn fresh() -> (TempDir, MemoryVault, Store) {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(dir.path(), &vault).unwrap();
    (dir, vault, store)
}

fn matter(store: &mut Store, number: &str) -> Matter {
    store
        .create_matter(&MatterDraft {
            number: number.into(),
            title: "Acme v. Widget".into(),
            client_name: "Acme Corp".into(),
            ..Default::default()
        })
        .unwrap()
}

fn provider_draft(name: &str) -> ProviderDraft {
    ProviderDraft {
        legal_name: name.into(),
        countries: vec!["in".into(), "ph".into()],
        services: vec!["Document review".into(), "Transcription".into()],
        rates: vec![Rate {
            service: "Document review".into(),
            minor_per_hour: 4_500,
            currency: "usd".into(),
        }],
        nda_on_file: true,
        nda_signed_on: Some("2026-01-05".into()),
        notes: Some("Strong on Spanish-language review.\nNight shift available.".into()),
        ..Default::default()
    }
}

fn party(name: &str, aliases: &[&str]) -> PartyDraft {
    PartyDraft {
        name: name.into(),
        kind: PartyKind::Organisation,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
    }
}

fn assignment_draft(m: &str, p: &str) -> AssignmentDraft {
    AssignmentDraft {
        matter_id: m.into(),
        provider_id: p.into(),
        scope: "First-level review of custodian email".into(),
        instructions: Some("Tag privilege.\nFlag hot documents.".into()),
        due_on: "2026-04-15".into(),
        budget: Some("20,000".into()),
        budget_currency: Some("USD".into()),
        supervising_attorney: "Jane Smith".into(),
        ..Default::default()
    }
}

fn audit_actions(store: &Store, entity: &str, id: &str) -> Vec<String> {
    store
        .audit_history(entity, id)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect()
}

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
fn parties_are_found_by_name_or_alias_and_linked_to_matters_once_per_role() {
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    let acme = store
        .create_party(&party("Acme Corporation", &["Acme", "ACME Holdings"]))
        .unwrap();
    let widget = store
        .create_party(&party("Widget GmbH", &["Wídget Werke"]))
        .unwrap();
    // Namesakes are allowed: two people may share a name.
    store
        .create_party(&PartyDraft {
            kind: PartyKind::Person,
            ..party("John Smith", &[])
        })
        .unwrap();
    store
        .create_party(&PartyDraft {
            kind: PartyKind::Person,
            ..party("John Smith", &[])
        })
        .unwrap();

    let found = |store: &Store, q: &str| -> Vec<String> {
        store
            .list_parties(&PartyFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .items
            .into_iter()
            .map(|p| p.name)
            .collect()
    };
    assert_eq!(found(&store, "holdings"), ["Acme Corporation"]);
    assert_eq!(found(&store, "werke"), ["Widget GmbH"]);
    assert_eq!(found(&store, "smith").len(), 2);
    let people = store
        .list_parties(&PartyFilter {
            kind: Some(PartyKind::Person),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(people.total, 2);

    let client = store
        .link_party(&MatterPartyDraft {
            matter_id: m.id.clone(),
            party_id: acme.id.clone(),
            role: PartyRole::Client,
        })
        .unwrap();
    store
        .link_party(&MatterPartyDraft {
            matter_id: m.id.clone(),
            party_id: widget.id.clone(),
            role: PartyRole::Adverse,
        })
        .unwrap();
    let e = store
        .link_party(&MatterPartyDraft {
            matter_id: m.id.clone(),
            party_id: acme.id.clone(),
            role: PartyRole::Client,
        })
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Duplicate, Some("role"))
    );
    let e = store
        .link_party(&MatterPartyDraft {
            matter_id: "no-such-matter".into(),
            party_id: acme.id.clone(),
            role: PartyRole::Witness,
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let e = store
        .link_party(&MatterPartyDraft {
            matter_id: m.id.clone(),
            party_id: "no-such-party".into(),
            role: PartyRole::Witness,
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    let roles: Vec<_> = store
        .matter_parties(&m.id)
        .unwrap()
        .into_iter()
        .map(|l| (l.party_name, l.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("Acme Corporation".to_string(), PartyRole::Client),
            ("Widget GmbH".to_string(), PartyRole::Adverse)
        ]
    );

    let moved = store
        .update_matter_party(&client.id, PartyRole::CoParty)
        .unwrap();
    assert_eq!((moved.role, moved.revision), (PartyRole::CoParty, 2));
    assert_eq!(
        audit_actions(&store, "matter_party", &client.id),
        ["matter_party.create", "matter_party.update"]
    );

    // Renaming a party keeps the search index current.
    store
        .update_party(
            &acme.id,
            &PartyPatch {
                aliases: Some(vec!["Roadrunner Supply".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(found(&store, "holdings"), Vec::<String>::new());
    assert_eq!(found(&store, "roadrunner"), ["Acme Corporation"]);
    assert_eq!(store.party(&acme.id).unwrap().revision, 2);
}

#[test]
fn bad_parties_are_refused() {
    let (_dir, _vault, mut store) = fresh();
    for (d, field) in [
        (party("", &[]), "name"),
        (party(&"x".repeat(201), &[]), "name"),
        (party("Acme", &["ACME"]), "aliases"),
        (party("Acme", &["A", "a"]), "aliases"),
    ] {
        let e = store.create_party(&d).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
    }
    assert_eq!(
        store.list_parties(&PartyFilter::default()).unwrap().total,
        0
    );
    assert_eq!(store.audit_verify().unwrap().records, 0);
}

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
fn opening_a_matter_checks_its_client_against_the_parties_of_the_firms_other_matters() {
    let (_d, _v, mut store) = fresh();
    let m = matter(&mut store, "2026-0001");
    let wexley = store
        .create_party(&party("Wexley Capital Partners LLC", &["Wexley Cap"]))
        .unwrap();
    store
        .link_party(&MatterPartyDraft {
            matter_id: m.id.clone(),
            party_id: wexley.id.clone(),
            role: PartyRole::Adverse,
        })
        .unwrap();
    // A new client who is the other side in an existing matter: found at once.
    let (opened, check) = store
        .open_matter(&MatterDraft {
            number: "2026-0002".into(),
            title: "Wexley fund formation".into(),
            client_name: "Wexley Capital Partners, L.L.C.".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(check.matter_id, opened.id);
    assert_eq!(check.provider_id, None);
    assert!(
        check
            .matches
            .iter()
            .any(|m| m.found.listed == "Wexley Capital Partners LLC"),
        "{check:?}"
    );
    assert_eq!(
        store
            .latest_conflict_check(&opened.id, None)
            .unwrap()
            .unwrap()
            .id,
        check.id,
        "the check is recorded"
    );
    // A client no other matter names: a clean check, recorded all the same.
    let (_, clean) = store
        .open_matter(&MatterDraft {
            number: "2026-0003".into(),
            title: "Lease review".into(),
            client_name: "Harrow Mills".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(clean.matches.is_empty(), "{clean:?}");
}
