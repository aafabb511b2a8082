//! A device's identity: an X25519 key pair (an age recipient) so others can encrypt to
//! it, and an Ed25519 key pair so others can check what it signed.
//!
//! The secret half leaves this module only as [`DeviceIdentity::to_secret`], a string
//! meant to be stored inside the encrypted store (or the keyring) and nowhere else;
//! `Debug` never prints it.

use std::fmt;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::card::PublicCard;
use crate::rules::Side;
use crate::seal::{self, AgeSecret};
use crate::text::{b64, from_b64};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdentityError {
    #[error("the stored device identity is not readable ({0}); restore the store from a backup")]
    Unreadable(&'static str),
}

/// The public keys of a device: what a card carries and what envelopes are checked
/// and encrypted with.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKeys {
    pub(crate) ed25519: VerifyingKey,
    /// `age1…`
    pub(crate) x25519: String,
}

impl fmt::Debug for PublicKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKeys({})", self.key_id())
    }
}

impl PublicKeys {
    /// Builds keys from their wire forms: 32 bytes of Ed25519 and an `age1…` string.
    pub fn from_parts(ed25519: &[u8], x25519: &str) -> Option<Self> {
        let bytes: [u8; 32] = ed25519.try_into().ok()?;
        let ed25519 = VerifyingKey::from_bytes(&bytes).ok()?;
        // A weak (small-order) key would let anyone forge signatures that verify.
        if ed25519.is_weak() || !seal::valid_recipient(x25519) {
            return None;
        }
        Some(Self {
            ed25519,
            x25519: x25519.to_owned(),
        })
    }

    pub fn ed25519_bytes(&self) -> [u8; 32] {
        self.ed25519.to_bytes()
    }

    /// The age recipient (`age1…`) to encrypt to.
    pub fn age_recipient(&self) -> &str {
        &self.x25519
    }

    /// The short id envelopes name their sender by.
    pub fn key_id(&self) -> KeyId {
        let digest = Sha256::new()
            .chain_update(b"mandate-key-id-v1\0")
            .chain_update(self.ed25519.as_bytes())
            .finalize();
        KeyId(hex::encode(&digest[..8]))
    }

    /// What two people compare over the phone: both keys, hashed.
    pub fn fingerprint(&self) -> Fingerprint {
        let digest = Sha256::new()
            .chain_update(b"mandate-fingerprint-v1\0")
            .chain_update(self.ed25519.as_bytes())
            .chain_update(self.x25519.as_bytes())
            .finalize();
        let groups = (0..Fingerprint::GROUPS)
            .map(|i| {
                let chunk = &digest[i * 5..i * 5 + 5];
                let n = chunk.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
                (n % 100_000) as u32
            })
            .collect();
        Fingerprint(groups)
    }

    pub(crate) fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        self.ed25519.verify_strict(message, &signature).is_ok()
    }
}

/// 16 hex digits naming a device's signing key in envelope headers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyId(pub String);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Six groups of five digits (about 100 bits): short enough to read aloud, long
/// enough that no one can make keys that match someone else's.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint(Vec<u32>);

impl Fingerprint {
    pub const GROUPS: usize = 6;

    /// Reads digits with any spacing or dashes: `12345 67890 …` or `1234567890…`.
    pub fn parse(text: &str) -> Option<Self> {
        let digits: Vec<u32> = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()?;
        if digits.len() != Self::GROUPS * 5 {
            return None;
        }
        Some(Self(
            digits
                .chunks(5)
                .map(|g| g.iter().fold(0, |acc, d| acc * 10 + d))
                .collect(),
        ))
    }

    /// The digits without spaces, as carried in invite codes.
    pub fn compact(&self) -> String {
        self.0.iter().map(|g| format!("{g:05}")).collect()
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<String> = self.0.iter().map(|g| format!("{g:05}")).collect();
        f.write_str(&groups.join(" "))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// This device's secret keys.
pub struct DeviceIdentity {
    signing: SigningKey,
    age: AgeSecret,
    public: PublicKeys,
}

impl fmt::Debug for DeviceIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceIdentity({})", self.public.key_id())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretForm {
    v: u32,
    ed25519: String,
    x25519: String,
}

impl DeviceIdentity {
    pub fn generate() -> Self {
        let seed = Zeroizing::new(rand::random::<[u8; 32]>());
        Self::from_keys(SigningKey::from_bytes(&seed), AgeSecret::generate())
    }

