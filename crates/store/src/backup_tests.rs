//! Backups: round trip to a keyring store and to a passphrase store, and every way a
//! restore must refuse without touching anything.

use mandate_core::{ErrorCode, MatterDraft, MatterFilter};
use tempfile::TempDir;

use crate::unlock::KdfParams;
use crate::{MemoryVault, RestoreKey, Store, backup_inspect, backup_restore_with};

const BACKUP_PASS: &str = "backup passphrase for the safe";

fn cheap() -> KdfParams {
    KdfParams::with_costs(256, 1, 1)
}

/// A store with two matters, and a backup of it.
fn backed_up() -> (TempDir, Store, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("store"), &MemoryVault::default()).unwrap();
    for (n, t) in [
        ("B-1", "Quasar Holdings v. Nebula"),
        ("B-2", "Lease review"),
    ] {
        store
            .create_matter(&MatterDraft {
                number: n.into(),
                title: t.into(),
                client_name: "Client".into(),
                ..Default::default()
            })
            .unwrap();
    }
    let out = dir.path().join("firm.mandate-backup");
    let header = store
        .backup_create_params(&out, BACKUP_PASS, cheap())
        .unwrap();
    assert_eq!(header.store_id, store.id());
    (dir, store, out)
}

fn numbers(store: &Store) -> Vec<String> {
    store
        .list_matters(&MatterFilter::default())
        .unwrap()
        .items
        .into_iter()
        .map(|m| m.number)
        .collect()
}

#[test]
fn a_backup_restores_into_a_keyring_store_on_another_machine() {
    let (dir, original, out) = backed_up();
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        !bytes.windows(6).any(|w| w == b"Quasar"),
        "the backup holds no plaintext"
    );

    let other_machine = MemoryVault::default();
    let target = dir.path().join("restored");
    let restored = backup_restore_with(
        &out,
        BACKUP_PASS,
        &target,
        RestoreKey::Keyring(&other_machine),
        cheap(),
    )
    .unwrap();
    assert_eq!(restored.id(), original.id(), "the store keeps its identity");
    assert_eq!(numbers(&restored), numbers(&original));
    assert!(restored.audit_verify().unwrap().intact);
    let actions: Vec<_> = restored
        .audit_history("store", restored.id())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    // The backup's own record is written after the copy is taken, so the copy
    // holds the restore record only; the original holds the backup record.
    assert_eq!(actions, ["store.restore"]);
    let original_actions: Vec<_> = original
        .audit_history("store", original.id())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(original_actions, ["store.backup"]);
    drop(restored);
    // It opens again with the key the other machine's keyring now holds.
    assert_eq!(
        numbers(&Store::open(&target, &other_machine).unwrap()).len(),
        2
    );
    assert!(
        !std::fs::read_dir(&target).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("partial"))
    );
}

#[test]
fn a_backup_restores_into_a_passphrase_store() {
    let (dir, _original, out) = backed_up();
    let target = dir.path().join("restored");
    let restored = backup_restore_with(
        &out,
        BACKUP_PASS,
        &target,
        RestoreKey::Passphrase("new store passphrase"),
        cheap(),
    )
    .unwrap();
    assert_eq!(numbers(&restored).len(), 2);
    drop(restored);
    let reopened =
        Store::open_with_passphrase_params(&target, "new store passphrase", cheap()).unwrap();
    assert_eq!(numbers(&reopened).len(), 2);
}

#[test]
fn a_wrong_passphrase_restores_nothing() {
    let (dir, _original, out) = backed_up();
    let target = dir.path().join("restored");
    let e = backup_restore_with(
        &out,
        "not the backup passphrase",
        &target,
        RestoreKey::Keyring(&MemoryVault::default()),
        cheap(),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase, "{e:?}");
    assert!(!target.join("store.json").exists() && !target.join("mandate.db").exists());
}

#[test]
fn a_truncated_or_damaged_backup_is_refused_before_anything_is_written() {
    let (dir, _original, out) = backed_up();
    let bytes = std::fs::read(&out).unwrap();
    let cases = [
        (
            "truncated",
            bytes[..bytes.len() - 100].to_vec(),
            "cut short",
        ),
        (
            "flipped",
            {
                let mut b = bytes.clone();
                let i = b.len() - 500;
                b[i] ^= 0xff;
                b
            },
            "checksum",
        ),
        (
            "not a backup",
            b"PK\x03\x04 a zip file".to_vec(),
            "does not start like",
        ),
        (
            "bad header",
            [b"MANDATE-BACKUP 1\n{\"format\":\n".to_vec(), bytes.clone()].concat(),
            "header",
        ),
    ];
    for (name, body, needle) in cases {
        let bad = dir.path().join(format!("{name}.backup"));
        std::fs::write(&bad, body).unwrap();
        let target = dir.path().join(format!("restore-{name}"));
        let e = backup_restore_with(
            &bad,
            BACKUP_PASS,
            &target,
            RestoreKey::Keyring(&MemoryVault::default()),
            cheap(),
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt, "{name}: {e:?}");
        assert!(e.message.contains(needle), "{name}: {}", e.message);
        assert!(!target.exists(), "{name}: nothing written");
    }
    backup_inspect(&out).unwrap();
}

