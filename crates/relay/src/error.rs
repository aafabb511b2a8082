//! Every answer that is not a success: `{"error":{"code","message"}}`, with a stable
//! snake_case code a client acts on and a message that says what happened and what
//! to do.

use crate::store::StoreError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is nothing at this address. Check the relay URL and the API version (/v1).",
        )
    }

    pub fn rate_limited(retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many requests. Wait {retry_after} s (Retry-After) and try again."),
            )
        }
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "The relay could not complete the request. Try again later; if it keeps \
             happening, tell the relay's operator (the details are in its log).",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.code, "message": self.message}});
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        use StatusCode as S;
        match e {
            StoreError::AccountExists(name) => ApiError::new(
                S::CONFLICT,
                "account_exists",
                format!("An account named {name:?} exists already. Choose another name."),
            ),
            StoreError::ChannelNotFound => ApiError::new(
                S::NOT_FOUND,
                "channel_not_found",
                "This channel does not exist (any more). Ask its owner for a new invitation.",
            ),
            StoreError::ChannelClosed => ApiError::new(
                S::CONFLICT,
                "channel_closed",
                "The channel was closed by its owner: it can still be read, but nothing more \
                 can be sent or joined.",
            ),
            StoreError::EnvelopeNotFound => ApiError::new(
                S::NOT_FOUND,
                "envelope_not_found",
                "There is no envelope with this id in the channel. List the channel's \
                 envelopes to see which there are.",
            ),
            StoreError::EnvelopeConflict => ApiError::new(
                S::CONFLICT,
                "envelope_conflict",
                "An envelope with this id and different bytes is already in the channel. \
                 Envelope ids are never reused: send the new content under a new id.",
            ),
            StoreError::TooLarge { limit } => ApiError::new(
                S::PAYLOAD_TOO_LARGE,
                "envelope_too_large",
                format!(
                    "The envelope is larger than this relay accepts ({limit} bytes). Split it, or ask the operator to raise --max-envelope-bytes."
                ),
            ),
            StoreError::QuotaExceeded { quota } => ApiError::new(
                S::INSUFFICIENT_STORAGE,
                "quota_exceeded",
                format!(
                    "The account that opened this channel would go over its quota of {quota} bytes. Delete channels no longer needed, or ask the operator for a larger quota."
                ),
            ),
            StoreError::InviteUnknown => ApiError::forbidden(
                "invite_unknown",
                "This invitation is not valid for this channel. Check that the whole \
                 invite code was copied, or ask for a new one.",
            ),
            StoreError::InviteUsed => ApiError::new(
                S::GONE,
                "invite_used",
                "This invitation was used already; each works once. Ask the channel's owner \
                 for a new one.",
            ),
            StoreError::InviteExpired => ApiError::new(
                S::GONE,
                "invite_expired",
                "This invitation has expired. Ask the channel's owner for a new one.",
            ),
            StoreError::BodyRead(e) => {
                tracing::debug!(error = %e, "request body broke off");
                ApiError::bad_request(
                    "body_incomplete",
                    "The request body did not arrive whole. Send it again (a PUT of the \
                     same envelope id is safe to repeat).",
                )
            }
            StoreError::Internal(detail) => {
                tracing::error!(error = %detail, "store failure");
                ApiError::internal()
            }
        }
    }
}
