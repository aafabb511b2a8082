//! `mandate provider ...`: the providers the firm sends work to, with their
//! agreements, rates, contacts and diligence.
//!
//! Matters are named by their number and providers by id or legal name, as a
//! person would type them; everything else by id. Each command calls one store
//! function and prints text, or the JSON documented in docs/cli.md with `--json`.

use clap::Subcommand;
use mandate_core::{
    AiUse, Contact, DiligenceFactor, DiligenceItem, Error, Provider, ProviderDraft, ProviderFilter,
    ProviderPatch, Rate,
};
use mandate_store::Store;

use crate::{edit_flag, print_json};

/// What `provider add` and `provider edit` record about a provider.
#[derive(clap::Args)]
pub struct ProviderFields {
    /// A country where it processes data (ISO code, e.g. IN); repeat for more.
    #[arg(long = "country", value_name = "CC")]
    countries: Vec<String>,
    /// A service it offers; repeat for more.
    #[arg(long = "service")]
    services: Vec<String>,
    /// An hourly rate as SERVICE:AMOUNT:CURRENCY, the amount written in the
    /// currency, e.g. "Document review:45.00:USD" or "Translation:6000:JPY".
    #[arg(long = "rate")]
    rates: Vec<String>,
    /// A contact as "Name" or "Name <email>"; repeat for more.
    #[arg(long = "contact")]
    contacts: Vec<String>,
    /// A diligence item still to check; repeat for more.
    #[arg(long = "diligence")]
    diligence: Vec<String>,
    /// A diligence item checked, as "ITEM: evidence"; repeat for more.
    #[arg(long = "diligence-done")]
    diligence_done: Vec<String>,
    /// A factor of Model Rule 5.3 comment 3 checked, as "FACTOR: evidence"; repeat for
    /// more. FACTOR is one of education, experience, reputation, services,
    /// confidentiality, jurisdiction, security. All seven must be checked before work
    /// can be sent.
    #[arg(long = "factor", value_name = "FACTOR: EVIDENCE")]
    factors: Vec<String>,
    /// When diligence must be reviewed again (YYYY-MM-DD).
    #[arg(long)]
    diligence_review_on: Option<String>,
    /// The NDA is on file, signed on this day (YYYY-MM-DD).
    #[arg(long)]
    nda_signed_on: Option<String>,
    /// The BAA is on file, signed on this day.
    #[arg(long)]
    baa_signed_on: Option<String>,
    /// A transfer mechanism (SCCs, IDTA, ...) is on file, signed on this day.
    #[arg(long)]
    transfer_signed_on: Option<String>,
    /// Which AI tools it declared, and for what (needed with --ai-use declared).
    #[arg(long)]
    ai_use_detail: Option<String>,
    /// A name the provider declares it acts for or against; repeat for more.
    #[arg(long = "conflict")]
    conflicts: Vec<String>,
    #[arg(long)]
    notes: Option<String>,
    /// For export-controlled matters: the provider's clearance, or the licence or
    /// exemption number that allows the release (an empty value clears it).
    #[arg(long)]
    export_clearance: Option<String>,
}

impl ProviderFields {
    /// The diligence checklist the flags give: open items, then checked ones.
    fn diligence_items(&self) -> anyhow::Result<Vec<DiligenceItem>> {
        let mut items = Vec::new();
        for raw in &self.factors {
            let (key, evidence) = raw.split_once(':').ok_or_else(|| {
                anyhow::anyhow!(
                    "Write --factor as \"FACTOR: what shows it was checked\", e.g. --factor \"security: ISO 27001 certificate\"."
                )
            })?;
            let factor = DiligenceFactor::parse(key)?;
            items.push(DiligenceItem {
                item: factor.label().to_owned(),
                done: true,
                evidence: Some(evidence.trim().to_owned()),
                factor: Some(factor),
            });
        }
        items.extend(self.diligence.iter().map(|item| DiligenceItem {
            item: item.clone(),
            done: false,
            evidence: None,
            factor: None,
        }));
        items.extend(self.diligence_done.iter().map(|raw| {
            let (item, evidence) = match raw.split_once(':') {
                Some((i, e)) => (i.to_owned(), Some(e.to_owned())),
                None => (raw.clone(), None),
            };
            DiligenceItem {
                item,
                done: true,
                evidence,
                factor: None,
            }
        }));
        Ok(items)
    }

    fn parsed_rates(&self) -> anyhow::Result<Vec<Rate>> {
        self.rates.iter().map(|r| parse_rate(r)).collect()
    }
}

// Parsed once per run, so the size of the largest variant costs nothing.

