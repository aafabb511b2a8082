//! The invite code a firm hands a provider, by e-mail, chat or a QR code. It says where
//! the relay is, which channel to join, the one-time token that admits one device, and
//! the firm's fingerprints, so the provider can tell the firm's real keys from a
//! relay's substitute. It holds no secret of the matter: a stolen code lets its holder
//! join once (the firm then sees an unexpected member), never read what was sent
//! before the firm encrypts to them.
//!
//! Wire form: `MANDATE-INVITE-1-` + base64url(JSON).

use serde::{Deserialize, Serialize};

use crate::identity::Fingerprint;
use crate::text::{b64url, from_b64url, valid_id};

const PREFIX: &str = "MANDATE-INVITE-1-";
const MAX_CHARS: usize = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InviteError {
    #[error("this is not a Mandate invite code ({0}); copy the whole code the firm sent")]
    Malformed(&'static str),
    #[error("the invite's relay address must start with https:// (it says {0})")]
    NotHttps(String),
    #[error("this invite expired; ask the firm for a new one")]
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invite {
    pub v: u32,
    /// `https://host:port`
    pub relay: String,
    pub channel: String,
    /// The relay's one-time join token (`mrj_…`).
    pub token: String,
    /// The firm's name, to show the provider who is inviting it.
    pub firm: String,
    /// The firm's device fingerprints, digits only.
    pub fingerprints: Vec<String>,
    /// SHA-256 of the relay's TLS certificate (hex), for relays with a self-made
    /// certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_cert_sha256: Option<String>,
    /// Unix seconds after which the relay refuses the token.
    pub expires: i64,
}

impl Invite {
    pub fn encode(&self) -> String {
        // A struct of strings and numbers always serialises.
        format!(
            "{PREFIX}{}",
            b64url(&serde_json::to_vec(self).unwrap_or_default())
        )
    }

    /// Reads a code as pasted (surrounding whitespace and line breaks are ignored) and
    /// checks it against `now` (Unix seconds).
    pub fn decode(text: &str, now: i64) -> Result<Self, InviteError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() > MAX_CHARS {
            return Err(InviteError::Malformed("too long"));
        }
        let body = compact.strip_prefix(PREFIX).ok_or(InviteError::Malformed(
            "it should start with MANDATE-INVITE-1-",
        ))?;
        let bytes = from_b64url(body).ok_or(InviteError::Malformed("damaged text"))?;
        let invite: Invite = serde_json::from_slice(&bytes)
            .map_err(|_| InviteError::Malformed("damaged content"))?;
        if invite.v != 1 {
            return Err(InviteError::Malformed("made by a newer Mandate"));
        }
        if !invite.relay.starts_with("https://") {
            return Err(InviteError::NotHttps(invite.relay));
        }
        if !valid_id(&invite.channel) || invite.token.is_empty() || invite.token.len() > 128 {
            return Err(InviteError::Malformed("damaged channel or token"));
        }
        if invite.fingerprints.is_empty()
            || invite
                .fingerprints
                .iter()
                .any(|f| Fingerprint::parse(f).is_none())
        {
            return Err(InviteError::Malformed("damaged fingerprints"));
        }
        if let Some(pin) = &invite.relay_cert_sha256
            && (pin.len() != 64 || !pin.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(InviteError::Malformed("damaged certificate pin"));
        }
        if now >= invite.expires {
            return Err(InviteError::Expired);
        }
        Ok(invite)
    }

    /// Whether `fingerprint` is one of the firm's, as the invite says.
    pub fn names_fingerprint(&self, fingerprint: &Fingerprint) -> bool {
        self.fingerprints
            .iter()
            .any(|f| Fingerprint::parse(f).as_ref() == Some(fingerprint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DeviceIdentity;

    fn invite() -> Invite {
        Invite {
            v: 1,
            relay: "https://relay.example:8443".into(),
            channel: "ch_0123".into(),
            token: "mrj_abc".into(),
            firm: "Jones & Park LLP".into(),
            fingerprints: vec![DeviceIdentity::generate().fingerprint().compact()],
            relay_cert_sha256: Some("ab".repeat(32)),
            expires: 1_000,
        }
    }

    #[test]
    fn code_survives_line_breaks_from_an_email() {
        let inv = invite();
        let code = inv.encode();
        let wrapped: String = code
            .as_bytes()
            .chunks(40)
            .map(|c| format!("  {}\n", std::str::from_utf8(c).unwrap()))
            .collect();
        assert_eq!(Invite::decode(&wrapped, 999).unwrap(), inv);
    }

    #[test]
    fn expired_plain_http_and_damaged_codes_are_refused() {
        let inv = invite();
        assert_eq!(
            Invite::decode(&inv.encode(), 1_000),
            Err(InviteError::Expired)
        );
        let http = Invite {
            relay: "http://relay.example".into(),
            ..inv.clone()
        };
        assert!(matches!(
            Invite::decode(&http.encode(), 0),
            Err(InviteError::NotHttps(_))
        ));
        let mut code = inv.encode();
        code.truncate(code.len() - 10);
        assert!(matches!(
            Invite::decode(&code, 0),
            Err(InviteError::Malformed(_))
        ));
    }
}
