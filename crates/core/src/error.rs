//! The error every layer returns. It crosses the IPC boundary as
//! `{code, message, field}`: `code` is a stable machine name the UI can act on,
//! `message` says what happened and what to do, `field` names the form field a
//! validation error belongs to so the UI can show it beside that field.

use serde::Serialize;
use ts_rs::TS;

/// Stable error codes. Renaming one is a breaking change for the UI and for
/// scripts reading `mandate --json` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Input failed validation; `field` says which.
    Invalid,
    /// A unique value (such as a matter number) is already taken.
    Duplicate,
    /// The item asked for does not exist.
    NotFound,
    /// The change is not allowed in the item's current state or by this side
    /// (e.g. a provider approving its own work, or editing a closed assignment).
    NotAllowed,
    /// The store is locked: its key could not be obtained.
    Locked,
    /// The key obtained does not open the store.
    WrongKey,
    /// The store is protected by a passphrase: ask for it.
    PassphraseRequired,
    /// The passphrase does not open the store.
    WrongPassphrase,
    /// The OS keyring (Secret Service) could not be reached or refused access.
    KeyringUnavailable,
    /// The store was written by a newer Mandate.
    StoreTooNew,
    /// The store's files are damaged or inconsistent.
    Corrupt,
    /// Reading or writing files failed (permissions, disk full, ...).
    Io,
    /// A relay could not be reached, was not trusted, or refused the request; the
    /// message says which and what to do.
    Network,
    /// Anything else: a bug. The message carries the detail.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[ts(rename = "ApiError")]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// The form field a validation error belongs to (`number`, `title`, ...).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Invalid,
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}
