//! The exchange under faults, with real processes over real TLS: a firm and a
//! provider (two passphrase stores driven through the `mandate` binary) on a real
//! `mandate-relay` (see `common::relay`).
//!
//! - envelopes forged with the provider's own relay access (tampered, signed by a
//!   stranger, replayed, for items the provider does not own, a status move it may not
//!   make) are refused with their stable code, change nothing, and do not block what
//!   comes after them;
//! - the relay killed with `kill -9` and restarted; a relay that answers 429; TCP
//!   connections cut in the middle of an upload: the items wait, and arrive once;
//! - `mandate sync` itself killed with `kill -9` while it sends and while it applies:
//!   each item arrives exactly once and both stores stay whole;
//! - a relay from before batch uploads (the relay's own routes, answering 405 to a
//!   batch): everything goes one by one, and arrives once.
//!
//! Wrong certificates and plain http:// are covered in `exchange_cli.rs`.
//!
//! Each test talks only to 127.0.0.1 and kills only the children it started (drop
//! guards, so also when an assertion fails); its temporary folder goes with it.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::response::IntoResponse;
use common::passphrase::{PASSPHRASE, command, mandate, ok_json};
use common::relay::{Env, any_file_contains, clear_for_sending};
use mandate_core::AssignmentStatus;
use mandate_core::exchange::ItemBody;
use mandate_protocol::{DeviceIdentity, Header, ItemKind, PublicKeys, seal};
use mandate_store::{ChannelAccess, Store};
use mandate_sync::RelayClient;
use serde_json::{Value, json};

const MATTER: &str = "2026-014";

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

fn len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// `mandate store check`: SQLite's integrity check and the audit chain (the command
/// exits non-zero otherwise, which `ok_json` refuses too).
fn check(dir: &Path) {
    let c = ok_json(dir, &["store", "check", "--json"]);
    assert_eq!(c["integrity"], json!(["ok"]), "{c}");
    assert_eq!(c["audit"]["intact"], true, "{c}");
    assert_eq!(c["files"], json!([]), "every file has all its parts: {c}");
}

