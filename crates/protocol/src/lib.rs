//! The exchange's wire format: what a firm and a provider send each other through a
//! relay that can read nothing.
//!
//! - [`identity`]: a device's two key pairs (X25519 for confidentiality, Ed25519 for
//!   signatures), its key id, and the fingerprint people read to each other.
//! - [`card`]: the public card a device hands to the other side (self-signed).
//! - [`envelope`]: a signed header plus a payload encrypted to every recipient of the
//!   channel; sealing and opening stream, so a large document is never held whole.
//! - [`rules`]: which side owns which kind of item, and when a revision is acceptable.
//! - [`invite`]: the code a firm hands a provider to join a channel.
//!
//! The crate does no I/O of its own beyond the readers and writers it is given, and
//! never reads the clock: callers pass times in. `docs/protocol.md` is its
//! specification, with test vectors checked by `tests/vectors.rs`.

pub mod card;
pub mod envelope;
pub mod identity;
pub mod invite;
pub mod rules;
mod seal;
mod text;

pub use card::{CardError, PublicCard};
pub use envelope::{
    Header, OpenError, Opened, Peer, Receiver, Rejection, SealError, peek_header, seal,
};
pub use identity::{DeviceIdentity, Fingerprint, IdentityError, KeyId, PublicKeys};
pub use invite::{Invite, InviteError};
pub use rules::{ItemKind, Side};
pub use seal::raw_age_encrypt;
