//! `mandate`: the same operations as the desktop app, without a window.
//!
//! It holds no business logic: every command parses its arguments, calls one
//! function of `mandate-store` or `mandate-deadlines`, and prints the result — as
//! text for people, or as the stable JSON documented in docs/cli.md with `--json`.

mod deadline;
mod deadline_store;
mod matter;
mod practice;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
        cmd: practice::ProviderCommand,
    },
    /// Record parties and link them to matters.
    Party {
        #[command(subcommand)]
        cmd: practice::PartyCommand,
    },
    /// Record client consents to outsourcing.
    Consent {
        #[command(subcommand)]
        cmd: practice::ConsentCommand,
    },
    /// Write, list and move work orders sent to providers.
    Assignment {
        #[command(subcommand)]
        cmd: practice::AssignmentCommand,
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
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and report intact, or the first broken link.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
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

fn open_store(data_dir: Option<PathBuf>) -> anyhow::Result<Store> {
    let dir = resolve_data_dir(data_dir)?;
    Ok(Store::open(&dir.path, &SecretServiceVault)?)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Matter { cmd } => {
            let mut store = open_store(cli.data_dir)?;
            matter::run(&mut store, cmd)?;
        }
        Command::Provider { cmd } => practice::run_provider(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Party { cmd } => practice::run_party(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Consent { cmd } => practice::run_consent(&mut open_store(cli.data_dir)?, cmd)?,
        Command::Assignment { cmd } => {
            practice::run_assignment(&mut open_store(cli.data_dir)?, cmd)?
        }
        Command::Audit {
            cmd: AuditCommand::Verify { json },
        } => {
            let store = open_store(cli.data_dir)?;
            let report = store.audit_verify()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
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
    }
    Ok(ExitCode::SUCCESS)
}
