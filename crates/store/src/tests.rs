//! Store behaviour on a real SQLCipher file in a temporary folder, with keys in
//! memory. The real keyring is exercised by tests/keyring.rs and the e2e suite.

use mandate_core::{ErrorCode, MatterDraft, MatterFilter, MatterPatch, MatterSort, MatterStatus};
use tempfile::TempDir;

use crate::{DB_FILE, MemoryVault, Store};

fn draft(number: &str, title: &str, client: &str) -> MatterDraft {
    MatterDraft {
        number: number.into(),
        title: title.into(),
        client_name: client.into(),
        ..Default::default()
    }
}

fn fresh() -> (TempDir, MemoryVault, Store) {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(dir.path(), &vault).unwrap();
    (dir, vault, store)
}

fn numbers(store: &Store, f: MatterFilter) -> Vec<String> {
    store
        .list_matters(&f)
        .unwrap()
        .items
        .into_iter()
        .map(|m| m.number)
        .collect()
}

fn query(q: &str) -> MatterFilter {
    MatterFilter {
        query: Some(q.into()),
        sort: MatterSort::Number,
        ..Default::default()
    }
}

#[test]
fn a_matter_round_trips_and_survives_reopening() {
    let (dir, vault, mut store) = fresh();
    let m = store
        .create_matter(&MatterDraft {
            court: Some("S.D.N.Y.".into()),
            opened_on: Some("2026-03-02".into()),
            ..draft("2026-001", "Acme v. Widget", "Acme Corp")
        })
        .unwrap();
    assert_eq!(
        (m.status, m.revision, m.opened_on.as_str()),
        (MatterStatus::Open, 1, "2026-03-02")
    );
    drop(store);

    let store = Store::open(dir.path(), &vault).unwrap();
    let again = store.matter_by_number("2026-001").unwrap();
    assert_eq!(again, m);
}

#[test]
fn search_matches_number_title_and_client_by_prefix() {
    let (_dir, _vault, mut store) = fresh();
    store
        .create_matter(&draft("2026-001", "Acme v. Widget", "Acme Corp"))
        .unwrap();
    store
        .create_matter(&draft("2026-002", "Lease review", "Zenith Realty"))
        .unwrap();
    store
        .create_matter(&draft("LIT/7", "Zenith patent dispute", "Omega GmbH"))
        .unwrap();

    assert_eq!(numbers(&store, query("zenith")), ["2026-002", "LIT/7"]);
    assert_eq!(numbers(&store, query("wid")), ["2026-001"]);
    assert_eq!(numbers(&store, query("2026-002")), ["2026-002"]);
    assert_eq!(numbers(&store, query("omega patent")), ["LIT/7"]);
    assert_eq!(
        numbers(&store, query("Zénith")),
        ["2026-002", "LIT/7"],
        "diacritics are ignored"
    );
    // What people actually type must never raise an SQL error.
    for odd in [
        "\"", "acme\"", "-", "*", "AND", "NOT acme", "(", "a OR", "x:y", "NEAR(", "^",
    ] {
        store.list_matters(&query(odd)).unwrap();
    }
}

