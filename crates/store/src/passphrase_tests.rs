//! Passphrase stores: create, unlock, refuse, change, and survive an interrupted change.

use mandate_core::{ErrorCode, MatterDraft};
use tempfile::TempDir;

use crate::unlock::{KdfParams, NEXT_META_FOR_TESTS};
use crate::{MemoryVault, Store};

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
    store.change_passphrase_params(NEW, cheap()).unwrap();
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
    store.change_passphrase_params(NEW, cheap()).unwrap();
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

/// The window checks a new passphrase's length before asking Rust, with the same
/// number: `ui/src/bindings/constants.ts` is generated from `MIN_PASSPHRASE_CHARS`
/// here, so there is no second copy to keep in step by hand. This test fails when
/// the file is stale; `UPDATE_BINDINGS=1 cargo test -p mandate-store
/// ui_constants_are_current` rewrites it.
#[test]
fn ui_constants_are_current() {
    let body = format!(
        "// This file was generated from crates/store/src/unlock.rs by the test \
         ui_constants_are_current (crates/store/src/passphrase_tests.rs). Do not edit this file manually.\n\
         \n\
         /**\n \
         * Fewest characters (Unicode scalar values) of a new passphrase: the store's rule.\n \
         */\n\
         export const MIN_PASSPHRASE_CHARS = {};\n",
        crate::unlock::MIN_PASSPHRASE_CHARS
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
