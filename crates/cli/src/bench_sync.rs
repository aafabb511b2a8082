//! `mandate bench sync`: the exchange end to end on this machine — a real
//! `mandate-relay` (self-signed, pinned) on 127.0.0.1 and two fresh stores (keys in
//! memory), with baselines measured in the same run: the relay's own transport for
//! small items, and the age crate's raw encryption for a large document.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use mandate_core::exchange::{RelayDraft, ShareRequest};
use mandate_core::provider::AiUse;
use mandate_core::{
    Assignment, AssignmentDraft, ConsentDraft, DocumentUpload, MatterDraft, ProviderDraft,
};
use mandate_store::{MemoryVault, Store};
use serde::Serialize;

#[derive(Serialize)]
pub struct SyncBench {
    pub messages: u64,
    pub message_bytes: usize,
    /// Messages sealed, sent, pulled, verified, opened and applied per second.
    pub messages_per_s: f64,
    /// Of which: the firm sealing and sending (per second), and the provider listing,
    /// opening and applying (per second).
    pub messages_sent_per_s: f64,
    pub messages_received_per_s: f64,
    /// The same count of opaque bodies of the sealed size PUT and listed back per
    /// second, by the same client, to the same relay: transport alone.
    pub baseline_messages_per_s: f64,
    pub messages_ratio: f64,
    pub messages_goal_per_s: f64,
    pub messages_goal_met: bool,
    pub document_mib: u64,
    pub document_mb_per_s: f64,
    /// age's raw encryption of the same bytes, in memory.
    pub baseline_age_mb_per_s: f64,
    pub document_ratio: f64,
    pub document_goal_min_ratio: f64,
    pub document_goal_met: bool,
    /// SQLCipher alone writing the same bytes into a fresh store and reading them
    /// back (the receiver's write and the sender's read, one after the other): the
    /// floor under a document's end-to-end figure while files live in the encrypted
    /// database.
    pub store_floor_mb_per_s: f64,
    pub store_floor_write_mb_per_s: f64,
    pub store_floor_read_mb_per_s: f64,
    /// The end-to-end figure against that floor.
    pub document_ratio_to_store_floor: f64,
    /// The floor against age's raw encryption: the best ratio to age any exchange
    /// could reach with files in SQLCipher.
    pub store_floor_ratio_to_age: f64,
    /// Peak resident memory above idle while the document moved.
    pub client_peak_rss_above_idle_mib: f64,
    pub relay_peak_rss_above_idle_mib: f64,
    pub rss_goal_mib: f64,
    pub rss_goal_met: bool,
}

struct Relay(Child);

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn relay_binary() -> anyhow::Result<PathBuf> {
    let bin = std::env::current_exe()?.with_file_name("mandate-relay");
    anyhow::ensure!(
        bin.exists(),
        "mandate-relay is not installed beside mandate ({}); build it with: cargo build --release -p mandate-relay",
        bin.display()
    );
    Ok(bin)
}

/// `VmHWM` (peak) or `VmRSS` of a process, in KiB.
fn status_kib(pid: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the peak of this process's (or another's) resident memory, so the next
/// `VmHWM` is the peak from now on (Linux: /proc/PID/clear_refs, "5").
fn reset_peak(pid: &str) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

