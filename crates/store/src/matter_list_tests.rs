//! The matter list at scale: seek (keyset) pages, the filters by status, client,
//! court and provider, counting only when asked, and the matter safeguards — on a
//! real SQLCipher file in a temporary folder, with keys in memory.

use mandate_core::{
    AssignmentDraft, DataClass, ErrorCode, Matter, MatterCursor, MatterDraft, MatterFilter,
    MatterPatch, MatterSort, MatterStatus, ProviderDraft,
};
use proptest::prelude::*;
use tempfile::TempDir;

use crate::{MemoryVault, Store, matters::ListSql};

const SORTS: [MatterSort; 4] = [
    MatterSort::OpenedDesc,
    MatterSort::Number,
    MatterSort::Title,
    MatterSort::Client,
];

fn fresh() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
    (dir, store)
}

/// One matter as the tests describe it.
#[derive(Debug, Clone)]
struct Spec {
    number: String,
    title: String,
    client: String,
    court: Option<String>,
    opened_on: String,
    closed: bool,
}

fn add(store: &mut Store, s: &Spec) -> Matter {
    let m = store
        .create_matter(&MatterDraft {
            number: s.number.clone(),
            title: s.title.clone(),
            client_name: s.client.clone(),
            court: s.court.clone(),
            opened_on: Some(s.opened_on.clone()),
            ..Default::default()
        })
        .unwrap();
    if s.closed {
        store
            .set_matter_status(&m.id, MatterStatus::Closed)
            .unwrap()
    } else {
        m
    }
}

/// Every page of `filter`, following `next` from the first page.
fn walk(store: &Store, filter: &MatterFilter) -> Vec<Matter> {
    let mut out = Vec::new();
    let mut f = MatterFilter {
        after: None,
        ..filter.clone()
    };
    for _ in 0..10_000 {
        let page = store.list_matters(&f).unwrap();
        assert!(page.items.len() <= f.effective_limit() as usize);
        out.extend(page.items);
        match page.next {
            Some(n) => f.after = Some(n),
            None => return out,
        }
    }
    panic!("the walk never ended");
}

/// The whole list in one page.
fn unpaged(store: &Store, filter: &MatterFilter) -> Vec<Matter> {
    let page = store
        .list_matters(&MatterFilter {
            limit: Some(MatterFilter::MAX_LIMIT),
            after: None,
            ..filter.clone()
        })
        .unwrap();
    assert_eq!(page.next, None, "the test data fits one page");
    page.items
}

fn numbers(items: &[Matter]) -> Vec<&str> {
    items.iter().map(|m| m.number.as_str()).collect()
}

/// The order each sort promises, computed here independently of SQL: the key
/// compared as SQLite's NOCASE does (ASCII letters folded), then the number.
fn expected_order(items: &mut [Matter], sort: MatterSort) {
    let fold = |s: &str| s.to_ascii_lowercase();
    items.sort_by(|a, b| match sort {
        MatterSort::OpenedDesc => {
            (&b.opened_on, fold(&b.number)).cmp(&(&a.opened_on, fold(&a.number)))
        }
        MatterSort::Number => fold(&a.number).cmp(&fold(&b.number)),
        MatterSort::Title => {
            (fold(&a.title), fold(&a.number)).cmp(&(fold(&b.title), fold(&b.number)))
        }
        MatterSort::Client => {
            (fold(&a.client_name), fold(&a.number)).cmp(&(fold(&b.client_name), fold(&b.number)))
        }
    });
}

/// Many ties: three titles, three clients (two differing only in case), four
/// opening dates, numbers in mixed case; every third matter closed.
fn tied_specs(n: usize) -> Vec<Spec> {
    (0..n)
        .map(|i| Spec {
            number: if i % 2 == 0 {
                format!("m-{i:03}")
            } else {
                format!("M-{i:03}")
            },
            title: ["Acme v. Widget", "acme v. widget", "Lease review"][i % 3].into(),
            client: ["Acme Corp", "ACME CORP", "Zenith Realty"][(i / 3) % 3].into(),
            court: [Some("S.D.N.Y."), Some("s.d.n.y."), None, Some("D. Del.")][i % 4]
                .map(String::from),
            opened_on: format!("2026-01-0{}", 1 + i % 4),
            closed: i % 3 == 2,
        })
        .collect()
}

