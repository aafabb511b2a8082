//! `mandate assignment ...`: the work ordered from a provider, and its moves.
//!
//! Matters are named by their number and providers by id or legal name, as a
//! person would type them; everything else by id. Each command calls one store
//! function and prints text, or the JSON documented in docs/cli.md with `--json`.

use clap::Subcommand;
use mandate_core::{
    Assignment, AssignmentDraft, AssignmentFilter, AssignmentStatus, BillingMode, Side,
};
use mandate_store::Store;

use crate::{find_matter, print_json};

#[derive(Subcommand)]
pub enum AssignmentCommand {
    /// Write a work order (in draft).
    Add {
        /// The matter's number (or its id).
        #[arg(long)]
        matter: String,
        /// The provider's id or legal name.
        #[arg(long)]
        provider: String,
        /// What is to be done, in a line.
        #[arg(long)]
        scope: String,
        #[arg(long)]
        instructions: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        due_on: String,
        /// The budget in the currency's own units, e.g. 12000.50 (USD) or 150000 (JPY).
        #[arg(long)]
        budget: Option<String>,
        /// ISO 4217 code of the budget, e.g. USD.
        #[arg(long)]
        currency: Option<String>,
        #[arg(long, value_parser = ["cost", "fee"], default_value = "cost")]
        billing: String,
        /// The supervising attorney's name.
        #[arg(long)]
        supervisor: String,
        #[arg(long)]
        json: bool,
    },
    /// List work orders, soonest due first.
    List {
        #[arg(long)]
        matter: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 1000)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Show one work order by id.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a work order to another status, as the firm or as the provider.
    Move {
        id: String,
        #[arg(long)]
        to: String,
        #[arg(long = "as", value_parser = ["firm", "provider"])]
        side: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run_assignment(store: &mut Store, cmd: AssignmentCommand) -> anyhow::Result<()> {
    match cmd {
        AssignmentCommand::Add {
            matter,
            provider,
            scope,
            instructions,
            due_on,
            budget,
            currency,
            billing,
            supervisor,
            json,
        } => {
            let a = store.create_assignment(&AssignmentDraft {
                matter_id: find_matter(store, &matter)?.id,
                provider_id: store.provider_by_id_or_name(&provider)?.id,
                scope,
                instructions,
                due_on,
                budget,
                budget_currency: currency,
                billing_mode: BillingMode::parse(&billing)?,
                supervising_attorney: supervisor,
            })?;
            if json {
                return print_json(&a);
            }
            println!("Wrote assignment {} (draft), due {}", a.id, a.due_on);
        }
        AssignmentCommand::List {
            matter,
            provider,
            status,
            limit,
            json,
        } => {
            let page = store.list_assignments(&AssignmentFilter {
                matter_id: matter
                    .as_deref()
                    .map(|m| find_matter(store, m).map(|m| m.id))
                    .transpose()?,
                provider_id: provider
                    .as_deref()
                    .map(|p| store.provider_by_id_or_name(p).map(|p| p.id))
                    .transpose()?,
                status: status.as_deref().map(AssignmentStatus::parse).transpose()?,
                limit: Some(limit),
                offset: None,
            })?;
            if json {
                return print_json(&page);
            }
            if page.items.is_empty() {
                println!("No assignments.");
            }
            for a in &page.items {
                println!(
                    "{:<36} {:<18} {} {}",
                    a.id,
                    a.status.as_str(),
                    a.due_on,
                    a.scope
                );
            }
        }
        AssignmentCommand::Show { id, json } => {
            let a = store.assignment(&id)?;
            if json {
                return print_json(&a);
            }
            show_assignment(&a);
        }
        AssignmentCommand::Move { id, to, side, json } => {
            let (to, side) = (AssignmentStatus::parse(&to)?, Side::parse(&side)?);
            // On a provider's install the work order is an engagement received from a
            // firm: the provider's move is made there and goes back to the firm.
            if side == Side::Provider
                && store.assignment(&id).is_err()
                && let Ok(e) = store.engagement(&id)
            {
                let e = store.move_engagement(&e.channel_id, to)?;
                if json {
                    return print_json(&e);
                }
                println!(
                    "Engagement {} is now {}; the firm sees it after the next sync.",
                    e.channel_id,
                    e.status.as_str()
                );
                return Ok(());
            }
            let a = store.move_assignment(&id, to, side)?;
            if json {
                return print_json(&a);
            }
            println!("Assignment {} is now {}", a.id, a.status.as_str());
        }
    }
    Ok(())
}

fn show_assignment(a: &Assignment) {
    println!("Assignment:     {}", a.id);
    println!("Scope:          {}", a.scope);
    println!("Status:         {}", a.status.as_str());
    println!("Due:            {}", a.due_on);
    println!("Matter id:      {}", a.matter_id);
    println!("Provider id:    {}", a.provider_id);
    println!("Supervisor:     {}", a.supervising_attorney);
    println!("Billing:        {}", a.billing_mode.as_str());
    match &a.budget {
        Some(m) => println!("Budget:         {}", m.text),
        None => println!("Budget:         —"),
    }
    println!("Revision:       {}", a.revision);
    if let Some(i) = &a.instructions {
        println!("Instructions:\n{i}");
    }
}
