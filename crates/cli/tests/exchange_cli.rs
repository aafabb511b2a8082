//! The exchange from the command line, both sides, through a real `mandate-relay`
//! over real TLS (a certificate from a CA this test makes), between two separate
//! passphrase stores: invite → join → verify → share a brief and a document → the
//! provider reads them, accepts, starts, delivers a file and a message → the firm
//! receives them. Also: the relay's files hold none of what was shared.
//!
//! The relay and its CA come from `common::relay`.

mod common;

use std::path::Path;

use common::passphrase::{mandate, ok_json};
use common::relay::{Env, any_file_contains, clear_for_sending};
use serde_json::Value;

fn run(dir: &Path, args: &[&str]) -> String {
    let out = mandate(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn sync(dir: &Path) -> Value {
    ok_json(dir, &["sync", "--once", "--json"])
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn firm_and_provider_exchange_an_engagement_through_a_real_relay() {
    let env = Env::new();
    let token = env.account();
    let relay = env.start_relay();
    let firm = env.dir.path().join("firm");
    let provider = env.dir.path().join("provider");
    let ca = env.ca_pem.to_str().unwrap();

    // The firm's side: a matter, a provider, a work order and a document.
    run(
        &firm,
        &[
            "matter",
            "add",
            "--number",
            "2026-014",
            "--title",
            "Wexley Holdings lease review",
            "--client",
            "Wexley Holdings",
        ],
    );
    run(
        &firm,
        &[
            "provider",
            "add",
            "--name",
            "Lexwell Review Ltd",
            "--country",
            "IN",
        ],
    );
    let a = ok_json(
        &firm,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-014",
            "--provider",
            "Lexwell Review Ltd",
            "--scope",
            "Review 40 leases for change-of-control clauses",
            "--due-on",
            "2027-01-12",
            "--supervisor",
            "Jane Smith",
            "--json",
        ],
    );
    let assignment = a["id"].as_str().unwrap().to_owned();
    let lease = env.dir.path().join("Lease 14.txt");
    std::fs::write(
        &lease,
        "Lease 14. SECRET-LEASE-MARKER-7731. Change of control requires consent.",
    )
    .unwrap();
    let doc = ok_json(
        &firm,
        &[
            "document",
            "add",
            "--matter",
            "2026-014",
            lease.to_str().unwrap(),
            "--json",
        ],
    );
    let version_id = doc["latest"]["id"].as_str().unwrap().to_owned();
    // A 50 MiB production set: it goes sealed from the store into a file and up, and
    // comes down into encrypted pieces, never whole in memory (docs/protocol.md).
    let scans = env.dir.path().join("Production scans.bin");
    let mut big = Vec::with_capacity(50 << 20);
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    while big.len() < 50 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        big.extend_from_slice(&x.to_le_bytes());
    }
    big[..23].copy_from_slice(b"SECRET-SCAN-MARKER-4410");
    std::fs::write(&scans, &big).unwrap();
    let scans_doc = ok_json(
        &firm,
        &[
            "document",
            "add",
            "--matter",
            "2026-014",
            scans.to_str().unwrap(),
            "--json",
        ],
    );
    let scans_version = scans_doc["latest"]["id"].as_str().unwrap().to_owned();
    run(&firm, &["identity", "name", "Jones & Park LLP"]);
    run(&provider, &["identity", "name", "Lexwell Review Ltd"]);

    // Invite, join, compare fingerprints.
    run(
        &firm,
        &[
            "relay",
            "add",
            &relay.url,
            "--account-token",
            &token,
            "--relay-ca",
            ca,
        ],
    );
    let invite = ok_json(
        &firm,
        &[
            "invite",
            "create",
            "--assignment",
            &assignment,
            "--relay",
            &relay.url,
            "--json",
        ],
    );
    let code = invite["code"].as_str().unwrap();
    let firm_fp = ok_json(&firm, &["identity", "show", "--json"])["fingerprint"].clone();
    let joined = ok_json(
        &provider,
        &["invite", "join", code, "--relay-ca", ca, "--json"],
    );
    assert_eq!(joined["firm"], "Jones & Park LLP");
    assert_eq!(joined["firm_fingerprints"][0], firm_fp);
    let engagement = joined["channel_id"].as_str().unwrap().to_owned();
    // An invite works once.
    let again = mandate(&provider, &["invite", "join", code, "--relay-ca", ca]);
    assert!(!again.status.success());

    sync(&firm);
    let status = ok_json(
        &firm,
        &["invite", "status", "--assignment", &assignment, "--json"],
    );
    let provider_member = status["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["side"] == "provider")
        .unwrap()
        .clone();
    let provider_fp = ok_json(&provider, &["identity", "show", "--json"])["fingerprint"].clone();
    assert_eq!(provider_member["fingerprint"], provider_fp);
    assert_eq!(provider_member["verified_at"], Value::Null);
    run(
        &firm,
        &[
            "invite",
            "verify",
            "--assignment",
            &assignment,
            provider_fp.as_str().unwrap(),
        ],
    );

    // The send guard blocks a send while the firm's file is incomplete: nothing is
    // queued, the ledger records the refusal, and the provider receives nothing of it.
    let blocked = mandate(
        &firm,
        &[
            "share",
            "--assignment",
            &assignment,
            "--brief",
            "--document",
            &version_id,
        ],
    );
    assert!(!blocked.status.success());
    let said = String::from_utf8_lossy(&blocked.stderr);
    assert!(said.contains("send guard blocked"), "{said}");
    assert!(said.contains("consent"), "{said}");
    let outbox = ok_json(&firm, &["outbox", "--all", "--json"]);
    assert!(
        !outbox.to_string().contains("Lease 14") && !outbox.to_string().contains("brief"),
        "{outbox}"
    );
    let ledger = ok_json(
        &firm,
        &["disclosure", "list", "--matter", "2026-014", "--json"],
    );
    assert_eq!(ledger[0]["decision"], "block", "{ledger}");
    sync(&firm);
    assert_eq!(
        sync(&provider)["received"],
        Value::Array(vec![]),
        "a blocked send reached the provider"
    );
    clear_for_sending(&firm, "2026-014", "Lexwell Review Ltd");

    // The firm sends the work order, then exactly the brief and the one document.
    run(
        &firm,
        &[
            "assignment",
            "move",
            &assignment,
            "--to",
            "sent",
            "--as",
            "firm",
        ],
    );
    let queued = ok_json(
        &firm,
        &[
            "share",
            "--assignment",
            &assignment,
            "--brief",
            "--document",
            &version_id,
            "--document",
            &scans_version,
            "--json",
        ],
    );
    assert_eq!(queued.as_array().unwrap().len(), 3);
    let report = sync(&firm);
    assert_eq!(report["sent"].as_array().unwrap().len(), 4, "{report}");
    assert_eq!(report["needs_attention"], Value::Array(vec![]));

    // The provider receives them and reads them.
    let report = sync(&provider);
    assert_eq!(report["rejected"], Value::Array(vec![]), "{report}");
    let received = strings(&report["received"]);
    assert!(
        received.iter().any(|r| r.starts_with("brief")),
        "{received:?}"
    );
    assert!(
        received.iter().any(|r| r.contains("Lease 14.txt")),
        "{received:?}"
    );
    let e = ok_json(&provider, &["engagement", "show", &engagement, "--json"]);
    assert_eq!(e["scope"], "Review 40 leases for change-of-control clauses");
    assert_eq!(e["due_on"], "2027-01-12");
    assert_eq!(e["status"], "sent");
    let doc_item = e["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "document")
        .unwrap()
        .clone();
    let copy = env.dir.path().join("received.txt");
    run(
        &provider,
        &[
            "engagement",
            "file",
            &engagement,
            doc_item["item_id"].as_str().unwrap(),
            "--out",
            copy.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&lease).unwrap()
    );
    let scans_item = e["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Production scans.bin")
        .expect("the 50 MiB document arrived")
        .clone();
    let scans_copy = env.dir.path().join("scans-received.bin");
    run(
        &provider,
        &[
            "engagement",
            "file",
            &engagement,
            scans_item["item_id"].as_str().unwrap(),
            "--out",
            scans_copy.to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::read(&scans_copy).unwrap() == big,
        "the 50 MiB document differs"
    );
    // Nothing of it is on either side's disk in plaintext: store folders, scratch
    // folders, write-ahead logs (the copy written on purpose is outside them).
    for side in [&firm, &provider] {
        assert!(
            !any_file_contains(side, b"SECRET-SCAN-MARKER-4410"),
            "{}",
            side.display()
        );
    }

    // The provider works: accepts, starts, delivers a memo and writes to the firm.
    run(
        &provider,
        &["engagement", "move", &engagement, "--to", "accepted"],
    );
    // `assignment move` works on a provider's install too: the engagement moves.
    run(
        &provider,
        &[
            "assignment",
            "move",
            &engagement,
            "--to",
            "in_progress",
            "--as",
            "provider",
        ],
    );
    let memo = env.dir.path().join("Memo on leases.txt");
    std::fs::write(
        &memo,
        "Memo: 3 of 40 leases need consent. SECRET-MEMO-MARKER-5521",
    )
    .unwrap();
    run(
        &provider,
        &[
            "deliver",
            "--assignment",
            &engagement,
            memo.to_str().unwrap(),
        ],
    );
    run(
        &provider,
        &[
            "message",
            "send",
            "--assignment",
            &engagement,
            "Memo attached; SECRET-MESSAGE-MARKER-9034.",
        ],
    );
    run(
        &provider,
        &["engagement", "move", &engagement, "--to", "delivered"],
    );
    let report = sync(&provider);
    assert_eq!(report["sent"].as_array().unwrap().len(), 5, "{report}");

    // The firm receives them into the matter.
    let report = sync(&firm);
    assert_eq!(report["rejected"], Value::Array(vec![]), "{report}");
    assert_eq!(report["received"].as_array().unwrap().len(), 5, "{report}");
    let a = ok_json(&firm, &["assignment", "show", &assignment, "--json"]);
    assert_eq!(a["status"], "delivered");
    let docs = ok_json(
        &firm,
        &["document", "list", "--matter", "2026-014", "--json"],
    );
    let delivered = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["owner"] == "provider")
        .expect("the deliverable is a document of the matter")
        .clone();
    assert_eq!(delivered["latest"]["file_name"], "Memo on leases.txt");
    let messages = ok_json(
        &firm,
        &["message", "list", "--matter", "2026-014", "--json"],
    );
    assert!(
        messages.to_string().contains("SECRET-MESSAGE-MARKER-9034"),
        "{messages}"
    );
    assert!(
        messages.to_string().contains("Lexwell Review Ltd"),
        "{messages}"
    );

    // The provider listed past what the firm sent (its second round), so the firm's
    // outbox shows every item as received by the provider.
    let outbox = ok_json(&firm, &["outbox", "--all", "--json"]);
    let states: Vec<&str> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert!(
        !states.is_empty() && states.iter().all(|s| *s == "received"),
        "{outbox}"
    );

    // A second sync moves nothing: each envelope was applied exactly once.
    assert_eq!(sync(&firm)["received"], Value::Array(vec![]));
    assert_eq!(sync(&provider)["received"], Value::Array(vec![]));

    // The audit chain is whole on both sides and its head, kept outside the
    // database, is written up to the newest record (also after a batch of receipts).
    for side in [&firm, &provider] {
        let verify = ok_json(side, &["audit", "verify", "--json"]);
        assert_eq!(
            (verify["intact"].clone(), verify["head_problem"].clone()),
            (Value::Bool(true), Value::Null),
            "{verify}"
        );
        let head: Value =
            serde_json::from_slice(&std::fs::read(side.join("audit-head.json")).unwrap()).unwrap();
        assert_eq!(head["seq"], verify["records"], "{head} {verify}");
    }

    // The ledger says what went, and the relay's files hold none of it.
    let ledger = ok_json(
        &firm,
        &["disclosure", "list", "--matter", "2026-014", "--json"],
    );
    assert!(ledger.to_string().contains("Lease 14.txt"), "{ledger}");
    // `mandate ledger`: in words, with the refused send and the recipients' keys.
    let rows = ok_json(&firm, &["ledger", "--matter", "2026-014", "--json"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows[0]["decision"], "block", "{rows:?}");
    assert_eq!(rows[0]["recipients"], serde_json::json!([]));
    let sent = rows
        .iter()
        .find(|r| r["decision"] == "allow" || r["decision"] == "allow_with_conditions")
        .expect("the allowed send");
    assert_eq!(sent["matter"], "2026-014");
    assert_eq!(sent["provider"], "Lexwell Review Ltd");
    assert_eq!(
        sent["recipients"],
        serde_json::json!([provider_fp]),
        "{sent}"
    );
    let csv = mandate(&firm, &["ledger", "--matter", "2026-014", "--csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("decided_at,matter,provider,"), "{csv}");
    assert!(
        csv.contains(provider_fp.as_str().unwrap()) && csv.contains("\"block\""),
        "{csv}"
    );
    // The client's report: a PDF that pdftotext reads back with the refused send,
    // the sent items and the consent they went under.
    let pdf = firm.join("Harrow report.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    run(&firm, &["ledger", "--matter", "2026-014", "--pdf", pdf_arg]);
    let text = pdf_text(&pdf);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Disclosure report",
        "2026-014",
        "Lexwell Review Ltd",
        "Lease 14.txt",
        "Stopped by the send guard",
        "Given 2026-01-03: Review",
        "email from the GC",
    ] {
        assert!(
            flat.contains(expected),
            "the report lacks {expected:?}:\n{text}"
        );
    }
    assert!(
        std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"),
        "a PDF file"
    );
    // An existing report is replaced only when asked.
    let again = mandate(&firm, &["ledger", "--matter", "2026-014", "--pdf", pdf_arg]);
    assert!(!again.status.success());
    run(
        &firm,
        &[
            "ledger",
            "--matter",
            "2026-014",
            "--pdf",
            pdf_arg,
            "--replace",
        ],
    );
    let verify = ok_json(&firm, &["audit", "verify", "--json"]);
    assert_eq!(verify["intact"], Value::Bool(true), "{verify}");
    for marker in [
        "SECRET-SCAN-MARKER-4410",
        "SECRET-LEASE-MARKER-7731",
        "SECRET-MEMO-MARKER-5521",
        "SECRET-MESSAGE-MARKER-9034",
        "change-of-control",
        "Wexley",
    ] {
        assert!(
            !any_file_contains(&env.relay_data(), marker.as_bytes()),
            "the relay's files hold {marker}"
        );
    }
    drop(relay);
}

/// The text of a PDF as `pdftotext` (poppler-utils, installed by scripts/setup.sh)
/// reads it.
fn pdf_text(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is missing: run scripts/setup.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_relay_with_an_untrusted_certificate_is_refused_and_nothing_is_kept() {
    let env = Env::new();
    let token = env.account();
    let relay = env.start_relay();
    let firm = env.dir.path().join("firm");
    run(
        &firm,
        &[
            "matter", "add", "--number", "2026-015", "--title", "T", "--client", "C",
        ],
    );
    run(&firm, &["provider", "add", "--name", "P"]);
    let a = ok_json(
        &firm,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-015",
            "--provider",
            "P",
            "--scope",
            "S",
            "--due-on",
            "2027-01-12",
            "--supervisor",
            "J",
            "--json",
        ],
    );
    // No CA given: the system's roots do not vouch for the test CA.
    run(
        &firm,
        &["relay", "add", &relay.url, "--account-token", &token],
    );
    let out = mandate(
        &firm,
        &[
            "invite",
            "create",
            "--assignment",
            a["id"].as_str().unwrap(),
            "--relay",
            &relay.url,
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("certificate"), "{err}");
    // A pin that is not the relay's certificate is refused the same way.
    run(
        &firm,
        &[
            "relay",
            "add",
            &relay.url,
            "--relay-cert-sha256",
            &"ab".repeat(32),
        ],
    );
    let out = mandate(
        &firm,
        &[
            "invite",
            "create",
            "--assignment",
            a["id"].as_str().unwrap(),
            "--relay",
            &relay.url,
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("certificate"));
    // And plain http is never used.
    let out = mandate(
        &firm,
        &["relay", "add", &relay.url.replace("https://", "http://")],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://"));
    drop(relay);
}
