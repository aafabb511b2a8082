//! Mandate's domain, as pure logic: the types a lawyer works with (matters today;
//! parties, providers, assignments, deadlines and disclosures as they arrive), their
//! validation, and the one error shape every front end shows.
//!
//! This crate does no I/O and never depends on tauri, so the store, the CLI, the
//! desktop shell and the tests all share exactly the same rules.

pub mod audit;
pub mod error;
pub mod matter;

pub use audit::{AuditRecord, AuditReport};
pub use error::{Error, ErrorCode, Result};
pub use matter::{
    Matter, MatterDraft, MatterFilter, MatterPage, MatterPatch, MatterSort, MatterStatus,
    ValidMatter,
};
