//! Faults, with real processes: `kill -9` in the middle of a bulk import and in the
//! middle of a backup. After each, the store must be whole (integrity check, audit
//! chain), the import must finish on a second run without duplicating anything, and
//! the previous backup must still be there and valid.
//!
//! Passphrase stores, so no keyring is needed. Each test kills only the child it
//! started, and its temporary folder is removed even when an assertion fails.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const PASS: &str = "correct horse battery staple";
const BACKUP_PASS: &str = "a different backup passphrase";

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mandate"));
    c.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("MANDATE_PASSPHRASE", PASS)
        .env("MANDATE_BACKUP_PASSPHRASE", BACKUP_PASS);
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("mandate runs")
}

fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Kills the child on drop, so a failed assertion never leaves it running.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn check(dir: &Path) -> Value {
    let c = ok_json(dir, &["store", "check", "--json"]);
    assert_eq!(c["integrity"], serde_json::json!(["ok"]), "{c}");
    assert_eq!(c["audit"]["intact"], true, "{c}");
    c
}

const MATTERS: u64 = 20_000;
const MESSAGES: u64 = 150_000;
const BATCH: u64 = 50_000;

/// Starts `mandate generate` and kills it (SIGKILL) once its progress line says
/// at least `after` rows are done.
fn generate_and_kill(dir: &Path, after: u64) {
    let child = command(
        dir,
        &[
            "generate",
            "--matters",
            &MATTERS.to_string(),
            "--messages",
            &MESSAGES.to_string(),
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .expect("generate starts");
    let mut child = Killed(child);
    let mut err = child.0.stderr.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 256];
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let n = err.read(&mut buf).expect("read progress");
        assert!(n > 0, "generate ended before it could be killed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        // Progress lines look like "\rgenerating:  45% (76500/170000 rows)".
        let done = seen
            .rsplit('(')
            .find_map(|s| s.split('/').next()?.parse::<u64>().ok())
            .unwrap_or(0);
        if done >= after {
            break;
        }
        assert!(Instant::now() < deadline, "generate is too slow: {seen}");
    }
    child.0.kill().expect("kill -9");
    let status = child.0.wait().unwrap();
    assert!(!status.success(), "the import was killed, not finished");
}

#[test]
fn kill_9_during_an_import_then_during_a_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("store");
    // Create the store (and its matter 1) before the import.
    ok_json(
        &d,
        &[
            "matter", "add", "--number", "A-1", "--title", "Kept", "--client", "C", "--json",
        ],
    );

    // Kill in the middle of the second batch of messages: rows 70,001–120,000.
    generate_and_kill(&d, MATTERS + BATCH + BATCH / 5);
    let after_kill = check(&d);
    let matters = after_kill["matters"].as_u64().unwrap();
    let messages = after_kill["messages"].as_u64().unwrap();
    // Whole batches only: the matters (one batch) and a prefix of message batches.
    assert_eq!(matters, MATTERS + 1, "{after_kill}");
    assert_eq!(messages % BATCH, 0, "{after_kill}");
    assert!(messages < MESSAGES, "{after_kill}");

    // Running the same import again finishes it without duplicating a row.
    let report = ok_json(
        &d,
        &[
            "generate",
            "--matters",
            &MATTERS.to_string(),
            "--messages",
            &MESSAGES.to_string(),
            "--json",
        ],
    );
    assert_eq!(report["matters_inserted"], 0);
    assert_eq!(
        report["messages_inserted"].as_u64().unwrap(),
        MESSAGES - messages
    );
    let whole = check(&d);
    assert_eq!(whole["matters"].as_u64().unwrap(), MATTERS + 1);
    assert_eq!(whole["messages"].as_u64().unwrap(), MESSAGES);

    // A good backup first.
    let file: PathBuf = tmp.path().join("firm.mandate-backup");
    let out = run(&d, &["backup", "create", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = ok_json(&d, &["backup", "inspect", file.to_str().unwrap(), "--json"]);

    // Then kill a second backup to the same file while it copies the store.
    let partial = tmp.path().join("firm.mandate-backup.db.partial");
    // Without --replace a backup never overwrites a file.
    let refused = run(&d, &["backup", "create", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--replace"));
    let elsewhere = tmp.path().join("firm.backup");
    let refused = run(&d, &["backup", "create", elsewhere.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains(".mandate-backup"));
    assert!(!elsewhere.exists());
    let child = command(
        &d,
        &["backup", "create", file.to_str().unwrap(), "--replace"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let mut child = Killed(child);
    let started = Instant::now();
    while !partial.exists() {
        assert!(
            child.0.try_wait().unwrap().is_none(),
            "the backup finished before it could be killed"
        );
        assert!(started.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(Duration::from_millis(50));
    child.0.kill().unwrap();
    child.0.wait().unwrap();

    // The previous backup is untouched and still verifies; the store is whole.
    let after = ok_json(&d, &["backup", "inspect", file.to_str().unwrap(), "--json"]);
    assert_eq!(after, before);
    check(&d);

    // The next backup succeeds over the leftovers, and restores with everything.
    let out = run(
        &d,
        &["backup", "create", file.to_str().unwrap(), "--replace"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!partial.exists(), "the leftover copy is cleaned up");
    let restored = tmp.path().join("restored");
    let out = run(&restored, &["backup", "restore", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = check(&restored);
    assert_eq!(r["messages"].as_u64().unwrap(), MESSAGES);
    assert_eq!(r["matters"].as_u64().unwrap(), MATTERS + 1);
}
