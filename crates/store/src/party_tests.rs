//! Parties and their roles in matters on a real SQLCipher file, with keys in memory,
//! and the conflict check run as a matter opens.

use mandate_core::{
    ErrorCode, MatterDraft, MatterPartyDraft, PartyDraft, PartyFilter, PartyKind, PartyPatch,
    PartyRole,
};

use crate::Store;
use crate::record_fixtures::*;

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
