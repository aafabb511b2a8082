//! Messages on matters, on a real SQLCipher file in a temporary folder, keys in
//! memory: adding (validated, audited, searchable), and keyset paging.

use std::cell::RefCell;

use mandate_core::{ErrorCode, Matter, MatterDraft, Message, MessageCursor, MessageDraft};
use proptest::test_runner::{Config, TestRunner};
use tempfile::TempDir;

use crate::{MemoryVault, Store};

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

fn draft(matter_id: &str, body: &str, sent_at: Option<&str>) -> MessageDraft {
    MessageDraft {
        matter_id: matter_id.into(),
        author: "Jane Smith".into(),
        body: body.into(),
        sent_at: sent_at.map(Into::into),
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every page from the newest, following `next` to the end.
fn all_pages(store: &Store, matter_id: &str, limit: u32) -> Vec<Vec<Message>> {
    let mut pages = Vec::new();
    let mut before: Option<MessageCursor> = None;
    loop {
        let page = store
            .messages(matter_id, before.as_ref(), Some(limit))
            .unwrap();
        before = page.next.clone();
        pages.push(page.items);
        if before.is_none() {
            return pages;
        }
        assert!(pages.len() < 10_000, "paging does not end");
    }
}

#[test]
fn a_message_is_added_audited_listed_searchable_and_kept() {
    let (dir, vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    let other = matter(&mut store, "2026-002");
    let first = store
        .add_message(&draft(
            &m.id,
            "  Call with the GC about the Quasarbrief.\nShe agrees.  ",
            Some("2026-03-02T09:05:00-05:00"),
        ))
        .unwrap();
    assert_eq!(
        first.body,
        "Call with the GC about the Quasarbrief.\nShe agrees."
    );
    assert_eq!(first.author, "Jane Smith");
    assert_eq!(first.sent_at, "2026-03-02T14:05:00.000Z");
    assert_eq!(
        (first.matter_id.as_str(), first.revision),
        (m.id.as_str(), 1)
    );
    // Without a sent_at it is sent now, which is after the first.
    let second = store
        .add_message(&draft(&m.id, "Brief sent.", None))
        .unwrap();
    assert!(second.sent_at > first.sent_at, "{}", second.sent_at);
    assert_eq!(second.sent_at.len(), "2026-03-02T14:05:00.000Z".len());
    store
        .add_message(&draft(&other.id, "Elsewhere.", None))
        .unwrap();

    let page = store.messages(&m.id, None, None).unwrap();
    assert_eq!(page.items, [second.clone(), first.clone()]);
    assert_eq!(page.next, None);

    let audit = store.audit_history("message", &first.id).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "message.create");
    assert_eq!(audit[0].detail["matter_id"], m.id.as_str());
    assert!(
        !audit[0].detail.to_string().contains("Quasarbrief"),
        "the body stays out of the audit log"
    );
    assert!(store.audit_verify().unwrap().intact);

    let hits = store.search_messages("quasar", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].id.as_str(), hits[0].matter_number.as_str()),
        (first.id.as_str(), "2026-001")
    );

    drop(store);
    let store = Store::open(dir.path(), &vault).unwrap();
    assert_eq!(store.message(&first.id).unwrap(), first);
    assert_eq!(store.messages(&m.id, None, None).unwrap().items.len(), 2);
    drop(store);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(11).any(|w| w == b"Quasarbrief"),
            "message text on disk in plaintext"
        );
    }
}

