//! Small text rules shared by the formats: the id alphabet and base64 flavours.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// Ids on the wire (channel, envelope, item) are 1–64 characters of `[A-Za-z0-9_-]`:
/// safe in URLs and file names, and short enough to bound a header.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub(crate) fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn from_b64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub(crate) fn from_b64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}
