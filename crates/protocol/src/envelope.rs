//! Envelopes: one revision of one item, signed by its sender and encrypted to every
//! current recipient of the channel.
//!
//! ```text
//! "MNDE" | version (1 byte, = 1) | header length (u32, big-endian) | header (JSON)
//!        | ciphertext (age v1, to every recipient) | signature (64 bytes, Ed25519)
//! ```
//!
//! The signature covers `"mandate-envelope-v1\0" | header length | header |
//! SHA-256(ciphertext)`: hashing the ciphertext lets a sender sign a document it
//! streamed without holding it, and puts the signature last. Inside the ciphertext, the
//! plaintext starts with the item's identity again (`u32` length + JSON), so a body
//! moved under another header is caught after decryption.
//!
//! A receiver checks, in this order, and applies nothing on the first failure: the
//! frame and header parse; the header names the envelope id and channel it was fetched
//! as; the sender's key is one it knows; the signature; the sender's side owns the
//! item's kind and the revision is newer than the one held ([`crate::rules`]); the
//! payload opens with this device's key; the inner identity equals the header's.

use std::io::{self, Read, Seek, SeekFrom, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::identity::{DeviceIdentity, KeyId, PublicKeys};
use crate::rules::{self, ItemKind, Side};
use crate::seal::{self, Encrypting};
use crate::text::valid_id;

pub const MAGIC: &[u8; 4] = b"MNDE";
pub const FORMAT_VERSION: u8 = 1;
const SIGNATURE_CONTEXT: &[u8] = b"mandate-envelope-v1\0";
const PREFIX_LEN: u64 = 9;
const SIGNATURE_LEN: u64 = 64;
/// Headers are a few hundred bytes; the cap keeps a hostile length from allocating.
pub const MAX_HEADER_LEN: u32 = 4096;
const MAX_INNER_LEN: u32 = 4096;

/// What an envelope says of itself, in the clear (the relay can read it too: ids,
/// kind, revision and time — nothing of the matter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Envelope format version; 1.
    pub v: u32,
    /// The envelope's id on the relay (the idempotency key of its upload).
    pub envelope: String,
    pub channel: String,
    pub item: String,
    pub kind: ItemKind,
    /// 1 for the first version of an item; each change is the next number.
    pub revision: u64,
    /// The sender's key id.
    pub sender: KeyId,
    /// When the sender sealed it, Unix milliseconds (as the sender's clock said).
    pub created: i64,
}

/// The item's identity repeated inside the ciphertext.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Inner {
    channel: String,
    item: String,
    kind: ItemKind,
    revision: u64,
}

