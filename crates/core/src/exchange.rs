//! The words of the exchange with providers, as the store keeps them and the CLI and
//! the window show them: relays, channels and their members, the outbox, what came
//! back, and on a provider's install, engagements. The wire format itself is
//! `mandate-protocol`'s; what each item carries is [`ItemBody`].

use serde::{Deserialize, Serialize};

use crate::assignment::{AssignmentStatus, Side};

/// A relay this install uses. The account token is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relay {
    pub url: String,
    /// Whether the relay's operator gave this firm an account (needed to open channels).
    pub has_account: bool,
    pub cert_sha256: Option<String>,
    pub has_ca: bool,
    pub added_at: String,
    pub last_ok_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayDraft {
    pub url: String,
    pub account_token: Option<String>,
    pub cert_sha256: Option<String>,
    pub ca_pem: Option<String>,
}

/// One assignment shared with one provider through one relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: String,
    pub relay_url: String,
    /// The side this install acts for on it.
    pub side: Side,
    pub assignment_id: String,
    pub firm_name: String,
    pub cursor: i64,
    pub last_sync_at: Option<String>,
    pub created_at: String,
    pub members: Vec<ChannelMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelMember {
    pub member_id: String,
    pub role: String,
    pub side: Side,
    pub name: String,
    pub key_id: String,
    /// Six groups of five digits, to read over the phone.
    pub fingerprint: String,
    pub verified_at: Option<String>,
    pub verified_by: Option<String>,
    /// This install's own device.
    pub is_me: bool,
}

/// What a firm chose to send with an assignment. Nothing else of the matter goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRequest {
    pub assignment_id: String,
    /// The scope, instructions and due date.
    pub brief: bool,
    /// Document version ids.
    pub document_versions: Vec<String>,
    pub deadlines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Queued,
    Sent,
    /// Refused by the relay for good: needs attention.
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub envelope_id: String,
    pub channel_id: String,
    pub item_id: String,
    pub kind: String,
    pub revision: i64,
    /// What it is, in words: "document Lease 14.pdf v2", "message".
    pub label: String,
    pub size: i64,
    pub state: OutboxState,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// An envelope received and refused, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRejection {
    pub channel_id: String,
    pub seq: i64,
    pub envelope_id: String,
    pub code: String,
    pub reason: String,
    pub at: String,
}

/// On a provider's install: work received from a firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engagement {
    pub channel_id: String,
    pub firm_name: String,
    pub assignment_id: String,
    pub scope: Option<String>,
    pub instructions: Option<String>,
    pub due_on: Option<String>,
    pub status: AssignmentStatus,
    pub updated_at: String,
    pub items: Vec<EngagementItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementItem {
    pub item_id: String,
    /// `document`, `deadline`, `deliverable` or `message`.
    pub kind: String,
    pub revision: i64,
    pub from_side: Side,
    pub title: String,
    pub body: Option<String>,
    pub sha256: Option<String>,
    pub size: i64,
    pub at: String,
}

/// What each kind of item carries inside its envelope (as JSON; a document's or a
/// deliverable's file bytes follow its JSON line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ItemBody {
    Brief {
        scope: String,
        instructions: Option<String>,
        due_on: String,
        status: AssignmentStatus,
    },
    /// A document version (firm) or a deliverable (provider); the file follows.
    File {
        title: String,
        file_name: String,
        media_type: String,
        version: i64,
        size: i64,
        sha256: String,
    },
    Deadline {
        title: String,
        due_date: String,
        due_at: Option<String>,
        time_zone: String,
    },
    Status {
        from: AssignmentStatus,
        to: AssignmentStatus,
    },
    Message {
        author: String,
        text: String,
        sent_at: String,
    },
}

/// What one round of sync did, for `mandate sync` and the window's header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    pub sent: Vec<String>,
    pub received: Vec<String>,
    pub rejected: Vec<ExchangeRejection>,
    /// Items that will be tried again, with the reason of the last failure.
    pub waiting: Vec<String>,
    /// Items the relay refused for good.
    pub needs_attention: Vec<String>,
}
