//! `mandate consent ...`: what a client agreed may be outsourced, to whom and where.
//!
//! Matters are named by their number and providers by id or legal name, as a
//! person would type them; everything else by id. Each command calls one store
//! function and prints text, or the JSON documented in docs/cli.md with `--json`.

use clap::Subcommand;
use mandate_core::{Consent, ConsentDraft, ConsentFilter, DataClass};
use mandate_store::Store;

use crate::{find_matter, print_json};

#[derive(Subcommand)]
pub enum ConsentCommand {
    /// Record a client's consent to send a matter's work to a provider.
    Add {
        /// The matter's number (or its id).
        #[arg(long)]
        matter: String,
        /// The provider's id or legal name.
        #[arg(long)]
        provider: String,
        /// What the client agreed may be outsourced.
        #[arg(long)]
        scope: String,
        /// eu_uk_personal_data, health_information, export_controlled or protective_order; repeat for more.
        #[arg(long = "data-class")]
        data_classes: Vec<String>,
        /// A country the client allowed (ISO code); repeat for more.
        #[arg(long = "country", value_name = "CC")]
        countries: Vec<String>,
        /// The day consent was given (YYYY-MM-DD).
        #[arg(long)]
        given_on: String,
        /// What shows it: the email, letter or where it is filed.
        #[arg(long)]
        evidence: String,
        /// The client also consented to the provider's use of AI tools on the work.
        #[arg(long, requires = "ai_use_evidence")]
        covers_ai_use: bool,
        /// What shows the consent to AI use (with --covers-ai-use).
        #[arg(long)]
        ai_use_evidence: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List consents, newest first.
    List {
        #[arg(long)]
        matter: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run_consent(store: &mut Store, cmd: ConsentCommand) -> anyhow::Result<()> {
    match cmd {
        ConsentCommand::Add {
            matter,
            provider,
            scope,
            data_classes,
            countries,
            given_on,
            evidence,
            covers_ai_use,
            ai_use_evidence,
            json,
        } => {
            let c = store.create_consent(
                &ConsentDraft {
                    matter_id: find_matter(store, &matter)?.id,
                    provider_id: store.provider_by_id_or_name(&provider)?.id,
                    scope,
                    data_classes: data_classes
                        .iter()
                        .map(|c| DataClass::parse(c))
                        .collect::<Result<_, _>>()?,
                    countries,
                    given_on,
                    evidence,
                    covers_ai_use,
                    ai_use_evidence,
                },
                // The date on this machine's clock, in its time zone.
                jiff::ZonedDateTime::now().date(),
            )?;
            if json {
                return print_json(&c);
            }
            println!("Recorded consent {} of {}", c.id, c.given_on);
        }
        ConsentCommand::List {
            matter,
            provider,
            json,
        } => {
            let filter = ConsentFilter {
                matter_id: matter
                    .as_deref()
                    .map(|m| find_matter(store, m).map(|m| m.id))
                    .transpose()?,
                provider_id: provider
                    .as_deref()
                    .map(|p| store.provider_by_id_or_name(p).map(|p| p.id))
                    .transpose()?,
            };
            let consents = store.list_consents(&filter)?;
            if json {
                return print_json(&consents);
            }
            if consents.is_empty() {
                println!("No consents recorded.");
            }
            for c in &consents {
                print_consent(c);
            }
        }
    }
    Ok(())
}

fn print_consent(c: &Consent) {
    let classes: Vec<&str> = c.data_classes.iter().map(|d| d.as_str()).collect();
    println!(
        "{} {} scope: {}; data: {}; countries: {}",
        c.given_on,
        c.id,
        c.scope,
        if classes.is_empty() {
            "—".into()
        } else {
            classes.join(",")
        },
        if c.countries.is_empty() {
            "—".into()
        } else {
            c.countries.join(",")
        }
    );
}
