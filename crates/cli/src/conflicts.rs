//! `mandate conflicts check|show|clear`: the matter's parties against a provider's
//! declared conflicts (or the firm's other matters), and clearing each match with a
//! reason. The matching is `mandate_core::conflict`; the record is the store's.

use clap::Subcommand;
use mandate_core::conflict::ConflictCheck;
use mandate_store::Store;

use crate::{find_matter, print_json};

#[derive(Subcommand)]
pub enum ConflictsCommand {
    /// Run and record a check of the matter's client, parties and aliases against a
    /// provider's declared conflicts, or (without --provider) the firm's other matters.
    /// Exits 4 when matches wait to be cleared.
    Check {
        #[arg(long)]
        matter: String,
        /// The provider's id or legal name.
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The newest check of the matter (and provider).
    Show {
        #[arg(long)]
        matter: String,
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Clear match INDEX (as listed, from 1) of check CHECK_ID, saying why.
    Clear {
        check_id: String,
        index: usize,
        #[arg(long)]
        note: String,
    },
}

fn print(check: &ConflictCheck) {
    println!(
        "Check {} by {} at {}: {} match(es), {} open",
        check.id,
        check.checked_by,
        check.checked_at,
        check.matches.len(),
        check.open_matches()
    );
    for (i, m) in check.matches.iter().enumerate() {
        let state = match (&m.cleared_by, &m.note) {
            (Some(by), Some(note)) => format!("cleared by {by}: {note}"),
            _ => "OPEN".to_owned(),
        };
        println!(
            "  {:>2}. {} ~ {}  ({:?}, {:.2})  {state}",
            i + 1,
            m.found.party,
            m.found.listed,
            m.found.kind,
            m.found.score
        );
    }
}

pub fn run(store: &mut Store, cmd: ConflictsCommand) -> anyhow::Result<std::process::ExitCode> {
    let check = match cmd {
        ConflictsCommand::Check {
            matter,
            provider,
            json,
        } => {
            let m = find_matter(store, &matter)?;
            let provider_id = provider
                .map(|p| store.provider_by_id_or_name(&p).map(|p| p.id))
                .transpose()?;
            let check = store.run_conflict_check(&m.id, provider_id.as_deref())?;
            if json {
                print_json(&check)?
            } else {
                print(&check)
            }
            check
        }
        ConflictsCommand::Show {
            matter,
            provider,
            json,
        } => {
            let m = find_matter(store, &matter)?;
            let provider_id = provider
                .map(|p| store.provider_by_id_or_name(&p).map(|p| p.id))
                .transpose()?;
            let check = store.latest_conflict_check(&m.id, provider_id.as_deref())?.ok_or_else(|| {
                mandate_core::Error::not_found("No conflict check was run for that. Run one: mandate conflicts check --matter NUMBER [--provider NAME]")
            })?;
            if json {
                print_json(&check)?
            } else {
                print(&check)
            }
            check
        }
        ConflictsCommand::Clear {
            check_id,
            index,
            note,
        } => {
            let check = store.clear_conflict_match(&check_id, index, &note)?;
            print(&check);
            check
        }
    };
    Ok(if check.open_matches() > 0 {
        std::process::ExitCode::from(4)
    } else {
        std::process::ExitCode::SUCCESS
    })
}
