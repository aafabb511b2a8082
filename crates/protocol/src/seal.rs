//! The one module that names the `age` crate. age is pre-1.0 and changes its API
//! between minor versions; keeping it here means an upgrade touches one file. The age
//! *format* (age-encryption.org/v1) is stable, and what we write opens with the
//! reference `age` tool (see `tests/interop.rs`).

use std::io::{self, Read, Write};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use zeroize::Zeroizing;

/// A device's X25519 secret, as an age identity.
pub(crate) struct AgeSecret(age::x25519::Identity);

impl AgeSecret {
    pub(crate) fn generate() -> Self {
        Self(age::x25519::Identity::generate())
    }

    /// Reads `AGE-SECRET-KEY-1…`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        age::x25519::Identity::from_str(text.trim()).ok().map(Self)
    }

    pub(crate) fn to_text(&self) -> Zeroizing<String> {
        Zeroizing::new(self.0.to_string().expose_secret().to_owned())
    }

    /// The public half, `age1…`.
    pub(crate) fn recipient(&self) -> String {
        self.0.to_public().to_string()
    }
}

/// Whether `text` is an X25519 age recipient (`age1…`).
pub(crate) fn valid_recipient(text: &str) -> bool {
    age::x25519::Recipient::from_str(text).is_ok()
}

/// A writer that encrypts what is written to it for `recipients`. `finish` must be
/// called, or the ciphertext is truncated and will not open.
pub(crate) struct Encrypting<W: Write>(age::stream::StreamWriter<W>);

impl<W: Write> Encrypting<W> {
    pub(crate) fn new(recipients: &[String], output: W) -> io::Result<Self> {
        let parsed = recipients
            .iter()
            .map(|r| age::x25519::Recipient::from_str(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let encryptor =
            age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        Ok(Self(encryptor.wrap_output(output)?))
    }

    pub(crate) fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}

impl<W: Write> Write for Encrypting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A reader of the plaintext of `input`, or `None` when `secret` is not among its
/// recipients or the age header is damaged.
pub(crate) fn decrypting<R: Read>(secret: &AgeSecret, input: R) -> Option<impl Read> {
    let decryptor = age::Decryptor::new(input).ok()?;
    decryptor
        .decrypt(std::iter::once(&secret.0 as &dyn age::Identity))
        .ok()
}

/// Encrypts `input` to `recipients` with age alone (no framing, no signature): the
/// baseline `mandate bench sync` measures envelopes against.
pub fn raw_age_encrypt<R: Read, W: Write>(
    recipients: &[&crate::PublicKeys],
    mut input: R,
    output: W,
) -> io::Result<W> {
    let texts: Vec<String> = recipients
        .iter()
        .map(|r| r.age_recipient().to_owned())
        .collect();
    let mut w = Encrypting::new(&texts, output)?;
    io::copy(&mut input, &mut w)?;
    w.finish()
}
