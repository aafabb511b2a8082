//! The store's side of the exchange without a network: what a provider's install
//! keeps when items arrive, large files received in pieces, and what a firm's outbox
//! seals. (The whole exchange through a real relay is `crates/cli/tests/exchange_cli.rs`.)

use std::io::{Read, Write};

use mandate_core::exchange::{ItemBody, OutboxState};
use mandate_core::{AssignmentStatus, ErrorCode, Side};
use mandate_protocol::{DeviceIdentity, Header, ItemKind, Opened};
use tempfile::TempDir;

use crate::{ListedMember, MemoryVault, NewChannel, RelayAccess, Store};

/// A provider's store that joined channel `ch1` of a firm whose identity is returned.
fn provider_on_a_channel() -> (TempDir, Store, DeviceIdentity) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
    let firm = DeviceIdentity::generate();
    let firm_card = firm.card("Jones & Park LLP", mandate_protocol::Side::Firm, 0);
    let me = store.device_card(Side::Provider).unwrap();
    store
        .add_channel(&NewChannel {
            id: "ch1".into(),
            relay: RelayAccess {
                url: "https://relay.example".into(),
                account_token: None,
                cert_sha256: None,
                ca_pem: None,
            },
            side: Side::Provider,
            assignment_id: "ch1".into(),
            access_token: "mrt_x".into(),
            member_id: "m-provider".into(),
            firm_name: "Jones & Park LLP".into(),
            firm_fingerprints: vec![firm.fingerprint().compact()],
        })
        .unwrap();
    store
        .set_channel_members(
            "ch1",
            &[
                ListedMember {
                    member_id: "m-firm".into(),
                    role: "owner".into(),
                    card: firm_card.encode().into(),
                    acked: 0,
                },
                ListedMember {
                    member_id: "m-provider".into(),
                    role: "member".into(),
                    card: me.encode().into(),
                    acked: 0,
                },
            ],
        )
        .unwrap();
    (dir, store, firm)
}

fn opened(firm: &DeviceIdentity, kind: ItemKind, item: &str, envelope: &str) -> Opened {
    Opened {
        header: Header {
            v: 1,
            envelope: envelope.into(),
            channel: "ch1".into(),
            item: item.into(),
            kind,
            revision: 1,
            sender: firm.key_id(),
            created: 0,
        },
        sender_side: mandate_protocol::Side::Firm,
        content_len: 0,
    }
}

fn file_content(name: &str, bytes: &[u8]) -> Vec<u8> {
    let body = ItemBody::File {
        title: name.into(),
        file_name: name.into(),
        media_type: "application/octet-stream".into(),
        version: 1,
        size: bytes.len() as i64,
        sha256: crate::sha256_hex(bytes),
    };
    let mut content = serde_json::to_vec(&body).unwrap();
    content.push(b'\n');
    content.extend_from_slice(bytes);
    content
}

/// Receives `content` through the store's writer, in writes of `cut` bytes, and
/// applies it as envelope `env` (sequence `seq`) of item `item` of `kind`.
fn receive(
    store: &mut Store,
    firm: &DeviceIdentity,
    (kind, item, env, seq): (ItemKind, &str, &str, i64),
    content: &[u8],
    cut: usize,
) -> mandate_core::Result<String> {
    let mut w = store.incoming_writer(env).unwrap();
    for part in content.chunks(cut.max(1)) {
        w.write_all(part).unwrap();
    }
    let incoming = w.finish().unwrap();
    store.apply_incoming("ch1", seq, &opened(firm, kind, item, env), incoming)
}

