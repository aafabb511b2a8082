//! Passphrase stores: create, unlock, refuse, change, and survive an interrupted change.

use mandate_core::{ErrorCode, MatterDraft};
use tempfile::TempDir;

use crate::unlock::{CurrentSecret, KdfParams, KeyChangeStep, NEXT_META_FOR_TESTS};
use crate::{KeyVault, MemoryVault, Store, StoreKey};

const PASS: &str = "correct horse battery staple";
const NEW: &str = "a different long passphrase";

/// Cheap Argon2id settings: the tests check behaviour, not cost.
fn cheap() -> KdfParams {
    KdfParams::with_costs(256, 1, 1)
}

fn open(dir: &TempDir, pass: &str) -> mandate_core::Result<Store> {
    Store::open_with_passphrase_params(dir.path(), pass, cheap())
}

fn add_matter(store: &mut Store) {
    store
        .create_matter(&MatterDraft {
            number: "P-1".into(),
            title: "Passphrase matter".into(),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
}

#[test]
fn a_passphrase_store_opens_with_its_passphrase_only() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, PASS).unwrap();
    add_matter(&mut store);
    drop(store);

    let e = open(&dir, "not the passphrase at all").unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase, "{e:?}");
    let e = Store::open(dir.path(), &MemoryVault::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::PassphraseRequired);
    let store = open(&dir, PASS).unwrap();
    assert_eq!(
        store.matter_by_number("P-1").unwrap().title,
        "Passphrase matter"
    );
    let meta = std::fs::read_to_string(dir.path().join("store.json")).unwrap();
    assert!(
        meta.contains("argon2id") && !meta.contains(PASS),
        "parameters, never the passphrase"
    );
}

#[test]
fn a_short_passphrase_creates_nothing() {
    let dir = TempDir::new().unwrap();
    let e = open(&dir, "short").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Invalid, Some("passphrase"))
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn changing_the_passphrase_keeps_the_data() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, PASS).unwrap();
    add_matter(&mut store);
    store
        .change_passphrase_params(CurrentSecret::Passphrase(PASS), NEW, cheap())
        .unwrap();
    drop(store);
    assert_eq!(
        open(&dir, PASS).unwrap_err().code,
        ErrorCode::WrongPassphrase
    );
    let store = open(&dir, NEW).unwrap();
    assert_eq!(
        store.matter_by_number("P-1").unwrap().title,
        "Passphrase matter"
    );
    assert!(store.audit_verify().unwrap().intact);
    assert!(!dir.path().join(NEXT_META_FOR_TESTS).exists());
}

#[test]
fn a_keyring_store_can_move_to_a_passphrase() {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let mut store = Store::open(dir.path(), &vault).unwrap();
    add_matter(&mut store);
    let id = store.id().to_owned();
    store
        .change_passphrase_params(CurrentSecret::Keyring(&vault), NEW, cheap())
        .unwrap();
    assert!(
        vault.get(&id).unwrap().is_none(),
        "the old keyring key is forgotten, so no old copy of the database opens with it"
    );
    drop(store);
    assert_eq!(
        Store::open(dir.path(), &vault).unwrap_err().code,
        ErrorCode::PassphraseRequired
    );
    assert_eq!(
        open(&dir, NEW)
            .unwrap()
            .matter_by_number("P-1")
            .unwrap()
            .number,
        "P-1"
    );
}

#[test]
fn a_change_interrupted_after_the_rekey_finishes_on_next_open() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, PASS).unwrap();
    add_matter(&mut store);
    // Do what change_passphrase does, but stop before store.json is replaced.
    let params = cheap();
    let mut meta = crate::read_meta(&dir.path().join("store.json"))
        .unwrap()
        .unwrap();
    meta.kdf = Some(params.clone());
    crate::write_meta(&dir.path().join(NEXT_META_FOR_TESTS), &meta).unwrap();
    crate::db::rekey(&store.conn, &params.derive_for_tests(NEW)).unwrap();
    drop(store);

    assert_eq!(
        open(&dir, PASS).unwrap_err().code,
        ErrorCode::WrongPassphrase,
        "the old one no longer opens it"
    );
    let store = open(&dir, NEW).unwrap();
    assert_eq!(store.matter_by_number("P-1").unwrap().number, "P-1");
    assert!(
        !dir.path().join(NEXT_META_FOR_TESTS).exists(),
        "the change was completed"
    );
    drop(store);
    open(&dir, NEW).unwrap();
}

