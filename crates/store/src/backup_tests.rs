//! Backups: round trip to a keyring store and to a passphrase store, and every way a
//! restore must refuse without touching anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mandate_core::{Error, ErrorCode, MatterDraft, MatterFilter, Result};
use tempfile::TempDir;

use crate::backup::{
    MAX_KDF_M_COST, MAX_KDF_P_COST, MAX_KDF_T_COST, resign_for_tests, write_v1_for_tests,
};
use crate::unlock::KdfParams;
use crate::{
    KeyVault, MemoryVault, RestoreKey, Store, StoreKey, backup_inspect, backup_restore_with,
};

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

/// A backup is encrypted, and still only its owner may read it, as the store.
#[cfg(unix)]
#[test]
fn a_backup_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, _store, out) = backed_up();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
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
            [b"MANDATE-BACKUP 2\n{\"format\":\n".to_vec(), bytes.clone()].concat(),
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
    backup_inspect(&out, None).unwrap();
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
    backup_inspect(&out, None).unwrap();
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
    backup_inspect(&out, None).unwrap();
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
    backup_inspect(&out, None).unwrap();
}

/// Every file under `dir` with its bytes (`None` if `dir` does not exist), to show a
/// folder is exactly as it was.
fn snapshot(dir: &Path) -> Option<BTreeMap<PathBuf, Option<Vec<u8>>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(rel, None);
                walk(root, &path, out);
            } else {
                out.insert(rel, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    if !dir.exists() {
        return None;
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    Some(out)
}

/// Names in `dir` that a restore may leave behind if it fails to clean up.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial") || n.contains(".restore-"))
        .collect()
}

fn restore(out: &Path, pass: &str, target: &Path) -> Result<Store> {
    backup_restore_with(
        out,
        pass,
        target,
        RestoreKey::Keyring(&MemoryVault::default()),
        cheap(),
    )
}

/// The byte offsets of the header line (without its newline) in a backup file.
fn header_span(bytes: &[u8]) -> std::ops::Range<usize> {
    let start = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let len = bytes[start..].iter().position(|&b| b == b'\n').unwrap();
    start..start + len
}

/// `bytes` with the header's JSON text changed by `edit` (no new MAC: what someone
/// without the passphrase can do).
fn edit_header_text(bytes: &[u8], edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let span = header_span(bytes);
    let text = String::from_utf8(bytes[span.clone()].to_vec()).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changes the header");
    [&bytes[..span.start], edited.as_bytes(), &bytes[span.end..]].concat()
}

#[test]
fn inspect_verifies_the_header_only_with_the_passphrase() {
    let (_dir, original, out) = backed_up();
    let unverified = backup_inspect(&out, None).unwrap();
    assert!(!unverified.verified);
    assert_eq!(unverified.header.format, 2);
    assert_eq!(unverified.header.store_id, original.id());
    let verified = backup_inspect(&out, Some(BACKUP_PASS)).unwrap();
    assert!(verified.verified);
    assert_eq!(verified.header, unverified.header);
    let json = serde_json::to_value(&verified).unwrap();
    assert!(
        json["db_sha256"].is_string() && json["verified"] == true,
        "{json}"
    );

    let e = backup_inspect(&out, Some("not the backup passphrase")).unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase, "{e:?}");
}