#[test]
fn restoring_over_an_existing_store_is_refused() {
    let (dir, _original, out) = backed_up();
    let e = backup_restore_with(
        &out,
        BACKUP_PASS,
        &dir.path().join("store"),
        RestoreKey::Keyring(&MemoryVault::default()),
        cheap(),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert!(e.message.contains("already holds a store"));
}

#[test]
fn a_failed_backup_leaves_the_previous_one_intact() {
    let (dir, mut store, out) = backed_up();
    let before = std::fs::read(&out).unwrap();
    // A leftover from a backup killed mid-write does not get in the way...
    std::fs::write(
        dir.path().join("firm.mandate-backup.partial"),
        b"half a backup",
    )
    .unwrap();
    // ...and a backup that fails (here: a weak passphrase) replaces nothing.
    let e = store
        .backup_create_params(&out, "short", cheap())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(std::fs::read(&out).unwrap(), before);
    store
        .backup_create_params(&out, BACKUP_PASS, cheap())
        .unwrap();
    assert!(!dir.path().join("firm.mandate-backup.partial").exists());
    backup_inspect(&out).unwrap();
}

#[test]
fn a_stale_journal_beside_the_partial_copy_is_removed_before_the_copy() {
    let (dir, mut store, out) = backed_up();
    // What a backup killed with -9 can leave: the partial copy and its journals,
    // written under another key.
    let partial = dir.path().join("firm.mandate-backup.db.partial");
    std::fs::write(&partial, vec![0x5a; 8192]).unwrap();
    let mut journal = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7".to_vec();
    journal.extend(vec![0xa5; 4096]);
    for suffix in ["-journal", "-wal", "-shm"] {
        std::fs::write(
            dir.path()
                .join(format!("firm.mandate-backup.db.partial{suffix}")),
            &journal,
        )
        .unwrap();
    }
    store
        .backup_create_params(&out, BACKUP_PASS, cheap())
        .unwrap();
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    backup_inspect(&out).unwrap();
    let restored = backup_restore_with(
        &out,
        BACKUP_PASS,
        &dir.path().join("restored"),
        RestoreKey::Keyring(&MemoryVault::default()),
        cheap(),
    )
    .unwrap();
    assert_eq!(numbers(&restored), numbers(&store));
}

#[test]
fn a_backup_reports_its_phases_in_order_and_finishes_each() {
    use mandate_core::{Progress, ProgressPhase};
    let (dir, mut store, _) = backed_up();
    let out = dir.path().join("progress.mandate-backup");
    let mut seen: Vec<Progress> = Vec::new();
    let header = store
        .backup_create_with_progress(&out, BACKUP_PASS, cheap(), &mut |p| seen.push(p))
        .unwrap();
    let mut phases: Vec<ProgressPhase> = seen.iter().map(|p| p.phase).collect();
    phases.dedup();
    assert_eq!(
        phases,
        [
            ProgressPhase::Key,
            ProgressPhase::Copying,
            ProgressPhase::Checking,
            ProgressPhase::Writing
        ]
    );
    for phase in phases {
        let of_phase: Vec<&Progress> = seen.iter().filter(|p| p.phase == phase).collect();
        assert!(of_phase.iter().all(|p| p.done <= p.total), "{of_phase:?}");
        assert!(
            of_phase.windows(2).all(|w| w[0].done <= w[1].done),
            "{of_phase:?}"
        );
        let last = of_phase.last().unwrap();
        assert_eq!(last.done, last.total, "{phase:?} finishes");
        assert_eq!(of_phase[0].done, 0, "{phase:?} starts at 0");
    }
    let checking = seen
        .iter()
        .rfind(|p| p.phase == ProgressPhase::Checking)
        .unwrap();
    assert_eq!(checking.total, header.db_bytes, "checking counts bytes");
    backup_inspect(&out).unwrap();
}