/// Files being received, and file parts held in all.
fn files_being_received_and_parts(store: &Store) -> (i64, i64) {
    store
        .conn
        .query_row(
            "SELECT (SELECT count(*) FROM incoming_file), (SELECT count(*) FROM blob_part)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

#[test]
fn a_firm_whose_keys_do_not_match_the_invite_is_refused() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
    let invited = DeviceIdentity::generate();
    let impostor = DeviceIdentity::generate();
    store
        .add_channel(&NewChannel {
            id: "ch1".into(),
            relay: RelayAccess {
                url: "https://relay.example".into(),
                account_token: None,
                cert_sha256: None,
                ca_pem: None,
            },
            side: Side::Provider,
            assignment_id: "ch1".into(),
            access_token: "t".into(),
            member_id: "me".into(),
            firm_name: "F".into(),
            firm_fingerprints: vec![invited.fingerprint().compact()],
        })
        .unwrap();
    let card = impostor.card("F", mandate_protocol::Side::Firm, 0);
    let err = store
        .set_channel_members(
            "ch1",
            &[ListedMember {
                member_id: "m".into(),
                role: "owner".into(),
                card: card.encode().into(),
                acked: 0,
            }],
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAllowed);
    assert!(store.channel("ch1").unwrap().members.is_empty());
}

#[test]
fn a_large_document_received_in_pieces_is_kept_whole_and_exactly() {
    let (_dir, mut store, firm) = provider_on_a_channel();
    let bytes = pattern(3 * 1024 * 1024 + 17);
    let content = file_content("Lease 14.pdf", &bytes);
    // Odd write sizes cross part boundaries, and the description's line end.
    let label = receive(
        &mut store,
        &firm,
        (ItemKind::Document, "doc1", "env1", 5),
        &content,
        77_777,
    )
    .unwrap();
    assert!(label.contains("Lease 14.pdf"), "{label}");
    let (item, got) = store.engagement_file("ch1", "doc1").unwrap();
    assert_eq!(item.size, bytes.len() as i64);
    assert!(got == bytes, "the file read back differs");
    assert_eq!(store.channel("ch1").unwrap().cursor, 5);
    assert_eq!(store.held_revision("ch1", "doc1").unwrap(), Some(1));
    let (staged, parts) = files_being_received_and_parts(&store);
    assert_eq!(staged, 0, "nothing is left being received once applied");
    assert_eq!(
        parts, 4,
        "3 MiB and 17 bytes are four parts, kept as the file's"
    );

    // The same file again (another envelope): its parts are dropped, the file is
    // held once.
    receive(
        &mut store,
        &firm,
        (ItemKind::Document, "doc9", "env9", 7),
        &content,
        usize::MAX,
    )
    .unwrap();
    let (_, again) = store.engagement_file("ch1", "doc9").unwrap();
    assert!(again == bytes);
    let parts: i64 = store
        .conn
        .query_row("SELECT count(*) FROM blob_part", [], |r| r.get(0))
        .unwrap();
    assert_eq!(parts, 4, "the second copy's parts are not kept");
}

#[test]
fn a_large_item_that_is_not_a_file_is_applied_whole_or_refused_as_too_large() {
    let (_dir, mut store, firm) = provider_on_a_channel();
    let brief = ItemBody::Brief {
        scope: "Review leases".into(),
        instructions: Some("x".repeat(200_000)),
        due_on: "2027-01-12".into(),
        status: AssignmentStatus::Sent,
    };
    receive(
        &mut store,
        &firm,
        (ItemKind::Brief, "brief", "env3", 3),
        &serde_json::to_vec(&brief).unwrap(),
        usize::MAX,
    )
    .unwrap();
    let e = store.engagement("ch1").unwrap();
    assert_eq!(e.scope.as_deref(), Some("Review leases"));

    // More than a brief can hold: refused, nothing kept in the store for it.
    let err = receive(
        &mut store,
        &firm,
        (ItemKind::Brief, "brief", "env4", 4),
        &vec![b' '; 3 * 512 * 1024],
        512 * 1024,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Corrupt);
    assert!(err.message.contains("too large"), "{}", err.message);
    assert_eq!(files_being_received_and_parts(&store), (0, 0));

    // A file's content under another kind's header is refused.
    let err = receive(
        &mut store,
        &firm,
        (ItemKind::Brief, "brief", "env5", 5),
        &file_content("Lease 2.pdf", &pattern(10)),
        usize::MAX,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Corrupt);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// However the decryptor cuts what it writes, the file read back is the file
    /// sent, and a file one byte longer or shorter than it says is refused.
    #[test]
    fn a_file_written_in_any_pieces_reads_back_exactly(
        len in 0usize..(2 * 1024 * 1024 + 5),
        cuts in proptest::collection::vec(1usize..300_000, 1..12),
        off_by in -1i64..=1,
    ) {
        let (_dir, mut store, firm) = provider_on_a_channel();
        let bytes = pattern(len);
        let mut content = file_content("Scan.pdf", &bytes);
        match off_by {
            1 => content.push(0),
            -1 if len > 0 => { content.pop(); }
            _ => {}
        }
        let mut w = store.incoming_writer("envp").unwrap();
        let mut rest = &content[..];
        for cut in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let take = (*cut).min(rest.len());
            w.write_all(&rest[..take]).unwrap();
            rest = &rest[take..];
        }
        let incoming = w.finish().unwrap();
        let applied = store.apply_incoming(
            "ch1",
            1,
            &opened(&firm, ItemKind::Document, "docp", "envp"),
            incoming,
        );
        if off_by == 0 || (off_by == -1 && len == 0) {
            applied.unwrap();
            let (_, got) = store.engagement_file("ch1", "docp").unwrap();
            proptest::prop_assert!(got == bytes);
        } else {
            let err = applied.unwrap_err();
            proptest::prop_assert_eq!(err.code, ErrorCode::Corrupt);
        }
    }
}