impl Inner {
    fn of(header: &Header) -> Self {
        Self {
            channel: header.channel.clone(),
            item: header.item.clone(),
            kind: header.kind,
            revision: header.revision,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("cannot seal: {0}")]
    Invalid(&'static str),
    #[error("cannot seal: {0}")]
    Io(#[from] io::Error),
}

/// Why a received envelope was not applied. Each says what happened in words a
/// person can act on; [`Rejection::code`] is stable for programs.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum Rejection {
    #[error("not a readable envelope: {0}")]
    Malformed(String),
    #[error("made by a newer version of Mandate (envelope format {0}); update Mandate")]
    UnsupportedVersion(u8),
    #[error("addressed to another {0} than the one it was fetched from")]
    Misaddressed(&'static str),
    #[error("signed by key {0}, which is not a member of this engagement")]
    UnknownSender(KeyId),
    #[error("its signature does not match: it was altered after it was sent")]
    BadSignature,
    #[error("the {sender_side} may not send a {kind}: that belongs to the other side")]
    NotOwner { kind: ItemKind, sender_side: Side },
    #[error("revision {revision} of item {item} is not newer than the one held ({held})")]
    StaleRevision {
        item: String,
        revision: u64,
        held: u64,
    },
    #[error("{item} was already received; messages and status moves cannot be changed")]
    MessageEdited { item: String },
    #[error("this device cannot open it (not encrypted to this device's key, or damaged)")]
    CannotDecrypt,
    #[error("its encrypted content does not match its header")]
    BodyMismatch,
}

impl Rejection {
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Malformed(_) => "malformed",
            Rejection::UnsupportedVersion(_) => "unsupported_version",
            Rejection::Misaddressed(_) => "misaddressed",
            Rejection::UnknownSender(_) => "unknown_sender",
            Rejection::BadSignature => "bad_signature",
            Rejection::NotOwner { .. } => "not_owner",
            Rejection::StaleRevision { .. } => "stale_revision",
            Rejection::MessageEdited { .. } => "message_edited",
            Rejection::CannotDecrypt => "cannot_decrypt",
            Rejection::BodyMismatch => "body_mismatch",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The envelope is refused; nothing may be applied.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// Reading the envelope or writing the content failed (disk full, dropped
    /// connection): try again later.
    #[error("could not read or store the envelope: {0}")]
    Io(#[from] io::Error),
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn signed_message(header_bytes: &[u8], ciphertext_hash: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGNATURE_CONTEXT.len() + 4 + header_bytes.len() + 32);
    message.extend_from_slice(SIGNATURE_CONTEXT);
    message.extend_from_slice(&(header_bytes.len() as u32).to_be_bytes());
    message.extend_from_slice(header_bytes);
    message.extend_from_slice(ciphertext_hash);
    message
}

fn check_header_fields(header: &Header) -> Result<(), &'static str> {
    if header.v != 1 {
        return Err("header version must be 1");
    }
    if !valid_id(&header.envelope) || !valid_id(&header.channel) || !valid_id(&header.item) {
        return Err("ids must be 1-64 characters of A-Z a-z 0-9 _ -");
    }
    if header.revision == 0 {
        return Err("revisions start at 1");
    }
    if header.sender.0.len() != 16 || !header.sender.0.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("sender must be a 16-digit key id");
    }
    Ok(())
}

/// Seals `content` as the item `header` describes, for `recipients`, signed by
/// `signer`, writing the envelope to `out` as it goes. Returns the envelope's size.
///
/// `header.sender` must be `signer`'s key id. Include the sender's own keys among the
/// recipients when its other devices (or itself, later) must read it back.
pub fn seal<R: Read, W: Write>(
    header: &Header,
    content: R,
    recipients: &[&PublicKeys],
    signer: &DeviceIdentity,
    out: W,
) -> Result<u64, SealError> {
    seal_with_inner(header, &Inner::of(header), content, recipients, signer, out)
}

fn seal_with_inner<R: Read, W: Write>(
    header: &Header,
    inner: &Inner,
    mut content: R,
    recipients: &[&PublicKeys],
    signer: &DeviceIdentity,
    out: W,
) -> Result<u64, SealError> {
    check_header_fields(header).map_err(SealError::Invalid)?;
    if header.sender != signer.key_id() {
        return Err(SealError::Invalid(
            "the header names another sender than the signer",
        ));
    }
    if recipients.is_empty() {
        return Err(SealError::Invalid(
            "an envelope needs at least one recipient",
        ));
    }
    let header_bytes = serde_json::to_vec(header).map_err(|_| SealError::Invalid("header"))?;
    let inner_bytes = serde_json::to_vec(inner).map_err(|_| SealError::Invalid("header"))?;

    let mut out = out;
    out.write_all(MAGIC)?;
    out.write_all(&[FORMAT_VERSION])?;
    out.write_all(&(header_bytes.len() as u32).to_be_bytes())?;
    out.write_all(&header_bytes)?;

    let recipient_texts: Vec<String> = recipients
        .iter()
        .map(|r| r.age_recipient().to_owned())
        .collect();
    let hashing = Hashing {
        inner: &mut out,
        hasher: Sha256::new(),
        written: 0,
    };
    let mut encrypting = Encrypting::new(&recipient_texts, hashing)?;
    encrypting.write_all(&(inner_bytes.len() as u32).to_be_bytes())?;
    encrypting.write_all(&inner_bytes)?;
    io::copy(&mut content, &mut encrypting)?;
    let hashing = encrypting.finish()?;
    let ciphertext_len = hashing.written;
    let ciphertext_hash = hashing.hasher.finalize();

    let signature = signer.sign(&signed_message(&header_bytes, &ciphertext_hash));
    out.write_all(&signature)?;
    out.flush()?;
    Ok(PREFIX_LEN + header_bytes.len() as u64 + ciphertext_len + SIGNATURE_LEN)
}

/// Reads only the clear header of an envelope (for routing and for the held-revision
/// look-up); trusts nothing — [`Receiver::open`] checks everything again.
pub fn peek_header<R: Read>(mut input: R) -> Result<Header, Rejection> {
    let mut prefix = [0u8; PREFIX_LEN as usize];
    input
        .read_exact(&mut prefix)
        .map_err(|_| Rejection::Malformed("shorter than an envelope".into()))?;
    let header_len = parse_prefix(&prefix)?;
    let mut header_bytes = vec![0u8; header_len as usize];
    input
        .read_exact(&mut header_bytes)
        .map_err(|_| Rejection::Malformed("header cut short".into()))?;
    parse_header(&header_bytes)
}

fn parse_prefix(prefix: &[u8; PREFIX_LEN as usize]) -> Result<u32, Rejection> {
    if &prefix[..4] != MAGIC {
        return Err(Rejection::Malformed("not a Mandate envelope".into()));
    }
    if prefix[4] != FORMAT_VERSION {
        return Err(Rejection::UnsupportedVersion(prefix[4]));
    }
    let header_len = u32::from_be_bytes([prefix[5], prefix[6], prefix[7], prefix[8]]);
    if header_len == 0 || header_len > MAX_HEADER_LEN {
        return Err(Rejection::Malformed("header length out of range".into()));
    }
    Ok(header_len)
}

fn parse_header(bytes: &[u8]) -> Result<Header, Rejection> {
    let header: Header = serde_json::from_slice(bytes)
        .map_err(|_| Rejection::Malformed("header is not valid".into()))?;
    check_header_fields(&header).map_err(|m| Rejection::Malformed(m.into()))?;
    Ok(header)
}

/// A member of a channel as the receiver knows it: its keys and the side it acts for
/// (decided by the receiver from the channel's roles).
#[derive(Clone, Debug)]
pub struct Peer {
    pub keys: PublicKeys,
    pub side: Side,
}

/// What was opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub header: Header,
    pub sender_side: Side,
    /// Bytes of content written to the output.
    pub content_len: u64,
}

/// This device, receiving on one channel.
pub struct Receiver<'a> {
    pub me: &'a DeviceIdentity,
    pub channel: &'a str,
    pub peers: &'a [Peer],
}