#[test]
fn an_altered_header_fails_verification_and_is_not_restored() {
    let (dir, original, out) = backed_up();
    let bytes = std::fs::read(&out).unwrap();
    let id = original.id().to_owned();
    // Another id of the same shape (its last digit changed, never to itself).
    let last = if id.ends_with('0') { '1' } else { '0' };
    let forged_id = format!("{}{last}", &id[..id.len() - 1]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "store id",
            edit_header_text(&bytes, |h| h.replace(&id, &forged_id)),
        ),
        (
            "created_at",
            edit_header_text(&bytes, |h| {
                h.replacen("\"created_at\":\"20", "\"created_at\":\"19", 1)
            }),
        ),
        (
            "schema version",
            edit_header_text(&bytes, |h| {
                let v = serde_json::from_str::<serde_json::Value>(&h).unwrap()["schema_version"]
                    .as_i64()
                    .unwrap();
                h.replace(
                    &format!("\"schema_version\":{v}"),
                    &format!("\"schema_version\":{}", v - 1),
                )
            }),
        ),
        ("the MAC itself", {
            let mut b = bytes.clone();
            *b.last_mut().unwrap() ^= 0x01;
            b
        }),
    ];
    for (name, forged) in cases {
        let bad = dir
            .path()
            .join(format!("forged-{}.mandate-backup", name.replace(' ', "-")));
        std::fs::write(&bad, &forged).unwrap();
        // Without the passphrase only damage shows: the checksum still matches, so
        // the header can only be reported as unverified, never as verified.
        let info = backup_inspect(&bad, None).unwrap();
        assert!(!info.verified, "{name}");
        let e = backup_inspect(&bad, Some(BACKUP_PASS)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt, "{name}: {e:?}");
        assert!(e.message.contains("altered"), "{name}: {}", e.message);
        let target = dir
            .path()
            .join(format!("restore-{}", name.replace(' ', "-")));
        let e = restore(&bad, BACKUP_PASS, &target).unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt, "{name}: {e:?}");
        assert!(!target.exists(), "{name}: nothing written");
    }
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn a_format_2_backup_relabelled_as_format_1_does_not_restore() {
    // Format 1 has no MAC; its database key is the Argon2id output itself, which is
    // not the key a format 2 database is encrypted with, so stripping the MAC and
    // calling the file format 1 gets nowhere.
    let (dir, _original, out) = backed_up();
    let bytes = std::fs::read(&out).unwrap();
    let mut v1 = edit_header_text(&bytes, |h| h.replace("\"format\":2", "\"format\":1"));
    v1[15] = b'1';
    assert!(v1.starts_with(b"MANDATE-BACKUP 1\n"));
    v1.truncate(v1.len() - 32);
    let bad = dir.path().join("relabelled.mandate-backup");
    std::fs::write(&bad, v1).unwrap();
    let target = dir.path().join("restored");
    let e = restore(&bad, BACKUP_PASS, &target).unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase, "{e:?}");
    assert!(!target.exists());
}

#[test]
fn a_format_1_backup_still_restores_but_is_never_verified() {
    let (dir, original, _) = backed_up();
    let old = dir.path().join("old.mandate-backup");
    write_v1_for_tests(&original, &old, BACKUP_PASS, cheap());
    let info = backup_inspect(&old, Some(BACKUP_PASS)).unwrap();
    assert_eq!(info.header.format, 1);
    assert!(!info.verified, "format 1 has no MAC to verify");
    let e = restore(&old, "not the backup passphrase", &dir.path().join("wrong")).unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase, "{e:?}");
    assert!(!dir.path().join("wrong").exists());
    let restored = restore(&old, BACKUP_PASS, &dir.path().join("restored")).unwrap();
    assert_eq!(numbers(&restored), numbers(&original));
}

#[test]
fn a_newer_format_asks_for_a_newer_mandate() {
    let (dir, _original, out) = backed_up();
    let mut bytes = std::fs::read(&out).unwrap();
    bytes[15] = b'3';
    let newer = dir.path().join("newer.mandate-backup");
    std::fs::write(&newer, bytes).unwrap();
    let e = backup_inspect(&newer, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreTooNew, "{e:?}");
}