#[test]
fn lists_filter_by_status_sort_and_page() {
    let (_dir, _vault, mut store) = fresh();
    for (n, t, c, d) in [
        ("C-3", "Gamma", "Xeno", "2026-01-03"),
        ("A-1", "Alpha", "Yarn", "2026-01-01"),
        ("B-2", "Beta", "Wolf", "2026-01-02"),
    ] {
        store
            .create_matter(&MatterDraft {
                opened_on: Some(d.into()),
                ..draft(n, t, c)
            })
            .unwrap();
    }
    let b = store.matter_by_number("B-2").unwrap();
    store
        .set_matter_status(&b.id, MatterStatus::Closed)
        .unwrap();

    assert_eq!(
        numbers(&store, MatterFilter::default()),
        ["C-3", "B-2", "A-1"]
    );
    assert_eq!(
        numbers(
            &store,
            MatterFilter {
                sort: MatterSort::Client,
                ..Default::default()
            }
        ),
        ["B-2", "C-3", "A-1"]
    );
    assert_eq!(
        numbers(
            &store,
            MatterFilter {
                status: Some(MatterStatus::Open),
                ..Default::default()
            }
        ),
        ["C-3", "A-1"]
    );
    let page = store
        .list_matters(&MatterFilter {
            limit: Some(1),
            offset: Some(1),
            sort: MatterSort::Number,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (page.total, page.items[0].number.as_str()),
        (Some(3), "B-2")
    );
}

#[test]
fn edits_change_only_what_was_asked_and_keep_search_current() {
    let (_dir, _vault, mut store) = fresh();
    let m = store
        .create_matter(&MatterDraft {
            court: Some("D. Del.".into()),
            ..draft("E-1", "Old title", "Echo")
        })
        .unwrap();
    let e = store
        .update_matter(
            &m.id,
            &MatterPatch {
                title: Some("Renamed dispute".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (e.title.as_str(), e.court.as_deref(), e.revision),
        ("Renamed dispute", Some("D. Del."), 2)
    );
    assert_eq!(numbers(&store, query("renamed")), ["E-1"]);
    assert!(numbers(&store, query("old")).is_empty());
    // null clears an optional field.
    let e = store
        .update_matter(
            &m.id,
            &MatterPatch {
                court: Some(None),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(e.court, None);
    // A no-op edit changes nothing, not even the revision.
    let same = store
        .update_matter(
            &m.id,
            &MatterPatch {
                title: Some("Renamed dispute".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(same.revision, e.revision);
}

#[test]
fn duplicate_numbers_are_refused_on_create_and_edit() {
    let (_dir, _vault, mut store) = fresh();
    store.create_matter(&draft("N-1", "One", "C")).unwrap();
    let two = store.create_matter(&draft("N-2", "Two", "C")).unwrap();
    let e = store
        .create_matter(&draft(" n-1 ", "Again", "C"))
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Duplicate, Some("number"))
    );
    let e = store
        .update_matter(
            &two.id,
            &MatterPatch {
                number: Some("N-1".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Duplicate);
    assert_eq!(
        store.list_matters(&MatterFilter::default()).unwrap().total,
        Some(2)
    );
    assert_eq!(store.matter(&two.id).unwrap().number, "N-2");
}

#[test]
fn invalid_input_writes_nothing() {
    let (_dir, _vault, mut store) = fresh();
    let e = store.create_matter(&draft("N-1", "", "C")).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Invalid, Some("title"))
    );
    assert_eq!(
        store.list_matters(&MatterFilter::default()).unwrap().total,
        Some(0)
    );
    assert_eq!(store.audit_verify().unwrap().records, 0);
    let e = store.matter_by_number("nope").unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn the_file_on_disk_holds_no_plaintext() {
    let (dir, _vault, mut store) = fresh();
    store
        .create_matter(&draft(
            "SECRET-77",
            "Confidential merger Quasar",
            "Nebula Holdings",
        ))
        .unwrap();
    // Some of the data may still be in the WAL; check every file in the folder.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for needle in [
            &b"Quasar"[..],
            b"Nebula Holdings",
            b"SECRET-77",
            b"SQLite format 3",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "plaintext {:?} on disk",
                String::from_utf8_lossy(needle)
            );
        }
    }
    // And the database does not open without the key.
    let raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let e = raw
        .query_row("SELECT count(*) FROM matter", [], |r| r.get::<_, i64>(0))
        .unwrap_err();
    assert!(e.to_string().contains("not a database"), "{e}");
}

#[test]
fn a_missing_key_is_locked_and_never_replaced_by_a_new_store() {
    let (dir, vault, mut store) = fresh();
    store.create_matter(&draft("K-1", "Keep me", "C")).unwrap();
    drop(store);
    let before = std::fs::read(dir.path().join(DB_FILE)).unwrap();

    vault.clear();
    let e = Store::open(dir.path(), &vault).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");
    assert!(e.message.contains("not in your keyring"));
    assert_eq!(
        std::fs::read(dir.path().join(DB_FILE)).unwrap(),
        before,
        "store untouched"
    );
}

#[test]
fn a_wrong_key_is_reported_as_such() {
    let (dir, vault, store) = fresh();
    let id = store.id().to_owned();
    drop(store);
    vault.replace(&id);
    let e = Store::open(dir.path(), &vault).unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongKey, "{e:?}");
}

#[test]
fn a_database_without_its_meta_file_is_refused() {
    let (dir, vault, store) = fresh();
    drop(store);
    std::fs::remove_file(dir.path().join("store.json")).unwrap();
    let e = Store::open(dir.path(), &vault).unwrap_err();
    assert_eq!(e.code, ErrorCode::Corrupt);
    std::fs::write(dir.path().join("store.json"), b"{not json").unwrap();
    let e = Store::open(dir.path(), &vault).unwrap_err();
    assert_eq!(e.code, ErrorCode::Corrupt);
}

#[test]
fn two_stores_never_share_a_key() {
    let vault = MemoryVault::default();
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let sa = Store::open(a.path(), &vault).unwrap();
    let sb = Store::open(b.path(), &vault).unwrap();
    assert_ne!(sa.id(), sb.id());
    let (ka, kb) = (vault.get_for_test(sa.id()), vault.get_for_test(sb.id()));
    assert_ne!(ka, kb);
}

#[test]
fn a_store_from_a_newer_version_is_refused_untouched() {
    let (dir, vault, store) = fresh();
    store
        .conn
        .pragma_update(None, "user_version", crate::LATEST_VERSION + 1)
        .unwrap();
    drop(store);
    let e = Store::open(dir.path(), &vault).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreTooNew);
}

#[test]
fn the_audit_chain_records_every_write_and_detects_tampering() {
    let (_dir, _vault, mut store) = fresh();
    let m = store.create_matter(&draft("A-1", "Audit me", "C")).unwrap();
    store
        .update_matter(
            &m.id,
            &MatterPatch {
                title: Some("Audited".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .set_matter_status(&m.id, MatterStatus::Closed)
        .unwrap();
    let actions: Vec<_> = store
        .audit_history("matter", &m.id)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, ["matter.create", "matter.update", "matter.close"]);
    let report = store.audit_verify().unwrap();
    assert_eq!((report.records, report.intact), (3, true));

    // The log refuses edits outright...
    assert!(
        store
            .conn
            .execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2", [])
            .is_err()
    );
    // ...and an edit made around the guard is caught by the chain.
    store
        .conn
        .execute_batch(
            "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 2;",
        )
        .unwrap();
    let report = store.audit_verify().unwrap();
    assert_eq!((report.intact, report.first_broken), (false, Some(2)));
}

#[test]
fn cutting_the_newest_history_records_is_noticed() {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let mut store = Store::open(dir.path(), &vault).unwrap();
    for n in 1..=3 {
        store
            .create_matter(&draft(&format!("H-{n}"), "Head", "Client"))
            .unwrap();
    }
    assert!(store.audit_verify().unwrap().intact);
    assert!(store.audit_warning().is_none());
    // Someone with the key removes the two newest records: every remaining link
    // is still intact, so only the head kept outside the database can tell.
    store
        .conn
        .execute_batch(
            "DROP TRIGGER audit_no_delete;
             DELETE FROM audit WHERE seq > (SELECT max(seq) - 2 FROM audit);",
        )
        .unwrap();
    let report = store.audit_verify().unwrap();
    assert!(!report.intact, "{report:?}");
    assert!(
        report
            .head_problem
            .as_deref()
            .unwrap()
            .contains("2 history records were removed"),
        "{report:?}"
    );
    drop(store);
    let store = Store::open(dir.path(), &vault).unwrap();
    assert!(
        store.audit_warning().unwrap().contains("removed"),
        "opening the store says so too"
    );
}

#[test]
fn a_replaced_newest_history_record_is_noticed() {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let mut store = Store::open(dir.path(), &vault).unwrap();
    store
        .create_matter(&draft("R-1", "Head", "Client"))
        .unwrap();
    store
        .create_matter(&draft("R-2", "Head", "Client"))
        .unwrap();
    let head = store.audit_head().unwrap().unwrap();
    // Removed and rewritten as a consistent chain from the record before it.
    store
        .conn
        .execute_batch(&format!(
            "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update;
             UPDATE audit SET hash = 'forged' WHERE seq = {};",
            head.seq
        ))
        .unwrap();
    let report = store.audit_verify().unwrap();
    assert!(!report.intact);
}

#[test]
fn writes_by_another_connection_are_noticed_and_own_writes_are_not() {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let mut window = Store::open(dir.path(), &vault).unwrap();
    // Written after the window opened but before it first asked: still noticed.
    let mut cli = Store::open(dir.path(), &vault).unwrap();
    cli.create_matter(&draft("OC-0", "Early", "Client"))
        .unwrap();
    assert!(
        window.take_outside_changes().unwrap(),
        "a write before the first poll"
    );
    assert!(!window.take_outside_changes().unwrap(), "nothing new since");
    window
        .create_matter(&draft("OC-1", "Own", "Client"))
        .unwrap();
    assert!(!window.take_outside_changes().unwrap(), "its own write");
    cli.create_matter(&draft("OC-2", "Outside", "Client"))
        .unwrap();
    assert!(
        window.take_outside_changes().unwrap(),
        "another connection's write"
    );
}

#[test]
fn the_idle_lock_minutes_are_kept_in_the_store_and_only_offered_values_are_taken() {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let mut store = Store::open(dir.path(), &vault).unwrap();
    assert_eq!(
        store.idle_lock_minutes().unwrap(),
        crate::IDLE_LOCK_DEFAULT_MINUTES
    );
    store.set_idle_lock_minutes(5).unwrap();
    let e = store.set_idle_lock_minutes(7).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("idle_lock_minutes"));
    drop(store);
    let store = Store::open(dir.path(), &vault).unwrap();
    assert_eq!(store.idle_lock_minutes().unwrap(), 5);
    assert!(store.audit_verify().unwrap().intact);
}

/// Every time the store records comes from the clock it was given: a test holds it
/// still and finds exactly that time in the record and in its audit entry.
#[test]
fn the_store_keeps_the_time_of_its_clock() {
    let (_dir, _vault, mut store) = fresh();
    let at: jiff::Timestamp = "2031-07-04T23:30:00Z".parse().unwrap();
    let clock = std::sync::Arc::new(mandate_core::clock::FixedClock::at(at));
    store.set_clock(clock.clone());
    let m = store
        .create_matter(&MatterDraft {
            number: "CLK-1".into(),
            title: "Clock".into(),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(m.created_at, "2031-07-04T23:30:00.000Z");
    let last_audit: String = store
        .conn
        .query_row("SELECT at FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(last_audit, "2031-07-04T23:30:00.000Z");
    // A matter opened with no date is dated by the desk's calendar, from that clock.
    let desk_day = at
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date()
        .to_string();
    assert_eq!(m.opened_on, desk_day);

    clock.set("2031-07-05T08:00:00Z".parse().unwrap());
    let m = store
        .update_matter(
            &m.id,
            &MatterPatch {
                title: Some("Clock, renamed".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(m.updated_at, "2031-07-05T08:00:00.000Z");
}

/// A clock that moves on a millisecond each time it is read, so two reads in one
/// operation would show as two times.
struct Ticking(std::sync::Mutex<jiff::Timestamp>);

impl mandate_core::clock::Clock for Ticking {
    fn now(&self) -> jiff::Timestamp {
        let mut t = self.0.lock().unwrap();
        *t += jiff::SignedDuration::from_millis(1);
        *t
    }
}

/// Each edit is one step: the record's new `updated_at` and its audit entry carry
/// the same time, whichever kind of record it is.
#[test]
fn an_edit_and_its_audit_record_carry_one_time() {
    let (_dir, _vault, mut store) = fresh();
    let m = store
        .create_matter(&MatterDraft {
            number: "ONE-1".into(),
            title: "One time".into(),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
    store.set_clock(std::sync::Arc::new(Ticking(std::sync::Mutex::new(
        "2031-07-04T12:00:00Z".parse().unwrap(),
    ))));
    let edited = store
        .update_matter(
            &m.id,
            &MatterPatch {
                title: Some("One time, edited".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let audited: String = store
        .conn
        .query_row(
            "SELECT at FROM audit WHERE entity_id = ?1 ORDER BY seq DESC LIMIT 1",
            [m.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(edited.updated_at, audited);
    assert!(
        edited.updated_at.starts_with("2031-07-04T12:00:00.0"),
        "{}",
        edited.updated_at
    );
}

/// The store reads no clock of its own: only these places, which run before a
/// store (and its clock) exists or measure a baseline, may ask the machine.
#[test]
fn the_store_reads_the_machines_clock_nowhere_else() {
    let allowed = [
        ("lib.rs", 1),    // store.json of a new store
        ("backup.rs", 2), // store.json of a restored store
        ("bench.rs", 1),  // the raw baseline's rows
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let reads = [
            "Timestamp::now(",
            "Zoned::now(",
            "ZonedDateTime::now(",
            "SystemTime::now(",
            "now_utc(",
        ]
        .iter()
        .map(|needle| text.matches(needle).count())
        .sum::<usize>();
        let may = allowed
            .iter()
            .find(|(f, _)| *f == name)
            .map_or(0, |(_, n)| *n);
        assert_eq!(reads, may, "{name} reads the machine's clock {reads} times");
    }
}
