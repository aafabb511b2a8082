//! The exchange from the command line, for both sides: this install's identity,
//! relays, invites, sharing, engagements, deliveries, messages, sync and the outbox.
//! Each command calls the store or the sync engine once and prints text, or the JSON
//! documented in docs/cli.md with `--json`.

use std::path::PathBuf;

use clap::Subcommand;
use mandate_core::exchange::{OutboxState, RelayDraft, ShareRequest};
use mandate_core::{AssignmentStatus, Side};
use mandate_store::Store;

use crate::print_json;

#[derive(Subcommand)]
pub enum IdentityCommand {
    /// This install's key fingerprint (to read to the other side over the phone),
    /// key id and public card.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// The name the other side sees (your firm's or your company's).
    Name { name: String },
}

#[derive(Subcommand)]
pub enum RelayCommand {
    /// Add a relay (or update its account and certificate).
    Add {
        /// https://host:port
        url: String,
        /// The account token the relay's operator gave this firm (needed to share).
        #[arg(long)]
        account_token: Option<String>,
        /// SHA-256 of the relay's certificate, for a relay with a self-made one.
        #[arg(long, value_name = "HEX", conflicts_with = "relay_ca")]
        relay_cert_sha256: Option<String>,
        /// A CA certificate (PEM) that signed the relay's certificate.
        #[arg(long, value_name = "FILE")]
        relay_ca: Option<PathBuf>,
    },
    /// List the relays this install uses.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum InviteCommand {
    /// Open a channel for a work order on a relay, and print the invite code to send
    /// the provider.
    Create {
        #[arg(long)]
        assignment: String,
        #[arg(long)]
        relay: String,
        /// Days the invite stays good (default 7).
        #[arg(long, default_value_t = 7)]
        expires_days: u64,
        #[arg(long)]
        json: bool,
    },
    /// Join a firm's engagement with the invite code it sent (as the provider).
    Join {
        code: String,
        /// A CA certificate (PEM) for the relay, when neither the system nor the
        /// invite's pin vouches for it.
        #[arg(long, value_name = "FILE")]
        relay_ca: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Who is on a work order's channel, with fingerprints and whether verified.
    Status {
        #[arg(long)]
        assignment: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark the member with this fingerprint verified, after comparing it by phone.
    Verify {
        #[arg(long)]
        assignment: String,
        fingerprint: String,
    },
}

#[derive(Subcommand)]
pub enum EngagementCommand {
    /// The work received from firms (as a provider).
    List {
        #[arg(long)]
        json: bool,
    },
    /// One engagement: its brief, documents, deadlines and messages.
    Show {
        /// The engagement's id (as `engagement list` shows it).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Move the engagement: accepted, in_progress, delivered.
    Move {
        id: String,
        #[arg(long)]
        to: String,
    },
    /// Write a file of the engagement to OUT (plaintext: keep it somewhere safe).
    File {
        id: String,
        item: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum GuardCommand {
    /// The decision (allow, allow with conditions, block) and every reason, with what
    /// would satisfy it, for sending these items of a work order today. Exits 4 on a
    /// block, so scripts can stop.
    Check {
        #[arg(long)]
        assignment: String,
        #[arg(long)]
        brief: bool,
        #[arg(long = "document", value_name = "VERSION_ID")]
        documents: Vec<String>,
        #[arg(long = "deadline", value_name = "DEADLINE_ID")]
        deadlines: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run_guard(store: &mut Store, cmd: GuardCommand) -> anyhow::Result<std::process::ExitCode> {
    let GuardCommand::Check {
        assignment,
        brief,
        documents,
        deadlines,
        json,
    } = cmd;
    // With nothing named, check the brief: the first thing a work order sends.
    let brief = brief || (documents.is_empty() && deadlines.is_empty());
    let today = jiff::ZonedDateTime::now().date().to_string();
    let req = ShareRequest {
        assignment_id: assignment.into(),
        brief,
        document_versions: documents.into_iter().map(Into::into).collect(),
        deadlines: deadlines.into_iter().map(Into::into).collect(),
    };
    let d = store.guard_check(&req, &today)?;
    if json {
        print_json(&d)?;
    } else {
        let word = match d.decision {
            mandate_core::guard::Decision::Allow => "ALLOW",
            mandate_core::guard::Decision::AllowWithConditions => "ALLOW WITH CONDITIONS",
            mandate_core::guard::Decision::Block => "BLOCK",
        };
        println!("{word}");
        for r in &d.reasons {
            println!(
                "  {} {} — {}",
                if r.blocks { "✗" } else { "!" },
                r.rule,
                r.message
            );
            println!("      to satisfy: {} ({})", r.fix, r.source);
        }
    }
    Ok(if d.decision == mandate_core::guard::Decision::Block {
        std::process::ExitCode::from(4)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

fn channel_of(store: &Store, assignment: &str) -> anyhow::Result<mandate_core::exchange::Channel> {
    store.channel_for_assignment(assignment)?.ok_or_else(|| {
        mandate_core::Error::not_found(format!(
            "{assignment} is not shared on any relay. As the firm: mandate invite create --assignment ID --relay URL; as a provider, use the engagement id from: mandate engagement list"
        ))
        .into()
    })
}

/// The PEM text of a relay CA file named with --relay-ca, if one was.
fn read_ca(path: Option<PathBuf>) -> anyhow::Result<Option<String>> {
    path.map(|p| {
        std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))
    })
    .transpose()
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

pub fn run_identity(store: &mut Store, cmd: IdentityCommand) -> anyhow::Result<()> {
    match cmd {
        IdentityCommand::Show { json } => {
            let card = store.device_card(Side::Firm)?;
            if json {
                print_json(&serde_json::json!({
                    "name": card.name(),
                    "key_id": card.key_id().0,
                    "fingerprint": card.fingerprint().to_string(),
                    "card": card.encode(),
                }))?;
            } else {
                println!("Name:        {}", card.name());
                println!("Fingerprint: {}", card.fingerprint());
                println!("Key id:      {}", card.key_id());
                println!("Card:        {}", card.encode());
            }
        }
        IdentityCommand::Name { name } => {
            store.set_device_name(&name)?;
            println!("The other side will see this install as {}.", name.trim());
        }
    }
    Ok(())
}

pub fn run_relay(store: &mut Store, cmd: RelayCommand) -> anyhow::Result<()> {
    match cmd {
        RelayCommand::Add {
            url,
            account_token,
            relay_cert_sha256,
            relay_ca,
        } => {
            let ca_pem = read_ca(relay_ca)?;
            let relay = store.add_relay(&RelayDraft {
                url,
                account_token,
                cert_sha256: relay_cert_sha256,
                ca_pem,
            })?;
            println!(
                "Relay {} added{}.",
                relay.url,
                if relay.has_account {
                    " with this firm's account"
                } else {
                    ""
                }
            );
        }
        RelayCommand::List { json } => {
            let relays = store.relays()?;
            if json {
                print_json(&relays)?;
            } else if relays.is_empty() {
                println!(
                    "No relays. Add one: mandate relay add https://HOST:PORT --account-token TOKEN"
                );
            } else {
                for r in relays {
                    println!(
                        "{}  account: {}  trust: {}  last answered: {}",
                        r.url,
                        if r.has_account { "yes" } else { "no" },
                        if r.cert_sha256.is_some() {
                            "pinned certificate"
                        } else if r.has_ca {
                            "own CA"
                        } else {
                            "system"
                        },
                        r.last_ok_at.as_deref().unwrap_or("never")
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn run_invite(store: &mut Store, cmd: InviteCommand) -> anyhow::Result<()> {
    match cmd {
        InviteCommand::Create {
            assignment,
            relay,
            expires_days,
            json,
        } => {
            let created = runtime()?.block_on(mandate_sync::invite_create(
                store,
                &assignment,
                &relay,
                Some(expires_days * 24 * 3600),
            ))?;
            if json {
                print_json(&created)?;
            } else {
                println!(
                    "Send this invite code to the provider (it works once):\n\n{}\n",
                    created.code
                );
                println!("Your fingerprint, to read to them: {}", created.fingerprint);
            }
        }
        InviteCommand::Join {
            code,
            relay_ca,
            json,
        } => {
            let ca_pem = read_ca(relay_ca)?;
            let joined = runtime()?.block_on(mandate_sync::invite_join(store, &code, ca_pem))?;
            if json {
                print_json(&joined)?;
            } else {
                println!(
                    "Joined {}'s engagement {} on {}.",
                    joined.firm, joined.channel_id, joined.relay
                );
                println!(
                    "The firm's fingerprint (matches the invite): {}",
                    joined.firm_fingerprints.join(", ")
                );
                println!(
                    "Your fingerprint, to read to the firm: {}",
                    joined.my_fingerprint
                );
            }
        }
        InviteCommand::Status { assignment, json } => {
            let channel = channel_of(store, &assignment)?;
            if json {
                print_json(&channel)?;
            } else {
                println!("Channel {} on {}", channel.id, channel.relay_url);
                for m in &channel.members {
                    println!(
                        "  {} ({}){}  {}  {}",
                        m.name,
                        m.side.as_str(),
                        if m.is_me { ", this install" } else { "" },
                        m.fingerprint,
                        m.verified_at
                            .as_deref()
                            .map_or("not verified".to_owned(), |v| format!("verified {v}"))
                    );
                }
            }
        }
        InviteCommand::Verify {
            assignment,
            fingerprint,
        } => {
            let channel = channel_of(store, &assignment)?;
            let member = store.verify_member(&channel.id, &fingerprint)?;
            println!(
                "{}'s fingerprint {} is marked verified.",
                member.name, member.fingerprint
            );
        }
    }
    Ok(())
}

pub fn run_share(
    store: &mut Store,
    req: ShareRequest,
    override_reason: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let today = jiff::ZonedDateTime::now().date().to_string();
    let queued = match override_reason {
        Some(reason) => store.share_overriding(&req, &today, reason)?,
        None => store.share(&req, &today)?,
    };
    if json {
        print_json(&queued)?;
    } else if queued.is_empty() {
        println!("Nothing new to send: those items already went at these versions.");
    } else {
        for q in &queued {
            println!("queued  {}", q.label);
        }
        println!("They go out with the next: mandate sync");
    }
    Ok(())
}

pub fn run_engagement(store: &mut Store, cmd: EngagementCommand) -> anyhow::Result<()> {
    match cmd {
        EngagementCommand::List { json } => {
            let engagements = store.engagements()?;
            if json {
                print_json(&engagements)?;
            } else if engagements.is_empty() {
                println!(
                    "No engagements. Join one with the invite code a firm sent: mandate invite join CODE"
                );
            } else {
                for e in engagements {
                    println!(
                        "{}  {}  {}  due {}  {}",
                        e.channel_id,
                        e.firm_name,
                        e.status.as_str(),
                        e.due_on.as_deref().unwrap_or("-"),
                        e.scope.as_deref().unwrap_or("(brief not received yet)")
                    );
                }
            }
        }
        EngagementCommand::Show { id, json } => {
            let e = store.engagement(&id)?;
            if json {
                print_json(&e)?;
            } else {
                println!(
                    "{} for {} — {}",
                    e.channel_id,
                    e.firm_name,
                    e.status.as_str()
                );
                println!(
                    "Scope: {}",
                    e.scope.as_deref().unwrap_or("(not received yet)")
                );
                if let Some(i) = &e.instructions {
                    println!("Instructions: {i}");
                }
                println!("Due: {}", e.due_on.as_deref().unwrap_or("-"));
                for item in &e.items {
                    println!(
                        "  {:<11} {}  {}  {}",
                        item.kind,
                        item.item_id,
                        item.title,
                        item.body.as_deref().unwrap_or("")
                    );
                }
            }
        }
        EngagementCommand::Move { id, to } => {
            let e = store.move_engagement(&id, AssignmentStatus::parse(&to)?)?;
            println!(
                "{} is now {}; the firm sees it after the next sync.",
                e.channel_id,
                e.status.as_str()
            );
        }
        EngagementCommand::File { id, item, out } => {
            let (item, bytes) = store.engagement_file(&id, &item)?;
            mandate_store::write_file_atomically(&out, &bytes)?;
            println!(
                "Wrote {} ({} bytes) to {}.",
                item.title,
                bytes.len(),
                out.display()
            );
        }
    }
    Ok(())
}

pub fn run_deliver(
    store: &mut Store,
    assignment: &str,
    file: &std::path::Path,
    json: bool,
) -> anyhow::Result<()> {
    let channel = channel_of(store, assignment)?;
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("deliverable");
    let queued = store.deliver(&channel.id, name, &bytes)?;
    if json {
        print_json(&queued)?;
    } else {
        println!(
            "queued  {}; it goes out with the next: mandate sync",
            queued.label
        );
    }
    Ok(())
}

pub fn run_message_send(
    store: &mut Store,
    assignment: &str,
    text: &str,
    keep_sensitive: bool,
    json: bool,
) -> anyhow::Result<()> {
    let channel = channel_of(store, assignment)?;
    let queued = store.send_exchange_message_kept(&channel.id, text, keep_sensitive)?;
    if json {
        print_json(&queued)?;
    } else {
        println!("queued  message; it goes out with the next: mandate sync");
    }
    Ok(())
}

pub fn run_sync(
    store: &mut Store,
    once: bool,
    every: u64,
    json: bool,
) -> anyhow::Result<std::process::ExitCode> {
    let rt = runtime()?;
    loop {
        let report = rt.block_on(mandate_sync::sync_once(store))?;
        if json && once {
            print_json(&report)?;
        } else if json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            print_report(&report, once);
        }
        if once {
            return Ok(std::process::ExitCode::SUCCESS);
        }
        use std::io::Write;
        std::io::stdout().flush()?;
        std::thread::sleep(std::time::Duration::from_secs(every));
    }
}

fn print_report(report: &mandate_core::exchange::SyncReport, once: bool) {
    for s in &report.sent {
        println!("sent      {s}");
    }
    for r in &report.received {
        println!("received  {r}");
    }
    for r in &report.rejected {
        println!(
            "refused   envelope {} ({}): {}",
            r.envelope_id, r.code, r.reason
        );
    }
    for w in &report.waiting {
        println!("waiting   {w}");
    }
    for n in &report.needs_attention {
        println!("attention {n}");
    }
    if once && *report == Default::default() {
        println!("Up to date.");
    }
}

pub fn run_outbox(
    store: &mut Store,
    retry: Option<String>,
    all: bool,
    json: bool,
) -> anyhow::Result<()> {
    if let Some(id) = retry {
        let entry = store.outbox_retry(&id)?;
        println!("{} is queued again.", entry.label);
        return Ok(());
    }
    let entries = store.outbox(all)?;
    if json {
        print_json(&entries)?;
    } else if entries.is_empty() {
        println!("Nothing waiting.");
    } else {
        for e in entries {
            let state = match e.state {
                OutboxState::Queued => "waiting",
                OutboxState::Sent => "sent",
                OutboxState::Received => "received",
                OutboxState::Failed => "ATTENTION",
            };
            println!(
                "{state:<9} {}  {}  tries {}{}",
                e.envelope_id,
                e.label,
                e.attempts,
                e.last_error.map(|r| format!("  ({r})")).unwrap_or_default()
            );
        }
    }
    Ok(())
}

pub struct ScanArgs {
    pub file: Option<std::path::PathBuf>,
    pub assignment: Option<String>,
    pub brief: bool,
    pub documents: Vec<String>,
    pub deadlines: Vec<String>,
    pub keep: Option<String>,
    pub item: Option<String>,
    pub by: Option<String>,
    pub json: bool,
}

/// `mandate scan`: a file's text, or the items of a work order about to be shared,
/// scanned for sensitive numbers; `--keep` records a person's decision to send one
/// as it is. Exits 4 while a hit is open.
pub fn run_scan(
    data_dir: Option<std::path::PathBuf>,
    a: ScanArgs,
) -> anyhow::Result<std::process::ExitCode> {
    let open_hits;
    if let Some(path) = &a.file {
        let bytes = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("Could not read {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = mandate_extract::Extractor::isolated()
            .extract(&name, &bytes)
            .text()
            .map(str::to_owned)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "Mandate could not read text from {}, so it cannot scan it.",
                    path.display()
                )
            })?;
        let hits = mandate_core::scan::scan(&text);
        open_hits = hits.len();
        if a.json {
            print_json(&hits)?;
        } else {
            print_hits(&name, hits.iter().map(|h| (h, None)));
        }
    } else {
        let Some(assignment) = a.assignment else {
            anyhow::bail!("Name a file to scan, or a work order: mandate scan --assignment ID");
        };
        let mut store = crate::open_store(data_dir)?;
        if let Some(number) = &a.keep {
            store.keep_scan_hit(
                &assignment,
                a.item.as_deref().unwrap_or_default(),
                number,
                a.by.as_deref().unwrap_or_default(),
            )?;
        }
        let req = ShareRequest {
            brief: a.brief || (a.documents.is_empty() && a.deadlines.is_empty()),
            assignment_id: assignment.into(),
            document_versions: a.documents.into_iter().map(Into::into).collect(),
            deadlines: a.deadlines.into_iter().map(Into::into).collect(),
        };
        let scans = store.scan_share(&req)?;
        open_hits = scans.iter().map(|s| s.open() as usize).sum();
        if a.json {
            print_json(&scans)?;
        } else {
            for s in &scans {
                print_hits(
                    &format!("{} ({})", s.label, s.id),
                    s.findings.iter().map(|f| (&f.hit, f.kept_by.as_deref())),
                );
            }
        }
    }
    Ok(if open_hits > 0 {
        std::process::ExitCode::from(4)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

fn print_hits<'a>(
    what: &str,
    hits: impl Iterator<Item = (&'a mandate_core::scan::Hit, Option<&'a str>)>,
) {
    let hits: Vec<_> = hits.collect();
    if hits.is_empty() {
        println!("{what}: no sensitive number found");
        return;
    }
    println!("{what}:");
    for (h, kept) in hits {
        println!(
            "  {:<15} {}  …{}…{}",
            h.kind.label(),
            h.text,
            h.context,
            kept.map(|k| format!("  (kept by {k})")).unwrap_or_default()
        );
    }
}
