//! `mandate person`: the people of the firm, and who is at this desk (audit records,
//! decisions and overrides name them).

use clap::Subcommand;
use mandate_core::person::{PersonDraft, PersonRole};
use mandate_store::Store;

use crate::print_json;

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Add one of the firm's people.
    Add {
        #[arg(long)]
        name: String,
        /// attorney, paralegal or staff.
        #[arg(long)]
        role: String,
        /// An attorney's bar admission (state and number).
        #[arg(long)]
        bar_admission: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the firm's people, and who is at this desk.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Choose who is at this desk: from now on the audit log and the ledger name them.
    Use { name: String },
}

pub fn run(store: &mut Store, cmd: PersonCommand) -> anyhow::Result<()> {
    match cmd {
        PersonCommand::Add {
            name,
            role,
            bar_admission,
            json,
        } => {
            let p = store.add_person(&PersonDraft {
                name,
                role: PersonRole::parse(&role)?,
                bar_admission,
            })?;
            if json {
                return print_json(&p);
            }
            println!("Added {}.", p.signature());
        }
        PersonCommand::List { json } => {
            let people = store.people()?;
            let desk = store.desk_person()?;
            if json {
                return print_json(&serde_json::json!({
                    "people": people,
                    "desk": desk.map(|p| p.id),
                }));
            }
            for p in people {
                let here = desk.as_ref().is_some_and(|d| d.id == p.id);
                println!(
                    "{}{}{}",
                    p.signature(),
                    p.bar_admission
                        .as_deref()
                        .map(|b| format!(", bar {b}"))
                        .unwrap_or_default(),
                    if here { "  ← at this desk" } else { "" }
                );
            }
        }
        PersonCommand::Use { name } => {
            let p = store.use_person(&name)?;
            println!("{} is at this desk.", p.signature());
        }
    }
    Ok(())
}