#[test]
fn pieces_that_do_not_match_their_hash_are_refused_and_cleared() {
    let (_dir, mut store, firm) = provider_on_a_channel();
    let bytes = pattern(2 * 1024 * 1024);
    let mut content = file_content("Lease 9.pdf", &bytes);
    let last = content.len() - 1;
    content[last] ^= 1;
    let err = receive(
        &mut store,
        &firm,
        (ItemKind::Document, "doc2", "env2", 6),
        &content,
        usize::MAX,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Corrupt);
    assert!(store.engagement("ch1").unwrap().items.is_empty());
    assert_eq!(
        store.channel("ch1").unwrap().cursor,
        0,
        "nothing applied, the cursor stays"
    );
    store
        .record_rejection("ch1", 6, "env2", "not_applicable", &err.message)
        .unwrap();
    let (staged, parts) = files_being_received_and_parts(&store);
    assert_eq!(
        (staged, parts),
        (0, 0),
        "the refused file's parts are cleared"
    );
    assert_eq!(store.channel("ch1").unwrap().cursor, 6);
}

#[test]
fn received_items_fill_the_engagement_and_status_follows_the_state_machine() {
    let (_dir, mut store, firm) = provider_on_a_channel();
    let brief = ItemBody::Brief {
        scope: "Review leases".into(),
        instructions: Some("Flag consent clauses".into()),
        due_on: "2027-01-12".into(),
        status: AssignmentStatus::Sent,
    };
    store
        .apply_received(
            "ch1",
            1,
            &opened(&firm, ItemKind::Brief, "brief-a", "e1"),
            &serde_json::to_vec(&brief).unwrap(),
        )
        .unwrap();
    let e = store.engagement("ch1").unwrap();
    assert_eq!(
        (e.scope.as_deref(), e.due_on.as_deref(), e.status),
        (
            Some("Review leases"),
            Some("2027-01-12"),
            AssignmentStatus::Sent
        )
    );
    // The firm cannot accept on the provider's behalf: the state machine refuses it.
    let accept = ItemBody::Status {
        from: AssignmentStatus::Sent,
        to: AssignmentStatus::Accepted,
    };
    let err = store
        .apply_received(
            "ch1",
            2,
            &opened(&firm, ItemKind::Status, "status-1", "e2"),
            &serde_json::to_vec(&accept).unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAllowed);
    assert_eq!(
        store.engagement("ch1").unwrap().status,
        AssignmentStatus::Sent
    );
    // The provider's own move is queued to go, in the same transaction.
    store
        .move_engagement("ch1", AssignmentStatus::Accepted)
        .unwrap();
    let queued = store.outbox(false).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].kind, "status");
    let payload: ItemBody =
        serde_json::from_slice(&store.outbox_payload(&queued[0].envelope_id).unwrap()).unwrap();
    assert_eq!(
        payload,
        ItemBody::Status {
            from: AssignmentStatus::Sent,
            to: AssignmentStatus::Accepted
        }
    );
}

