//! JSON request bodies read with the relay's own error shape (axum's rejections are
//! plain text), and the base64 fields inside them.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::DeserializeOwned;

/// Standard base64, padded when written, padding optional when read.
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A JSON body (any content type), at most [`super::JSON_BODY_LIMIT`] bytes.
pub(crate) struct JsonBody<T>(pub T);

/// Like [`JsonBody`], but an empty body means `T::default()`.
pub(crate) struct JsonOrEmpty<T>(pub T);

async fn read_limited<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "The request body is larger than {} KiB, the most this endpoint takes.",
                    super::JSON_BODY_LIMIT / 1024
                ),
            )
        } else {
            ApiError::bad_request(
                "body_incomplete",
                "The request body did not arrive whole. Send the request again.",
            )
        }
    })
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(
            "invalid_json",
            format!("The request body is not the JSON this endpoint takes ({e})."),
        )
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        parse(&read_limited(req, state).await?).map(JsonBody)
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for JsonOrEmpty<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = read_limited(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonOrEmpty(T::default()));
        }
        parse(&bytes).map(JsonOrEmpty)
    }
}

/// A member's public card: base64 of 1 to [`super::CARD_LIMIT`] opaque bytes.
pub(crate) fn decode_card(text: &str) -> Result<Vec<u8>, ApiError> {
    // A cheap bound before decoding: base64 takes 4 characters per 3 bytes.
    if text.len() > super::CARD_LIMIT.div_ceil(3) * 4 + 4 {
        return Err(card_error());
    }
    match BASE64.decode(text.trim()) {
        Ok(card) if !card.is_empty() && card.len() <= super::CARD_LIMIT => Ok(card),
        _ => Err(card_error()),
    }
}

fn card_error() -> ApiError {
    ApiError::bad_request(
        "invalid_card",
        format!(
            "The card must be base64 of 1 to {} KiB of bytes. Send the card the Mandate app made.",
            super::CARD_LIMIT / 1024
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_are_base64_of_1_to_16_kib() {
        assert_eq!(decode_card("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_card("aGVsbG8").unwrap(), b"hello");
        assert!(decode_card("").is_err());
        assert!(decode_card("not base64!").is_err());
        let max = BASE64.encode(vec![7u8; CARD]);
        assert_eq!(decode_card(&max).unwrap().len(), CARD);
        let over = BASE64.encode(vec![7u8; CARD + 1]);
        assert!(decode_card(&over).is_err());
    }

    const CARD: usize = super::super::CARD_LIMIT;
}