#[test]
fn keyset_pages_cover_every_row_exactly_once_in_order_for_each_sort() {
    let (_d, mut store) = fresh();
    let all: Vec<Matter> = tied_specs(41).iter().map(|s| add(&mut store, s)).collect();
    for sort in SORTS {
        for status in [None, Some(MatterStatus::Open), Some(MatterStatus::Closed)] {
            for limit in [1, 4, 7, 41, 100] {
                let f = MatterFilter {
                    sort,
                    status,
                    limit: Some(limit),
                    ..Default::default()
                };
                let walked = walk(&store, &f);
                let mut want: Vec<Matter> = all
                    .iter()
                    .filter(|m| status.is_none_or(|s| m.status == s))
                    .cloned()
                    .collect();
                expected_order(&mut want, sort);
                assert_eq!(
                    numbers(&walked),
                    numbers(&want),
                    "{sort:?} {status:?} pages of {limit}"
                );
            }
        }
    }
}

#[test]
fn the_last_page_has_no_next_and_counts_only_when_asked() {
    let (_d, mut store) = fresh();
    for s in tied_specs(10) {
        add(&mut store, &s);
    }
    let first = store
        .list_matters(&MatterFilter {
            limit: Some(4),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(first.total, Some(10), "the first page counts");
    let second = store
        .list_matters(&MatterFilter {
            limit: Some(4),
            after: first.next.clone(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(second.total, None, "later pages do not count by default");
    let counted = store
        .list_matters(&MatterFilter {
            limit: Some(4),
            after: first.next.clone(),
            count: Some(true),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(counted.total, Some(10));
    assert_eq!(counted.items, second.items);
    let third = store
        .list_matters(&MatterFilter {
            limit: Some(4),
            after: second.next,
            ..Default::default()
        })
        .unwrap();
    assert_eq!((third.items.len(), third.next), (2, None));
    // Exactly a page left: no next, so the window never asks for an empty page.
    let exact = store
        .list_matters(&MatterFilter {
            limit: Some(10),
            count: Some(false),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (exact.items.len(), exact.next, exact.total),
        (10, None, None)
    );
}

#[test]
fn a_cursor_from_another_sort_or_with_an_offset_is_refused() {
    let (_d, mut store) = fresh();
    for s in tied_specs(3) {
        add(&mut store, &s);
    }
    let page = store
        .list_matters(&MatterFilter {
            sort: MatterSort::Title,
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    let e = store
        .list_matters(&MatterFilter {
            sort: MatterSort::Client,
            after: page.next.clone(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Invalid, Some("after"))
    );
    let e = store
        .list_matters(&MatterFilter {
            sort: MatterSort::Title,
            after: page.next,
            offset: Some(3),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("offset"));
    let e = store
        .list_matters(&MatterFilter {
            after: Some("'; DROP TABLE matter; --".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("after"));
}

#[test]
fn a_page_continues_past_a_row_edited_or_removed_between_pages() {
    let (_d, mut store) = fresh();
    for s in tied_specs(6) {
        add(&mut store, &s);
    }
    let f = MatterFilter {
        sort: MatterSort::Number,
        limit: Some(3),
        ..Default::default()
    };
    let first = store.list_matters(&f).unwrap();
    assert_eq!(numbers(&first.items), ["m-000", "M-001", "m-002"]);
    // The last row of the page is renumbered: the next page still starts after
    // the position the cursor holds, with nothing repeated or skipped.
    let moved = store.matter_by_number("m-002").unwrap();
    store
        .update_matter(
            &moved.id,
            &MatterPatch {
                number: Some("Z-999".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let second = store
        .list_matters(&MatterFilter {
            after: first.next,
            ..f
        })
        .unwrap();
    assert_eq!(numbers(&second.items), ["M-003", "m-004", "M-005"]);
}

#[test]
fn filters_by_client_court_provider_status_and_text() {
    let (_d, mut store) = fresh();
    let specs = [
        (
            "A-1",
            "Acme v. Widget",
            "Acme Corp",
            Some("S.D.N.Y."),
            false,
        ),
        ("A-2", "Acme lease", "ACME Holdings", Some("D. Del."), false),
        ("A-3", "Bacme audit", "Bacme Acme", Some("s.d.n.y."), true),
        ("A-4", "Zenith review", "Zenith Realty", None, false),
        ("A-5", "Acme appeal", "Acme Corp", Some("Fed. Cir."), true),
        (
            "A-6",
            "Acme Corporate",
            "Acme Corporation",
            Some("S.D.N.Y. "),
            false,
        ),
    ];
    let mut ids = std::collections::HashMap::new();
    for (i, (n, t, c, court, closed)) in specs.iter().enumerate() {
        let m = add(
            &mut store,
            &Spec {
                number: (*n).into(),
                title: (*t).into(),
                client: (*c).into(),
                court: court.map(String::from),
                opened_on: format!("2026-02-0{}", i + 1),
                closed: *closed,
            },
        );
        ids.insert(*n, m.id);
    }
    let p1 = store
        .create_provider(&ProviderDraft {
            legal_name: "Lexbridge".into(),
            ..Default::default()
        })
        .unwrap();
    let p2 = store
        .create_provider(&ProviderDraft {
            legal_name: "Nordic".into(),
            ..Default::default()
        })
        .unwrap();
    for (n, p) in [("A-1", &p1), ("A-3", &p1), ("A-3", &p1), ("A-4", &p2)] {
        store
            .create_assignment(&AssignmentDraft {
                matter_id: ids[n].clone(),
                provider_id: p.id.clone(),
                scope: "Review".into(),
                due_on: "2026-04-15".into(),
                supervising_attorney: "Jane Smith".into(),
                ..Default::default()
            })
            .unwrap();
    }
    let list = |f: MatterFilter| {
        let f = MatterFilter {
            sort: MatterSort::Number,
            limit: Some(2),
            ..f
        };
        let walked = walk(&store, &f);
        let total = store.list_matters(&f).unwrap().total;
        assert_eq!(
            total,
            Some(walked.len() as u64),
            "the count agrees with the pages"
        );
        numbers(&walked)
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // Client: the beginning of the name, ignoring case; a full name matches too
    // (and any name that continues it).
    assert_eq!(
        list(MatterFilter {
            client: Some("acme".into()),
            ..Default::default()
        }),
        ["A-1", "A-2", "A-5", "A-6"]
    );
    assert_eq!(
        list(MatterFilter {
            client: Some(" Acme Corp ".into()),
            ..Default::default()
        }),
        ["A-1", "A-5", "A-6"]
    );
    assert_eq!(
        list(MatterFilter {
            client: Some("ACME CORP".into()),
            status: Some(MatterStatus::Open),
            ..Default::default()
        }),
        ["A-1", "A-6"]
    );
    assert!(
        list(MatterFilter {
            client: Some("acme corporations".into()),
            ..Default::default()
        })
        .is_empty()
    );
    // Court: the whole name, ignoring case (stored values are trimmed).
    assert_eq!(
        list(MatterFilter {
            court: Some("s.d.n.y.".into()),
            ..Default::default()
        }),
        ["A-1", "A-3", "A-6"]
    );
    assert!(
        list(MatterFilter {
            court: Some("S.D.N".into()),
            ..Default::default()
        })
        .is_empty()
    );
    // Provider: matters with a work order to it, each once however many orders.
    assert_eq!(
        list(MatterFilter {
            provider_id: Some(p1.id.clone()),
            ..Default::default()
        }),
        ["A-1", "A-3"]
    );
    assert_eq!(
        list(MatterFilter {
            provider_id: Some(p1.id.clone()),
            status: Some(MatterStatus::Closed),
            ..Default::default()
        }),
        ["A-3"]
    );
    assert!(
        list(MatterFilter {
            provider_id: Some("no-such-provider".into()),
            ..Default::default()
        })
        .is_empty()
    );
    // Combined with typed text and with each other.
    assert_eq!(
        list(MatterFilter {
            query: Some("acme".into()),
            court: Some("S.D.N.Y.".into()),
            client: Some("acme".into()),
            ..Default::default()
        }),
        ["A-1", "A-6"]
    );
    // Blank filters are no filters.
    assert_eq!(
        list(MatterFilter {
            client: Some("  ".into()),
            court: Some("".into()),
            provider_id: Some(" ".into()),
            ..Default::default()
        })
        .len(),
        6
    );
    // Every sort walks a filtered list the same way the unpaged query orders it.
    for sort in SORTS {
        let f = MatterFilter {
            client: Some("acme".into()),
            sort,
            limit: Some(1),
            ..Default::default()
        };
        assert_eq!(numbers(&walk(&store, &f)), numbers(&unpaged(&store, &f)));
    }
}

/// The plan SQLite chooses for a page: each sort, with and without a status, is
/// read in order from an index, seeking past the cursor — no sorting of all the
/// matches, no scan from the top.
#[test]
fn each_sort_reads_an_index_in_order_and_seeks_past_the_cursor() {
    let (_d, mut store) = fresh();
    let m = add(&mut store, &tied_specs(1)[0]);
    for sort in SORTS {
        for status in [None, Some(MatterStatus::Open)] {
            let f = MatterFilter {
                sort,
                status,
                after: Some(MatterCursor::after(sort, &m).encode()),
                ..Default::default()
            };
            let sql = ListSql::new(&f).unwrap();
            let (text, args) = sql.page("id", 51, 0);
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {text}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let plan = plan.join(" | ");
            assert!(!plan.contains("TEMP B-TREE"), "{sort:?} {status:?}: {plan}");
            assert!(
                plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
                "{sort:?} {status:?}: {plan}"
            );
            assert!(
                plan.contains('<') || plan.contains('>'),
                "seeks: {sort:?} {status:?}: {plan}"
            );
        }
    }
}

#[test]
fn safeguards_round_trip_change_and_are_audited() {
    let (_d, mut store) = fresh();
    let m = store
        .create_matter(&MatterDraft {
            number: "S-1".into(),
            title: "Helix Bio patent opposition".into(),
            client_name: "Helix Bio Inc.".into(),
            supervising_attorney: Some(" Priya Raman ".into()),
            data_classes: vec![DataClass::ExportControlled, DataClass::HealthInformation],
            allowed_countries: vec!["us".into(), "gb".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(m.supervising_attorney.as_deref(), Some("Priya Raman"));
    assert_eq!(
        m.data_classes,
        [DataClass::HealthInformation, DataClass::ExportControlled]
    );
    assert_eq!(m.allowed_countries, ["GB", "US"]);
    assert_eq!(store.matter(&m.id).unwrap(), m);

    let e = store
        .update_matter(
            &m.id,
            &MatterPatch {
                allowed_countries: Some(vec!["UK".into()]),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("allowed_countries"));
    assert_eq!(
        store.matter(&m.id).unwrap(),
        m,
        "a refused edit changes nothing"
    );

    let edited = store
        .update_matter(
            &m.id,
            &MatterPatch {
                data_classes: Some(vec![]),
                allowed_countries: Some(vec!["IN".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(edited.data_classes.is_empty());
    assert_eq!(edited.allowed_countries, ["IN"]);
    assert_eq!(edited.supervising_attorney.as_deref(), Some("Priya Raman"));
    assert_eq!(edited.revision, 2);

    let history = store.audit_history("matter", &m.id).unwrap();
    assert_eq!(
        history[0].detail["data_classes"],
        serde_json::json!(["health_information", "export_controlled"])
    );
    assert_eq!(history[0].detail["supervising_attorney"], "Priya Raman");
    assert_eq!(
        history[1].detail["fields"],
        serde_json::json!(["data_classes", "allowed_countries"])
    );
    assert_eq!(
        history[1].detail["allowed_countries"],
        serde_json::json!(["IN"])
    );
    assert!(history[1].detail.get("supervising_attorney").is_none());
    assert!(store.audit_verify().unwrap().intact);

    // The columns refuse what is not a JSON array, whatever writes them.
    let e = store
        .conn
        .execute(
            "UPDATE matter SET data_classes = 'health' WHERE id = ?1",
            [&m.id],
        )
        .unwrap_err();
    assert!(e.to_string().contains("CHECK"), "{e}");
}

#[test]
fn a_store_from_before_the_safeguards_reads_them_as_empty() {
    let (_d, store) = fresh();
    // A row as version 4 wrote it: the new columns take their defaults.
    store
        .conn
        .execute(
            "INSERT INTO matter (id, number, title, client_name, status, opened_on, revision, created_at, updated_at)
             VALUES ('old', 'OLD-1', 'Old matter', 'Old client', 'open', '2020-01-01', 1, 'x', 'x')",
            [],
        )
        .unwrap();
    let m = store.matter_by_number("OLD-1").unwrap();
    assert_eq!(m.supervising_attorney, None);
    assert!(m.data_classes.is_empty() && m.allowed_countries.is_empty());
}

#[test]
fn a_bulk_import_leaves_statistics_for_the_query_planner() {
    let (_d, mut store) = fresh();
    store.generate(2_000, 0, &mut |_, _| {}).unwrap();
    let indexes: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'matter'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(indexes >= 8, "the matter indexes are analysed: {indexes}");
}

fn spec_strategy() -> impl Strategy<Value = Vec<(u8, u8, u8, bool)>> {
    // (title, client, day, closed): few distinct values, so ties are common.
    prop::collection::vec((0u8..4, 0u8..4, 0u8..5, any::<bool>()), 0..28)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Walking the pages of any list, in any sort, with any page size, yields
    /// exactly the rows of one unpaged query, in the same order.
    #[test]
    fn walking_pages_equals_one_unpaged_query(
        rows in spec_strategy(),
        sort in 0usize..4,
        limit in 1u32..9,
        status in 0u8..3,
        client in prop::option::of(0u8..3),
    ) {
        let (_d, mut store) = fresh();
        let titles = ["Alpha", "alpha", "Beta", "Gamma v. Delta"];
        let clients = ["Acme Corp", "acme", "Zenith", "Acme Corporation"];
        for (i, (t, c, day, closed)) in rows.iter().enumerate() {
            add(&mut store, &Spec {
                number: if i % 2 == 0 { format!("n-{i:02}") } else { format!("N-{i:02}") },
                title: titles[*t as usize].into(),
                client: clients[*c as usize].into(),
                court: None,
                opened_on: format!("2026-03-0{}", 1 + day),
                closed: *closed,
            });
        }
        let f = MatterFilter {
            sort: SORTS[sort],
            limit: Some(limit),
            status: [None, Some(MatterStatus::Open), Some(MatterStatus::Closed)][status as usize],
            client: client.map(|c| ["acme", "Zen", "ACME CORP"][c as usize].to_owned()),
            ..Default::default()
        };
        let walked = walk(&store, &f);
        let whole = unpaged(&store, &f);
        prop_assert_eq!(numbers(&walked), numbers(&whole));
        let mut want = whole.clone();
        expected_order(&mut want, f.sort);
        prop_assert_eq!(numbers(&whole), numbers(&want));
    }
}