pub fn bench_sync(
    messages: u64,
    document_mib: u64,
    note: &mut dyn FnMut(&str),
) -> anyhow::Result<SyncBench> {
    let dir = tempfile::tempdir()?;
    let relay_data = dir.path().join("relay");
    let bin = relay_binary()?;
    let out = Command::new(&bin)
        .args(["account", "add", "bench", "--data-dir"])
        .arg(&relay_data)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "mandate-relay account add failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout)?.trim().to_owned();
    let mut child = Command::new(&bin)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--self-signed",
            "--data-dir",
        ])
        .arg(&relay_data)
        // A relay's default rate limit (600 requests a minute per token) is for the
        // open internet; the bench measures throughput, not the limiter.
        .args(["--rate-limit-per-minute", "100000000"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no relay output"))?;
    let relay = Relay(child);
    let relay_pid = relay.0.id().to_string();
    let (mut url, mut pin) = (String::new(), String::new());
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if let Some(p) = line.strip_prefix("certificate sha256 ") {
            pin = p.trim().to_owned();
        } else if let Some(u) = line.strip_prefix("listening on ") {
            url = u.trim().to_owned();
            break;
        }
    }
    anyhow::ensure!(
        !url.is_empty() && !pin.is_empty(),
        "the relay did not start"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    note("two fresh stores (keys in memory), a work order the send guard allows");
    let vault = MemoryVault::default();
    let mut firm = Store::open(&dir.path().join("firm"), &vault)?;
    let mut provider = Store::open(&dir.path().join("provider"), &vault)?;
    let assignment = cleared_work_order(&mut firm)?;
    firm.add_relay(&RelayDraft {
        url: url.clone(),
        account_token: Some(token),
        cert_sha256: Some(pin),
        ca_pem: None,
    })?;
    let invite = rt.block_on(mandate_sync::invite_create(
        &mut firm,
        &assignment.id,
        &url,
        None,
    ))?;
    let joined = rt.block_on(mandate_sync::invite_join(&mut provider, &invite.code, None))?;
    rt.block_on(mandate_sync::sync_once(&mut firm))?;

    note(&format!("{messages} messages, firm to provider"));
    let text = "Please confirm the privilege log covers the March custodians before Friday.";
    for i in 0..messages {
        firm.send_exchange_message(&invite.channel_id, &format!("{text} ({i})"))?;
    }
    let started = Instant::now();
    let sent = rt.block_on(mandate_sync::sync_once(&mut firm))?;
    let push_secs = started.elapsed().as_secs_f64();
    let received = rt.block_on(mandate_sync::sync_once(&mut provider))?;
    let secs = started.elapsed().as_secs_f64();
    let pull_secs = secs - push_secs;
    anyhow::ensure!(
        sent.sent.len() as u64 == messages && received.received.len() as u64 == messages,
        "not every message made it: {} sent, {} received, {:?} rejected; waiting: {:?}; needs attention: {:?}",
        sent.sent.len(),
        received.received.len(),
        received.rejected,
        sent.waiting
            .iter()
            .chain(&received.waiting)
            .take(3)
            .collect::<Vec<_>>(),
        sent.needs_attention.iter().take(3).collect::<Vec<_>>()
    );
    let messages_per_s = messages as f64 / secs;

    // The baseline: the same number of opaque bodies, of a sealed message's size, put
    // and listed back through the same relay by the same client, no crypto, no store.
    let access = firm.channel_access(&invite.channel_id)?;
    let client = mandate_sync::RelayClient::new(&access.relay)?;
    let sealed_size = firm
        .outbox(true)?
        .first()
        .map_or(600, |o| o.size as usize + 500);
    let body = vec![0x5au8; sealed_size];
    let started = Instant::now();
    rt.block_on(async {
        for i in 0..messages {
            client
                .put_envelope(
                    &access.id,
                    &access.access_token,
                    &format!("baseline{i}"),
                    body.clone(),
                )
                .await?;
        }
        let mut after = 0;
        let mut seen = 0u64;
        loop {
            let page = client
                .list(&access.id, &access.access_token, after, 1000)
                .await?;
            seen += page.envelopes.len() as u64;
            after = page.envelopes.last().map_or(after, |e| e.seq);
            if !page.more {
                break;
            }
        }
        anyhow::ensure!(seen >= messages, "the baseline listed {seen} bodies");
        Ok::<_, anyhow::Error>(())
    })?;
    let baseline_messages_per_s = messages as f64 / started.elapsed().as_secs_f64();

    note(&format!(
        "one {document_mib} MiB document, firm to provider"
    ));
    let size = (document_mib * 1024 * 1024) as usize;
    let mut doc = vec![0u8; size];
    // Incompressible, like a scanned PDF: a cheap xorshift fill.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for chunk in doc.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let added = firm.add_document(
        &DocumentUpload {
            matter_id: assignment.matter_id.clone(),
            file_name: "scan.bin".into(),
            ..Default::default()
        },
        &doc,
    )?;
    let me = std::process::id().to_string();
    let idle_client = status_kib(&me, "VmRSS:");
    let idle_relay = status_kib(&relay_pid, "VmRSS:");
    reset_peak(&me);
    reset_peak(&relay_pid);
    let started = Instant::now();
    firm.share(
        &ShareRequest {
            assignment_id: assignment.id.clone(),
            document_versions: vec![added.latest.id.clone()],
            ..Default::default()
        },
        &jiff::ZonedDateTime::now().date().to_string(),
    )?;
    let shared_secs = started.elapsed().as_secs_f64();
    rt.block_on(mandate_sync::sync_once(&mut firm))?;
    let sent_secs = started.elapsed().as_secs_f64() - shared_secs;
    let got = rt.block_on(mandate_sync::sync_once(&mut provider))?;
    let secs = started.elapsed().as_secs_f64();
    note(&format!(
        "document: queued in {shared_secs:.1} s, sealed and sent in {sent_secs:.1} s, received in {:.1} s",
        secs - shared_secs - sent_secs
    ));
    anyhow::ensure!(
        got.received.len() == 1,
        "the document did not arrive: {got:?}"
    );
    let client_peak = status_kib(&me, "VmHWM:").saturating_sub(idle_client);
    let relay_peak = status_kib(&relay_pid, "VmHWM:").saturating_sub(idle_relay);
    let mb = size as f64 / 1e6;
    let document_mb_per_s = mb / secs;

    let keys = firm.channel_recipients(&invite.channel_id)?;
    let refs: Vec<_> = keys.iter().collect();
    let started = Instant::now();
    let out = mandate_protocol::raw_age_encrypt(&refs, &doc[..], Vec::with_capacity(size + 4096))?;
    let baseline_age_mb_per_s = mb / started.elapsed().as_secs_f64();
    anyhow::ensure!(out.len() > size, "age wrote less than it was given");
    drop(out);
    note("the store's floor: SQLCipher writing and reading the same bytes");
    let floor = mandate_store::bench::file_floor(&dir.path().join("floor"), &doc)?;
    drop((doc, joined));
    let store_floor_mb_per_s = mb / (floor.write_secs + floor.read_secs);

    let mib = |kib: u64| kib as f64 / 1024.0;
    let (client_mib, relay_mib) = (mib(client_peak), mib(relay_peak));
    Ok(SyncBench {
        messages,
        message_bytes: text.len(),
        messages_per_s,
        messages_sent_per_s: messages as f64 / push_secs,
        messages_received_per_s: messages as f64 / pull_secs,
        baseline_messages_per_s,
        messages_ratio: messages_per_s / baseline_messages_per_s,
        messages_goal_per_s: 1000.0,
        messages_goal_met: messages_per_s >= 1000.0,
        document_mib,
        document_mb_per_s,
        baseline_age_mb_per_s,
        document_ratio: document_mb_per_s / baseline_age_mb_per_s,
        document_goal_min_ratio: 0.25,
        document_goal_met: document_mb_per_s >= 0.25 * baseline_age_mb_per_s,
        store_floor_mb_per_s,
        store_floor_write_mb_per_s: mb / floor.write_secs,
        store_floor_read_mb_per_s: mb / floor.read_secs,
        document_ratio_to_store_floor: document_mb_per_s / store_floor_mb_per_s,
        store_floor_ratio_to_age: store_floor_mb_per_s / baseline_age_mb_per_s,
        client_peak_rss_above_idle_mib: client_mib,
        relay_peak_rss_above_idle_mib: relay_mib,
        rss_goal_mib: 64.0,
        rss_goal_met: client_mib < 64.0 && relay_mib < 64.0,
    })
}

