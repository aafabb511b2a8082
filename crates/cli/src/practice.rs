//! `mandate provider|party|consent|assignment ...`: the firm's practice records.
//!
//! Matters are named by their number and providers by id or legal name, as a
//! person would type them; everything else by id. Each command calls one store
//! function and prints text, or the JSON documented in docs/cli.md with `--json`.

use clap::Subcommand;
use mandate_core::{
    AiUse, Assignment, AssignmentDraft, AssignmentFilter, AssignmentStatus, BillingMode, Consent,
    ConsentDraft, ConsentFilter, Contact, DataClass, DiligenceFactor, DiligenceItem, Error, Party,
    PartyDraft, PartyFilter, PartyKind, PartyRole, Provider, ProviderDraft, ProviderFilter,
    ProviderPatch, Rate, Side,
};
use mandate_store::Store;

use crate::{find_matter, print_json};

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
                    diligence_review_on: f.diligence_review_on.clone(),
                    nda_on_file: f.nda_signed_on.as_ref().map(|_| true),
                    nda_signed_on: f.nda_signed_on.clone(),
                    baa_on_file: f.baa_signed_on.as_ref().map(|_| true),
                    baa_signed_on: f.baa_signed_on.clone(),
                    transfer_mechanism_on_file: f.transfer_signed_on.as_ref().map(|_| true),
                    transfer_mechanism_signed_on: f.transfer_signed_on.clone(),
                    ai_use: ai_use.as_deref().map(AiUse::parse).transpose()?,
                    ai_use_detail: f.ai_use_detail.clone(),
                    conflicts: some_list(&f.conflicts),
                    notes: f.notes.clone(),
                    export_clearance: f.export_clearance.clone(),
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
