//! `mandate`: the same operations as the desktop app, without a window.
//!
//! It holds no business logic: every command parses its arguments, calls one
//! function of `mandate-store` or `mandate-deadlines`, and prints the result — as
//! text for people, or as the stable JSON documented in docs/cli.md with `--json`.

mod assignment;
mod bench;
mod bench_sync;
mod conflicts;
mod consent;
mod deadline;
mod deadline_store;
mod document;
mod exchange;
mod matter;
mod message;
mod party;
mod people;
mod provider;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mandate_core::{Error, ErrorCode, Matter, snippet_text};
use mandate_store::{SecretServiceVault, Store, resolve_data_dir};

#[derive(Parser)]
#[command(
    name = "mandate",
    version,
    about = "Mandate: matters, deadlines and outsourced work, kept on this machine"
)]
struct Cli {
    /// The store's folder. Defaults to $MANDATE_DATA_DIR, then ~/.local/share/mandate.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Unlock (or create) a passphrase store with the passphrase in this file. The
    /// MANDATE_PASSPHRASE environment variable does the same; see docs/cli.md for
    /// the risks of both.
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open, list, show, edit and close matters.
    Matter {
        #[command(subcommand)]
        cmd: matter::MatterCommand,
    },
    /// Record and list the providers work is sent to.
    Provider {
        #[command(subcommand)]
        cmd: provider::ProviderCommand,
    },
    /// Record parties and link them to matters.
    Party {
        #[command(subcommand)]
        cmd: party::PartyCommand,
    },
    /// Record client consents to outsourcing.
    Consent {
        #[command(subcommand)]
        cmd: consent::ConsentCommand,
    },
    /// Write, list and move work orders sent to providers.
    Assignment {
        #[command(subcommand)]
        cmd: assignment::AssignmentCommand,
    },
    /// Add and list the messages kept with a matter.
    Message {
        #[command(subcommand)]
        cmd: message::MessageCommand,
    },
    /// Add files to a matter, list and read them, record reviews of returned work.
    Document {
        #[command(subcommand)]
        cmd: document::DocumentCommand,
    },
    /// The disclosure ledger: what was sent to which provider, under which consent.
    Disclosure {
        #[command(subcommand)]
        cmd: document::DisclosureCommand,
    },
    /// The store itself: set or change its passphrase.
    Store {
        #[command(subcommand)]
        cmd: StoreCommand,
    },
    /// Write every matter, party, provider, consent, assignment and deadline as JSON
    /// or CSV files (plaintext: keep them somewhere safe).
    Export {
        #[arg(long, value_parser = ["json", "csv"], default_value = "json")]
        format: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Search matters, parties, providers and messages at once.
    Search {
        query: String,
        /// Results per kind.
        #[arg(long, default_value_t = 10)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// This install's identity for the exchange: fingerprint, key id, public card.
    Identity {
        #[command(subcommand)]
        cmd: exchange::IdentityCommand,
    },
    /// The relays this install exchanges envelopes through.
    Relay {
        #[command(subcommand)]
        cmd: exchange::RelayCommand,
    },
    /// Invite a provider to a work order (firm), or join a firm's (provider).
    Invite {
        #[command(subcommand)]
        cmd: exchange::InviteCommand,
    },
    /// Queue what goes to the provider with a work order: exactly the items named.
    Share {
        #[arg(long)]
        assignment: String,
        /// The scope, instructions and due date.
        #[arg(long)]
        brief: bool,
        /// A document version id (repeatable).
        #[arg(long = "document", value_name = "VERSION_ID")]
        documents: Vec<String>,
        /// A deadline id the provider must meet (repeatable).
        #[arg(long = "deadline", value_name = "DEADLINE_ID")]
        deadlines: Vec<String>,
        /// Send despite the send guard's block, for this one send, with the reason
        /// (only an attorney at this desk may; the ledger marks it).
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The disclosure ledger in words: what was sent, refused or overridden, to whom
    /// (their key fingerprints), when, under which consent, decided by whom.
    Ledger {
        /// Only this matter (its number or id).
        #[arg(long)]
        matter: Option<String>,
        /// Only this provider (id or legal name).
        #[arg(long)]
        provider: Option<String>,
        #[arg(long, conflicts_with_all = ["csv", "pdf"])]
        json: bool,
        /// As CSV on standard output (every cell quoted and neutralised).
        #[arg(long, conflicts_with = "pdf")]
        csv: bool,
        /// The matter's disclosure report for the client, as a PDF written to FILE
        /// (needs --matter; an existing FILE is replaced only with --replace).
        #[arg(long, value_name = "FILE", requires = "matter")]
        pdf: Option<std::path::PathBuf>,
        /// With --pdf: replace FILE if it exists.
        #[arg(long, requires = "pdf")]
        replace: bool,
    },
    /// The people of the firm, and who is at this desk.
    Person {
        #[command(subcommand)]
        cmd: people::PersonCommand,
    },
    /// Check a matter's parties for conflicts with a provider or the firm's other matters.
    Conflicts {
        #[command(subcommand)]
        cmd: conflicts::ConflictsCommand,
    },
    /// Scan a file, or the items of a work order about to be shared, for sensitive
    /// numbers (SSNs, card, routing and account numbers, dates of birth, e-mail
    /// addresses, phone numbers). Exits 4 when a hit is open.
    Scan {
        /// A file to scan (its text is read in an isolated reader); or use --assignment.
        #[arg(conflicts_with = "assignment")]
        file: Option<PathBuf>,
        /// The work order whose items to scan (the brief when none is named).
        #[arg(long)]
        assignment: Option<String>,
        #[arg(long)]
        brief: bool,
        #[arg(long = "document", value_name = "VERSION_ID")]
        documents: Vec<String>,
        #[arg(long = "deadline", value_name = "DEADLINE_ID")]
        deadlines: Vec<String>,
        /// Keep the hit with this exact text on purpose (with --assignment, --item and --by).
        #[arg(long, requires_all = ["assignment", "item", "by"])]
        keep: Option<String>,
        /// The item the kept hit is in: the version, deadline or assignment id.
        #[arg(long)]
        item: Option<String>,
        /// The person who decides the number goes as it is.
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// What the send guard says of sending these items, without sending anything.
    Guard {
        #[command(subcommand)]
        cmd: exchange::GuardCommand,
    },
    /// Work received from firms (as a provider).
    Engagement {
        #[command(subcommand)]
        cmd: exchange::EngagementCommand,
    },
    /// Deliver a file on an engagement (as the provider).
    Deliver {
        /// The engagement's id (as `engagement list` shows it).
        #[arg(long)]
        assignment: String,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Send what is queued and receive what came, once.
    Sync {
        /// Run one round and stop. Without it, a round runs every --every seconds
        /// until the command is stopped (Ctrl+C); stopping it mid-round loses nothing.
        #[arg(long)]
        once: bool,
        /// Seconds between rounds when not --once.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        every: u64,
        /// JSON: one report; without --once, one report per line (JSON Lines).
        #[arg(long)]
        json: bool,
    },
    /// What waits to go out, and what needs attention.
    Outbox {
        /// Put a failed item back in the queue.
        #[arg(long, value_name = "ENVELOPE_ID")]
        retry: Option<String>,
        /// Include what was sent.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Fill an empty store with a small sample practice, for a first look.
    Demo {
        #[arg(long)]
        json: bool,
    },
    /// Back up the whole store to one encrypted file, or restore one.
    Backup {
        #[command(subcommand)]
        cmd: BackupCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        cmd: AuditCommand,
    },
    /// Compute court deadlines and list legal holidays (no store needed).
    Deadline {
        #[command(subcommand)]
        cmd: deadline::DeadlineCommand,
    },
    /// Fill the store with generated matters (G-000001…) and messages, for trying
    /// Mandate at scale. Resumable: running it again adds only what is missing.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        matters: u64,
        #[arg(long, default_value_t = 1_000_000)]
        messages: u64,
        #[arg(long)]
        json: bool,
    },
    /// Measure Mandate against raw SQLite baselines (on a temporary store).
    Bench {
        #[command(subcommand)]
        cmd: bench::BenchCommand,
    },
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Protect the store with a new passphrase (also moves a keyring store to a
    /// passphrase). The new passphrase comes from --new-passphrase-file or
    /// MANDATE_NEW_PASSPHRASE; the database is re-encrypted with the derived key.
    Passphrase {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Check that the store is whole (after a crash, a full disk or a restore):
    /// SQLite's integrity check, the audit chain, and counts of what it holds.
    /// Exits with 3 if anything is wrong.
    Check {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Write a backup, encrypted with a backup passphrase (from --backup-passphrase-file
    /// or MANDATE_BACKUP_PASSPHRASE), restorable on any machine with that passphrase.
    Create {
        /// The backup file: a name ending in .mandate-backup, in an existing folder.
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        backup_passphrase_file: Option<PathBuf>,
        /// Replace the file if it is already there (otherwise that is refused).
        #[arg(long)]
        replace: bool,
    },
    /// Restore a backup into an empty --data-dir. The restored store keeps its key in
    /// the keyring, or is protected by MANDATE_PASSPHRASE / --passphrase-file if given.
    Restore {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        backup_passphrase_file: Option<PathBuf>,
    },
    /// Check a backup file without restoring it. With the backup passphrase (from
    /// --backup-passphrase-file or MANDATE_BACKUP_PASSPHRASE) the header and the data
    /// are verified against the backup's MAC; without it only the data's checksum
    /// can be checked, and the header is reported as unverified.
    Inspect {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        backup_passphrase_file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and report intact, or the first broken link.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

/// A flag that edits an optional field: absent keeps it, an empty value
/// (`--court ""`) clears it, anything else sets it.
pub(crate) fn edit_flag(v: Option<String>) -> Option<Option<String>> {
    v.map(|s| (!s.trim().is_empty()).then_some(s))
}

/// Prints `v` as `--json` does everywhere: pretty JSON on stdout (docs/cli.md).
fn print_json<T: serde::Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// The matter a command names: by its number (any case), else by its id. Every
/// command that takes a matter finds it here.
fn find_matter(store: &Store, matter: &str) -> anyhow::Result<Matter> {
    match store.matter_by_number(matter) {
        Ok(m) => Ok(m),
        Err(e) if e.code == ErrorCode::NotFound => store.matter(matter.trim()).map_err(|_| {
            Error::not_found(format!(
                "No matter has the number or id {}. List matters to see the numbers in use.",
                matter.trim()
            ))
            .into()
        }),
        Err(e) => Err(e.into()),
    }
}

fn main() -> ExitCode {
    // Panic messages can quote a client's document: never printed.
    mandate_extract::quiet_panics();
    // `mandate` re-runs itself to read PDF and Word files in a child process with
    // limits; in that child this reads one document and exits.
    mandate_extract::run_child_if_requested();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // One line a person can act on; the detail of an internal error stays in it.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The passphrase given for this run, if any (set once in `run`).
static PASSPHRASE: std::sync::OnceLock<Option<zeroize::Zeroizing<String>>> =
    std::sync::OnceLock::new();

fn read_passphrase(
    file: Option<&std::path::Path>,
    env: &str,
) -> anyhow::Result<Option<zeroize::Zeroizing<String>>> {
    if let Some(path) = file {
        let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("could not read the passphrase file {}: {e}", path.display())
        })?);
        return Ok(Some(zeroize::Zeroizing::new(
            text.trim_end_matches(['\r', '\n']).to_owned(),
        )));
    }
    Ok(std::env::var(env)
        .ok()
        .filter(|p| !p.is_empty())
        .map(zeroize::Zeroizing::new))
}

fn backup_passphrase(file: Option<&std::path::Path>) -> anyhow::Result<zeroize::Zeroizing<String>> {
    read_passphrase(file, "MANDATE_BACKUP_PASSPHRASE")?.ok_or_else(|| {
        anyhow::anyhow!("give the backup passphrase in --backup-passphrase-file FILE or MANDATE_BACKUP_PASSPHRASE")
    })
}

fn backup(data_dir: Option<PathBuf>, cmd: BackupCommand) -> anyhow::Result<()> {
    match cmd {
        BackupCommand::Create {
            file,
            backup_passphrase_file,
            replace,
        } => {
            // The same rules as the window's save dialog, with the command's words for
            // replacing a file: nothing is overwritten unless asked.
            if !replace && file.symlink_metadata().is_ok() {
                anyhow::bail!(
                    "{} is already there. Pass --replace to overwrite it, or name another file.",
                    file.display()
                );
            }
            mandate_store::check_backup_file(
                &file,
                if replace {
                    mandate_store::Existing::Replace
                } else {
                    mandate_store::Existing::Refuse
                },
            )?;
            let pass = backup_passphrase(backup_passphrase_file.as_deref())?;
            let mut store = open_store(data_dir)?;
            let h = store.backup_create(&file, &pass)?;
            println!(
                "Backed up store {} to {} ({} bytes, SHA-256 {}).",
                h.store_id,
                file.display(),
                h.db_bytes,
                h.db_sha256
            );
        }
        BackupCommand::Restore {
            file,
            backup_passphrase_file,
        } => {
            let pass = backup_passphrase(backup_passphrase_file.as_deref())?;
            let dir = resolve_data_dir(data_dir)?;
            let target = match PASSPHRASE.get() {
                Some(Some(p)) => mandate_store::RestoreKey::Passphrase(p),
                _ => mandate_store::RestoreKey::Keyring(&SecretServiceVault),
            };
            let store = mandate_store::backup_restore(&file, &pass, &dir.path, target)?;
            println!("Restored store {} into {}.", store.id(), dir.path.display());
        }
        BackupCommand::Inspect {
            file,
            backup_passphrase_file,
            json,
        } => {
            let pass = read_passphrase(
                backup_passphrase_file.as_deref(),
                "MANDATE_BACKUP_PASSPHRASE",
            )?;
            let info = mandate_store::backup_inspect(&file, pass.as_deref().map(String::as_str))?;
            if json {
                print_json(&info)?;
            } else {
                let h = &info.header;
                let calendars = match h.calendars.len() {
                    0 => String::new(),
                    1 => ", 1 firm calendar".to_owned(),
                    n => format!(", {n} firm calendars"),
                };
                println!(
                    "Backup of store {} made {}: {} bytes of data{calendars}.",
                    h.store_id, h.created_at, h.db_bytes
                );
                if info.verified {
                    println!(
                        "Verified with the backup passphrase: the header and the data are as they were written."
                    );
                } else if h.format < 2 {
                    println!(
                        "The data match the header's checksum, but this backup was made by an older Mandate (format {}) and its header cannot be verified. Make a new backup.",
                        h.format
                    );
                } else {
                    println!(
                        "The data match the header's checksum, but the header is UNVERIFIED: anyone could have changed both. Give the backup passphrase (--backup-passphrase-file FILE or MANDATE_BACKUP_PASSPHRASE) to verify it."
                    );
                }
            }
        }
    }
    Ok(())
}

fn open_store(data_dir: Option<PathBuf>) -> anyhow::Result<Store> {
    let mut store = open_store_with_key(data_dir)?;
    // Files added from here are read in a child process with limits: a hostile PDF
    // fails its own text, not the command.
    store.set_extractor(mandate_extract::Extractor::isolated());
    Ok(store)
}

fn open_store_with_key(data_dir: Option<PathBuf>) -> anyhow::Result<Store> {
    let dir = resolve_data_dir(data_dir)?;
    let store = if let Some(Some(p)) = PASSPHRASE.get() {
        // Wrong passphrases cost the same waits here as in the window, counted in
        // the store folder, so a script cannot guess faster than a person.
        Store::open_with_passphrase_throttled(
            &dir.path,
            p,
            mandate_store::KdfParams::recommended(),
            std::time::SystemTime::now(),
            &std::thread::sleep,
        )?
    } else {
        open_with_keyring(&dir.path)?
    };
    if let Some(w) = store.audit_warning() {
        eprintln!("Warning: {w}");
    }
    Ok(store)
}

fn open_with_keyring(dir: &std::path::Path) -> anyhow::Result<Store> {
    Store::open(dir, &SecretServiceVault).map_err(|e| match e.code {
        mandate_core::ErrorCode::KeyringUnavailable => anyhow::anyhow!(
            "{} Or use a passphrase store: set MANDATE_PASSPHRASE or pass --passphrase-file FILE.",
            e.message
        ),
        mandate_core::ErrorCode::PassphraseRequired => anyhow::anyhow!(
            "This store is protected by a passphrase: set MANDATE_PASSPHRASE or pass --passphrase-file FILE."
        ),
        _ => e.into(),
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let _ = PASSPHRASE.set(read_passphrase(
        cli.passphrase_file.as_deref(),
        "MANDATE_PASSPHRASE",
    )?);
    match cli.command {
        Command::Matter { cmd } => {
            let mut store = open_store(cli.data_dir)?;
            matter::run(&mut store, cmd)?;
        }
        Command::Provider { cmd } => provider::run_provider(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Party { cmd } => party::run_party(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Consent { cmd } => consent::run_consent(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Assignment { cmd } => {
            assignment::run_assignment(&mut open_store(cli.data_dir)?, cmd)?
        }
        Command::Message { cmd } => message::run(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Identity { cmd } => exchange::run_identity(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Relay { cmd } => exchange::run_relay(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Invite { cmd } => exchange::run_invite(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Share {
            assignment,
            brief,
            documents,
            deadlines,
            override_reason,
            json,
        } => exchange::run_share(
            &mut open_store(cli.data_dir)?,
            mandate_core::exchange::ShareRequest {
                assignment_id: assignment.into(),
                brief,
                document_versions: documents.into_iter().map(Into::into).collect(),
                deadlines: deadlines.into_iter().map(Into::into).collect(),
            },
            override_reason.as_deref(),
            json,
        )?,
        Command::Person { cmd } => people::run(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Ledger {
            matter,
            provider,
            json,
            csv,
            pdf,
            replace,
        } => {
            let mut store = open_store(cli.data_dir)?;
            match pdf {
                Some(out) => document::write_report(&mut store, matter, provider, &out, replace)?,
                None => document::run_ledger(&mut store, matter, provider, json, csv)?,
            }
        }
        Command::Conflicts { cmd } => return conflicts::run(&mut open_store(cli.data_dir)?, cmd),
        Command::Guard { cmd } => return exchange::run_guard(&mut open_store(cli.data_dir)?, cmd),
        Command::Scan {
            file,
            assignment,
            brief,
            documents,
            deadlines,
            keep,
            item,
            by,
            json,
        } => {
            return exchange::run_scan(
                cli.data_dir,
                exchange::ScanArgs {
                    file,
                    assignment,
                    brief,
                    documents,
                    deadlines,
                    keep,
                    item,
                    by,
                    json,
                },
            );
        }
        Command::Engagement { cmd } => {
            exchange::run_engagement(&mut open_store(cli.data_dir)?, cmd)?
        }
        Command::Deliver {
            assignment,
            file,
            json,
        } => exchange::run_deliver(&mut open_store(cli.data_dir)?, &assignment, &file, json)?,
        Command::Sync { once, every, json } => {
            return exchange::run_sync(&mut open_store(cli.data_dir)?, once, every, json);
        }
        Command::Outbox { retry, all, json } => {
            exchange::run_outbox(&mut open_store(cli.data_dir)?, retry, all, json)?
        }
        Command::Document { cmd } => document::run(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Disclosure { cmd } => {
            document::run_disclosure(&mut open_store(cli.data_dir)?, cmd)?
        }
        Command::Store {
            cmd: StoreCommand::Passphrase {
                new_passphrase_file,
            },
        } => {
            let new = read_passphrase(new_passphrase_file.as_deref(), "MANDATE_NEW_PASSPHRASE")?
                .ok_or_else(|| anyhow::anyhow!("give the new passphrase in --new-passphrase-file FILE or MANDATE_NEW_PASSPHRASE"))?;
            let mut store = open_store(cli.data_dir)?;
            // The passphrase that just opened the store is the proof of the right
            // to change it; a keyring store's key must still be in the keyring.
            let current = match PASSPHRASE.get() {
                Some(Some(p)) if store.is_passphrase_protected() => {
                    mandate_store::CurrentSecret::Passphrase(p)
                }
                _ => mandate_store::CurrentSecret::Keyring(&SecretServiceVault),
            };
            store.change_passphrase(current, &new)?;
            println!("The store is now protected by the new passphrase.");
        }
        Command::Store {
            cmd: StoreCommand::Check { json },
        } => {
            let report = open_store(cli.data_dir)?.check()?;
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "Integrity: {}\nAudit log: {} ({} records)\nFiles: {}\nHolds {} matters, {} messages, {} documents.",
                    report.integrity.join("; "),
                    if report.audit.intact {
                        "intact"
                    } else {
                        "BROKEN"
                    },
                    report.audit.records,
                    if report.files.is_empty() {
                        "whole".to_owned()
                    } else {
                        report.files.join("; ")
                    },
                    report.matters,
                    report.messages,
                    report.documents
                );
            }
            if !report.ok() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Backup { cmd } => backup(cli.data_dir, cmd)?,
        Command::Search { query, limit, json } => {
            let r = open_store(cli.data_dir)?.search(&query, limit)?;
            if json {
                print_json(&r)?;
            } else {
                for m in &r.matters {
                    println!("matter    {}  {} ({})", m.number, m.title, m.client_name);
                }
                for p in &r.parties {
                    println!("party     {}", p.name);
                }
                for p in &r.providers {
                    println!("provider  {}", p.legal_name);
                }
                for h in &r.messages {
                    println!(
                        "message   {} {}  {}",
                        h.matter_number,
                        h.sent_at,
                        snippet_text(&h.snippet)
                    );
                }
                for h in &r.documents {
                    println!(
                        "document  {} {} v{}  {}",
                        h.matter_number,
                        h.file_name,
                        h.version,
                        snippet_text(&h.snippet)
                    );
                }
                if r.matters.is_empty()
                    && r.parties.is_empty()
                    && r.providers.is_empty()
                    && r.messages.is_empty()
                    && r.documents.is_empty()
                {
                    println!("Nothing matches \"{}\".", r.query);
                }
            }
        }
        Command::Demo { json } => {
            let mut store = open_store(cli.data_dir)?;
            let sum = store.demo(jiff::ZonedDateTime::now().date())?;
            if json {
                print_json(&sum)?;
            } else {
                println!(
                    "Added {} matters, {} parties, {} providers, {} consents, {} assignments and {} deadlines.",
                    sum.matters,
                    sum.parties,
                    sum.providers,
                    sum.consents,
                    sum.assignments,
                    sum.deadlines
                );
            }
        }
        Command::Export { format, out } => {
            let mut store = open_store(cli.data_dir)?;
            let format = if format == "csv" {
                mandate_store::ExportFormat::Csv
            } else {
                mandate_store::ExportFormat::Json
            };
            for f in store.export_records(&out, format)? {
                println!("{:>7}  {}", f.records, f.path.display());
            }
            eprintln!("These files are not encrypted: keep them somewhere as safe as the store.");
        }
        Command::Audit {
            cmd: AuditCommand::Verify { json },
        } => {
            let store = open_store(cli.data_dir)?;
            let report = store.audit_verify()?;
            if json {
                print_json(&report)?;
            } else if report.intact {
                println!("Audit log intact: {} records.", report.records);
            } else {
                println!(
                    "Audit log BROKEN at record {}: it was changed or removed after it was written.",
                    report.first_broken.unwrap_or_default()
                );
            }
            if !report.intact {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Deadline {
            cmd: deadline::DeadlineCommand::Store(cmd),
        } => {
            let mut store = open_store(cli.data_dir)?;
            deadline_store::run(&mut store, cmd)?;
        }
        Command::Deadline { cmd } => deadline::run(cmd)?,
        Command::Generate {
            matters,
            messages,
            json,
        } => bench::generate(&mut open_store(cli.data_dir)?, matters, messages, json)?,
        Command::Bench { cmd } => bench::run(cmd)?,
    }
    Ok(ExitCode::SUCCESS)
}
