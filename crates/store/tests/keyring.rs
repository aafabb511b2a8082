//! The store against the real OS keyring (Secret Service). Run by scripts/test.sh
//! inside a private D-Bus session with an unlocked GNOME Keyring
//! (scripts/with-keyring.sh); ignored by a bare `cargo test`, which may have no
//! Secret Service to talk to.

use mandate_core::{ErrorCode, MatterDraft};
use mandate_store::{KeyVault, SecretServiceVault, Store};

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn keys_live_in_the_keyring_one_entry_per_store() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut sa = Store::open(a.path(), &SecretServiceVault).expect("a Secret Service is reachable");
    sa.create_matter(&MatterDraft {
        number: "KR-1".into(),
        title: "Keyring".into(),
        client_name: "C".into(),
        ..Default::default()
    })
    .unwrap();
    let sb = Store::open(b.path(), &SecretServiceVault).unwrap();
    let id_a = sa.id().to_owned();
    drop(sa);

    // A second store got its own entry; the first one's key still opens it.
    assert!(SecretServiceVault.get(sb.id()).unwrap().is_some());
    let sa = Store::open(a.path(), &SecretServiceVault).unwrap();
    assert_eq!(sa.matter_by_number("KR-1").unwrap().title, "Keyring");
    drop(sa);

    // Remove the key from the keyring: the store is locked, not recreated.
    keyring::Entry::new(mandate_store::KEYRING_SERVICE, &id_a)
        .unwrap()
        .delete_credential()
        .unwrap();
    let e = Store::open(a.path(), &SecretServiceVault).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked);
}