#[test]
fn a_change_interrupted_before_the_rekey_leaves_the_old_passphrase() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, PASS).unwrap();
    add_matter(&mut store);
    let mut meta = crate::read_meta(&dir.path().join("store.json"))
        .unwrap()
        .unwrap();
    meta.kdf = Some(cheap());
    crate::write_meta(&dir.path().join(NEXT_META_FOR_TESTS), &meta).unwrap();
    drop(store);
    assert_eq!(
        open(&dir, NEW).unwrap_err().code,
        ErrorCode::WrongPassphrase
    );
    open(&dir, PASS).unwrap();
    assert!(
        !dir.path().join(NEXT_META_FOR_TESTS).exists(),
        "the stale change was dropped"
    );
}

#[test]
fn changing_the_passphrase_needs_the_current_one() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, PASS).unwrap();
    for current in [
        CurrentSecret::Passphrase("not the current passphrase"),
        CurrentSecret::Keyring(&MemoryVault::default()),
    ] {
        let e = store
            .change_passphrase_params(current, NEW, cheap())
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("current"), "{e:?}");
    }
    drop(store);
    open(&dir, PASS).expect("the passphrase is unchanged");
}

#[test]
fn a_keyring_store_moves_to_a_passphrase_only_while_its_keyring_holds_the_key() {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let mut store = Store::open(dir.path(), &vault).unwrap();
    vault.clear();
    let e = store
        .change_passphrase_params(CurrentSecret::Keyring(&vault), NEW, cheap())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");
    assert!(!store.is_passphrase_protected());
}

/// A keyring that is not there: every call fails, as the Secret Service does with
/// no D-Bus session.
struct NoKeyring;
impl KeyVault for NoKeyring {
    fn get(&self, _: &str) -> mandate_core::Result<Option<StoreKey>> {
        Err(mandate_core::Error::new(
            ErrorCode::KeyringUnavailable,
            "no keyring",
        ))
    }
    fn put(&self, _: &str, _: &StoreKey) -> mandate_core::Result<()> {
        Err(mandate_core::Error::new(
            ErrorCode::KeyringUnavailable,
            "no keyring",
        ))
    }
    fn delete(&self, _: &str) -> mandate_core::Result<()> {
        Err(mandate_core::Error::new(
            ErrorCode::KeyringUnavailable,
            "no keyring",
        ))
    }
}

#[test]
fn a_first_run_without_a_keyring_writes_nothing_and_a_passphrase_store_follows() {
    let dir = TempDir::new().unwrap();
    let e = Store::open(dir.path(), &NoKeyring).unwrap_err();
    assert_eq!(e.code, ErrorCode::KeyringUnavailable);
    assert!(
        !dir.path().join("store.json").exists(),
        "no store.json naming a keyring"
    );
    let mut store = open(&dir, PASS).expect("a passphrase store is made at once");
    add_matter(&mut store);
    assert!(store.is_passphrase_protected());
}

#[test]
fn a_store_stuck_by_an_earlier_first_run_without_a_keyring_becomes_a_passphrase_store() {
    // Earlier versions wrote store.json (key source: keyring) before the keyring
    // failed, and then refused every passphrase.
    let dir = TempDir::new().unwrap();
    let meta = crate::new_meta(crate::KEY_SOURCE_KEYRING, None);
    crate::write_meta(&dir.path().join("store.json"), &meta).unwrap();
    let mut store = open(&dir, PASS).expect("the unfinished keyring store is taken over");
    add_matter(&mut store);
    drop(store);
    open(&dir, PASS).unwrap();
}

#[cfg(unix)]
#[test]
fn the_store_folder_and_its_files_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let parent = TempDir::new().unwrap();
    let dir = parent.path().join("store");
    let mut store = Store::open_with_passphrase_params(&dir, PASS, cheap()).unwrap();
    add_matter(&mut store);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    for name in [
        "store.json",
        "mandate.db",
        "mandate.db-wal",
        "audit-head.json",
    ] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
}

const ALL_STEPS: [KeyChangeStep; 5] = [
    KeyChangeStep::NextWritten,
    KeyChangeStep::Rekeyed,
    KeyChangeStep::Checkpointed,
    KeyChangeStep::MetaReplaced,
    KeyChangeStep::KeyringForgotten,
];