fn outbox(dir: &Path) -> Vec<Value> {
    ok_json(dir, &["outbox", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

/// Sleeps until every queued item of `dir`'s outbox is due again.
fn wait_until_due(dir: &Path) {
    let latest = outbox(dir)
        .iter()
        .filter_map(|e| e["next_attempt_at"].as_str())
        .map(|t| t.parse::<jiff::Timestamp>().unwrap())
        .max();
    if let Some(at) = latest {
        let ms = at.as_millisecond() - jiff::Timestamp::now().as_millisecond();
        if ms > 0 {
            assert!(ms < 20_000, "a retry {ms} ms away is longer than expected");
            std::thread::sleep(Duration::from_millis(ms as u64 + 50));
        }
    }
}

/// Bytes that differ from every other call's (`seed`) and compress badly.
fn noise(size: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(size + 8);
    while out.len() < size {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(size);
    out
}

/// A firm and a provider engaged on one assignment: invite, join, fingerprints
/// verified, the brief and one document shared, both synced.
struct Engaged {
    root: PathBuf,
    firm: PathBuf,
    provider: PathBuf,
    assignment: String,
    /// The channel's id, which is also the provider's engagement id.
    engagement: String,
    /// The firm's document that was shared.
    document: String,
}

impl Engaged {
    fn new(env: &Env, relay_url: &str) -> Engaged {
        let token = env.account();
        let root = env.path().to_owned();
        let firm = root.join("firm");
        let provider = root.join("provider");
        let ca = env.ca();
        run(
            &firm,
            &[
                "matter",
                "add",
                "--number",
                MATTER,
                "--title",
                "Wexley Holdings lease review",
                "--client",
                "Wexley Holdings",
            ],
        );
        run(&firm, &["provider", "add", "--name", "Lexwell Review Ltd"]);
        let a = ok_json(
            &firm,
            &[
                "assignment",
                "add",
                "--matter",
                MATTER,
                "--provider",
                "Lexwell Review Ltd",
                "--scope",
                "Review 40 leases",
                "--due-on",
                "2027-01-12",
                "--supervisor",
                "Jane Smith",
                "--json",
            ],
        );
        let assignment = a["id"].as_str().unwrap().to_owned();
        let lease = root.join("Lease 14.txt");
        std::fs::write(&lease, "Lease 14. Change of control requires consent.").unwrap();
        let doc = ok_json(
            &firm,
            &[
                "document",
                "add",
                "--matter",
                MATTER,
                lease.to_str().unwrap(),
                "--json",
            ],
        );
        let document = doc["id"].as_str().unwrap().to_owned();
        let version = doc["latest"]["id"].as_str().unwrap().to_owned();
        run(&firm, &["identity", "name", "Jones & Park LLP"]);
        run(&provider, &["identity", "name", "Lexwell Review Ltd"]);
        run(
            &firm,
            &[
                "relay",
                "add",
                relay_url,
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
                relay_url,
                "--json",
            ],
        );
        let joined = ok_json(
            &provider,
            &[
                "invite",
                "join",
                invite["code"].as_str().unwrap(),
                "--relay-ca",
                ca,
                "--json",
            ],
        );
        let engagement = joined["channel_id"].as_str().unwrap().to_owned();
        sync(&firm);
        let provider_fp = ok_json(&provider, &["identity", "show", "--json"])["fingerprint"]
            .as_str()
            .unwrap()
            .to_owned();
        run(
            &firm,
            &[
                "invite",
                "verify",
                "--assignment",
                &assignment,
                &provider_fp,
            ],
        );
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
        clear_for_sending(&firm, MATTER, "Lexwell Review Ltd");
        run(
            &firm,
            &[
                "share",
                "--assignment",
                &assignment,
                "--brief",
                "--document",
                &version,
            ],
        );
        let report = sync(&firm);
        assert_eq!(len(&report["sent"]), 3, "{report}");
        let report = sync(&provider);
        assert_eq!(len(&report["received"]), 3, "{report}");
        assert_eq!(len(&report["rejected"]), 0, "{report}");
        Engaged {
            root,
            firm,
            provider,
            assignment,
            engagement,
            document,
        }
    }

    fn deliver(&self, name: &str, bytes: &[u8]) {
        let path = self.root.join(name);
        std::fs::write(&path, bytes).unwrap();
        run(
            &self.provider,
            &[
                "deliver",
                "--assignment",
                &self.engagement,
                path.to_str().unwrap(),
            ],
        );
    }

    fn provider_says(&self, text: &str) {
        run(
            &self.provider,
            &["message", "send", "--assignment", &self.engagement, text],
        );
    }

    fn provider_moves(&self, to: &str) {
        run(
            &self.provider,
            &["engagement", "move", &self.engagement, "--to", to],
        );
    }

    fn firm_status(&self) -> Value {
        ok_json(
            &self.firm,
            &["assignment", "show", &self.assignment, "--json"],
        )["status"]
            .clone()
    }

    fn firm_documents(&self) -> Value {
        ok_json(
            &self.firm,
            &["document", "list", "--matter", MATTER, "--json"],
        )
    }

    /// The deliverables the firm holds: the matter's documents the provider owns.
    fn firm_deliverables(&self) -> Vec<Value> {
        self.firm_documents()
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["owner"] == "provider")
            .cloned()
            .collect()
    }

    /// The matter's messages (these tests hold fewer than one page of 200).
    fn firm_messages(&self) -> Value {
        let page = ok_json(
            &self.firm,
            &[
                "message", "list", "--matter", MATTER, "--limit", "200", "--json",
            ],
        );
        assert_eq!(page["next"], Value::Null);
        page["items"].clone()
    }

    /// How many of the firm's messages say `text`.
    fn firm_messages_saying(&self, text: &str) -> usize {
        self.firm_messages()
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m.to_string().contains(text))
            .count()
    }

    /// The bytes of the firm's copy of a document version.
    fn firm_file(&self, version: &str) -> Vec<u8> {
        let out = self.root.join(format!("copy-{version}"));
        run(
            &self.firm,
            &["document", "get", version, "--out", out.to_str().unwrap()],
        );
        std::fs::read(out).unwrap()
    }
}

/// One child `mandate` process, killed and reaped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ---- 1. forged envelopes ----

/// Whoever holds the provider's relay access and keys (a stolen laptop, malware),
/// writing envelopes by hand: the test opens the provider's store in-process (no
/// `mandate` runs on it meanwhile) for its keys, access token and the channel's
/// recipients, seals with `mandate_protocol::seal` and uploads with the sync
/// engine's own relay client.
struct Forger {
    me: DeviceIdentity,
    access: ChannelAccess,
    recipients: Vec<PublicKeys>,
    client: RelayClient,
    runtime: tokio::runtime::Runtime,
    next: usize,
}

impl Forger {
    fn of_provider(e: &Engaged) -> Forger {
        let mut store = Store::open_with_passphrase(&e.provider, PASSPHRASE).unwrap();
        let me = store.device_identity().unwrap();
        let access = store.channel_access(&e.engagement).unwrap();
        let recipients = store.channel_recipients(&e.engagement).unwrap();
        let client = RelayClient::new(&access.relay).unwrap();
        Forger {
            me,
            access,
            recipients,
            client,
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            next: 0,
        }
    }

    /// An envelope with a fresh id carrying `content` as `item`, signed by `signer`
    /// (the provider's own key unless given).
    fn seal(
        &mut self,
        signer: Option<&DeviceIdentity>,
        item: &str,
        kind: ItemKind,
        revision: u64,
        content: &[u8],
    ) -> (String, Vec<u8>) {
        let signer = signer.unwrap_or(&self.me);
        self.next += 1;
        let envelope = format!(
            "forged-{}-{}",
            self.next,
            jiff::Timestamp::now().as_microsecond()
        );
        let header = Header {
            v: 1,
            envelope: envelope.clone(),
            channel: self.access.id.clone(),
            item: item.to_owned(),
            kind,
            revision,
            sender: signer.key_id(),
            created: jiff::Timestamp::now().as_millisecond(),
        };
        let recipients: Vec<&PublicKeys> = self.recipients.iter().collect();
        let mut out = Vec::new();
        seal(&header, content, &recipients, signer, &mut out).unwrap();
        (envelope, out)
    }

    fn put(&self, envelope: &str, bytes: Vec<u8>) {
        let stored = self
            .runtime
            .block_on(self.client.put_envelope(
                &self.access.id,
                &self.access.access_token,
                envelope,
                bytes,
            ))
            .expect("the relay stores what a member uploads: it cannot read it");
        assert!(stored, "{envelope} was new");
    }
}

fn message_body(text: &str) -> Vec<u8> {
    serde_json::to_vec(&ItemBody::Message {
        author: "Lexwell Review Ltd".into(),
        text: text.into(),
        sent_at: jiff::Timestamp::now().to_string(),
    })
    .unwrap()
}

fn replace_once(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("the pattern is in the envelope");
    bytes[at..at + to.len()].copy_from_slice(to);
}

#[test]
fn forged_envelopes_are_refused_with_their_code_and_change_nothing() {
    let env = Env::new();
    let relay = env.start_relay();
    let e = Engaged::new(&env, &relay.url);

    // A real deliverable first, and the engagement delivered: the firm holds
    // revision 1 of the deliverable, and the next move (approve) is the firm's.
    e.provider_moves("accepted");
    e.provider_moves("in_progress");
    e.deliver("Memo on leases.txt", b"Memo: 3 of 40 leases need consent.");
    e.provider_moves("delivered");
    assert_eq!(len(&sync(&e.provider)["sent"]), 4);
    let report = sync(&e.firm);
    assert_eq!(len(&report["received"]), 4, "{report}");
    assert_eq!(e.firm_status(), "delivered");
    let engagement = ok_json(
        &e.provider,
        &["engagement", "show", &e.engagement, "--json"],
    );
    let deliverable = engagement["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "deliverable")
        .unwrap()["item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = (e.firm_status(), e.firm_documents(), e.firm_messages());

    let mut forger = Forger::of_provider(&e);
    let mut expected: Vec<(String, &str)> = Vec::new();
    // (a) A byte of the ciphertext flipped.
    let (id, mut bytes) = forger.seal(
        None,
        "forged-a",
        ItemKind::Message,
        1,
        &message_body("FORGED-A"),
    );
    let at = bytes.len() - 64 - 20;
    bytes[at] ^= 0x01;
    forger.put(&id, bytes);
    expected.push((id, "bad_signature"));
    // (b) The clear header changed, same length: another item id.
    let (id, mut bytes) = forger.seal(
        None,
        "forged-b1",
        ItemKind::Message,
        1,
        &message_body("FORGED-B"),
    );
    replace_once(&mut bytes, b"\"forged-b1\"", b"\"forged-b2\"");
    forger.put(&id, bytes);
    expected.push((id, "bad_signature"));
    // (c) Signed by a key that is no member of the channel.
    let stranger = DeviceIdentity::generate();
    let (id, bytes) = forger.seal(
        Some(&stranger),
        "forged-c",
        ItemKind::Message,
        1,
        &message_body("FORGED-C"),
    );
    forger.put(&id, bytes);
    expected.push((id, "unknown_sender"));
    // (d) The deliverable the firm holds, again at revision 1, under a new envelope id.
    let file = b"replayed bytes";
    let mut content = serde_json::to_vec(&ItemBody::File {
        title: "Memo on leases".into(),
        file_name: "Memo on leases.txt".into(),
        media_type: "text/plain".into(),
        version: 1,
        size: file.len() as i64,
        sha256: String::new(),
    })
    .unwrap();
    content.push(b'\n');
    content.extend_from_slice(file);
    let (id, bytes) = forger.seal(None, &deliverable, ItemKind::Deliverable, 1, &content);
    forger.put(&id, bytes);
    expected.push((id, "stale_revision"));
    // (e) The provider writing the firm's brief and the firm's document.
    let brief = serde_json::to_vec(&ItemBody::Brief {
        scope: "FORGED-E: no review needed".into(),
        instructions: None,
        due_on: "2030-01-01".into(),
        status: AssignmentStatus::Approved,
    })
    .unwrap();
    let (id, bytes) = forger.seal(
        None,
        &format!("brief-{}", e.assignment),
        ItemKind::Brief,
        9,
        &brief,
    );
    forger.put(&id, bytes);
    expected.push((id, "not_owner"));
    let (id, bytes) = forger.seal(None, &e.document, ItemKind::Document, 2, &content);
    forger.put(&id, bytes);
    expected.push((id, "not_owner"));
    // (f) A move only the firm may make: the provider approving its own work.
    let status = serde_json::to_vec(&ItemBody::Status {
        from: AssignmentStatus::Delivered,
        to: AssignmentStatus::Approved,
    })
    .unwrap();
    let (id, bytes) = forger.seal(None, "status-forged-f", ItemKind::Status, 1, &status);
    forger.put(&id, bytes);
    expected.push((id, "not_applicable"));
    drop(forger);

    let report = sync(&e.firm);
    assert_eq!(len(&report["received"]), 0, "{report}");
    let refused: Vec<(String, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["envelope_id"].as_str().unwrap().to_owned(),
                r["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(id, code)| (id, code.to_owned()))
        .collect();
    assert_eq!(refused, expected, "{report}");

    // Nothing changed on the firm's side, and the store is whole.
    let after = (e.firm_status(), e.firm_documents(), e.firm_messages());
    assert_eq!(after, before);
    assert_eq!(e.firm_status(), "delivered");
    for marker in ["FORGED-A", "FORGED-B", "FORGED-C", "FORGED-E", "replayed"] {
        assert!(!after.2.to_string().contains(marker), "{marker}");
        assert!(!after.1.to_string().contains(marker), "{marker}");
    }
    check(&e.firm);

    // The refused envelopes do not block the queue: a genuine message after them
    // arrives, and the refusals are not reported again.
    e.provider_says("Genuine message after the forgeries.");
    assert_eq!(len(&sync(&e.provider)["sent"]), 1);
    let report = sync(&e.firm);
    assert_eq!(strings(&report["received"]).len(), 1, "{report}");
    assert_eq!(len(&report["rejected"]), 0, "{report}");
    assert_eq!(
        e.firm_messages_saying("Genuine message after the forgeries."),
        1
    );
    assert_eq!(sync(&e.firm)["received"], json!([]));
    check(&e.firm);
    check(&e.provider);
    drop(relay);
}

// ---- 2. the relay killed and restarted ----

#[test]
fn items_wait_while_the_relay_is_down_and_arrive_once_after_its_restart() {
    let env = Env::new();
    let relay = env.start_relay();
    let port = relay.port();
    let e = Engaged::new(&env, &relay.url);
    e.provider_says("Sent while the relay was down.");
    let memo = noise(100_000, 2);
    e.deliver("Memo.bin", &memo);

    relay.kill();
    let report = sync(&e.provider);
    assert_eq!(len(&report["sent"]), 0, "{report}");
    assert_eq!(len(&report["needs_attention"]), 0, "{report}");
    let waiting = strings(&report["waiting"]);
    assert!(
        waiting.iter().any(|w| w.starts_with("message")),
        "{waiting:?}"
    );
    assert!(
        waiting
            .iter()
            .any(|w| w.starts_with("deliverable Memo.bin")),
        "{waiting:?}"
    );
    let queued = outbox(&e.provider);
    assert_eq!(queued.len(), 2, "{queued:?}");
    for entry in &queued {
        assert_eq!(entry["state"], "queued", "{entry}");
        assert!(entry["last_error"].is_string(), "{entry}");
        assert!(entry["next_attempt_at"].is_string(), "{entry}");
    }

    let relay = env.start_relay_on(port, &[]);
    wait_until_due(&e.provider);
    let report = sync(&e.provider);
    assert_eq!(len(&report["sent"]), 2, "{report}");
    assert!(outbox(&e.provider).is_empty());

    let report = sync(&e.firm);
    assert_eq!(len(&report["received"]), 2, "{report}");
    assert_eq!(len(&report["rejected"]), 0, "{report}");
    assert_eq!(sync(&e.firm)["received"], json!([]));
    let delivered = e.firm_deliverables();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    assert_eq!(
        e.firm_file(delivered[0]["latest"]["id"].as_str().unwrap()),
        memo
    );
    assert_eq!(e.firm_messages_saying("Sent while the relay was down."), 1);
    // What the killed and restarted relay kept on disk is ciphertext only.
    assert!(!any_file_contains(
        &env.relay_data(),
        b"Sent while the relay was down."
    ));
    assert!(!any_file_contains(&env.relay_data(), &memo[..64]));
    check(&e.firm);
    check(&e.provider);
    drop(relay);
}

// ---- 3. 429 with Retry-After ----

#[test]
fn a_rate_limited_relay_makes_items_wait_never_fail() {
    let env = Env::new();
    let relay = env.start_relay();
    let port = relay.port();
    let e = Engaged::new(&env, &relay.url);
    // The relay restarts with a limit of 30 requests a minute per token (buckets
    // start full): one sync of 40 messages goes past it. Each message is over 64 KiB,
    // more than a batch upload takes, so each goes by a PUT of its own.
    relay.kill();
    let relay = env.start_relay_on(port, &["--rate-limit-per-minute", "30"]);
    const MESSAGES: usize = 40;
    let padding = "Exhibit list follows. ".repeat(3_200);
    {
        let mut store = Store::open_with_passphrase(&e.provider, PASSPHRASE).unwrap();
        for n in 0..MESSAGES {
            store
                .send_exchange_message(&e.engagement, &format!("Batch message {n:02}. {padding}"))
                .unwrap();
        }
    }
    let report = sync(&e.provider);
    assert_eq!(len(&report["needs_attention"]), 0, "{report}");
    let sent = len(&report["sent"]);
    let waiting = strings(&report["waiting"])
        .into_iter()
        .filter(|w| w.starts_with("message"))
        .count();
    assert!(sent >= 20 && waiting >= 5, "{report}");
    assert_eq!(sent + waiting, MESSAGES, "{report}");
    for entry in outbox(&e.provider) {
        assert_eq!(entry["state"], "queued", "{entry}");
        assert!(
            entry["last_error"].as_str().unwrap().contains("429"),
            "{entry}"
        );
    }

    // The operator lifts the limit; once Retry-After has passed the rest goes.
    relay.kill();
    let relay = env.start_relay_on(port, &[]);
    wait_until_due(&e.provider);
    let report = sync(&e.provider);
    assert_eq!(len(&report["needs_attention"]), 0, "{report}");
    assert_eq!(len(&report["sent"]), waiting, "{report}");
    assert!(outbox(&e.provider).is_empty());

    let report = sync(&e.firm);
    assert_eq!(len(&report["received"]), MESSAGES, "{report}");
    assert_eq!(sync(&e.firm)["received"], json!([]));
    let held = e.firm_messages().to_string();
    for n in 0..MESSAGES {
        assert_eq!(
            held.matches(&format!("Batch message {n:02}.")).count(),
            1,
            "message {n}"
        );
    }
    check(&e.firm);
    check(&e.provider);
    drop(relay);
}

// ---- 4. connections cut in the middle of an upload ----

/// A TCP proxy on 127.0.0.1 in front of the relay (TLS passes through it untouched,
/// so the relay's certificate still names 127.0.0.1). While `cuts` is above zero, a
/// connection that has carried `cut_after` bytes towards the relay is cut both ways
/// and `cuts` goes down by one.
struct Proxy {
    port: u16,
    cuts: Arc<AtomicUsize>,
    /// While above zero, a new connection is answered "500 Internal Server Error" by
    /// the proxy itself (it ends TLS with the relay's own certificate) and the count
    /// goes down by one.
    fail500: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    accepting: Option<JoinHandle<()>>,
}

impl Proxy {
    fn start(env: &Env, relay_port: u16, cut_after: usize) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let cuts = Arc::new(AtomicUsize::new(0));
        let fail500 = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let tls = server_tls(env);
        let accepting = {
            let (cuts, fail500, stop) = (cuts.clone(), fail500.clone(), stop.clone());
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if fail500
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |c| c.checked_sub(1))
                        .is_ok()
                    {
                        if let Ok(client) = client {
                            let tls = tls.clone();
                            std::thread::spawn(move || answer_500(client, tls));
                        }
                        continue;
                    }
                    let (Ok(client), Ok(relay)) =
                        (client, TcpStream::connect(("127.0.0.1", relay_port)))
                    else {
                        continue;
                    };
                    let cuts = cuts.clone();
                    std::thread::spawn(move || forward(client, relay, &cuts, cut_after));
                }
            })
        };
        Proxy {
            port,
            cuts,
            fail500,
            stop,
            accepting: Some(accepting),
        }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.accepting.take() {
            let _ = t.join();
        }
    }
}

/// A TLS server config presenting the relay's own certificate (it names 127.0.0.1).
fn server_tls(env: &Env) -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let (cert, key) = env.tls_files();
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(&std::fs::read(cert).unwrap())
            .map(Result::unwrap)
            .collect();
    let key = PrivateKeyDer::from_pem_slice(&std::fs::read(key).unwrap()).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap(),
    )
}