impl Receiver<'_> {
    /// Checks and opens the envelope fetched as `envelope_id`, writing its content to
    /// `content`. `held` gives the revision already held of the item the header names.
    ///
    /// Everything that can be checked before decryption is checked first, so a
    /// rejected envelope writes nothing. After the signature holds, the ciphertext is
    /// exactly what the sender made; a decryption failure part-way (only a sender's
    /// bug could cause one) can leave partial content written, so callers write into
    /// a transaction or a temporary file and keep it only on `Ok`.
    pub fn open<R: Read + Seek, W: Write>(
        &self,
        envelope_id: &str,
        mut input: R,
        held: impl FnOnce(&Header) -> Option<u64>,
        mut content: W,
    ) -> Result<Opened, OpenError> {
        let total = input.seek(SeekFrom::End(0))?;
        input.seek(SeekFrom::Start(0))?;
        if total < PREFIX_LEN + SIGNATURE_LEN + 1 {
            return Err(Rejection::Malformed("shorter than an envelope".into()).into());
        }
        let mut prefix = [0u8; PREFIX_LEN as usize];
        input.read_exact(&mut prefix)?;
        let header_len = parse_prefix(&prefix)?;
        let ciphertext_start = PREFIX_LEN + u64::from(header_len);
        if ciphertext_start + SIGNATURE_LEN >= total {
            return Err(Rejection::Malformed("header runs past the end".into()).into());
        }
        let ciphertext_len = total - ciphertext_start - SIGNATURE_LEN;
        let mut header_bytes = vec![0u8; header_len as usize];
        input.read_exact(&mut header_bytes)?;
        let header = parse_header(&header_bytes)?;
        if header.envelope != envelope_id {
            return Err(Rejection::Misaddressed("envelope id").into());
        }
        if header.channel != self.channel {
            return Err(Rejection::Misaddressed("channel").into());
        }
        let peer = self
            .peers
            .iter()
            .find(|p| p.keys.key_id() == header.sender)
            .ok_or_else(|| Rejection::UnknownSender(header.sender.clone()))?;

        let mut hasher = Sha256::new();
        let copied = io::copy(
            &mut (&mut input).take(ciphertext_len),
            &mut HashSink(&mut hasher),
        )?;
        if copied != ciphertext_len {
            return Err(Rejection::Malformed("cut short".into()).into());
        }
        let mut signature = [0u8; SIGNATURE_LEN as usize];
        input.read_exact(&mut signature)?;
        if !peer.keys.verify(
            &signed_message(&header_bytes, &hasher.finalize()),
            &signature,
        ) {
            return Err(Rejection::BadSignature.into());
        }
        rules::check_acceptable(&header, peer.side, held(&header))?;

        input.seek(SeekFrom::Start(ciphertext_start))?;
        let mut plain = seal::decrypting(self.me.age(), (&mut input).take(ciphertext_len))
            .ok_or(Rejection::CannotDecrypt)?;
        let mut len = [0u8; 4];
        plain
            .read_exact(&mut len)
            .map_err(|_| Rejection::CannotDecrypt)?;
        let inner_len = u32::from_be_bytes(len);
        if inner_len > MAX_INNER_LEN {
            return Err(Rejection::BodyMismatch.into());
        }
        let mut inner_bytes = vec![0u8; inner_len as usize];
        plain
            .read_exact(&mut inner_bytes)
            .map_err(|_| Rejection::CannotDecrypt)?;
        let inner: Inner =
            serde_json::from_slice(&inner_bytes).map_err(|_| Rejection::BodyMismatch)?;
        if inner != Inner::of(&header) {
            return Err(Rejection::BodyMismatch.into());
        }
        let content_len = copy_distinguishing(&mut plain, &mut content)?;
        Ok(Opened {
            header,
            sender_side: peer.side,
            content_len,
        })
    }

    /// [`Receiver::open`] for an envelope held in memory (small items).
    pub fn open_bytes(
        &self,
        envelope_id: &str,
        envelope: &[u8],
        held: impl FnOnce(&Header) -> Option<u64>,
    ) -> Result<(Opened, Vec<u8>), OpenError> {
        let mut content = Vec::new();
        let opened = self.open(envelope_id, io::Cursor::new(envelope), held, &mut content)?;
        Ok((opened, content))
    }
}