#[test]
fn the_outbox_reads_a_delivered_file_in_pieces_as_it_reads_it_whole() {
    let (_dir, mut store, _firm) = provider_on_a_channel();
    let bytes = pattern(1_500_000);
    let entry = store.deliver("ch1", "memo.pdf", &bytes).unwrap();
    let whole = store.outbox_payload(&entry.envelope_id).unwrap();
    let mut reader = store.outbox_payload_reader(&entry.envelope_id).unwrap();
    assert_eq!(reader.len, whole.len() as u64);
    let mut pieces = Vec::new();
    let mut buf = [0u8; 10_000];
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        pieces.extend_from_slice(&buf[..n]);
    }
    assert!(pieces == whole);
    assert!(whole.ends_with(&bytes));
}

#[test]
fn an_item_is_due_by_time_not_by_how_its_time_is_written() {
    let (_dir, mut store, _firm) = provider_on_a_channel();
    let entry = store.deliver("ch1", "memo.pdf", b"memo").unwrap();
    // RFC 3339 times with and without fractions of a second compare as times.
    store
        .outbox_retry_later(&entry.envelope_id, "2026-12-01T10:00:05Z", "429")
        .unwrap();
    let due = |now: &str| store.outbox_due(now).unwrap().len();
    assert_eq!(due("2026-12-01T10:00:04.9Z"), 0);
    assert_eq!(due("2026-12-01T10:00:05.1Z"), 1);
    assert_eq!(due("2026-12-01T10:00:05Z"), 1);
}

#[test]
fn an_item_sent_is_received_once_the_other_side_lists_past_it_and_never_goes_back() {
    let (_dir, mut store, firm) = provider_on_a_channel();
    let firm_card = firm.card("Jones & Park LLP", mandate_protocol::Side::Firm, 0);
    let sent = store
        .send_exchange_message("ch1", "Draft attached.")
        .unwrap();
    let state = |store: &Store| {
        store
            .outbox(true)
            .unwrap()
            .into_iter()
            .find(|e| e.envelope_id == sent.envelope_id)
            .unwrap()
            .state
    };
    let delivery = |store: &Store| {
        let msgs = store.engagement("ch1").unwrap();
        assert!(msgs.items.iter().any(|i| i.item_id == sent.item_id));
        state(store)
    };
    assert_eq!(state(&store), OutboxState::Queued);
    store.outbox_sent(&sent.envelope_id).unwrap();
    store
        .own_envelope_listed("ch1", 7, &sent.envelope_id)
        .unwrap();
    assert_eq!(store.channel("ch1").unwrap().cursor, 7);
    let my_card = store_card(&mut store);
    let members = |acked: i64| {
        vec![
            ListedMember {
                member_id: "m-firm".into(),
                role: "owner".into(),
                card: firm_card.encode().into(),
                acked,
            },
            ListedMember {
                member_id: "m-provider".into(),
                role: "member".into(),
                // This install's own acknowledgement never counts as the other side's.
                card: my_card.clone(),
                acked: 99,
            },
        ]
    };
    let listed = members(6);
    store.set_channel_members("ch1", &listed).unwrap();
    assert_eq!(
        state(&store),
        OutboxState::Sent,
        "the firm holds only up to 6"
    );
    let listed = members(7);
    store.set_channel_members("ch1", &listed).unwrap();
    assert_eq!(delivery(&store), OutboxState::Received);
    let listed = members(2);
    store.set_channel_members("ch1", &listed).unwrap();
    assert_eq!(
        state(&store),
        OutboxState::Received,
        "an acknowledgement never moves back"
    );
}

fn store_card(store: &mut Store) -> String {
    store
        .device_card(Side::Provider)
        .unwrap()
        .encode()
        .to_owned()
}

