//! mandate-relay: the HTTPS server a firm and its providers exchange encrypted
//! envelopes through.
//!
//! It stores and forwards opaque bytes: envelopes are encrypted and signed by the
//! Mandate app before they get here, and the relay sees only their sizes, times and
//! opaque ids. What it does enforce is who may read and write a channel (tokens kept
//! as hashes), how much (size limits, quotas, rate limits), and that what it
//! acknowledged is on disk.
//!
//! Cut from the rest of the workspace on purpose: it depends on no other Mandate
//! crate, so a provider can run it without anything of the desktop app.
//!
//! - [`api`]: the HTTP routes and the rules of each answer
//! - [`store`]: the storage trait and its embedded SQLite + files implementation
//! - [`server`]: TLS, listening, shutdown
//! - [`token`], [`ids`], [`range`], [`ratelimit`]: small pure pieces with unit tests

pub mod api;
pub mod error;
pub mod ids;
pub mod range;
pub mod ratelimit;
pub mod server;
pub mod store;
pub mod tls;
pub mod token;
