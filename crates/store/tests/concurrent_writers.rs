//! Two processes (the window and the CLI, say) writing to one store at the same
//! time lose nothing and meet no "database is locked".
//!
//! This file is its own program: run plainly it starts two copies of itself with
//! `--writer`, each of which opens the store and adds its records one transaction
//! at a time; then it counts what arrived and checks the audit chain. The records
//! are a matter and then messages on one shared matter: adding a message reads
//! (does the matter exist?) before it writes, the case where a transaction that
//! does not take the write lock up front fails at once when the other process
//! wrote in between.

use std::path::Path;
use std::process::{Command, Stdio};

use mandate_core::{MatterDraft, MessageDraft};
use mandate_store::{KdfParams, Store};

const PASS: &str = "two writers, one passphrase";
/// Records each writer adds: one matter, then messages.
const EACH: usize = 1_000;

fn open(dir: &Path) -> Store {
    Store::open_with_passphrase_params(dir, PASS, KdfParams::with_costs(256, 1, 1))
        .expect("the store opens")
}

fn matter(number: &str) -> MatterDraft {
    MatterDraft {
        number: number.into(),
        title: format!("Matter {number}"),
        client_name: "Concurrent client".into(),
        ..Default::default()
    }
}

fn writer(dir: &Path, name: &str) {
    let mut store = open(dir);
    let shared = store.matter_by_number("SHARED").expect("set up").id;
    let mut errors = 0;
    for i in 0..EACH {
        let written = if i == 0 {
            store.create_matter(&matter(&format!("{name}-1"))).map(drop)
        } else {
            store
                .add_message(&MessageDraft {
                    matter_id: shared.clone(),
                    author: name.into(),
                    body: format!("message {i} from {name}"),
                    sent_at: None,
                })
                .map(drop)
        };
        if let Err(e) = written {
            eprintln!("{name}: record {i}: {}", e.message);
            errors += 1;
        }
    }
    std::process::exit(if errors == 0 { 0 } else { 1 });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--writer") {
        writer(Path::new(&args[pos + 1]), &args[pos + 2]);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        // `cargo test -- --list` asks every test binary for its tests.
        println!("two_processes_write_a_thousand_records_each: test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Made once, so both writers open an existing store.
    open(dir.path()).create_matter(&matter("SHARED")).unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|name| {
            Command::new(&exe)
                .arg("--writer")
                .arg(dir.path())
                .arg(name)
                .stderr(Stdio::piped())
                .spawn()
                .expect("a writer starts")
        })
        .collect();
    let mut failed = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            failed.push(err.lines().take(5).collect::<Vec<_>>().join("\n"));
        }
    }
    assert!(failed.is_empty(), "writers failed:\n{}", failed.join("\n"));
    let check = open(dir.path()).check().unwrap();
    assert_eq!(check.matters, 3, "{check:?}");
    assert_eq!(
        check.messages as usize,
        2 * (EACH - 1),
        "every message of both writers is there"
    );
    assert!(check.audit.intact, "{check:?}");
    assert_eq!(check.audit.records as usize, 2 * EACH + 1);
    println!(
        "two_processes_write_a_thousand_records_each: {} records, 0 lost, 0 errors",
        2 * EACH
    );
}
