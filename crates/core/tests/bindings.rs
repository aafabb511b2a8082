//! The TypeScript types in ui/src/bindings are generated from these Rust types and
//! committed. This test fails when they are stale; `UPDATE_BINDINGS=1 cargo test
//! -p mandate-core --test bindings` rewrites them.

use std::path::PathBuf;

use mandate_core::{
    AuditRecord, AuditReport, ErrorCode, Matter, MatterDraft, MatterFilter, MatterPage,
    MatterPatch, MatterSort, MatterStatus,
};
use ts_rs::{Config, TS};

fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

fn generated<T: TS + 'static>(cfg: &Config) -> (String, String) {
    let body = T::export_to_string(cfg).expect("binding generates");
    (format!("{}.ts", T::ident(cfg)), body)
}

#[test]
fn typescript_bindings_are_current() {
    let cfg = Config::new().with_large_int("number");
    let files = [
        generated::<mandate_core::Error>(&cfg),
        // -- ids: each its own name, all text --
        generated::<mandate_core::MatterId>(&cfg),
        generated::<mandate_core::PartyId>(&cfg),
        generated::<mandate_core::ProviderId>(&cfg),
        generated::<mandate_core::ConsentId>(&cfg),
        generated::<mandate_core::AssignmentId>(&cfg),
        generated::<mandate_core::DeadlineId>(&cfg),
        generated::<mandate_core::DocumentId>(&cfg),
        generated::<mandate_core::VersionId>(&cfg),
        generated::<mandate_core::MessageId>(&cfg),
        generated::<ErrorCode>(&cfg),
        generated::<Matter>(&cfg),
        generated::<MatterDraft>(&cfg),
        generated::<MatterPatch>(&cfg),
        generated::<MatterFilter>(&cfg),
        generated::<MatterPage>(&cfg),
        generated::<MatterSort>(&cfg),
        generated::<MatterStatus>(&cfg),
        generated::<AuditRecord>(&cfg),
        generated::<AuditReport>(&cfg),
        generated::<mandate_core::MessageHit>(&cfg),
        generated::<mandate_core::SearchResults>(&cfg),
        generated::<mandate_core::SnippetPart>(&cfg),
        // -- deadlines --
        generated::<mandate_core::deadline::Deadline>(&cfg),
        generated::<mandate_core::deadline::DeadlineDraft>(&cfg),
        generated::<mandate_core::deadline::DeadlineFilter>(&cfg),
        generated::<mandate_core::deadline::DeadlineKind>(&cfg),
        generated::<mandate_core::deadline::DeadlineStatus>(&cfg),
        generated::<mandate_core::deadline::DeadlineStep>(&cfg),
        generated::<mandate_core::deadline::CountingMethod>(&cfg),
        generated::<mandate_core::deadline::CountDirection>(&cfg),
        generated::<mandate_core::deadline::ServiceMethod>(&cfg),
        generated::<mandate_core::deadline::Dashboard>(&cfg),
        generated::<mandate_core::deadline::RuleInfo>(&cfg),
        generated::<mandate_core::deadline::MovedDeadline>(&cfg),
        generated::<mandate_core::deadline::CalendarChange>(&cfg),
        generated::<mandate_core::deadline::DeadlineReminder>(&cfg),
        generated::<mandate_core::deadline::DeadlineSettings>(&cfg),
        // -- parties, providers, consents, assignments --
        generated::<mandate_core::party::Party>(&cfg),
        generated::<mandate_core::party::PartyDraft>(&cfg),
        generated::<mandate_core::party::PartyPatch>(&cfg),
        generated::<mandate_core::party::PartyFilter>(&cfg),
        generated::<mandate_core::party::PartyPage>(&cfg),
        generated::<mandate_core::party::PartyKind>(&cfg),
        generated::<mandate_core::party::PartyRole>(&cfg),
        generated::<mandate_core::party::MatterParty>(&cfg),
        generated::<mandate_core::party::MatterPartyDraft>(&cfg),
        generated::<mandate_core::provider::Provider>(&cfg),
        generated::<mandate_core::provider::ProviderDraft>(&cfg),
        generated::<mandate_core::provider::ProviderPatch>(&cfg),
        generated::<mandate_core::provider::ProviderFilter>(&cfg),
        generated::<mandate_core::provider::ProviderPage>(&cfg),
        generated::<mandate_core::provider::Rate>(&cfg),
        generated::<mandate_core::provider::Contact>(&cfg),
        generated::<mandate_core::provider::DiligenceItem>(&cfg),
        generated::<mandate_core::provider::DiligenceStatus>(&cfg),
        generated::<mandate_core::provider::FactorLine>(&cfg),
        generated::<mandate_core::provider::DiligenceFactor>(&cfg),
        generated::<mandate_core::provider::ReviewState>(&cfg),
        generated::<mandate_core::provider::AiUse>(&cfg),
        generated::<mandate_core::consent::Consent>(&cfg),
        generated::<mandate_core::consent::ConsentDraft>(&cfg),
        generated::<mandate_core::consent::ConsentPatch>(&cfg),
        generated::<mandate_core::consent::ConsentFilter>(&cfg),
        generated::<mandate_core::consent::DataClass>(&cfg),
        generated::<mandate_core::assignment::Assignment>(&cfg),
        generated::<mandate_core::money::Money>(&cfg),
        generated::<mandate_core::assignment::AssignmentDraft>(&cfg),
        generated::<mandate_core::assignment::AssignmentPatch>(&cfg),
        generated::<mandate_core::assignment::AssignmentFilter>(&cfg),
        generated::<mandate_core::assignment::AssignmentPage>(&cfg),
        generated::<mandate_core::assignment::AssignmentStatus>(&cfg),
        generated::<mandate_core::assignment::BillingMode>(&cfg),
        generated::<mandate_core::assignment::Side>(&cfg),
        // -- messages --
        generated::<mandate_core::message::Message>(&cfg),
        generated::<mandate_core::message::MessageDraft>(&cfg),
        generated::<mandate_core::message::MessageCursor>(&cfg),
        generated::<mandate_core::message::MessagePage>(&cfg),
        // -- documents, reviews, disclosures --
        generated::<mandate_core::document::Document>(&cfg),
        generated::<mandate_core::document::DocumentVersion>(&cfg),
        generated::<mandate_core::document::DocumentOwner>(&cfg),
        generated::<mandate_core::document::DocumentUpload>(&cfg),
        generated::<mandate_core::document::DocumentHit>(&cfg),
        generated::<mandate_core::document::Review>(&cfg),
        generated::<mandate_core::document::ReviewDraft>(&cfg),
        generated::<mandate_core::document::ReviewOutcome>(&cfg),
        generated::<mandate_core::document::Disclosure>(&cfg),
        generated::<mandate_core::document::DisclosureDraft>(&cfg),
        generated::<mandate_core::document::DisclosureDecision>(&cfg),
        generated::<mandate_core::document::DisclosedItem>(&cfg),
        generated::<mandate_core::document::DisclosureFilter>(&cfg),
        generated::<mandate_core::document::LedgerRow>(&cfg),
        // -- backup and export --
        generated::<mandate_core::outputs::Progress>(&cfg),
        generated::<mandate_core::outputs::ProgressPhase>(&cfg),
        generated::<mandate_core::outputs::BackupSummary>(&cfg),
        generated::<mandate_core::outputs::ExportedFileSummary>(&cfg),
        generated::<mandate_core::outputs::ChosenTarget>(&cfg),
        // -- the send guard --
        generated::<mandate_core::guard::GuardDecision>(&cfg),
        generated::<mandate_core::conflict::ConflictCheck>(&cfg),
        generated::<mandate_core::conflict::CheckedMatch>(&cfg),
        generated::<mandate_core::conflict::ConflictMatch>(&cfg),
        generated::<mandate_core::conflict::MatchKind>(&cfg),
        generated::<mandate_core::provider::ReviewReminder>(&cfg),
        generated::<mandate_core::guard::Decision>(&cfg),
        generated::<mandate_core::guard::Reason>(&cfg),
        generated::<mandate_core::scan::Hit>(&cfg),
        generated::<mandate_core::scan::HitKind>(&cfg),
        generated::<mandate_core::scan::ScanFinding>(&cfg),
        generated::<mandate_core::scan::ItemScan>(&cfg),
        generated::<mandate_core::person::Person>(&cfg),
        generated::<mandate_core::person::PersonDraft>(&cfg),
        generated::<mandate_core::person::PersonRole>(&cfg),
        // -- the exchange --
        generated::<mandate_core::exchange::Relay>(&cfg),
        generated::<mandate_core::exchange::RelayDraft>(&cfg),
        generated::<mandate_core::exchange::Channel>(&cfg),
        generated::<mandate_core::exchange::ChannelMember>(&cfg),
        generated::<mandate_core::exchange::ShareRequest>(&cfg),
        generated::<mandate_core::exchange::OutboxState>(&cfg),
        generated::<mandate_core::exchange::OutboxEntry>(&cfg),
        generated::<mandate_core::exchange::ExchangeRejection>(&cfg),
        generated::<mandate_core::exchange::Engagement>(&cfg),
        generated::<mandate_core::exchange::EngagementItem>(&cfg),
        generated::<mandate_core::exchange::SyncReport>(&cfg),
        generated::<mandate_core::exchange::IdentityInfo>(&cfg),
        generated::<mandate_core::exchange::RelayProblem>(&cfg),
        generated::<mandate_core::exchange::RelayCheck>(&cfg),
        generated::<mandate_core::exchange::QrCode>(&cfg),
        generated::<mandate_core::exchange::InviteCreated>(&cfg),
        generated::<mandate_core::exchange::InvitePreview>(&cfg),
        generated::<mandate_core::exchange::Joined>(&cfg),
        generated::<mandate_core::exchange::SyncStatus>(&cfg),
        generated::<mandate_core::exchange::ArrivalTarget>(&cfg),
    ];
    let dir = bindings_dir();
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    for (name, body) in &files {
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, body).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(body.as_str()) {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings in ui/src/bindings: {stale:?}. \
         Run `UPDATE_BINDINGS=1 cargo test -p mandate-core --test bindings` and commit the result."
    );
}
