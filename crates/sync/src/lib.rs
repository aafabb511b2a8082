//! The sync engine: what moves between this install's store and the relays.
//!
//! - [`client`]: the relay's API over HTTPS (system roots, a CA, or a pinned
//!   certificate), with failures sorted into "try again" and "refused".
//! - [`engine`]: opening and joining channels by invite, and one round of sync —
//!   refresh each channel's members, seal and send what the outbox holds, pull what
//!   came after the channel's cursor, check it ([`mandate_protocol`]) and apply it
//!   ([`mandate_store`]), each envelope in one transaction with the cursor.
//!
//! The store stays synchronous; the engine runs on one thread and holds the store
//! only between network calls it awaits.

pub mod client;
pub mod engine;

pub use client::check_relay;
pub use client::{RelayClient, RelayError};
pub use engine::{SyncError, invite_create, invite_join, invite_preview, sync_once};
pub use mandate_core::exchange::{InviteCreated, Joined};