fn user_version(store: &Store) -> i64 {
    store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn restore_takes_the_schema_version_from_the_backups_database() {
    let (dir, original, out) = backed_up();
    let latest = crate::LATEST_VERSION;
    // A header (signed by someone with the passphrase, or by a buggy writer) that
    // names another schema version than the database holds: the database wins.
    for (name, claimed) in [("older", 1), ("newer", latest + 5)] {
        let file = dir.path().join(format!("{name}.mandate-backup"));
        std::fs::copy(&out, &file).unwrap();
        resign_for_tests(&file, BACKUP_PASS, |h| {
            h["schema_version"] = claimed.into();
        });
        assert_eq!(
            backup_inspect(&file, Some(BACKUP_PASS))
                .unwrap()
                .header
                .schema_version,
            claimed
        );
        let target = dir.path().join(format!("restored-{name}"));
        let restored =
            restore(&file, BACKUP_PASS, &target).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(user_version(&restored), latest, "{name}");
        assert_eq!(numbers(&restored), numbers(&original), "{name}");
    }
}

#[test]
fn a_database_newer_than_mandate_is_refused_whatever_the_header_says() {
    let (dir, store, _) = backed_up();
    let latest = crate::LATEST_VERSION;
    store
        .conn
        .pragma_update(None, "user_version", latest + 1)
        .unwrap();
    let mut store = store;
    let out = dir.path().join("newer.mandate-backup");
    store
        .backup_create_params(&out, BACKUP_PASS, cheap())
        .unwrap();
    resign_for_tests(&out, BACKUP_PASS, |h| h["schema_version"] = latest.into());
    let target = dir.path().join("restored");
    let e = restore(&out, BACKUP_PASS, &target).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreTooNew, "{e:?}");
    assert!(!target.exists());
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn argon2_costs_above_the_limits_are_refused_before_deriving() {
    let (dir, mut store, out) = backed_up();
    let cases = [
        ("m_cost", MAX_KDF_M_COST + 1, "KiB of memory"),
        ("m_cost", u32::MAX, "KiB of memory"),
        ("t_cost", MAX_KDF_T_COST + 1, "passes"),
        ("p_cost", MAX_KDF_P_COST + 1, "lanes"),
    ];
    for (field, value, needle) in cases {
        let file = dir.path().join(format!("{field}-{value}.mandate-backup"));
        std::fs::copy(&out, &file).unwrap();
        resign_for_tests(&file, BACKUP_PASS, |h| h["kdf"][field] = value.into());
        let started = std::time::Instant::now();
        for e in [
            backup_inspect(&file, None).unwrap_err(),
            backup_inspect(&file, Some(BACKUP_PASS)).unwrap_err(),
            restore(&file, BACKUP_PASS, &dir.path().join("restored")).unwrap_err(),
        ] {
            assert_eq!(e.code, ErrorCode::Corrupt, "{field}={value}: {e:?}");
            assert!(
                e.message.contains(needle) && e.message.contains("at most"),
                "{field}={value}: {}",
                e.message
            );
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{field}={value}: refused without deriving"
        );
        assert!(!dir.path().join("restored").exists());
    }
    // A backup is never written with settings a restore would refuse.
    let e = store
        .backup_create_params(
            &dir.path().join("heavy.mandate-backup"),
            BACKUP_PASS,
            KdfParams::with_costs(256, MAX_KDF_T_COST + 1, 1),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid, "{e:?}");
    assert!(!dir.path().join("heavy.mandate-backup").exists());
    // The recommended settings are within the limits.
    let r = KdfParams::recommended();
    assert!(r.m_cost <= MAX_KDF_M_COST && r.t_cost <= MAX_KDF_T_COST && r.p_cost <= MAX_KDF_P_COST);
}

/// A keyring that refuses to store anything, as a locked one does.
struct RefusingVault;

impl KeyVault for RefusingVault {
    fn get(&self, _: &str) -> Result<Option<StoreKey>> {
        Ok(None)
    }
    fn put(&self, _: &str, _: &StoreKey) -> Result<()> {
        Err(Error::new(
            ErrorCode::KeyringUnavailable,
            "the keyring is locked",
        ))
    }
    fn delete(&self, _: &str) -> Result<()> {
        Ok(())
    }
}

#[test]
fn a_failed_restore_leaves_the_target_as_it_was_and_a_retry_works() {
    let (dir, original, out) = backed_up();
    let bytes = std::fs::read(&out).unwrap();
    let id = original.id().to_owned();
    // Another id of the same shape (its last digit changed, never to itself).
    let last = if id.ends_with('0') { '1' } else { '0' };
    let forged_id = format!("{}{last}", &id[..id.len() - 1]);
    let bad_file = |name: &str, b: Vec<u8>| {
        let p = dir.path().join(format!("{name}.mandate-backup"));
        std::fs::write(&p, b).unwrap();
        p
    };
    let tampered_body = bad_file("tampered-body", {
        let mut b = bytes.clone();
        let i = b.len() - 1000;
        b[i] ^= 0x40;
        b
    });
    let tampered_header = bad_file(
        "tampered-header",
        edit_header_text(&bytes, |h| h.replace(&id, &forged_id)),
    );
    let truncated = bad_file("truncated", bytes[..bytes.len() / 2].to_vec());
    type Attempt<'a> = Box<dyn Fn(&Path) -> Result<Store> + 'a>;
    let attempts: Vec<(&str, Attempt<'_>)> = vec![
        (
            "wrong passphrase",
            Box::new(|t| restore(&out, "not the backup passphrase", t)),
        ),
        (
            "tampered body",
            Box::new(|t| restore(&tampered_body, BACKUP_PASS, t)),
        ),
        (
            "tampered header",
            Box::new(|t| restore(&tampered_header, BACKUP_PASS, t)),
        ),
        (
            "truncated file",
            Box::new(|t| restore(&truncated, BACKUP_PASS, t)),
        ),
        (
            // Fails at the very end, once the store is built and only the key is
            // left to keep.
            "keyring refuses the key",
            Box::new(|t| {
                backup_restore_with(
                    &out,
                    BACKUP_PASS,
                    t,
                    RestoreKey::Keyring(&RefusingVault),
                    cheap(),
                )
            }),
        ),
    ];
    for (name, attempt) in &attempts {
        for existing in [false, true] {
            let parent = dir.path().join(format!(
                "{}-{}",
                name.replace(' ', "-"),
                if existing { "empty" } else { "missing" }
            ));
            std::fs::create_dir(&parent).unwrap();
            let target = parent.join("store");
            if existing {
                std::fs::create_dir(&target).unwrap();
            }
            let before = snapshot(&target);
            attempt(&target).expect_err(name);
            assert_eq!(snapshot(&target), before, "{name} (existing: {existing})");
            assert!(
                leftovers(&parent).is_empty(),
                "{name}: {:?}",
                leftovers(&parent)
            );
            // And the retry, with the right file and passphrase, just works.
            let restored = restore(&out, BACKUP_PASS, &target)
                .unwrap_or_else(|e| panic!("{name}: retry: {e:?}"));
            assert_eq!(numbers(&restored), numbers(&original));
            assert_eq!(restored.dir(), target);
            drop(restored);
            assert!(
                leftovers(&parent).is_empty(),
                "{name}: {:?}",
                leftovers(&parent)
            );
            let mut names: Vec<String> = std::fs::read_dir(&target)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            assert_eq!(
                names,
                ["audit-head.json", "mandate.db", "store.json"],
                "{name}"
            );
        }
    }
}

#[test]
fn a_target_holding_anything_is_refused_untouched() {
    let (dir, _original, out) = backed_up();
    let target = dir.path().join("busy");
    std::fs::create_dir_all(target.join("calendars")).unwrap();
    std::fs::write(target.join("notes.txt"), b"mine").unwrap();
    let before = snapshot(&target);
    let e = restore(&out, BACKUP_PASS, &target).unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid, "{e:?}");
    assert!(e.message.contains("not empty"), "{}", e.message);
    assert_eq!(snapshot(&target), before);
}

