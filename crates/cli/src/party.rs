//! `mandate party ...`: the people and organisations of the firm's matters, and
//! their roles in a matter.
//!
//! Matters are named by their number and providers by id or legal name, as a
//! person would type them; everything else by id. Each command calls one store
//! function and prints text, or the JSON documented in docs/cli.md with `--json`.

use clap::Subcommand;
use mandate_core::{Party, PartyDraft, PartyFilter, PartyKind, PartyRole};
use mandate_store::Store;

use crate::{find_matter, print_json};

#[derive(Subcommand)]
pub enum PartyCommand {
    /// Record a person or organisation.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["person", "organisation", "organization"])]
        kind: String,
        /// Another name it goes by; repeat for more.
        #[arg(long = "alias")]
        aliases: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// List parties by name.
    List {
        /// Search names and aliases (words may be partial).
        #[arg(long, short)]
        query: Option<String>,
        #[arg(long, value_parser = ["person", "organisation", "organization"])]
        kind: Option<String>,
        #[arg(long, default_value_t = 1000)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Show one party by id.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Link a party to a matter in a role.
    Link {
        /// The matter's number (or its id).
        #[arg(long)]
        matter: String,
        /// The party's id.
        #[arg(long)]
        party: String,
        /// client, adverse, co_party, counsel or witness.
        #[arg(long)]
        role: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run_party(store: &mut Store, cmd: PartyCommand) -> anyhow::Result<()> {
    match cmd {
        PartyCommand::Add {
            name,
            kind,
            aliases,
            json,
        } => {
            let p = store.create_party(&PartyDraft {
                name,
                kind: PartyKind::parse(&kind)?,
                aliases,
            })?;
            if json {
                return print_json(&p);
            }
            println!("Recorded party {} ({})", p.name, p.id);
        }
        PartyCommand::List {
            query,
            kind,
            limit,
            json,
        } => {
            let page = store.list_parties(&PartyFilter {
                query,
                kind: kind.as_deref().map(PartyKind::parse).transpose()?,
                limit: Some(limit),
                offset: None,
            })?;
            if json {
                return print_json(&page);
            }
            if page.items.is_empty() {
                println!(
                    "No parties. Record one with: mandate party add --name NAME --kind organisation"
                );
            }
            for p in &page.items {
                println!("{:<36} {:<12} {}", p.id, p.kind.as_str(), party_names(p));
            }
        }
        PartyCommand::Show { id, json } => {
            let p = store.party(&id)?;
            if json {
                return print_json(&p);
            }
            println!("Party:          {}", p.name);
            println!("Id:             {}", p.id);
            println!("Kind:           {}", p.kind.as_str());
            println!(
                "Aliases:        {}",
                if p.aliases.is_empty() {
                    "—".into()
                } else {
                    p.aliases.join("; ")
                }
            );
            println!("Revision:       {}", p.revision);
        }
        PartyCommand::Link {
            matter,
            party,
            role,
            json,
        } => {
            let link = store.link_party(&mandate_core::MatterPartyDraft {
                matter_id: find_matter(store, &matter)?.id,
                party_id: party.into(),
                role: PartyRole::parse(&role)?,
            })?;
            if json {
                return print_json(&link);
            }
            println!(
                "Linked {} to matter {} as {}",
                link.party_name,
                matter.trim(),
                link.role.as_str()
            );
        }
    }
    Ok(())
}

fn party_names(p: &Party) -> String {
    if p.aliases.is_empty() {
        p.name.clone()
    } else {
        format!("{} (also: {})", p.name, p.aliases.join("; "))
    }
}
