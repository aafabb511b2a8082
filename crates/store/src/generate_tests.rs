//! The scale-data generator and message search, on real SQLCipher files.

use mandate_core::{MatterFilter, MatterSort};
use tempfile::TempDir;

use crate::{MemoryVault, Store};

fn fresh() -> (TempDir, MemoryVault, Store) {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(dir.path(), &vault).unwrap();
    (dir, vault, store)
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn integrity_ok(store: &Store) {
    let s: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(s, "ok");
    // The FTS index agrees with its content table.
    store
        .conn
        .execute_batch("INSERT INTO message_fts (message_fts) VALUES ('integrity-check');")
        .unwrap();
}

#[test]
fn generates_the_counts_asked_for_and_tells_progress() {
    let (_d, _v, mut store) = fresh();
    let mut seen = Vec::new();
    let r = store
        .generate(120, 900, &mut |done, total| seen.push((done, total)))
        .unwrap();
    assert_eq!((r.matters_inserted, r.messages_inserted), (120, 900));
    assert_eq!(count(&store, "matter"), 120);
    assert_eq!(count(&store, "message"), 900);
    assert_eq!(seen.first(), Some(&(0, 1020)));
    assert_eq!(seen.last(), Some(&(1020, 1020)));
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
    let m = store.matter_by_number("G-000001").unwrap();
    assert!(!m.title.is_empty() && !m.client_name.is_empty());
    store.matter_by_number("G-000120").unwrap();
    integrity_ok(&store);
}

#[test]
fn the_data_is_the_same_every_time() {
    let (_d1, _v1, mut a) = fresh();
    let (_d2, _v2, mut b) = fresh();
    a.generate(30, 100, &mut |_, _| {}).unwrap();
    b.generate(30, 100, &mut |_, _| {}).unwrap();
    let rows = |s: &Store| -> Vec<(String, String, String)> {
        let mut st = s
            .conn
            .prepare("SELECT id, matter_id, body FROM message ORDER BY id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(rows(&a), rows(&b));
    assert_eq!(
        a.matter_by_number("G-000007").unwrap().id,
        b.matter_by_number("G-000007").unwrap().id
    );
}

#[test]
fn running_again_or_growing_never_duplicates() {
    let (_d, _v, mut store) = fresh();
    store.generate(50, 400, &mut |_, _| {}).unwrap();
    let again = store.generate(50, 400, &mut |_, _| {}).unwrap();
    assert_eq!((again.matters_inserted, again.messages_inserted), (0, 0));
    assert_eq!(count(&store, "matter"), 50);
    assert_eq!(count(&store, "message"), 400);
    // A run that inserted nothing writes no audit record.
    assert_eq!(store.audit_verify().unwrap().records, 1);

    // Growing continues after the rows already there.
    let more = store.generate(80, 700, &mut |_, _| {}).unwrap();
    assert_eq!((more.matters_inserted, more.messages_inserted), (30, 300));
    assert_eq!(count(&store, "matter"), 80);
    assert_eq!(count(&store, "message"), 700);
    integrity_ok(&store);
}

#[test]
fn an_interrupted_run_resumes_where_it_stopped() {
    let (_d, _v, mut store) = fresh();
    // As if a run was killed after committing part of its rows: a prefix is there.
    store.generate(40, 250, &mut |_, _| {}).unwrap();
    let r = store.generate(40, 1_000, &mut |_, _| {}).unwrap();
    assert_eq!((r.matters_inserted, r.messages_inserted), (0, 750));
    assert_eq!(count(&store, "message"), 1_000);
    integrity_ok(&store);
}

#[test]
fn one_audit_record_per_run_and_the_chain_verifies() {
    let (_d, _v, mut store) = fresh();
    store.generate(60, 500, &mut |_, _| {}).unwrap();
    let report = store.audit_verify().unwrap();
    assert!(report.intact);
    assert_eq!(report.records, 1);
    let history = store.audit_history("store", store.id()).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "store.generate");
    assert_eq!(history[0].detail["messages"], 500);
    // Ordinary writes keep chaining after it: a generated matter changes (to the
    // status it does not have, so the edit is a real write), its record follows the
    // generator's, and the chain still verifies.
    use mandate_core::MatterStatus::{Closed, Open};
    let m = store.matter_by_number("G-000003").unwrap();
    let (to, action) = match m.status {
        Open => (Closed, "matter.close"),
        Closed => (Open, "matter.reopen"),
    };
    let changed = store.set_matter_status(&m.id, to).unwrap();
    assert_eq!((changed.status, changed.revision), (to, m.revision + 1));
    let read_back = store.matter_by_number("G-000003").unwrap();
    assert_eq!((read_back.status, read_back.revision), (to, m.revision + 1));
    let report = store.audit_verify().unwrap();
    assert!(report.intact, "{report:?}");
    assert_eq!(report.records, 2);
    let history = store.audit_history("matter", &m.id).unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!((history[0].seq, history[0].action.as_str()), (2, action));
    assert_eq!(store.audit_head().unwrap().map(|h| h.seq), Some(2));
}

#[test]
fn a_number_already_used_by_a_real_matter_is_refused() {
    let (_d, _v, mut store) = fresh();
    store
        .create_matter(&mandate_core::MatterDraft {
            number: "g-000002".into(),
            title: "Real".into(),
            client_name: "Real client".into(),
            ..Default::default()
        })
        .unwrap();
    let e = store.generate(5, 10, &mut |_, _| {}).unwrap_err();
    assert_eq!(e.code, mandate_core::ErrorCode::Duplicate);
    assert!(e.message.contains("G-000002"), "{}", e.message);
    // Nothing of the failed batch stayed, and the real matter is untouched.
    assert_eq!(count(&store, "matter"), 1);
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn messages_need_matters() {
    let (_d, _v, mut store) = fresh();
    assert!(store.generate(0, 10, &mut |_, _| {}).is_err());
    assert_eq!(count(&store, "message"), 0);
}

#[test]
fn generated_words_are_found_by_search_and_the_matter_list() {
    let (_d, _v, mut store) = fresh();
    store.generate(100, 2_000, &mut |_, _| {}).unwrap();
    let hits = store.search_messages("deposition", 20).unwrap();
    assert_eq!(hits.len(), 20);
    for h in &hits {
        assert!(
            h.snippet
                .iter()
                .any(|p| p.hit && p.text.to_lowercase() == "deposition"),
            "{h:?}"
        );
        assert!(h.matter_number.starts_with("G-"));
    }
    // Prefixes match, and every word must be there.
    let hits = store.search_messages("depos settlem", 200).unwrap();
    assert!(!hits.is_empty());
    let raw: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'depos* AND settlem*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits.len() as i64, raw.min(200));

    let page = store
        .list_matters(&MatterFilter {
            query: Some("G-00004".into()),
            sort: MatterSort::Number,
            ..Default::default()
        })
        .unwrap();
    assert!(page.total.is_some_and(|n| n >= 10), "{:?}", page.total);
}

#[test]
fn search_takes_awkward_input() {
    let (_d, _v, mut store) = fresh();
    store.generate(20, 300, &mut |_, _| {}).unwrap();
    for typed in [
        "\"",
        "\"deposition",
        "deposition\"",
        "*",
        "depos*",
        "-",
        "-deposition",
        "deposition -settlement",
        "AND",
        "deposition AND settlement",
        "OR NOT NEAR",
        "(",
        "col:umn",
        "body:deposition",
        "^the",
        "",
        "   ",
        "ünïcödé ✓",
    ] {
        let r = store.search_messages(typed, 10);
        assert!(r.is_ok(), "{typed:?}: {r:?}");
    }
    // Nothing searchable finds nothing rather than everything.
    assert!(store.search_messages(" - * \" ", 10).unwrap().is_empty());
    // A quote or an asterisk around a word does not change what it finds.
    assert_eq!(
        store.search_messages("\"deposition\"", 50).unwrap(),
        store.search_messages("deposition*", 50).unwrap()
    );
    // AND is a word to look for (a prefix, as every word), not an operator.
    let and = store.search_messages("AND", 10).unwrap();
    assert!(!and.is_empty());
    assert_eq!(and, store.search_messages("and", 10).unwrap());
    // The limit is capped.
    assert!(store.search_messages("the", 10_000).unwrap().len() <= crate::SEARCH_MAX as usize);
}