pub fn print(r: &SyncBench) {
    let met = |ok: bool| if ok { "met" } else { "NOT MET" };
    println!(
        "Sync benchmark: a real mandate-relay on 127.0.0.1 (self-signed, pinned), two fresh stores, keys in memory."
    );
    println!();
    println!(
        "{:<34} {:>14} {:>14} {:>7}  {:<22} result",
        "what", "figure", "baseline", "ratio", "goal"
    );
    println!(
        "{:<34} {:>10.0} /s {:>10.0} /s {:>7.2}  {:<22} {}",
        format!("{} messages end to end", r.messages),
        r.messages_per_s,
        r.baseline_messages_per_s,
        r.messages_ratio,
        ">= 1,000 /s",
        met(r.messages_goal_met)
    );
    println!(
        "{:<34} {:>10.0} /s",
        "  of which sealed and sent", r.messages_sent_per_s
    );
    println!(
        "{:<34} {:>10.0} /s",
        "  of which listed, opened, applied", r.messages_received_per_s
    );
    println!(
        "{:<34} {:>9.1} MB/s {:>9.1} MB/s {:>7.2}  {:<22} {}",
        format!("{} MiB document end to end", r.document_mib),
        r.document_mb_per_s,
        r.baseline_age_mb_per_s,
        r.document_ratio,
        "ratio >= 0.25 (age)",
        met(r.document_goal_met)
    );
    println!(
        "{:<34} {:>9.1} MB/s {:>9.1} MB/s {:>7.2}",
        "  against the store's floor",
        r.document_mb_per_s,
        r.store_floor_mb_per_s,
        r.document_ratio_to_store_floor,
    );
    println!(
        "{:<34} {:>9.1} MB/s {:>9.1} MB/s {:>7.2}  (the best ratio to age with files in SQLCipher)",
        "  store's floor against age",
        r.store_floor_mb_per_s,
        r.baseline_age_mb_per_s,
        r.store_floor_ratio_to_age,
    );
    println!(
        "{:<34} {:>10.1} MiB {:>10.1} MiB {:>7}  {:<22} {}",
        "peak RSS above idle: client, relay",
        r.client_peak_rss_above_idle_mib,
        r.relay_peak_rss_above_idle_mib,
        "",
        "< 64 MiB each",
        met(r.rss_goal_met)
    );
    println!();
    println!(
        "Baselines: the same count of opaque bodies PUT and listed through the same relay (transport only); age's raw encryption of the same bytes in memory."
    );
    println!(
        "The store's floor: SQLCipher alone writing the same bytes into a fresh store in 1 MiB parts ({:.0} MB/s) and reading them back ({:.0} MB/s), one after the other, as a receiver and a sender do.",
        r.store_floor_write_mb_per_s, r.store_floor_read_mb_per_s
    );
}