    fn from_keys(signing: SigningKey, age: AgeSecret) -> Self {
        let public = PublicKeys {
            ed25519: signing.verifying_key(),
            x25519: age.recipient(),
        };
        Self {
            signing,
            age,
            public,
        }
    }

    /// Builds an identity from an Ed25519 seed and an `AGE-SECRET-KEY-1…`; used for
    /// the test vectors, where the keys must be fixed.
    pub fn from_seed_and_age(seed: &[u8; 32], age_secret: &str) -> Option<Self> {
        let age = AgeSecret::parse(age_secret)?;
        Some(Self::from_keys(SigningKey::from_bytes(seed), age))
    }

    /// The secret keys as one string, for the encrypted store only.
    pub fn to_secret(&self) -> Zeroizing<String> {
        let seed = Zeroizing::new(self.signing.to_bytes());
        let form = SecretForm {
            v: 1,
            ed25519: b64(seed.as_ref()),
            x25519: self.age.to_text().to_string(),
        };
        // Serialising a struct of strings cannot fail.
        Zeroizing::new(serde_json::to_string(&form).unwrap_or_default())
    }

    pub fn from_secret(text: &str) -> Result<Self, IdentityError> {
        let form: SecretForm =
            serde_json::from_str(text).map_err(|_| IdentityError::Unreadable("not JSON"))?;
        let (ed25519, x25519) = (Zeroizing::new(form.ed25519), Zeroizing::new(form.x25519));
        if form.v != 1 {
            return Err(IdentityError::Unreadable("unknown version"));
        }
        let seed = Zeroizing::new(
            from_b64(&ed25519).ok_or(IdentityError::Unreadable("signing key is not base64"))?,
        );
        let seed: &[u8; 32] = seed
            .as_slice()
            .try_into()
            .map_err(|_| IdentityError::Unreadable("signing key has the wrong length"))?;
        let age = AgeSecret::parse(&x25519).ok_or(IdentityError::Unreadable(
            "encryption key is not an age identity",
        ))?;
        Ok(Self::from_keys(SigningKey::from_bytes(seed), age))
    }

    pub fn public(&self) -> &PublicKeys {
        &self.public
    }

    pub fn key_id(&self) -> KeyId {
        self.public.key_id()
    }

    pub fn fingerprint(&self) -> Fingerprint {
        self.public.fingerprint()
    }

    /// This device's public card, signed by itself. `created` is Unix seconds.
    pub fn card(&self, name: &str, side: Side, created: i64) -> PublicCard {
        PublicCard::sign(self, name, side, created)
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    pub(crate) fn age(&self) -> &AgeSecret {
        &self.age
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_round_trips_and_debug_hides_it() {
        let id = DeviceIdentity::generate();
        let secret = id.to_secret();
        let back = DeviceIdentity::from_secret(&secret).unwrap();
        assert_eq!(back.public(), id.public());
        let shown = format!("{id:?} {:?}", id.public());
        assert!(!shown.contains("AGE-SECRET-KEY"));
        assert!(!shown.contains(&secret[10..30]));
    }

    #[test]
    fn damaged_secret_is_refused_with_a_reason() {
        let id = DeviceIdentity::generate();
        let secret = id
            .to_secret()
            .replace("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-2");
        assert!(matches!(
            DeviceIdentity::from_secret(&secret),
            Err(IdentityError::Unreadable(_))
        ));
        assert!(DeviceIdentity::from_secret("{}").is_err());
    }

    #[test]
    fn fingerprints_read_back_in_any_spacing() {
        let fp = DeviceIdentity::generate().fingerprint();
        let shown = fp.to_string();
        assert_eq!(shown.len(), 35);
        assert_eq!(Fingerprint::parse(&shown), Some(fp.clone()));
        assert_eq!(Fingerprint::parse(&fp.compact()), Some(fp.clone()));
        assert_eq!(Fingerprint::parse(&shown.replace(' ', "-")), Some(fp));
        assert_eq!(Fingerprint::parse("12345"), None);
    }

    #[test]
    fn different_devices_have_different_fingerprints_and_key_ids() {
        let a = DeviceIdentity::generate();
        let b = DeviceIdentity::generate();
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.key_id(), b.key_id());
        assert_eq!(a.key_id().0.len(), 16);
    }
}