#[test]
fn sharing_a_draft_work_order_sends_it_and_a_firms_message_shows_how_far_it_got() {
    use mandate_core::exchange::ShareRequest;
    let f = firm_on_a_channel();
    // The member list once the provider has listed past the firm's message (seq 4).
    let provider_holds_4 = f.members(4);
    let FirmChannel {
        mut store,
        matter,
        provider,
        assignment: a,
        ..
    } = f;
    assert_eq!(a.status, AssignmentStatus::Draft);

    let brief_only = ShareRequest {
        assignment_id: a.id.clone(),
        brief: true,
        ..Default::default()
    };
    // Without the client's consent and a conflict check the guard blocks: nothing is
    // queued, the work order stays a draft, and the ledger records the refusal.
    let e = store.share(&brief_only, "2026-12-01").unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert!(e.message.contains("consent"), "{}", e.message);
    assert!(store.outbox(true).unwrap().is_empty());
    assert_eq!(
        store.assignment(&a.id).unwrap().status,
        AssignmentStatus::Draft
    );
    let ledger = store
        .list_disclosures(&mandate_core::DisclosureFilter {
            matter_id: Some(matter.id.clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].decision, mandate_core::DisclosureDecision::Block);
    store
        .create_consent(
            &mandate_core::ConsentDraft {
                matter_id: matter.id.clone(),
                provider_id: provider.id.clone(),
                scope: "Review".into(),
                data_classes: vec![],
                countries: vec!["IN".into()],
                given_on: "2026-11-01".into(),
                evidence: "letter of 2026-11-01".into(),
                ..Default::default()
            },
            jiff::civil::date(2026, 12, 1),
        )
        .unwrap();
    store
        .run_conflict_check(&matter.id, Some(&provider.id))
        .unwrap();
    let queued = store.share(&brief_only, "2026-12-01").unwrap();
    assert_eq!(
        store.assignment(&a.id).unwrap().status,
        AssignmentStatus::Sent
    );
    let brief = store.outbox_payload(&queued[0].envelope_id).unwrap();
    let body: ItemBody = serde_json::from_slice(&brief).unwrap();
    assert!(
        matches!(
            body,
            ItemBody::Brief {
                status: AssignmentStatus::Sent,
                ..
            }
        ),
        "{body:?}"
    );

    // The firm's own message, as the Messages tab lists it.
    let sent = store
        .send_exchange_message("chf", "Please start with the leases.")
        .unwrap();
    let delivery = |store: &Store| {
        let page = store.messages(&matter.id, None, None).unwrap();
        let m = page
            .items
            .iter()
            .find(|m| m.id == sent.item_id)
            .unwrap()
            .clone();
        (m.from_side, m.delivery)
    };
    assert_eq!(
        delivery(&store),
        (Some(Side::Firm), Some(OutboxState::Queued))
    );
    store.outbox_sent(&sent.envelope_id).unwrap();
    assert_eq!(
        delivery(&store),
        (Some(Side::Firm), Some(OutboxState::Sent))
    );
    store
        .own_envelope_listed("chf", 4, &sent.envelope_id)
        .unwrap();
    store.set_channel_members("chf", &provider_holds_4).unwrap();
    assert_eq!(
        delivery(&store),
        (Some(Side::Firm), Some(OutboxState::Received))
    );
    // A note kept here only is neither.
    let note = store
        .add_message(&mandate_core::MessageDraft {
            matter_id: matter.id.clone(),
            author: "Jane Smith".into(),
            body: "Called the client.".into(),
            sent_at: None,
        })
        .unwrap();
    assert_eq!((note.from_side, note.delivery), (None, None));
}

/// A firm's store with a matter, a provider (its file complete), a draft work order
/// and a channel the provider has joined; no consent and no conflict check yet.
struct FirmChannel {
    _dir: TempDir,
    store: Store,
    matter: mandate_core::Matter,
    provider: mandate_core::Provider,
    assignment: mandate_core::Assignment,
    /// The firm's and the provider's public cards, to list the members again.
    cards: (String, String),
}

impl FirmChannel {
    /// The relay's member list, the provider having said it holds up to `acked`.
    fn members(&self, acked: i64) -> Vec<ListedMember> {
        vec![
            ListedMember {
                member_id: "m-firm".into(),
                role: "owner".into(),
                card: self.cards.0.clone(),
                acked: 0,
            },
            ListedMember {
                member_id: "m-provider".into(),
                role: "member".into(),
                card: self.cards.1.clone(),
                acked,
            },
        ]
    }
}

fn firm_on_a_channel() -> FirmChannel {
    use mandate_core::{AssignmentDraft, MatterDraft, ProviderDraft};
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
    let matter = store
        .create_matter(&MatterDraft {
            number: "F-1".into(),
            title: "Firm matter".into(),
            client_name: "Client".into(),
            supervising_attorney: Some("Jane Smith".into()),
            ..Default::default()
        })
        .unwrap();
    let provider = store
        .create_provider(&ProviderDraft {
            legal_name: "Lexwell Review Ltd".into(),
            countries: vec!["in".into()],
            diligence: mandate_core::provider::all_factors_checked("DMS 4411"),
            diligence_review_on: Some("2099-01-01".into()),
            nda_on_file: true,
            nda_signed_on: Some("2026-01-02".into()),
            ai_use: mandate_core::provider::AiUse::None,
            ..Default::default()
        })
        .unwrap();
    let assignment = store
        .create_assignment(&AssignmentDraft {
            matter_id: matter.id.clone(),
            provider_id: provider.id.clone(),
            scope: "Review".into(),
            due_on: "2027-02-01".into(),
            supervising_attorney: "Jane Smith".into(),
            ..Default::default()
        })
        .unwrap();
    let me = store.device_card(Side::Firm).unwrap();
    let them =
        DeviceIdentity::generate().card("Lexwell Review Ltd", mandate_protocol::Side::Provider, 0);
    store
        .add_channel(&NewChannel {
            id: "chf".into(),
            relay: RelayAccess {
                url: "https://relay.example".into(),
                account_token: None,
                cert_sha256: None,
                ca_pem: None,
            },
            side: Side::Firm,
            assignment_id: assignment.id.to_string(),
            access_token: "mrt_x".into(),
            member_id: "m-firm".into(),
            firm_name: "Jones & Park LLP".into(),
            firm_fingerprints: vec![me.fingerprint().compact()],
        })
        .unwrap();
    let mut f = FirmChannel {
        _dir: dir,
        store,
        matter,
        provider,
        assignment,
        cards: (me.encode().to_owned(), them.encode().to_owned()),
    };
    let listed = f.members(0);
    f.store.set_channel_members("chf", &listed).unwrap();
    f
}

/// Jane Smith, an attorney of the firm, added and chosen as the person at this desk.
fn jane_at_the_desk(store: &mut Store) {
    use mandate_core::person::{PersonDraft, PersonRole};
    store
        .add_person(&PersonDraft {
            name: "Jane Smith".into(),
            role: PersonRole::Attorney,
            bar_admission: Some("NY 4512290".into()),
        })
        .unwrap();
    store.use_person("Jane Smith").unwrap();
}

#[test]
fn only_an_attorney_at_the_desk_overrides_a_block_and_the_ledger_says_so() {
    use mandate_core::exchange::ShareRequest;
    use mandate_core::person::{PersonDraft, PersonRole};
    let FirmChannel {
        mut store,
        matter,
        assignment: a,
        ..
    } = firm_on_a_channel();
    let req = ShareRequest {
        assignment_id: a.id.clone(),
        brief: true,
        ..Default::default()
    };
    let today = "2026-12-01";
    // Nobody chosen at the desk: no override.
    let e = store
        .share_overriding(&req, today, "client called")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    store
        .add_person(&PersonDraft {
            name: "Pat Lee".into(),
            role: PersonRole::Paralegal,
            bar_admission: None,
        })
        .unwrap();
    store.use_person("pat lee").unwrap();
    let e = store
        .share_overriding(&req, today, "client called")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed, "a paralegal overrode");
    assert!(store.outbox(true).unwrap().is_empty());
    jane_at_the_desk(&mut store);
    let e = store.share_overriding(&req, today, "  ").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("override_reason"));
    let queued = store
        .share_overriding(
            &req,
            today,
            "Client's written consent arrives Monday; deadline is Friday.",
        )
        .unwrap();
    assert_eq!(queued.len(), 1);
    let ledger = store
        .list_disclosures(&mandate_core::DisclosureFilter {
            matter_id: Some(matter.id.clone()),
            ..Default::default()
        })
        .unwrap();
    let row = ledger
        .iter()
        .find(|d| d.decision == mandate_core::DisclosureDecision::Override)
        .expect("an override row");
    assert_eq!(row.decided_by, "Jane Smith (attorney)");
    assert_eq!(
        row.override_reason.as_deref(),
        Some("Client's written consent arrives Monday; deadline is Friday.")
    );
    assert!(
        row.reasons.iter().any(|r| r.contains("consent.missing")),
        "{:?}",
        row.reasons
    );
    // The desk's person is remembered: a store opened again names them.
    assert_eq!(store.desk_person().unwrap().unwrap().name, "Jane Smith");

    // The client's report of the matter holds the override, its reason and who made
    // it; the ledger goes out as CSV. Both are written only as their own file type,
    // replace nothing unless asked, and are recorded in the audit chain.
    let report = store.disclosure_report(&matter.id, today).unwrap();
    assert_eq!(report.matter_number, "F-1");
    assert_eq!(report.prepared_by, "Jane Smith");
    assert_eq!(report.providers.len(), 1);
    assert!(matches!(
        &report.providers[0].entries[0].decision,
        mandate_report::Decision::Overridden { by, reason, .. }
            if by == "Jane Smith (attorney)" && reason.contains("arrives Monday")
    ));
    let out = TempDir::new().unwrap();
    let pdf = out.path().join("report.pdf");
    assert_eq!(
        store
            .write_disclosure_report_to(&pdf, crate::Existing::Refuse, &matter.id, today)
            .unwrap(),
        1
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let again = store
        .write_disclosure_report_to(&pdf, crate::Existing::Refuse, &matter.id, today)
        .unwrap_err();
    assert_eq!(again.field.as_deref(), Some("path"), "{}", again.message);
    let wrong = store
        .write_disclosure_report_to(
            &out.path().join("report.txt"),
            crate::Existing::Refuse,
            &matter.id,
            today,
        )
        .unwrap_err();
    assert!(wrong.message.contains(".pdf"), "{}", wrong.message);
    let csv = out.path().join("ledger.csv");
    let filter = mandate_core::DisclosureFilter {
        matter_id: Some(matter.id.clone()),
        ..Default::default()
    };
    assert_eq!(
        store
            .write_ledger_csv_to(&csv, crate::Existing::Refuse, &filter)
            .unwrap(),
        1
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("decided_at,matter,provider,") && text.contains("\"override\""),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777,
            0o600,
            "plaintext written for a person is private"
        );
    }
    let history = format!("{:?}", store.audit_history("matter", &matter.id).unwrap());
    assert!(history.contains("disclosure.report"), "{history}");
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn a_firms_message_with_a_sensitive_number_waits_for_the_person_at_the_desk_to_keep_it() {
    let FirmChannel { mut store, .. } = firm_on_a_channel();
    let text = "Patient SSN 219-09-9999; call back on Monday.";
    let e = store.send_exchange_message("chf", text).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("sensitive"));
    assert!(
        e.message.contains("1 sensitive number: SSN"),
        "{}",
        e.message
    );
    assert!(
        store.outbox(true).unwrap().is_empty(),
        "a refused message was queued"
    );
    // Kept on purpose only by a named person.
    let e = store
        .send_exchange_message_kept("chf", text, true)
        .unwrap_err();
    assert!(
        e.message.contains("choose who is at this desk"),
        "{}",
        e.message
    );
    jane_at_the_desk(&mut store);
    let sent = store.send_exchange_message_kept("chf", text, true).unwrap();
    let body: ItemBody =
        serde_json::from_slice(&store.outbox_payload(&sent.envelope_id).unwrap()).unwrap();
    match body {
        ItemBody::Message { author, .. } => assert!(author.starts_with("Jane Smith ("), "{author}"),
        other => panic!("{other:?}"),
    }
    // The audit log records that it was kept, by the number's hash, never the number.
    let audit = store.audit_verify().unwrap();
    assert!(audit.intact);
    let dump = format!("{:?}", store.audit_history("channel", "chf").unwrap());
    assert!(dump.contains("sensitive_kept"), "{dump}");
    assert!(
        !dump.contains("219-09-9999"),
        "the number is in the audit log"
    );
    // A message without one goes as before.
    store
        .send_exchange_message("chf", "Please start with the leases.")
        .unwrap();
}