/// A matter, a provider and a work order with every fact the send guard asks for on
/// file: a supervising attorney, the provider's countries, diligence, re-review date
/// and NDA, its answer on AI, the client's consent, a clean conflict check.
fn cleared_work_order(firm: &mut Store) -> anyhow::Result<Assignment> {
    let today = jiff::ZonedDateTime::now().date();
    let matter = firm.create_matter(&MatterDraft {
        number: "BENCH-1".into(),
        title: "Sync benchmark".into(),
        client_name: "Benchmark client".into(),
        supervising_attorney: Some("Jane Smith".into()),
        ..Default::default()
    })?;
    let provider = firm.create_provider(&ProviderDraft {
        legal_name: "Benchmark Review Ltd".into(),
        countries: vec!["IN".into()],
        diligence: mandate_core::provider::all_factors_checked("benchmark"),
        diligence_review_on: Some(
            today
                .saturating_add(jiff::Span::new().days(365))
                .to_string(),
        ),
        nda_on_file: true,
        nda_signed_on: Some(today.to_string()),
        ai_use: AiUse::None,
        ..Default::default()
    })?;
    let assignment = firm.create_assignment(&AssignmentDraft {
        matter_id: matter.id.clone(),
        provider_id: provider.id.clone(),
        scope: "Benchmark review".into(),
        due_on: today.saturating_add(jiff::Span::new().days(30)).to_string(),
        supervising_attorney: "Jane Smith".into(),
        ..Default::default()
    })?;
    firm.create_consent(
        &ConsentDraft {
            matter_id: matter.id.clone(),
            provider_id: provider.id.clone(),
            scope: "Benchmark review".into(),
            data_classes: vec![],
            countries: vec!["IN".into()],
            given_on: today.to_string(),
            evidence: "benchmark".into(),
            ..Default::default()
        },
        today,
    )?;
    firm.run_conflict_check(&matter.id, Some(&provider.id))?;
    Ok(assignment)
}
