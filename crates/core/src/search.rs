//! Global search results, grouped by kind so the window can show them in sections.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{DocumentHit, Matter, MatterParty, Party, Provider};

/// A message that matched a search, with the matter it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageHit {
    pub id: String,
    pub matter_id: String,
    pub matter_number: String,
    pub author: String,
    pub sent_at: String,
    /// The matching part of the body, matched words between `[` and `]`.
    pub snippet: String,
}

/// What one query found, per kind, best matches first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchResults {
    pub query: String,
    pub matters: Vec<Matter>,
    pub parties: Vec<Party>,
    /// The matters the parties found are on (one link per matter and role), so a
    /// party hit can open its matter.
    pub party_links: Vec<MatterParty>,
    pub providers: Vec<Provider>,
    pub messages: Vec<MessageHit>,
    pub documents: Vec<DocumentHit>,
}
