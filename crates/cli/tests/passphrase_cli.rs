//! Headless unlock with a passphrase (no keyring needed): MANDATE_PASSPHRASE and
//! --passphrase-file, wrong passphrases, and changing it.

use std::path::Path;
use std::process::{Command, Output};

fn mandate(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mandate"));
    c.arg("--data-dir").arg(dir).args(args);
    // No Secret Service: these must work without one.
    c.env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/mandate-test-bus",
    );
    c.env_remove("MANDATE_PASSPHRASE")
        .env_remove("MANDATE_NEW_PASSPHRASE")
        .env_remove("MANDATE_BACKUP_PASSPHRASE");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("mandate runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_passphrase_store_works_headless_and_its_passphrase_can_change() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let pass = [("MANDATE_PASSPHRASE", "orchard lantern velvet quarry")];

    let out = mandate(
        &d,
        &pass,
        &[
            "matter",
            "add",
            "--number",
            "PP-1",
            "--title",
            "Nebula v. Quasar",
            "--client",
            "Nebula",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let meta = std::fs::read_to_string(d.join("store.json")).unwrap();
    assert!(
        meta.contains("\"passphrase\"") && meta.contains("argon2id"),
        "{meta}"
    );

    // Without it: a clear error that says how to give it.
    let out = mandate(&d, &[], &["matter", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("MANDATE_PASSPHRASE"),
        "{}",
        stderr(&out)
    );
    // A wrong one: refused, nothing changed.
    let out = mandate(
        &d,
        &[("MANDATE_PASSPHRASE", "orchard lantern velvet quarrx")],
        &["matter", "list"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("does not open this store"),
        "{}",
        stderr(&out)
    );

    // From a file, as a script would (trailing newline ignored).
    let file = dir.path().join("pass.txt");
    std::fs::write(&file, "orchard lantern velvet quarry\n").unwrap();
    let out = mandate(
        &d,
        &[],
        &[
            "--passphrase-file",
            file.to_str().unwrap(),
            "matter",
            "show",
            "PP-1",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nebula v. Quasar"));

    // Change it.
    let out = mandate(
        &d,
        &[
            pass[0],
            ("MANDATE_NEW_PASSPHRASE", "harbor pencil thistle marble"),
        ],
        &["store", "passphrase"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        mandate(&d, &pass, &["matter", "list"]).status.code(),
        Some(1),
        "the old passphrase no longer opens it"
    );
    let out = mandate(
        &d,
        &[("MANDATE_PASSPHRASE", "harbor pencil thistle marble")],
        &["matter", "list", "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("PP-1"),
        "the data came through the re-encryption"
    );
}

#[test]
fn a_weak_passphrase_creates_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let out = mandate(&d, &[("MANDATE_PASSPHRASE", "short")], &["matter", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("at least 12 characters"),
        "{}",
        stderr(&out)
    );
    assert!(!d.join("store.json").exists());
}

#[test]
fn backup_create_and_restore_on_a_machine_without_a_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let pass = ("MANDATE_PASSPHRASE", "orchard lantern velvet quarry");
    let backup_pass = (
        "MANDATE_BACKUP_PASSPHRASE",
        "backup phrase kept in the safe",
    );
    let out = mandate(
        &a,
        &[pass],
        &[
            "matter",
            "add",
            "--number",
            "BK-1",
            "--title",
            "Backed up matter",
            "--client",
            "Client",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let file = dir.path().join("firm.mandate-backup");
    let out = mandate(
        &a,
        &[pass, backup_pass],
        &["backup", "create", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = mandate(
        &a,
        &[],
        &["backup", "inspect", file.to_str().unwrap(), "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("db_sha256"));

    // Restore elsewhere, protected by a new passphrase.
    let new_pass = ("MANDATE_PASSPHRASE", "harbor pencil thistle marble");
    let out = mandate(
        &b,
        &[new_pass, backup_pass],
        &["backup", "restore", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = mandate(&b, &[new_pass], &["matter", "show", "BK-1", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Backed up matter"));

    // Over an existing store, with a wrong backup passphrase, or from a cut file: refused.
    let out = mandate(
        &b,
        &[new_pass, backup_pass],
        &["backup", "restore", file.to_str().unwrap()],
    );
    assert!(
        stderr(&out).contains("already holds a store"),
        "{}",
        stderr(&out)
    );
    let c = dir.path().join("c");
    let out = mandate(
        &c,
        &[
            new_pass,
            ("MANDATE_BACKUP_PASSPHRASE", "not the backup phrase!!"),
        ],
        &["backup", "restore", file.to_str().unwrap()],
    );
    assert!(
        stderr(&out).contains("does not open this backup"),
        "{}",
        stderr(&out)
    );
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.mandate-backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = mandate(
        &c,
        &[new_pass, backup_pass],
        &["backup", "restore", cut.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cut short"), "{}", stderr(&out));
    assert!(!c.join("store.json").exists());
}

#[test]
fn export_writes_json_and_csv_for_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let pass = ("MANDATE_PASSPHRASE", "orchard lantern velvet quarry");
    assert!(
        mandate(
            &d,
            &[pass],
            &[
                "matter",
                "add",
                "--number",
                "EX-1",
                "--title",
                "Export, \"quoted\"",
                "--client",
                "C"
            ]
        )
        .status
        .success()
    );
    for format in ["json", "csv"] {
        let out = dir.path().join(format);
        let o = mandate(
            &d,
            &[pass],
            &["export", "--format", format, "--out", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        for kind in [
            "matters",
            "parties",
            "providers",
            "consents",
            "assignments",
            "deadlines",
        ] {
            assert!(
                out.join(format!("{kind}.{format}")).exists(),
                "{kind}.{format}"
            );
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("json/matters.json")).unwrap())
            .unwrap();
    assert_eq!(json[0]["title"], "Export, \"quoted\"");
    let csv = std::fs::read_to_string(dir.path().join("csv/matters.csv")).unwrap();
    assert!(csv.contains("\"Export, \"\"quoted\"\"\""), "{csv}");
}

#[test]
fn demo_fills_an_empty_store_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let pass = ("MANDATE_PASSPHRASE", "orchard lantern velvet quarry");
    let o = mandate(&d, &[pass], &["demo", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sum: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sum["matters"], 5);
    let o = mandate(&d, &[pass], &["deadline", "dashboard", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mandate(&d, &[pass], &["search", "zenith", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["matters"][0]["number"], "2026-0143");
    assert!(
        r["parties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Zenith Realty LLC")
    );
    let o = mandate(&d, &[pass], &["demo"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already holds matters"));
}

#[test]
fn a_first_run_with_no_dbus_session_at_all_leads_straight_to_a_passphrase_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let mut c = Command::new(env!("CARGO_BIN_EXE_mandate"));
    c.arg("--data-dir").arg(&d).args(["matter", "list"]);
    c.env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env_remove("MANDATE_PASSPHRASE")
        .env("XDG_RUNTIME_DIR", dir.path().join("no-runtime"));
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("MANDATE_PASSPHRASE"),
        "{}",
        stderr(&out)
    );
    assert!(
        !d.join("store.json").exists(),
        "nothing names a keyring that is not there"
    );

    // The next run, with a passphrase, makes a passphrase store at once.
    let pass = [("MANDATE_PASSPHRASE", "orchard lantern velvet quarry")];
    let out = mandate(
        &d,
        &pass,
        &[
            "matter",
            "add",
            "--number",
            "NK-1",
            "--title",
            "No keyring",
            "--client",
            "C",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = mandate(&d, &pass, &["matter", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("NK-1"));
}

#[test]
fn wrong_passphrases_slow_the_next_run_down() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let right = [("MANDATE_PASSPHRASE", "orchard lantern velvet quarry")];
    assert!(mandate(&d, &right, &["matter", "list"]).status.success());
    let wrong = [("MANDATE_PASSPHRASE", "not the passphrase at all")];
    let started = std::time::Instant::now();
    for _ in 0..2 {
        let out = mandate(&d, &wrong, &["matter", "list"]);
        assert!(stderr(&out).contains("does not open"), "{}", stderr(&out));
    }
    // 1 s after the first wrong one, 2 s after the second, each run on its own.
    assert!(started.elapsed() >= std::time::Duration::from_secs(3));
    assert!(d.join("unlock-attempts.json").exists());
    assert!(mandate(&d, &right, &["matter", "list"]).status.success());
    assert!(!d.join("unlock-attempts.json").exists());
}

#[test]
fn backup_inspect_verifies_the_header_only_with_the_backup_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let pass = ("MANDATE_PASSPHRASE", "orchard lantern velvet quarry");
    let backup_pass = (
        "MANDATE_BACKUP_PASSPHRASE",
        "backup phrase kept in the safe",
    );
    let file = dir.path().join("firm.mandate-backup");
    let out = mandate(
        &d,
        &[pass, backup_pass],
        &["backup", "create", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();

    // Without the passphrase: the data's checksum only, and the header unverified.
    let out = mandate(&d, &[], &["backup", "inspect", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("UNVERIFIED"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("OK"), "{}", stdout(&out));
    let out = mandate(
        &d,
        &[],
        &["backup", "inspect", file.to_str().unwrap(), "--json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verified"], false);
    assert_eq!(json["format"], 2);

    // With it (from the environment or a file): verified.
    let out = mandate(
        &d,
        &[backup_pass],
        &["backup", "inspect", file.to_str().unwrap(), "--json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verified"], true, "{}", stderr(&out));
    let pass_file = dir.path().join("backup-pass.txt");
    std::fs::write(&pass_file, format!("{}\n", backup_pass.1)).unwrap();
    let out = mandate(
        &d,
        &[],
        &[
            "backup",
            "inspect",
            file.to_str().unwrap(),
            "--backup-passphrase-file",
            pass_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Verified"), "{}", stdout(&out));

    // A header altered without the passphrase: unverified without it, refused with it.
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let created = text
        .split("\"created_at\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let forged_date = format!("19{}", &created[2..]);
    let start = bytes
        .windows(created.len())
        .position(|w| w == created.as_bytes())
        .unwrap();
    let mut forged = bytes.clone();
    forged[start..start + created.len()].copy_from_slice(forged_date.as_bytes());
    let forged_file = dir.path().join("forged.mandate-backup");
    std::fs::write(&forged_file, forged).unwrap();
    let out = mandate(
        &d,
        &[],
        &["backup", "inspect", forged_file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&forged_date), "{}", stdout(&out));
    assert!(stdout(&out).contains("UNVERIFIED"), "{}", stdout(&out));
    let out = mandate(
        &d,
        &[backup_pass],
        &["backup", "inspect", forged_file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("altered"), "{}", stderr(&out));
    let restored = dir.path().join("restored");
    let out = mandate(
        &restored,
        &[pass, backup_pass],
        &["backup", "restore", forged_file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("altered"), "{}", stderr(&out));
    assert!(
        !restored.exists(),
        "a refused restore leaves no folder behind"
    );
}