/// Stops a change of key at `at`, as a crash or a full disk would there: the store
/// is dropped without any clean-up. The error is the one a full disk gives.
fn stop_change_at(store: &mut Store, current: CurrentSecret<'_>, at: KeyChangeStep) {
    let e = store
        .change_key(current, NEW, cheap(), &mut |step| {
            if step == at {
                Err(mandate_core::Error::new(
                    ErrorCode::Io,
                    "No space left on device",
                ))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Io);
}

#[test]
fn a_passphrase_change_stopped_at_any_step_loses_nothing() {
    for at in &ALL_STEPS[..4] {
        let dir = TempDir::new().unwrap();
        let mut store = open(&dir, PASS).unwrap();
        add_matter(&mut store);
        stop_change_at(&mut store, CurrentSecret::Passphrase(PASS), *at);
        drop(store);
        let rekeyed = *at != KeyChangeStep::NextWritten;
        let (right, wrong) = if rekeyed { (NEW, PASS) } else { (PASS, NEW) };
        assert_eq!(
            open(&dir, wrong).unwrap_err().code,
            ErrorCode::WrongPassphrase,
            "stopped after {at:?}"
        );
        let store = open(&dir, right).unwrap_or_else(|e| panic!("stopped after {at:?}: {e:?}"));
        assert_eq!(store.matter_by_number("P-1").unwrap().number, "P-1");
        assert!(store.audit_verify().unwrap().intact, "stopped after {at:?}");
        assert!(!dir.path().join(NEXT_META_FOR_TESTS).exists());
        drop(store);
        open(&dir, right).expect("and again");
    }
}

#[test]
fn a_move_from_the_keyring_stopped_at_any_step_loses_nothing() {
    for at in ALL_STEPS {
        let dir = TempDir::new().unwrap();
        let vault = MemoryVault::default();
        let mut store = Store::open(dir.path(), &vault).unwrap();
        add_matter(&mut store);
        stop_change_at(&mut store, CurrentSecret::Keyring(&vault), at);
        drop(store);
        if at == KeyChangeStep::NextWritten {
            // Not re-keyed: the keyring still opens it, and the stale change goes.
            let store = Store::open(dir.path(), &vault).unwrap();
            assert_eq!(store.matter_by_number("P-1").unwrap().number, "P-1");
            assert!(!dir.path().join(NEXT_META_FOR_TESTS).exists());
            continue;
        }
        let e = Store::open(dir.path(), &vault).unwrap_err();
        assert_eq!(
            e.code,
            ErrorCode::PassphraseRequired,
            "stopped after {at:?}: {e:?}"
        );
        assert_eq!(
            open(&dir, "a wrong long passphrase").unwrap_err().code,
            ErrorCode::WrongPassphrase
        );
        let store = open(&dir, NEW).unwrap_or_else(|e| panic!("stopped after {at:?}: {e:?}"));
        assert_eq!(store.matter_by_number("P-1").unwrap().number, "P-1");
        assert!(store.is_passphrase_protected());
        drop(store);
        open(&dir, NEW).expect("and again");
    }
}

#[test]
fn wrong_passphrases_cost_more_each_time_even_across_restarts() {
    use std::cell::{Cell, RefCell};
    use std::time::{Duration, SystemTime};
    let dir = TempDir::new().unwrap();
    drop(open(&dir, PASS).unwrap());
    // A clock that moves only when someone sleeps.
    let clock = Cell::new(1_800_000_000u64);
    let waits = RefCell::new(Vec::new());
    let sleep = |d: Duration| {
        waits.borrow_mut().push(d.as_secs());
        clock.set(clock.get() + d.as_secs());
    };
    // Each call stands for a fresh process: the count comes from the folder.
    let attempt = |pass: &str| {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(clock.get());
        Store::open_with_passphrase_throttled(dir.path(), pass, cheap(), now, &sleep)
    };
    for _ in 0..7 {
        assert_eq!(attempt(NEW).unwrap_err().code, ErrorCode::WrongPassphrase);
    }
    assert_eq!(*waits.borrow(), [1, 2, 4, 8, 16, 30, 30]);

    // A restart cut the last wait short: 10 s into the 30 s owed, the next attempt
    // (from the window or the `mandate` command) first waits the remaining 20 s.
    clock.set(clock.get() - 20);
    waits.borrow_mut().clear();
    assert_eq!(attempt(NEW).unwrap_err().code, ErrorCode::WrongPassphrase);
    assert_eq!(*waits.borrow(), [20, 30]);

    // The right passphrase opens (after what is owed) and resets the count.
    waits.borrow_mut().clear();
    attempt(PASS).unwrap();
    assert_eq!(*waits.borrow(), Vec::<u64>::new());
    assert!(!dir.path().join("unlock-attempts.json").exists());
    assert_eq!(attempt(NEW).unwrap_err().code, ErrorCode::WrongPassphrase);
    assert_eq!(*waits.borrow(), [1], "the right passphrase reset the count");
}

#[test]
fn the_penalty_doubles_up_to_thirty_seconds() {
    let secs: Vec<u64> = (0..8).map(|n| crate::unlock_penalty(n).as_secs()).collect();
    assert_eq!(secs, [0, 1, 2, 4, 8, 16, 30, 30]);
}

/// The window checks a new passphrase's length before asking Rust, with the same
/// number: `ui/src/bindings/constants.ts` is generated from `MIN_PASSPHRASE_CHARS`
/// here, so there is no second copy to keep in step by hand. This test fails when
/// the file is stale; `UPDATE_BINDINGS=1 cargo test -p mandate-store
/// ui_constants_are_current` rewrites it.
#[test]
fn ui_constants_are_current() {
    let body = format!(
        "// This file was generated from Rust (crates/store/src/unlock.rs, crates/core) by the test \
         ui_constants_are_current (crates/store/src/passphrase_tests.rs). Do not edit this file manually.\n\
         \n\
         /**\n \
         * Fewest characters (Unicode scalar values) of a new passphrase: the store's rule.\n \
         */\n\
         export const MIN_PASSPHRASE_CHARS = {};\n\
         \n\
         /** Most characters of a short field (a name, a supervising attorney). */\n\
         export const SHORT_TEXT_MAX = {};\n\
         \n\
         /** Most characters of a message's body. */\n\
         export const MESSAGE_BODY_MAX = {};\n\
         \n\
         /** Messages in a page: when none is asked for, and at most. */\n\
         export const MESSAGE_PAGE_DEFAULT = {};\n\
         export const MESSAGE_PAGE_MAX = {};\n\
         \n\
         /** Rows of a list page (matters, parties, providers) when none is asked for. */\n\
         export const LIST_DEFAULT_LIMIT = {};\n\
         \n\
         /** The last day of the deadlines' \"next 7 days\" and \"next 30 days\", from today. */\n\
         export const NEXT_WEEK_DAYS = {};\n\
         export const NEXT_MONTH_DAYS = {};\n",
        crate::unlock::MIN_PASSPHRASE_CHARS,
        mandate_core::matter::SHORT_TEXT_MAX,
        mandate_core::message::BODY_MAX,
        mandate_core::message::PAGE_DEFAULT,
        mandate_core::message::PAGE_MAX,
        mandate_core::MatterFilter::DEFAULT_LIMIT,
        mandate_core::deadline::NEXT_WEEK_DAYS,
        mandate_core::deadline::NEXT_MONTH_DAYS,
    );
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings/constants.ts");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &body).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).ok().as_deref(),
        Some(body.as_str()),
        "ui/src/bindings/constants.ts is stale. Run `UPDATE_BINDINGS=1 cargo test -p mandate-store \
         ui_constants_are_current` and commit the result."
    );
}

#[test]
fn a_second_connection_sees_the_first_ones_writes_and_follows_a_change_of_passphrase() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, PASS).unwrap();
    let second = store.second_connection().unwrap();
    add_matter(&mut store);
    assert_eq!(
        second.matter_by_number("P-1").unwrap().title,
        "Passphrase matter"
    );
    // Writes made on the second are outside changes to the first (the window refetches).
    let mut second = second;
    second
        .create_matter(&MatterDraft {
            number: "P-2".into(),
            title: "From the exchange thread".into(),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(store.take_outside_changes().unwrap());
    drop(second);
    store
        .change_passphrase_params(CurrentSecret::Passphrase(PASS), NEW, cheap())
        .unwrap();
    // One made after the change opens with the new key.
    let again = store.second_connection().unwrap();
    assert_eq!(again.matter_by_number("P-2").unwrap().number, "P-2");
}