const FIRM_CALENDAR: &str = r#"
id = "firm-closures"
name = "Firm closures"
kind = "court"
source = "Office manager"
version = "2026.1"

[[holiday]]
name = "Founders Day"
month = 6
day = 22
"#;

#[test]
fn firm_calendars_travel_with_the_backup() {
    use mandate_core::deadline::DeadlineDraft;
    let (dir, mut store, _) = backed_up();
    let cals = store.dir().join("calendars");
    std::fs::create_dir_all(&cals).unwrap();
    std::fs::write(cals.join("firm.toml"), FIRM_CALENDAR).unwrap();
    std::fs::write(cals.join("notes.txt"), "not a calendar").unwrap();
    let out = dir.path().join("with-calendars.mandate-backup");
    let header = store
        .backup_create_params(&out, BACKUP_PASS, cheap())
        .unwrap();
    assert_eq!(header.calendars, ["calendars/firm.toml"]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        !bytes.windows(12).any(|w| w == b"Founders Day"),
        "calendars are inside the encrypted database"
    );

    let target = dir.path().join("restored");
    let mut restored = restore(&out, BACKUP_PASS, &target).unwrap();
    assert_eq!(
        std::fs::read_to_string(target.join("calendars/firm.toml")).unwrap(),
        FIRM_CALENDAR
    );
    assert!(!target.join("calendars/notes.txt").exists());
    assert!(restored.calendar_problems().is_empty());
    let backup_table: i64 = restored
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'mandate_backup_file'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(backup_table, 0, "the backup's file table is not restored");
    // The restored calendar counts: 14 days from 5 June 2026 is Juneteenth (federal),
    // then Monday 22 June is the firm's closure, so the deadline is the 23rd.
    let m = restored
        .list_matters(&MatterFilter::default())
        .unwrap()
        .items
        .remove(0);
    let d = restored
        .create_deadlines(&DeadlineDraft {
            title: Some("Opposition".into()),
            days: Some(14),
            trigger: Some("2026-06-05".into()),
            calendars: Some(vec!["us-federal".into(), "firm-closures".into()]),
            matter_id: m.id,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(d.due_date, "2026-06-23");
    let detail = restored
        .audit_history("store", restored.id())
        .unwrap()
        .into_iter()
        .find(|r| r.action == "store.restore")
        .unwrap();
    assert!(
        format!("{detail:?}").contains("calendars/firm.toml"),
        "{detail:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_target_that_links_to_an_empty_folder_is_restored_where_it_points() {
    let (dir, original, out) = backed_up();
    let real = dir.path().join("elsewhere").join("store");
    std::fs::create_dir_all(&real).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    restore(&out, "not the backup passphrase", &link).unwrap_err();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(snapshot(&real), Some(BTreeMap::new()));
    let restored = restore(&out, BACKUP_PASS, &link).unwrap();
    assert_eq!(numbers(&restored), numbers(&original));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(real.join("store.json").exists() && real.join("mandate.db").exists());
    assert!(leftovers(dir.path()).is_empty() && leftovers(real.parent().unwrap()).is_empty());
}

#[test]
fn a_restored_store_keeps_the_backups_history_head_outside_its_database() {
    let (dir, original, out) = backed_up();
    let info = backup_inspect(&out, Some(BACKUP_PASS)).unwrap();
    let head = info
        .header
        .audit_head
        .clone()
        .expect("the header names the history's head");
    let target = dir.path().join("restored");
    let restored = restore(&out, BACKUP_PASS, &target).unwrap();
    // The copy's chain reaches the head the header names, and the restore record
    // follows it; the restored store keeps its new head outside the database.
    assert!(restored.audit_head().unwrap().unwrap().seq == head.seq + 1);
    let kept: crate::AuditHead =
        serde_json::from_slice(&std::fs::read(target.join("audit-head.json")).unwrap()).unwrap();
    assert_eq!(Some(kept), restored.audit_head().unwrap());
    assert!(restored.audit_verify().unwrap().intact);
    drop(original);
}