/// Reads one request's head over TLS and answers 500, as a relay in trouble would.
fn answer_500(client: TcpStream, tls: Arc<rustls::ServerConfig>) {
    let Ok(conn) = rustls::ServerConnection::new(tls) else {
        return;
    };
    let mut stream = rustls::StreamOwned::new(conn, client);
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let body = r#"{"error":{"code":"internal","message":"The relay failed; try again later."}}"#;
    let _ = write!(
        stream,
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.conn.send_close_notify();
    let _ = stream.flush();
}

fn forward(mut client: TcpStream, mut relay: TcpStream, cuts: &AtomicUsize, cut_after: usize) {
    let downstream = {
        let (mut from, mut to) = (relay.try_clone().unwrap(), client.try_clone().unwrap());
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Write);
        })
    };
    let mut carried = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        carried += n;
        if carried >= cut_after
            && cuts
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |c| c.checked_sub(1))
                .is_ok()
        {
            let _ = client.shutdown(Shutdown::Both);
            let _ = relay.shutdown(Shutdown::Both);
            break;
        }
        if relay.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = relay.shutdown(Shutdown::Write);
    let _ = downstream.join();
}

#[test]
fn an_upload_cut_mid_body_is_sent_again_and_arrives_once() {
    let env = Env::new();
    let relay = env.start_relay();
    let proxy = Proxy::start(&env, relay.port(), 512 * 1024);
    // Both sides know the relay by the proxy's address.
    let e = Engaged::new(&env, &proxy.url());
    let annex = noise(2 * 1024 * 1024, 4);
    e.deliver("Annex.bin", &annex);

    proxy.cuts.store(2, Ordering::SeqCst);
    let mut cut_syncs = 0;
    let mut sent = 0;
    for _ in 0..4 {
        let report = sync(&e.provider);
        assert_eq!(len(&report["needs_attention"]), 0, "{report}");
        sent = len(&report["sent"]);
        if sent == 1 {
            break;
        }
        assert!(
            strings(&report["waiting"])
                .iter()
                .any(|w| w.starts_with("deliverable Annex.bin")),
            "{report}"
        );
        cut_syncs += 1;
        wait_until_due(&e.provider);
    }
    assert_eq!(sent, 1, "the deliverable went after the cuts");
    assert!(cut_syncs >= 1);
    assert_eq!(proxy.cuts.load(Ordering::SeqCst), 0, "both cuts happened");

    let report = sync(&e.firm);
    assert_eq!(strings(&report["received"]).len(), 1, "{report}");
    assert_eq!(sync(&e.firm)["received"], json!([]));
    let delivered = e.firm_deliverables();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    assert_eq!(
        e.firm_file(delivered[0]["latest"]["id"].as_str().unwrap()),
        annex
    );
    check(&e.firm);
    check(&e.provider);
    drop(proxy);
    drop(relay);
}