struct HashSink<'a>(&'a mut Sha256);

impl Write for HashSink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Copies plaintext to `out`, telling a failure to decrypt (a rejection) from a
/// failure to write (an I/O error the caller may retry).
fn copy_distinguishing<R: Read, W: Write>(plain: &mut R, out: &mut W) -> Result<u64, OpenError> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match plain.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(Rejection::CannotDecrypt.into()),
        };
        out.write_all(&buf[..n])?;
        total += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sender (or a bug) that signs a header over a body made for another item: the
    /// signature holds, the inner identity does not, and nothing is written.
    #[test]
    fn a_body_moved_under_another_header_is_refused() {
        let firm = DeviceIdentity::generate();
        let provider = DeviceIdentity::generate();
        let header = Header {
            v: 1,
            envelope: "e1".into(),
            channel: "c1".into(),
            item: "brief-1".into(),
            kind: ItemKind::Brief,
            revision: 2,
            sender: firm.key_id(),
            created: 0,
        };
        let peers = [Peer {
            keys: firm.public().clone(),
            side: Side::Firm,
        }];
        let receiver = Receiver {
            me: &provider,
            channel: "c1",
            peers: &peers,
        };
        for inner in [
            Inner {
                revision: 1,
                ..Inner::of(&header)
            },
            Inner {
                item: "brief-2".into(),
                ..Inner::of(&header)
            },
            Inner {
                channel: "c2".into(),
                ..Inner::of(&header)
            },
            Inner {
                kind: ItemKind::Deadline,
                ..Inner::of(&header)
            },
        ] {
            let mut env = Vec::new();
            seal_with_inner(
                &header,
                &inner,
                &b"text"[..],
                &[provider.public()],
                &firm,
                &mut env,
            )
            .unwrap();
            let mut written = Vec::new();
            let err = receiver
                .open("e1", io::Cursor::new(&env), |_| None, &mut written)
                .unwrap_err();
            assert!(
                matches!(err, OpenError::Rejected(Rejection::BodyMismatch)),
                "{err}"
            );
            assert!(written.is_empty());
        }
    }
}
