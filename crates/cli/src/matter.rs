//! `mandate matter ...`

use clap::{Args, Subcommand};
use mandate_core::{Matter, MatterDraft, MatterFilter, MatterPatch, MatterSort, MatterStatus};
use mandate_store::Store;

#[derive(Subcommand)]
pub enum MatterCommand {
    /// Open a new matter.
    Add {
        #[command(flatten)]
        fields: Fields,
        #[arg(long)]
        json: bool,
    },
    /// List matters, newest first.
    List {
        /// Search number, title and client (words may be partial).
        #[arg(long, short)]
        query: Option<String>,
        #[arg(long, value_parser = ["open", "closed"])]
        status: Option<String>,
        #[arg(long, default_value_t = 1000)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Show one matter by its number.
    Show {
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a matter's fields; an empty value clears an optional field.
    Edit {
        number: String,
        #[arg(long = "new-number")]
        new_number: Option<String>,
        #[command(flatten)]
        fields: EditFields,
        #[arg(long)]
        json: bool,
    },
    /// Close a matter.
    Close { number: String },
    /// Reopen a closed matter.
    Reopen { number: String },
}

#[derive(Args)]
pub struct Fields {
    #[arg(long)]
    number: String,
    #[arg(long)]
    title: String,
    #[arg(long)]
    client: String,
    #[arg(long)]
    practice_area: Option<String>,
    #[arg(long)]
    court: Option<String>,
    #[arg(long)]
    jurisdiction: Option<String>,
    /// YYYY-MM-DD; today when absent.
    #[arg(long)]
    opened_on: Option<String>,
}

#[derive(Args)]
pub struct EditFields {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    client: Option<String>,
    #[arg(long)]
    practice_area: Option<String>,
    #[arg(long)]
    court: Option<String>,
    #[arg(long)]
    jurisdiction: Option<String>,
    #[arg(long)]
    opened_on: Option<String>,
}

pub fn run(store: &mut Store, cmd: MatterCommand) -> anyhow::Result<()> {
    match cmd {
        MatterCommand::Add { fields: f, json } => {
            let m = store.create_matter(&MatterDraft {
                number: f.number,
                title: f.title,
                client_name: f.client,
                practice_area: f.practice_area,
                court: f.court,
                jurisdiction: f.jurisdiction,
                opened_on: f.opened_on,
            })?;
            print_one(&m, json, "Opened")?;
        }
        MatterCommand::List {
            query,
            status,
            limit,
            json,
        } => {
            let page = store.list_matters(&MatterFilter {
                query,
                status: status.as_deref().map(MatterStatus::parse).transpose()?,
                sort: MatterSort::OpenedDesc,
                limit: Some(limit),
                offset: None,
            })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&page)?);
            } else if page.items.is_empty() {
                println!(
                    "No matters. Open one with: mandate matter add --number N --title T --client C"
                );
            } else {
                println!(
                    "{:<16} {:<8} {:<10} {:<28} TITLE",
                    "NUMBER", "STATUS", "OPENED", "CLIENT"
                );
                for m in &page.items {
                    println!(
                        "{:<16} {:<8} {:<10} {:<28} {}",
                        m.number,
                        m.status.as_str(),
                        m.opened_on,
                        truncate(&m.client_name, 28),
                        m.title
                    );
                }
                if page.total > page.items.len() as u64 {
                    println!(
                        "({} of {} shown; use --limit or --query)",
                        page.items.len(),
                        page.total
                    );
                }
            }
        }
        MatterCommand::Show { number, json } => {
            let m = store.matter_by_number(&number)?;
            print_one(&m, json, "")?;
        }
        MatterCommand::Edit {
            number,
            new_number,
            fields: f,
            json,
        } => {
            let m = store.matter_by_number(&number)?;
            let m = store.update_matter(
                &m.id,
                &MatterPatch {
                    number: new_number,
                    title: f.title,
                    client_name: f.client,
                    practice_area: f.practice_area,
                    court: f.court,
                    jurisdiction: f.jurisdiction,
                    status: None,
                    opened_on: f.opened_on,
                },
            )?;
            print_one(&m, json, "Saved")?;
        }
        MatterCommand::Close { number } => {
            let m = store.matter_by_number(&number)?;
            let m = store.set_matter_status(&m.id, MatterStatus::Closed)?;
            println!("Closed {} — {}", m.number, m.title);
        }
        MatterCommand::Reopen { number } => {
            let m = store.matter_by_number(&number)?;
            let m = store.set_matter_status(&m.id, MatterStatus::Open)?;
            println!("Reopened {} — {}", m.number, m.title);
        }
    }
    Ok(())
}

fn print_one(m: &Matter, json: bool, verb: &str) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(m)?);
        return Ok(());
    }
    if !verb.is_empty() {
        println!("{verb} {} — {}", m.number, m.title);
        return Ok(());
    }
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    println!("Number:         {}", m.number);
    println!("Title:          {}", m.title);
    println!("Client:         {}", m.client_name);
    println!("Status:         {}", m.status.as_str());
    println!("Opened:         {}", m.opened_on);
    println!("Practice area:  {}", opt(&m.practice_area));
    println!("Court:          {}", opt(&m.court));
    println!("Jurisdiction:   {}", opt(&m.jurisdiction));
    println!("Revision:       {}", m.revision);
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
