//! A device's public card: its name, the side it says it acts for, and its two public
//! keys, signed by its own Ed25519 key. The signature proves the card was made by the
//! holder of the key; whether that holder is who they claim is settled by people
//! comparing fingerprints (see `docs/protocol.md`).
//!
//! Wire form: `mandate-card-1.` + base64url(body JSON) + `.` + base64url(signature),
//! the signature taken over `mandate-card-v1\n` followed by the body bytes exactly as
//! sent, so no re-serialisation can change what was signed.

use serde::{Deserialize, Serialize};

use crate::identity::{DeviceIdentity, Fingerprint, KeyId, PublicKeys};
use crate::rules::Side;
use crate::text::{b64, b64url, from_b64, from_b64url};

const PREFIX: &str = "mandate-card-1.";
const CONTEXT: &[u8] = b"mandate-card-v1\n";
/// Cards travel through the relay's member list, which caps them at 16 KiB.
pub const MAX_CARD_CHARS: usize = 8192;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CardError {
    #[error("this is not a Mandate card ({0}); ask the other side to send it again")]
    Malformed(&'static str),
    #[error("the card's signature does not match its keys; it was altered on the way")]
    BadSignature,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CardBody {
    v: u32,
    name: String,
    side: Side,
    /// Ed25519 public key, base64.
    ed25519: String,
    /// age recipient, `age1…`.
    x25519: String,
    /// Unix seconds.
    created: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicCard {
    body: CardBody,
    keys: PublicKeys,
    encoded: String,
}

impl PublicCard {
    pub(crate) fn sign(identity: &DeviceIdentity, name: &str, side: Side, created: i64) -> Self {
        let keys = identity.public().clone();
        let body = CardBody {
            v: 1,
            name: name.to_owned(),
            side,
            ed25519: b64(&keys.ed25519_bytes()),
            x25519: keys.age_recipient().to_owned(),
            created,
        };
        // A struct of strings and numbers always serialises.
        let body_bytes = serde_json::to_vec(&body).unwrap_or_default();
        let signature = identity.sign(&[CONTEXT, &body_bytes].concat());
        let encoded = format!("{PREFIX}{}.{}", b64url(&body_bytes), b64url(&signature));
        Self {
            body,
            keys,
            encoded,
        }
    }

    /// Reads and checks a card.
    pub fn decode(text: &str) -> Result<Self, CardError> {
        let text = text.trim();
        if text.len() > MAX_CARD_CHARS {
            return Err(CardError::Malformed("too long"));
        }
        let rest = text
            .strip_prefix(PREFIX)
            .ok_or(CardError::Malformed("missing mandate-card-1 prefix"))?;
        let (body_text, sig_text) = rest
            .split_once('.')
            .ok_or(CardError::Malformed("missing signature"))?;
        let body_bytes =
            from_b64url(body_text).ok_or(CardError::Malformed("body is not base64url"))?;
        let signature: [u8; 64] = from_b64url(sig_text)
            .and_then(|s| s.try_into().ok())
            .ok_or(CardError::Malformed(
                "signature is not 64 bytes of base64url",
            ))?;
        let body: CardBody = serde_json::from_slice(&body_bytes)
            .map_err(|_| CardError::Malformed("body is not a card"))?;
        if body.v != 1 {
            return Err(CardError::Malformed("unknown card version"));
        }
        if body.name.trim().is_empty() || body.name.chars().count() > 200 {
            return Err(CardError::Malformed("name is empty or too long"));
        }
        let ed =
            from_b64(&body.ed25519).ok_or(CardError::Malformed("signing key is not base64"))?;
        let keys = PublicKeys::from_parts(&ed, &body.x25519)
            .ok_or(CardError::Malformed("keys are not valid"))?;
        if !keys.verify(&[CONTEXT, &body_bytes].concat(), &signature) {
            return Err(CardError::BadSignature);
        }
        Ok(Self {
            body,
            keys,
            encoded: text.to_owned(),
        })
    }

    pub fn encode(&self) -> &str {
        &self.encoded
    }

    pub fn name(&self) -> &str {
        &self.body.name
    }

    /// The side the card's maker says it acts for. Informational: receivers take the
    /// side from the channel's roles.
    pub fn claimed_side(&self) -> Side {
        self.body.side
    }

    pub fn created(&self) -> i64 {
        self.body.created
    }

    pub fn keys(&self) -> &PublicKeys {
        &self.keys
    }

    pub fn key_id(&self) -> KeyId {
        self.keys.key_id()
    }

    pub fn fingerprint(&self) -> Fingerprint {
        self.keys.fingerprint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_reads_back_with_its_keys() {
        let id = DeviceIdentity::generate();
        let card = id.card("Jones & Park LLP", Side::Firm, 1_780_000_000);
        let back = PublicCard::decode(card.encode()).unwrap();
        assert_eq!(back.keys(), id.public());
        assert_eq!(back.name(), "Jones & Park LLP");
        assert_eq!(back.claimed_side(), Side::Firm);
        assert_eq!(back.fingerprint(), id.fingerprint());
    }

    #[test]
    fn an_altered_card_is_refused() {
        let id = DeviceIdentity::generate();
        let other = DeviceIdentity::generate();
        let card = id.card("Firm", Side::Firm, 1);
        // Swap in another device's keys but keep the first signature.
        let forged_body = CardBody {
            ed25519: b64(&other.public().ed25519_bytes()),
            x25519: other.public().age_recipient().to_owned(),
            ..card.body.clone()
        };
        let sig = card.encode().rsplit_once('.').unwrap().1;
        let forged = format!(
            "{PREFIX}{}.{sig}",
            b64url(&serde_json::to_vec(&forged_body).unwrap())
        );
        assert_eq!(PublicCard::decode(&forged), Err(CardError::BadSignature));
        assert!(matches!(
            PublicCard::decode("hello"),
            Err(CardError::Malformed(_))
        ));
    }
}