#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum ProviderCommand {
    /// Record a provider.
    Add {
        /// The provider's full legal name (unique).
        #[arg(long)]
        name: String,
        #[command(flatten)]
        fields: ProviderFields,
        #[arg(long, value_parser = ["undeclared", "none", "declared"], default_value = "undeclared")]
        ai_use: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a provider's file: the flags of `provider add`, each optional. A list
    /// flag given (--country, --service, --rate, --contact, --diligence,
    /// --diligence-done and --factor together, --conflict) replaces that whole list; one left out
    /// stays as it was.
    Edit {
        /// The provider's id or legal name.
        provider: String,
        /// A new legal name.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: ProviderFields,
        #[arg(long, value_parser = ["undeclared", "none", "declared"])]
        ai_use: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List providers by legal name.
    List {
        /// Search legal name, services and notes (words may be partial).
        #[arg(long, short)]
        query: Option<String>,
        /// Only providers that process data in this country.
        #[arg(long)]
        country: Option<String>,
        #[arg(long, default_value_t = 1000)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Show one provider by id or legal name.
    Show {
        provider: String,
        #[arg(long)]
        json: bool,
    },
}

fn invalid(field: &str, msg: String) -> anyhow::Error {
    Error::invalid(field, msg).into()
}

fn parse_rate(raw: &str) -> anyhow::Result<Rate> {
    let mut parts = raw.rsplitn(3, ':');
    let (cur, amount, service) = (parts.next(), parts.next(), parts.next());
    let (Some(service), Some(amount), Some(cur)) = (service, amount, cur) else {
        return Err(invalid(
            "rates",
            format!(
                "--rate \"{raw}\" should be SERVICE:AMOUNT:CURRENCY, e.g. \"Document review:45.00:USD\"."
            ),
        ));
    };
    let currency = cur.trim().to_ascii_uppercase();
    // The amount as the currency writes it: 45.00 USD is 4500 cents, 6000 JPY is
    // 6000 yen; the same reader as the window's amounts.
    let money = mandate_core::Money::parse("rates", amount, &currency).map_err(|e| {
        invalid(
            "rates",
            format!(
                "--rate \"{raw}\": {} It should be SERVICE:AMOUNT:CURRENCY, e.g. \"Document review:45.00:USD\".",
                e.message
            ),
        )
    })?;
    Ok(Rate {
        service: service.into(),
        minor_per_hour: money.minor,
        currency,
    })
}

fn parse_contact(raw: &str) -> Contact {
    match raw.split_once('<') {
        Some((name, rest)) => Contact {
            name: name.trim().into(),
            email: Some(rest.trim_end().trim_end_matches('>').trim().into()),
            ..Default::default()
        },
        None => Contact {
            name: raw.into(),
            ..Default::default()
        },
    }
}

pub fn run_provider(store: &mut Store, cmd: ProviderCommand) -> anyhow::Result<()> {
    match cmd {
        ProviderCommand::Add {
            name,
            fields,
            ai_use,
            json,
        } => {
            let f = &fields;
            let p = store.create_provider(&ProviderDraft {
                legal_name: name,
                countries: f.countries.clone(),
                services: f.services.clone(),
                rates: f.parsed_rates()?,
                contacts: f.contacts.iter().map(|c| parse_contact(c)).collect(),
                diligence: f.diligence_items()?,
                diligence_review_on: f.diligence_review_on.clone(),
                nda_on_file: f.nda_signed_on.is_some(),
                nda_signed_on: f.nda_signed_on.clone(),
                baa_on_file: f.baa_signed_on.is_some(),
                baa_signed_on: f.baa_signed_on.clone(),
                transfer_mechanism_on_file: f.transfer_signed_on.is_some(),
                transfer_mechanism_signed_on: f.transfer_signed_on.clone(),
                ai_use: AiUse::parse(&ai_use)?,
                ai_use_detail: f.ai_use_detail.clone(),
                conflicts: f.conflicts.clone(),
                notes: f.notes.clone(),
                export_clearance: f.export_clearance.clone(),
            })?;
            if json {
                return print_json(&p);
            }
            println!("Recorded provider {} ({})", p.legal_name, p.id);
        }
        ProviderCommand::Edit {
            provider,
            name,
            fields: f,
            ai_use,
            json,
        } => {
            let id = store.provider_by_id_or_name(&provider)?.id;
            let some_list = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
            let diligence_given =
                !f.diligence.is_empty() || !f.diligence_done.is_empty() || !f.factors.is_empty();
            let p = store.update_provider(
                &id,
                &ProviderPatch {
                    legal_name: name,
                    countries: some_list(&f.countries),
                    services: some_list(&f.services),
                    rates: (!f.rates.is_empty())
                        .then(|| f.parsed_rates())
                        .transpose()?,
                    contacts: (!f.contacts.is_empty())
                        .then(|| f.contacts.iter().map(|c| parse_contact(c)).collect()),
                    diligence: diligence_given.then(|| f.diligence_items()).transpose()?,
                    diligence_review_on: edit_flag(f.diligence_review_on.clone()),
                    nda_on_file: f.nda_signed_on.as_ref().map(|_| true),
                    nda_signed_on: edit_flag(f.nda_signed_on.clone()),
                    baa_on_file: f.baa_signed_on.as_ref().map(|_| true),
                    baa_signed_on: edit_flag(f.baa_signed_on.clone()),
                    transfer_mechanism_on_file: f.transfer_signed_on.as_ref().map(|_| true),
                    transfer_mechanism_signed_on: edit_flag(f.transfer_signed_on.clone()),
                    ai_use: ai_use.as_deref().map(AiUse::parse).transpose()?,
                    ai_use_detail: edit_flag(f.ai_use_detail.clone()),
                    conflicts: some_list(&f.conflicts),
                    notes: edit_flag(f.notes.clone()),
                    export_clearance: edit_flag(f.export_clearance.clone()),
                },
            )?;
            if json {
                return print_json(&p);
            }
            println!("Updated provider {} ({})", p.legal_name, p.id);
        }
        ProviderCommand::List {
            query,
            country,
            limit,
            json,
        } => {
            let page = store.list_providers(&ProviderFilter {
                query,
                country,
                limit: Some(limit),
                offset: None,
            })?;
            if json {
                return print_json(&page);
            }
            if page.items.is_empty() {
                println!(
                    "No providers. Record one with: mandate provider add --name NAME --country CC"
                );
            }
            for p in &page.items {
                println!(
                    "{:<36} {:<32} {}",
                    p.id,
                    p.legal_name,
                    p.countries.join(",")
                );
            }
        }
        ProviderCommand::Show { provider, json } => {
            let p = store.provider_by_id_or_name(&provider)?;
            if json {
                return print_json(&p);
            }
            show_provider(&p);
        }
    }
    Ok(())
}

fn show_provider(p: &Provider) {
    let date = |on: bool, d: &Option<String>| {
        if on {
            format!("on file, signed {}", d.as_deref().unwrap_or("?"))
        } else {
            "not on file".into()
        }
    };
    println!("Provider:       {}", p.legal_name);
    println!("Id:             {}", p.id);
    println!("Countries:      {}", p.countries.join(", "));
    println!("Services:       {}", p.services.join(", "));
    for r in &p.rates {
        // The currency's own decimals (none for JPY), not an assumed 100.
        let rate = mandate_core::Money::new(r.minor_per_hour, &r.currency)
            .map(|m| m.text)
            .unwrap_or_else(|_| format!("{} {}", r.minor_per_hour, r.currency));
        println!("Rate:           {}: {rate}/hour", r.service);
    }
    for c in &p.contacts {
        println!(
            "Contact:        {}{}",
            c.name,
            c.email
                .as_deref()
                .map(|e| format!(" <{e}>"))
                .unwrap_or_default()
        );
    }
    for f in mandate_core::provider::factors_open(&p.diligence) {
        println!("Diligence:      [ ] {} (--factor {})", f.label(), f.key());
    }
    // The open factors are listed above, once.
    for d in p
        .diligence
        .iter()
        .filter(|d| d.factor.is_none() || (d.done && d.evidence.is_some()))
    {
        println!(
            "Diligence:      [{}] {}{}",
            if d.done { "x" } else { " " },
            d.item,
            d.evidence
                .as_deref()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default()
        );
    }
    println!(
        "Review due:     {}",
        p.diligence_review_on.as_deref().unwrap_or("—")
    );
    println!("NDA:            {}", date(p.nda_on_file, &p.nda_signed_on));
    println!("BAA:            {}", date(p.baa_on_file, &p.baa_signed_on));
    println!(
        "Transfer:       {}",
        date(
            p.transfer_mechanism_on_file,
            &p.transfer_mechanism_signed_on
        )
    );
    println!(
        "AI use:         {}{}",
        p.ai_use.as_str(),
        p.ai_use_detail
            .as_deref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default()
    );
    println!(
        "Conflicts:      {}",
        if p.conflicts.is_empty() {
            "—".into()
        } else {
            p.conflicts.join("; ")
        }
    );
    println!("Notes:          {}", p.notes.as_deref().unwrap_or("—"));
    println!(
        "Export control: {}",
        p.export_clearance.as_deref().unwrap_or("—")
    );
    println!("Revision:       {}", p.revision);
}
