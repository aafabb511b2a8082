//! Bearer tokens: made here, shown once, kept only as SHA-256 hashes.
//!
//! A token is 32 bytes from the operating system's random source, so a plain
//! (unsalted, fast) SHA-256 is enough to store it: nobody can guess 256 bits, and a
//! stolen database gives an attacker hashes they cannot turn back into tokens. The
//! lookup is by hash (an index), so no comparison of secrets happens in our code.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore as _;
use sha2::{Digest, Sha256};
use std::fmt;

/// What a token lets its holder do; its prefix says so, so a person reading a
/// configuration file can tell an operator's account token from a channel's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `mra_`: an account made by the operator; opens channels.
    Account,
    /// `mrj_`: a one-time invitation into one channel.
    Join,
    /// `mrt_`: a member's access to one channel.
    Access,
}

impl TokenKind {
    pub fn prefix(self) -> &'static str {
        match self {
            TokenKind::Account => "mra_",
            TokenKind::Join => "mrj_",
            TokenKind::Access => "mrt_",
        }
    }

    /// The kind a presented token claims by its prefix, if any.
    pub fn of(presented: &str) -> Option<TokenKind> {
        [TokenKind::Account, TokenKind::Join, TokenKind::Access]
            .into_iter()
            .find(|k| presented.starts_with(k.prefix()))
    }
}

/// Base64url of 32 bytes without padding is 43 characters.
const ENCODED_LEN: usize = 43;

/// A token in clear: exists only between its creation and the answer that shows it
/// once. `Debug` never prints it, so it cannot slip into a log line.
pub struct Token(String);

impl Token {
    /// A new token of `kind` from the OS random source.
    pub fn generate(kind: TokenKind) -> Result<Token, rand::rand_core::OsError> {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.try_fill_bytes(&mut bytes)?;
        Ok(Token(format!(
            "{}{}",
            kind.prefix(),
            URL_SAFE_NO_PAD.encode(bytes)
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// SHA-256 of a token's full text (prefix included): what the store keeps.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    fn of(text: &str) -> TokenHash {
        TokenHash(Sha256::digest(text.as_bytes()).into())
    }

    /// The hash of a token someone presented, if it has the shape of a token of
    /// `kind`. A malformed token is refused here, before any database lookup.
    pub fn of_presented(kind: TokenKind, presented: &str) -> Option<TokenHash> {
        let body = presented.strip_prefix(kind.prefix())?;
        let well_formed = body.len() == ENCODED_LEN
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        well_formed.then(|| TokenHash::of(presented))
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A hash is not a secret, but there is no reason to print one either.
        f.write_str("TokenHash(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_their_prefix_and_43_characters_of_base64url() {
        for kind in [TokenKind::Account, TokenKind::Join, TokenKind::Access] {
            let t = Token::generate(kind).unwrap();
            let body = t.as_str().strip_prefix(kind.prefix()).unwrap();
            assert_eq!(body.len(), 43);
            assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
            assert_eq!(TokenKind::of(t.as_str()), Some(kind));
        }
    }

    #[test]
    fn two_tokens_differ() {
        let a = Token::generate(TokenKind::Access).unwrap();
        let b = Token::generate(TokenKind::Access).unwrap();
        assert_ne!(a.as_str(), b.as_str());
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn the_hash_is_sha256_of_the_whole_token() {
        let t = Token::generate(TokenKind::Account).unwrap();
        let expected: [u8; 32] = Sha256::digest(t.as_str().as_bytes()).into();
        assert_eq!(t.hash().0, expected);
        assert_eq!(
            TokenHash::of_presented(TokenKind::Account, t.as_str()),
            Some(t.hash())
        );
    }

    #[test]
    fn presented_tokens_of_the_wrong_kind_or_shape_have_no_hash() {
        let t = Token::generate(TokenKind::Access).unwrap();
        assert_eq!(
            TokenHash::of_presented(TokenKind::Account, t.as_str()),
            None
        );
        let short = &t.as_str()[..t.as_str().len() - 1];
        assert_eq!(TokenHash::of_presented(TokenKind::Access, short), None);
        let padded = format!("{}=", t.as_str());
        assert_eq!(TokenHash::of_presented(TokenKind::Access, &padded), None);
        let bad_char = format!("mrt_{}", "+".repeat(43));
        assert_eq!(TokenHash::of_presented(TokenKind::Access, &bad_char), None);
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = Token::generate(TokenKind::Join).unwrap();
        assert!(!format!("{t:?}").contains(&t.as_str()[4..]));
    }
}