#[test]
fn bad_messages_are_refused_and_write_nothing() {
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    let audit_before = count(&store, "SELECT count(*) FROM audit");
    let long_author = "a".repeat(201);
    let long_body = "b".repeat(100_001);
    for (d, code, field) in [
        (draft(&m.id, "   ", None), ErrorCode::Invalid, Some("body")),
        (
            draft(&m.id, &long_body, None),
            ErrorCode::Invalid,
            Some("body"),
        ),
        (
            MessageDraft {
                author: " ".into(),
                ..draft(&m.id, "x", None)
            },
            ErrorCode::Invalid,
            Some("author"),
        ),
        (
            MessageDraft {
                author: long_author,
                ..draft(&m.id, "x", None)
            },
            ErrorCode::Invalid,
            Some("author"),
        ),
        (
            draft(&m.id, "x", Some("last Tuesday")),
            ErrorCode::Invalid,
            Some("sent_at"),
        ),
        (draft("", "x", None), ErrorCode::Invalid, Some("matter_id")),
        (
            draft("no-such-matter", "x", None),
            ErrorCode::NotFound,
            None,
        ),
    ] {
        let e = store.add_message(&d).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, field), "{e:?}");
    }
    assert_eq!(count(&store, "SELECT count(*) FROM message"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM audit"), audit_before);
    // The limits themselves are accepted.
    let ok = store
        .add_message(&MessageDraft {
            author: "a".repeat(200),
            ..draft(&m.id, &"b".repeat(100_000), None)
        })
        .unwrap();
    assert_eq!(ok.body.chars().count(), 100_000);

    let e = store.messages("no-such-matter", None, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(store.message("nope").unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn pages_follow_time_then_id_and_messages_added_meanwhile_do_not_shift_them() {
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    // Seven messages, three of them in the same millisecond.
    let at = |s: u8| format!("2026-03-02T10:00:0{s}.000Z");
    for s in [1, 5, 3, 3, 3, 9, 2] {
        store
            .add_message(&draft(&m.id, &format!("at {s}"), Some(&at(s))))
            .unwrap();
    }
    let pages = all_pages(&store, &m.id, 3);
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    let flat: Vec<&Message> = pages.iter().flatten().collect();
    let bodies: Vec<&str> = flat.iter().map(|x| x.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["at 9", "at 5", "at 3", "at 3", "at 3", "at 2", "at 1"]
    );
    for w in flat.windows(2) {
        assert!((&w[0].sent_at, &w[0].id) > (&w[1].sent_at, &w[1].id));
    }
    // Exactly a page's worth: no empty page after it.
    assert_eq!(
        all_pages(&store, &m.id, 7)
            .iter()
            .map(Vec::len)
            .collect::<Vec<_>>(),
        [7]
    );

    // A newer message arrives between two page reads: the older page is unchanged.
    let first = store.messages(&m.id, None, Some(3)).unwrap();
    store.add_message(&draft(&m.id, "late", None)).unwrap();
    let second = store.messages(&m.id, first.next.as_ref(), Some(3)).unwrap();
    assert_eq!(second.items, pages[1]);

    // Limits are clamped to 1..=200.
    assert_eq!(store.messages(&m.id, None, Some(0)).unwrap().items.len(), 1);
    assert_eq!(
        store
            .messages(&m.id, None, Some(5_000))
            .unwrap()
            .items
            .len(),
        8
    );
}

#[test]
fn pages_start_at_the_cursor_in_the_matter_sent_index() {
    let (_dir, _vault, store) = fresh();
    let plan = |sql: &str| -> String {
        store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(["m", "5", "2026", "x"], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .join("\n")
    };
    let first = plan(&format!(
        "{} AND ?3 = ?3 AND ?4 = ?4 {}",
        super::messages::PAGE_SQL,
        super::messages::PAGE_ORDER
    ));
    assert!(
        first.contains("USING INDEX message_matter_sent (matter_id=?)"),
        "{first}"
    );
    let older = plan(&format!(
        "{} AND sent_at <= ?3 AND (sent_at < ?3 OR id < ?4) {}",
        super::messages::PAGE_SQL,
        super::messages::PAGE_ORDER
    ));
    assert!(
        older.contains("USING INDEX message_matter_sent (matter_id=? AND sent_at<?)"),
        "{older}"
    );
}

#[test]
fn paging_visits_every_message_once_newest_first() {
    // One store for every case (opening SQLCipher is the slow part); each case
    // writes to a matter of its own.
    let (_dir, _vault, store) = fresh();
    let store = RefCell::new(store);
    let n = RefCell::new(0u32);
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let strategy = (proptest::collection::vec(0u8..6, 0..25), 1u32..9);
    runner
        .run(&strategy, |(seconds, limit)| {
            let mut store = store.borrow_mut();
            *n.borrow_mut() += 1;
            let m = matter(&mut store, &format!("P-{}", n.borrow()));
            for (i, s) in seconds.iter().enumerate() {
                store
                    .add_message(&draft(
                        &m.id,
                        &format!("m{i}"),
                        Some(&format!("2026-03-02T10:00:0{s}.000Z")),
                    ))
                    .unwrap();
            }
            let pages = all_pages(&store, &m.id, limit);
            let flat: Vec<Message> = pages.iter().flatten().cloned().collect();
            proptest::prop_assert_eq!(flat.len(), seconds.len());
            let mut expected = flat.clone();
            expected.sort_by(|a, b| (&b.sent_at, &b.id).cmp(&(&a.sent_at, &a.id)));
            proptest::prop_assert_eq!(&flat, &expected);
            let mut ids: Vec<&str> = flat.iter().map(|x| x.id.as_str()).collect();
            ids.dedup();
            proptest::prop_assert_eq!(ids.len(), seconds.len());
            for (i, p) in pages.iter().enumerate() {
                if i + 1 < pages.len() {
                    proptest::prop_assert_eq!(p.len(), limit as usize);
                } else {
                    proptest::prop_assert!(p.len() <= limit as usize);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn search_lists_the_newest_matching_messages_first_with_a_marked_snippet() {
    let (_dir, _vault, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    for i in 0..30 {
        let body = if i % 3 == 0 {
            format!("Note {i}: the escrow agent confirmed the wire.")
        } else {
            format!("Note {i}: nothing about money here.")
        };
        store.add_message(&draft(&m.id, &body, None)).unwrap();
    }
    let hits = store.search_messages("escrow", 4).unwrap();
    let snippets: Vec<String> = hits
        .iter()
        .map(|h| mandate_core::snippet_text(&h.snippet))
        .collect();
    let notes: Vec<&str> = snippets
        .iter()
        .map(|s| s.split(':').next().unwrap())
        .collect();
    // The newest four of the ten that match, newest first.
    assert_eq!(notes, ["Note 27", "Note 24", "Note 21", "Note 18"]);
    assert!(snippets[0].contains("[escrow]"), "{}", snippets[0]);
    assert_eq!(hits[0].matter_number, "2026-001");
}
