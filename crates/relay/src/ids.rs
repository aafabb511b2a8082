//! The relay's ids: newtypes, so an envelope id can never be passed where a channel
//! id belongs, and each checked once where it enters (the URL).
//!
//! Channel and member ids are made here (random, opaque); envelope ids are chosen by
//! the sender (the idempotency key of its PUT), so they are checked strictly before
//! they are used anywhere, and never used as a file name as they are.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore as _;
use sha2::{Digest, Sha256};
use std::fmt;

/// 16 random bytes in base64url: 22 characters.
const RANDOM_LEN: usize = 22;

fn random_id(prefix: &str) -> Result<String, rand::rand_core::OsError> {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes)?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

fn is_random_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|body| {
        body.len() == RANDOM_LEN
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

macro_rules! random_id_type {
    ($name:ident, $prefix:literal, $what:literal) => {
        #[doc = concat!("The id of a ", $what, " (`", $prefix, "` + 22 characters of base64url).")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn generate() -> Result<Self, rand::rand_core::OsError> {
                random_id($prefix).map($name)
            }

            /// An id taken from a URL or the database, if it has the right shape.
            pub fn parse(text: &str) -> Option<Self> {
                is_random_id(text, $prefix).then(|| $name(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

random_id_type!(ChannelId, "ch_", "channel");
random_id_type!(MemberId, "mb_", "channel member");

/// A sender's id for one envelope: 1–64 characters of `[A-Za-z0-9_-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnvelopeId(String);

impl EnvelopeId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(text: &str) -> Option<EnvelopeId> {
        let ok = (1..=Self::MAX_LEN).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| EnvelopeId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name of the envelope's file: the hex SHA-256 of its id. The id is safe as
    /// a name already, but a hash keeps names one length and case-distinct on
    /// case-insensitive file systems (`A` and `a` are two envelopes).
    pub fn file_name(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Display for EnvelopeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn envelope_ids_of_1_to_64_safe_characters_are_accepted() {
        for ok in [
            "a",
            "A-z_09",
            &"x".repeat(64),
            "0192f3a4-7b2c-7d00-8e11-aa00bb11cc22",
        ] {
            assert!(EnvelopeId::parse(ok).is_some(), "{ok}");
        }
    }

    #[test]
    fn other_envelope_ids_are_refused() {
        for bad in [
            "",
            &"x".repeat(65),
            "a/b",
            "..",
            "a.b",
            "a b",
            "é",
            "a%2Fb",
            "a\0",
            "a+b",
        ] {
            assert!(EnvelopeId::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn file_names_are_hex_sha256_and_tell_case_apart() {
        let a = EnvelopeId::parse("A").unwrap().file_name();
        let b = EnvelopeId::parse("a").unwrap().file_name();
        assert_eq!(a.len(), 64);
        assert_ne!(a.to_lowercase(), b.to_lowercase());
    }

    #[test]
    fn generated_ids_parse_and_others_do_not() {
        let c = ChannelId::generate().unwrap();
        assert_eq!(ChannelId::parse(c.as_str()), Some(c.clone()));
        assert!(MemberId::parse(c.as_str()).is_none());
        assert!(ChannelId::parse("ch_short").is_none());
        assert!(ChannelId::parse(&format!("ch_{}", "/".repeat(22))).is_none());
    }

    proptest! {
        #[test]
        fn an_accepted_envelope_id_is_a_safe_path_component(s in "\\PC{0,80}") {
            if let Some(id) = EnvelopeId::parse(&s) {
                prop_assert!(!id.as_str().contains('/') && id.as_str() != "." && id.as_str() != "..");
                prop_assert!(id.as_str().len() <= 64);
            }
        }
    }
}
