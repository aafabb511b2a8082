//! What the tests of parties, providers, consents and assignments share: a fresh
//! store on a real SQLCipher file in a temporary folder, with keys in memory, and
//! drafts that the store accepts.

use mandate_core::{
    AssignmentDraft, Matter, MatterDraft, PartyDraft, PartyKind, ProviderDraft, Rate,
};
use tempfile::TempDir;

use crate::{MemoryVault, Store};

/// The date on the person's own clock, as the window and the CLI pass it.
pub(crate) const TODAY: jiff::civil::Date = jiff::civil::date(2026, 12, 1);

pub(crate) fn fresh() -> (TempDir, MemoryVault, Store) {
    let dir = TempDir::new().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(dir.path(), &vault).unwrap();
    (dir, vault, store)
}

pub(crate) fn matter(store: &mut Store, number: &str) -> Matter {
    store
        .create_matter(&MatterDraft {
            number: number.into(),
            title: "Acme v. Widget".into(),
            client_name: "Acme Corp".into(),
            ..Default::default()
        })
        .unwrap()
}

pub(crate) fn provider_draft(name: &str) -> ProviderDraft {
    ProviderDraft {
        legal_name: name.into(),
        countries: vec!["in".into(), "ph".into()],
        services: vec!["Document review".into(), "Transcription".into()],
        rates: vec![Rate {
            service: "Document review".into(),
            minor_per_hour: 4_500,
            currency: "usd".into(),
        }],
        nda_on_file: true,
        nda_signed_on: Some("2026-01-05".into()),
        notes: Some("Strong on Spanish-language review.\nNight shift available.".into()),
        ..Default::default()
    }
}

pub(crate) fn party(name: &str, aliases: &[&str]) -> PartyDraft {
    PartyDraft {
        name: name.into(),
        kind: PartyKind::Organisation,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
    }
}

pub(crate) fn assignment_draft(m: &str, p: &str) -> AssignmentDraft {
    AssignmentDraft {
        matter_id: m.into(),
        provider_id: p.into(),
        scope: "First-level review of custodian email".into(),
        instructions: Some("Tag privilege.\nFlag hot documents.".into()),
        due_on: "2026-04-15".into(),
        budget: Some("20,000".into()),
        budget_currency: Some("USD".into()),
        supervising_attorney: "Jane Smith".into(),
        ..Default::default()
    }
}

pub(crate) fn audit_actions(store: &Store, entity: &str, id: &str) -> Vec<String> {
    store
        .audit_history(entity, id)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect()
}
