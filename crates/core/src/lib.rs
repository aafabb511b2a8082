//! Mandate's domain, as pure logic: the types a lawyer works with (matters today;
//! parties, providers, assignments, deadlines and disclosures as they arrive), their
//! validation, and the one error shape every front end shows.
//!
//! This crate does no I/O and never depends on tauri, so the store, the CLI, the
//! desktop shell and the tests all share exactly the same rules.

pub mod assignment;
pub mod audit;
pub mod clock;
pub mod conflict;
pub mod consent;
pub mod data_class;
pub mod dates;
pub mod deadline;
pub mod document;
pub mod error;
pub mod exchange;
pub mod fields;
pub mod guard;
pub mod ids;
pub mod matter;
pub mod message;
pub mod money;
pub mod outputs;
pub mod party;
pub mod person;
pub mod provider;
pub mod scan;
pub mod search;

pub use assignment::{
    Assignment, AssignmentDraft, AssignmentFilter, AssignmentPage, AssignmentPatch,
    AssignmentStatus, BillingMode, Side, transition,
};
pub use audit::{AuditRecord, AuditReport};
pub use consent::{Consent, ConsentDraft, ConsentFilter, ConsentPatch, DataClass};
pub use document::{
    DisclosedItem, Disclosure, DisclosureDecision, DisclosureDraft, DisclosureFilter, Document,
    DocumentHit, DocumentOwner, DocumentUpload, DocumentVersion, Review, ReviewDraft,
    ReviewOutcome,
};
pub use error::{Error, ErrorCode, Result};
pub use ids::{
    AssignmentId, ConsentId, DeadlineId, DocumentId, MatterId, MessageId, PartyId, ProviderId,
    VersionId,
};
pub use matter::{
    Matter, MatterCursor, MatterDraft, MatterFilter, MatterPage, MatterPatch, MatterSort,
    MatterStatus, ValidMatter,
};
pub use message::{Message, MessageCursor, MessageDraft, MessagePage};
pub use money::Money;
pub use outputs::{BackupSummary, ChosenTarget, ExportedFileSummary, Progress, ProgressPhase};
pub use party::{
    MatterParty, MatterPartyDraft, Party, PartyDraft, PartyFilter, PartyKind, PartyPage,
    PartyPatch, PartyRole,
};
pub use provider::{
    AiUse, Contact, DiligenceFactor, DiligenceItem, Provider, ProviderDraft, ProviderFilter,
    ProviderPage, ProviderPatch, Rate,
};
pub use search::{MessageHit, SearchResults, SnippetPart, snippet_text};

#[cfg(test)]
mod layout_tests {
    /// The shared basics (field limits and checks, dates, data classes) sit below the
    /// records that use them: a matter and a consent do not import each other, and
    /// the field checks import neither, so each can be read and changed alone.
    #[test]
    fn matter_consent_and_fields_do_not_import_each_other() {
        let src = |f: &str| {
            std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("src")
                    .join(f),
            )
            .unwrap()
        };
        for (file, must_not) in [
            ("matter.rs", "crate::consent"),
            ("consent.rs", "crate::matter"),
            ("fields.rs", "crate::matter"),
            ("fields.rs", "crate::consent"),
            ("dates.rs", "crate::matter"),
            ("data_class.rs", "crate::matter"),
            ("data_class.rs", "crate::consent"),
        ] {
            assert!(!src(file).contains(must_not), "{file} uses {must_not}");
        }
    }
}
