//! `mandate matter ...`

use clap::{Args, Subcommand};
use mandate_core::{
    DataClass, Matter, MatterDraft, MatterFilter, MatterPatch, MatterSort, MatterStatus,
};
use mandate_store::Store;

use crate::{edit_flag, find_matter, print_json};

#[derive(Subcommand)]
pub enum MatterCommand {
    /// Open a new matter.
    Add {
        #[command(flatten)]
        fields: Fields,
        #[arg(long)]
        json: bool,
    },
    /// List matters, newest first (or by --sort).
    List {
        /// Search number, title and client (words may be partial).
        #[arg(long, short)]
        query: Option<String>,
        #[arg(long, value_parser = ["open", "closed"])]
        status: Option<String>,
        /// Only matters whose client's name begins with this (case ignored).
        #[arg(long)]
        client: Option<String>,
        /// Only matters before this court (the whole name, case ignored).
        #[arg(long)]
        court: Option<String>,
        /// Only matters with a work order to this provider (id or legal name).
        #[arg(long, value_name = "ID_OR_LEGAL_NAME")]
        provider: Option<String>,
        #[arg(long, default_value = "opened", value_parser = ["opened", "number", "title", "client"])]
        sort: String,
        #[arg(long, default_value_t = 1000)]
        limit: u32,
        /// Continue after this position (the "next" of the previous page).
        #[arg(long, value_name = "CURSOR")]
        after: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one matter by its number (or its id).
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
    /// The attorney who supervises work sent out on this matter.
    #[arg(long)]
    supervising_attorney: Option<String>,
    /// eu_uk_personal_data, health_information, export_controlled or protective_order; repeat for more.
    #[arg(long = "data-class", value_name = "CLASS")]
    data_classes: Vec<String>,
    /// A country where providers may process the matter's data (ISO code, e.g. US); repeat for more. None: any country.
    #[arg(long = "allowed-country", value_name = "CC")]
    allowed_countries: Vec<String>,
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
    #[arg(long)]
    supervising_attorney: Option<String>,
    /// Replaces the classes of data; repeat for more; --data-class "" clears them.
    #[arg(long = "data-class", value_name = "CLASS")]
    data_classes: Vec<String>,
    /// Replaces the allowed countries; repeat for more; --allowed-country "" lifts the restriction.
    #[arg(long = "allowed-country", value_name = "CC")]
    allowed_countries: Vec<String>,
}

/// Data classes as typed; blanks are skipped (so `--data-class ""` means none).
fn data_classes(raw: &[String]) -> Result<Vec<DataClass>, mandate_core::Error> {
    raw.iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| DataClass::parse(c))
        .collect()
}

/// A repeated flag of an edit: absent means unchanged; given (even as "") replaces.
fn replaced<T>(
    raw: Vec<String>,
    f: impl FnOnce(&[String]) -> Result<T, mandate_core::Error>,
) -> Result<Option<T>, mandate_core::Error> {
    if raw.is_empty() {
        Ok(None)
    } else {
        f(&raw).map(Some)
    }
}

pub fn run(store: &mut Store, cmd: MatterCommand) -> anyhow::Result<()> {
    match cmd {
        MatterCommand::Add { fields: f, json } => {
            let (m, check) = store.open_matter(&MatterDraft {
                number: f.number,
                title: f.title,
                client_name: f.client,
                practice_area: f.practice_area,
                court: f.court,
                jurisdiction: f.jurisdiction,
                supervising_attorney: f.supervising_attorney,
                data_classes: data_classes(&f.data_classes)?,
                allowed_countries: f.allowed_countries,
                opened_on: f.opened_on,
            })?;
            print_one(&m, json, "Opened")?;
            let open = check.open_matches();
            if open > 0 {
                // On stderr, so --json output stays one document.
                eprintln!(
                    "Conflict check against the firm's other matters: {open} possible conflict{} to clear. See them with: mandate conflicts show --matter {}",
                    if open == 1 { "" } else { "s" },
                    m.number
                );
            }
        }
        MatterCommand::List {
            query,
            status,
            client,
            court,
            provider,
            sort,
            limit,
            after,
            json,
        } => {
            let page = store.list_matters(&MatterFilter {
                query,
                status: status.as_deref().map(MatterStatus::parse).transpose()?,
                client,
                court,
                provider_id: provider
                    .as_deref()
                    .map(|p| store.provider_by_id_or_name(p).map(|p| p.id))
                    .transpose()?,
                sort: MatterSort::parse(&sort)?,
                limit: Some(limit),
                after,
                offset: None,
                // Scripts read "total" on every page.
                count: Some(true),
            })?;
            if json {
                print_json(&page)?;
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
                if let Some(next) = &page.next {
                    let total = page.total.map_or_else(String::new, |t| format!(" of {t}"));
                    println!(
                        "({}{total} shown; the next page: add --after '{}')",
                        page.items.len(),
                        next.replace('\'', "'\\''")
                    );
                }
            }
        }
        MatterCommand::Show { number, json } => {
            let m = find_matter(store, &number)?;
            print_one(&m, json, "")?;
        }
        MatterCommand::Edit {
            number,
            new_number,
            fields: f,
            json,
        } => {
            let m = find_matter(store, &number)?;
            let m = store.update_matter(
                &m.id,
                &MatterPatch {
                    number: new_number,
                    title: f.title,
                    client_name: f.client,
                    practice_area: edit_flag(f.practice_area),
                    court: edit_flag(f.court),
                    jurisdiction: edit_flag(f.jurisdiction),
                    supervising_attorney: edit_flag(f.supervising_attorney),
                    data_classes: replaced(f.data_classes, data_classes)?,
                    allowed_countries: replaced(f.allowed_countries, |c| Ok(c.to_vec()))?,
                    status: None,
                    opened_on: f.opened_on,
                },
            )?;
            print_one(&m, json, "Saved")?;
        }
        MatterCommand::Close { number } => {
            let m = find_matter(store, &number)?;
            let m = store.set_matter_status(&m.id, MatterStatus::Closed)?;
            println!("Closed {} — {}", m.number, m.title);
        }
        MatterCommand::Reopen { number } => {
            let m = find_matter(store, &number)?;
            let m = store.set_matter_status(&m.id, MatterStatus::Open)?;
            println!("Reopened {} — {}", m.number, m.title);
        }
    }
    Ok(())
}

fn print_one(m: &Matter, json: bool, verb: &str) -> anyhow::Result<()> {
    if json {
        print_json(m)?;
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
    println!("Supervised by:  {}", opt(&m.supervising_attorney));
    let classes: Vec<&str> = m.data_classes.iter().map(|c| c.as_str()).collect();
    println!(
        "Data classes:   {}",
        if classes.is_empty() {
            "none recorded".to_owned()
        } else {
            classes.join(", ")
        }
    );
    println!(
        "Providers in:   {}",
        if m.allowed_countries.is_empty() {
            "any country".to_owned()
        } else {
            m.allowed_countries.join(", ")
        }
    );
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