// ---- 5. `mandate sync` killed with kill -9 ----

/// Starts `mandate sync` on `dir` and kills it with SIGKILL as soon as `now()` says
/// so (asked every 2 ms). Returns whether it was killed (false: it finished first).
fn sync_killed_when(dir: &Path, mut now: impl FnMut() -> bool) -> bool {
    let child = command(dir, &["sync", "--once", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let start = Instant::now();
    loop {
        if running.0.try_wait().unwrap().is_some() {
            return false;
        }
        if now() {
            running.0.kill().unwrap();
            running.0.wait().unwrap();
            return true;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "sync hangs");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn after(ms: u64) -> impl FnMut() -> bool {
    let start = Instant::now();
    move || start.elapsed() >= Duration::from_millis(ms)
}

/// The files in `dir` (none if it does not exist) and the size of the largest.
fn files_in(dir: &Path) -> (usize, u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, 0);
    };
    entries
        .filter_map(|e| e.ok()?.metadata().ok())
        .fold((0, 0), |(n, max), m| (n + 1, max.max(m.len())))
}

#[test]
fn sync_killed_while_sending_or_applying_delivers_exactly_once() {
    let env = Env::new();
    let relay = env.start_relay();
    let e = Engaged::new(&env, &relay.url);
    let big = noise(30 * 1024 * 1024, 5);
    e.deliver("Data room export.bin", &big);
    e.provider_says("The export is attached.");
    let uploading = env.relay_data().join("tmp");
    let stored = env.relay_data().join("envelopes").join(&e.engagement);
    let stored_before = files_in(&stored).0;

    // The provider's sync is killed while it unlocks the store and seals; in the
    // middle of the upload (the relay streams it into tmp/); and just after the relay
    // committed it, usually before the client noted it as sent (the next upload of
    // the same envelope id then meets 409, which counts as delivered).
    assert!(sync_killed_when(&e.provider, after(150)));
    check(&e.provider);
    assert!(sync_killed_when(&e.provider, || files_in(&uploading).1 > 4 * 1024 * 1024));
    check(&e.provider);
    assert_eq!(files_in(&stored).0, stored_before, "nothing was committed");
    assert!(sync_killed_when(&e.provider, || files_in(&stored).0 > stored_before));
    check(&e.provider);
    let report = sync(&e.provider);
    assert_eq!(len(&report["needs_attention"]), 0, "{report}");
    assert!(outbox(&e.provider).is_empty(), "{report}");
    // The deliverable is a file on the relay; the message, small, is in its row.
    assert_eq!(
        files_in(&stored).0,
        stored_before + 1,
        "one file for the deliverable"
    );

    // The firm's sync is killed while it unlocks the store; while it writes the
    // deliverable into its store (the write-ahead log grows past 8 MiB inside that
    // transaction); and once more a little later (downloading, checking or applying,
    // or done: whichever it is by then).
    let wal = e.firm.join("mandate.db-wal");
    let wal_len = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert!(wal_len() < 8 * 1024 * 1024);
    assert!(sync_killed_when(&e.firm, after(150)));
    check(&e.firm);
    assert!(sync_killed_when(&e.firm, || wal_len() > 8 * 1024 * 1024));
    check(&e.firm);
    sync_killed_when(&e.firm, after(300));
    check(&e.firm);
    let report = sync(&e.firm);
    assert_eq!(len(&report["rejected"]), 0, "{report}");
    assert_eq!(sync(&e.firm)["received"], json!([]));

    let delivered = e.firm_deliverables();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    assert_eq!(
        e.firm_file(delivered[0]["latest"]["id"].as_str().unwrap()),
        big
    );
    assert_eq!(e.firm_messages_saying("The export is attached."), 1);
    check(&e.firm);
    check(&e.provider);
    drop(relay);
}

// ---- 6. sync without --once keeps running ----

#[test]
fn sync_without_once_runs_round_after_round_and_picks_up_new_work() {
    let env = Env::new();
    let relay = env.start_relay();
    let e = Engaged::new(&env, &relay.url);
    // The firm leaves `mandate sync` running, one round a second, JSON Lines.
    let mut watcher = Running(
        command(&e.firm, &["sync", "--every", "1", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = watcher.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Meanwhile the provider writes (the store takes both processes at once).
    run(
        &e.provider,
        &[
            "message",
            "send",
            "--assignment",
            &e.engagement,
            "Started on the leases.",
        ],
    );
    sync(&e.provider);
    let deadline = Instant::now() + Duration::from_secs(30);
    let got = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the running sync reports each round");
        let report: Value = serde_json::from_str(&line).expect("one JSON report per line");
        if report["received"].as_array().is_some_and(|r| !r.is_empty()) {
            break report;
        }
    };
    assert!(
        got["received"][0].as_str().unwrap().starts_with("message"),
        "{got}"
    );
    drop(watcher);
    assert_eq!(e.firm_messages_saying("Started on the leases."), 1);
    drop(relay);
}

// ---- 7. the relay answers 500 ----

#[test]
fn server_errors_make_items_wait_and_they_arrive_once() {
    let env = Env::new();
    let relay = env.start_relay();
    let proxy = Proxy::start(&env, relay.port(), usize::MAX);
    let e = Engaged::new(&env, &proxy.url());
    run(
        &e.provider,
        &[
            "message",
            "send",
            "--assignment",
            &e.engagement,
            "Draft memo by Friday.",
        ],
    );
    // The next connections are answered 500 by the relay's front.
    proxy.fail500.store(3, Ordering::SeqCst);
    let report = sync(&e.provider);
    assert_eq!(len(&report["needs_attention"]), 0, "{report}");
    assert_eq!(len(&report["sent"]), 0, "{report}");
    assert!(
        strings(&report["waiting"])
            .iter()
            .any(|w| w.contains("500")),
        "{report}"
    );
    let queued = outbox(&e.provider);
    assert_eq!(queued.len(), 1);
    assert!(
        queued[0]["last_error"].as_str().unwrap().contains("500"),
        "{}",
        queued[0]
    );

    // Later rounds go through once the relay answers again.
    let mut sent = 0;
    for _ in 0..5 {
        wait_until_due(&e.provider);
        let report = sync(&e.provider);
        assert_eq!(len(&report["needs_attention"]), 0, "{report}");
        sent += len(&report["sent"]);
        if sent == 1 {
            break;
        }
    }
    assert_eq!(sent, 1);
    assert_eq!(
        proxy.fail500.load(Ordering::SeqCst),
        0,
        "every 500 was served"
    );
    sync(&e.firm);
    assert_eq!(sync(&e.firm)["received"], json!([]));
    assert_eq!(e.firm_messages_saying("Draft memo by Friday."), 1);
    check(&e.firm);
    check(&e.provider);
    drop(proxy);
    drop(relay);
}

/// The relay's own routes and storage, served in this process over the test's TLS,
/// as a relay from before batch uploads answers: 405 to `POST …/envelopes`. Counts
/// the batches it turned away; stops when dropped.
struct RelayWithoutBatches {
    url: String,
    refused: Arc<AtomicUsize>,
    handle: axum_server::Handle<std::net::SocketAddr>,
    serving: Option<JoinHandle<()>>,
}

impl RelayWithoutBatches {
    fn start(env: &Env) -> RelayWithoutBatches {
        use mandate_relay::api::{AppState, Limits, router};
        let (cert, key) = env.tls_files();
        let tls = mandate_relay::tls::load(
            &mandate_relay::tls::TlsSource::Files {
                cert: cert.to_owned(),
                key: key.to_owned(),
            },
            &env.relay_data(),
        )
        .unwrap();
        let store = mandate_relay::store::SqliteStore::open(&env.relay_data()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let refused = Arc::new(AtomicUsize::new(0));
        let handle = axum_server::Handle::new();
        let serving = {
            let (refused, handle) = (refused.clone(), handle.clone());
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    let state = Arc::new(AppState {
                        store,
                        limits: Limits {
                            max_envelope_bytes: 256 * 1024 * 1024,
                        },
                        limiter: mandate_relay::ratelimit::RateLimiter::new(100_000),
                    });
                    let app = router(state).layer(axum::middleware::from_fn(
                        move |req: axum::extract::Request, next: axum::middleware::Next| {
                            let refused = refused.clone();
                            async move {
                                if req.method() == axum::http::Method::POST
                                    && req.uri().path().ends_with("/envelopes")
                                {
                                    refused.fetch_add(1, Ordering::SeqCst);
                                    return axum::http::StatusCode::METHOD_NOT_ALLOWED
                                        .into_response();
                                }
                                next.run(req).await
                            }
                        },
                    ));
                    listener.set_nonblocking(true).unwrap();
                    axum_server::from_tcp_rustls(
                        listener,
                        axum_server::tls_rustls::RustlsConfig::from_config(tls.config),
                    )
                    .unwrap()
                    .handle(handle)
                    .serve(app.into_make_service_with_connect_info::<std::net::SocketAddr>())
                    .await
                    .unwrap();
                });
            })
        };
        RelayWithoutBatches {
            url,
            refused,
            handle,
            serving: Some(serving),
        }
    }
}

impl Drop for RelayWithoutBatches {
    fn drop(&mut self) {
        self.handle.shutdown();
        if let Some(t) = self.serving.take() {
            let _ = t.join();
        }
    }
}

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn a_relay_without_batch_uploads_gets_everything_one_by_one_and_once() {
    let env = Env::new();
    let relay = RelayWithoutBatches::start(&env);
    // Sharing the brief, a document and a deadline, and joining, all go through it.
    let e = Engaged::new(&env, &relay.url);
    for text in ["First note.", "Second note.", "Third note."] {
        run(
            &e.provider,
            &["message", "send", "--assignment", &e.engagement, text],
        );
    }
    let report = sync(&e.provider);
    assert_eq!(len(&report["sent"]), 3, "{report}");
    assert_eq!(len(&report["needs_attention"]), 0, "{report}");
    assert_eq!(len(&report["waiting"]), 0, "{report}");
    assert!(
        relay.refused.load(Ordering::SeqCst) >= 1,
        "the engine tried a batch first"
    );
    sync(&e.firm);
    assert_eq!(sync(&e.firm)["received"], json!([]));
    for text in ["First note.", "Second note.", "Third note."] {
        assert_eq!(e.firm_messages_saying(text), 1, "{text}");
    }
    // What went through it one by one is as unreadable there as in a batch.
    assert!(!any_file_contains(&env.relay_data(), b"Second note."));
    check(&e.firm);
    check(&e.provider);
}
