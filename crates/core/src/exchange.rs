//! The words of the exchange with providers, as the store keeps them and the CLI and
//! the window show them: relays, channels and their members, the outbox, what came
//! back, and on a provider's install, engagements. The wire format itself is
//! `mandate-protocol`'s; what each item carries is [`ItemBody`].

use crate::ids::{AssignmentId, DeadlineId, MatterId, VersionId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::assignment::{AssignmentStatus, Side};

/// A relay this install uses. The account token is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Relay {
    pub url: String,
    /// Whether the relay's operator gave this firm an account (needed to open channels).
    pub has_account: bool,
    pub cert_sha256: Option<String>,
    pub has_ca: bool,
    pub added_at: String,
    pub last_ok_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RelayDraft {
    pub url: String,
    pub account_token: Option<String>,
    pub cert_sha256: Option<String>,
    pub ca_pem: Option<String>,
}

/// One assignment shared with one provider through one relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Channel {
    pub id: String,
    pub relay_url: String,
    /// The side this install acts for on it.
    pub side: Side,
    pub assignment_id: AssignmentId,
    pub firm_name: String,
    #[ts(type = "number")]
    pub cursor: i64,
    pub last_sync_at: Option<String>,
    pub created_at: String,
    pub members: Vec<ChannelMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShareRequest {
    pub assignment_id: AssignmentId,
    /// The scope, instructions and due date.
    pub brief: bool,
    pub document_versions: Vec<VersionId>,
    pub deadlines: Vec<DeadlineId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Queued,
    Sent,
    /// The other side's install has taken it from the relay.
    Received,
    /// Refused by the relay for good: needs attention.
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutboxEntry {
    pub envelope_id: String,
    pub channel_id: String,
    pub item_id: String,
    pub kind: String,
    #[ts(type = "number")]
    pub revision: i64,
    /// What it is, in words: "document Lease 14.pdf v2", "message".
    pub label: String,
    #[ts(type = "number")]
    pub size: i64,
    pub state: OutboxState,
    #[ts(type = "number")]
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// An envelope received and refused, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExchangeRejection {
    pub channel_id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub envelope_id: String,
    pub code: String,
    pub reason: String,
    pub at: String,
}

/// On a provider's install: work received from a firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Engagement {
    pub channel_id: String,
    pub firm_name: String,
    pub assignment_id: AssignmentId,
    pub scope: Option<String>,
    pub instructions: Option<String>,
    pub due_on: Option<String>,
    pub status: AssignmentStatus,
    pub updated_at: String,
    pub items: Vec<EngagementItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EngagementItem {
    pub item_id: String,
    /// `document`, `deadline`, `deliverable` or `message`.
    pub kind: String,
    #[ts(type = "number")]
    pub revision: i64,
    pub from_side: Side,
    pub title: String,
    pub body: Option<String>,
    pub sha256: Option<String>,
    #[ts(type = "number")]
    pub size: i64,
    pub at: String,
}

/// What each kind of item carries inside its envelope (as JSON; a document's or a
/// deliverable's file bytes follow its JSON line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncReport {
    pub sent: Vec<String>,
    pub received: Vec<String>,
    pub rejected: Vec<ExchangeRejection>,
    /// Items that will be tried again, with the reason of the last failure.
    pub waiting: Vec<String>,
    /// Items the relay refused for good.
    pub needs_attention: Vec<String>,
    /// Relays that could not be reached (or not trusted) this round, with why.
    #[serde(default)]
    pub unreachable: Vec<String>,
    /// The channels something arrived on this round (each once, in order).
    #[serde(default)]
    pub arrived_on: Vec<String>,
}

/// Where a click on an arrival's notification leads: the matter (firm's side) or
/// the engagement (provider's side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArrivalTarget {
    pub channel_id: String,
    /// The matter the work order belongs to, on the firm's side.
    pub matter_id: Option<MatterId>,
}

/// This install's device identity, as Settings shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdentityInfo {
    /// The name firms or providers see (the firm's or the provider's name).
    pub name: String,
    pub key_id: String,
    /// Six groups of five digits, to read over the phone.
    pub fingerprint: String,
    /// The public card (text), to hand to the other side.
    pub card: String,
}

/// What "Test connection" found wrong with a relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RelayProblem {
    /// The name could not be found.
    Dns,
    /// Nothing listens there.
    Refused,
    /// Not the pinned certificate, or not from the expected CA.
    Certificate,
    /// Something answered, but not a Mandate relay.
    NotMandate,
    /// No answer in time.
    TooSlow,
    /// Anything else (a broken connection, a bad address).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RelayCheck {
    pub url: String,
    pub ok: bool,
    pub problem: Option<RelayProblem>,
    /// What was found, in words.
    pub message: String,
    #[ts(type = "number")]
    pub millis: u64,
}

/// A QR code as rows of modules, `true` for dark; the window draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QrCode {
    pub width: u32,
    pub dark: Vec<bool>,
}

/// An invite the firm made for an assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InviteCreated {
    /// The code to hand the provider (`MANDATE-INVITE-1-…`).
    pub code: String,
    pub channel_id: String,
    /// Unix seconds.
    #[ts(type = "number")]
    pub expires: i64,
    /// This install's fingerprint, to read to the provider.
    pub fingerprint: String,
    pub qr: Option<QrCode>,
}

/// What an invite code says, read before joining (no network).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InvitePreview {
    pub firm: String,
    pub relay: String,
    /// The firm's fingerprints, to compare with what the firm reads out.
    pub firm_fingerprints: Vec<String>,
    /// Whether the invite pins the relay's certificate.
    pub pinned: bool,
    #[ts(type = "number")]
    pub expires: i64,
}

/// A provider joined an engagement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Joined {
    pub channel_id: String,
    pub firm: String,
    pub relay: String,
    /// The firm's fingerprints, as the invite named them and the relay's member
    /// list confirmed.
    pub firm_fingerprints: Vec<String>,
    pub my_fingerprint: String,
}

/// Sync at a glance, for the window's header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncStatus {
    /// Whether any channel exists (with none, there is nothing to sync).
    pub enabled: bool,
    /// Whether the last round reached every relay; `None` before the first round.
    pub online: Option<bool>,
    pub syncing: bool,
    pub last_ok_at: Option<String>,
    /// Items waiting to go out (queued, including those waiting after a failure).
    #[ts(type = "number")]
    pub waiting: i64,
    /// Sends the relay refused for good, and envelopes received and refused.
    #[ts(type = "number")]
    pub needs_attention: i64,
    /// Why the last round could not reach a relay, in words.
    pub last_error: Option<String>,
}
