//! Who is calling: an operator's account (`mra_`) or a member of the channel named in
//! the path (`mrt_`). Decided before any body is read.
//!
//! The answers are chosen to leak nothing: no token or a bad one is 401; a good token
//! of channel A used on channel B is 403 whether or not B exists; a token of a
//! channel its owner deleted is 404 (the client should stop, not re-authenticate).

use super::{Shared, bearer, client_ip};
use crate::error::ApiError;
use crate::ids::ChannelId;
use crate::ratelimit::{Caller, retry_after_secs};
use crate::store::{AccountRef, MemberAccess, RelayStore, Role};
use crate::token::{TokenHash, TokenKind};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::StatusCode;
use axum::http::request::Parts;
use std::time::Instant;

/// The caller holds an account token.
pub(crate) struct AccountCaller(pub AccountRef);

/// The caller is a member of the channel in the path (`{cid}`).
pub(crate) struct ChannelMember(pub MemberAccess);

impl ChannelMember {
    pub(crate) fn require_owner(&self) -> Result<(), ApiError> {
        match self.0.role {
            Role::Owner => Ok(()),
            Role::Member => Err(ApiError::forbidden(
                "owner_only",
                "Only the channel's owner (who opened it) may do this.",
            )),
        }
    }
}

fn missing_token() -> ApiError {
    ApiError::unauthorized(
        "missing_token",
        "This request needs a token: send `Authorization: Bearer TOKEN`.",
    )
}

fn wrong_kind(expected: TokenKind) -> ApiError {
    let what = match expected {
        TokenKind::Account => "an account token (mra_…), which the relay's operator gives out",
        TokenKind::Join => "a join token (mrj_…)",
        TokenKind::Access => {
            "the channel access token (mrt_…) received when opening or joining the channel"
        }
    };
    ApiError::unauthorized(
        "invalid_token",
        format!("The token is not valid here: this request takes {what}."),
    )
}

/// An unknown token also costs a request from the client IP's bucket, so that a
/// client inventing tokens (each with a fresh bucket of its own) is still limited.
fn unknown_token<S: RelayStore>(parts: &Parts, state: &Shared<S>) -> ApiError {
    if let Err(wait) = state
        .limiter
        .check(Caller::Ip(client_ip(&parts.extensions)), Instant::now())
    {
        return ApiError::rate_limited(retry_after_secs(wait));
    }
    ApiError::unauthorized(
        "unknown_token",
        "The relay does not know this token. Check it was copied whole; if the channel \
         was deleted or the token replaced, ask for a new invitation.",
    )
}

impl<S: RelayStore> FromRequestParts<Shared<S>> for AccountCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared<S>) -> Result<Self, ApiError> {
        let presented = bearer(&parts.headers).ok_or_else(missing_token)?;
        let hash = TokenHash::of_presented(TokenKind::Account, presented)
            .ok_or_else(|| wrong_kind(TokenKind::Account))?;
        match state.store.account_by_token(hash).await? {
            Some(account) => Ok(AccountCaller(account)),
            None => Err(unknown_token(parts, state)),
        }
    }
}

impl<S: RelayStore> FromRequestParts<Shared<S>> for ChannelMember {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared<S>) -> Result<Self, ApiError> {
        let presented = bearer(&parts.headers).ok_or_else(missing_token)?;
        let hash = TokenHash::of_presented(TokenKind::Access, presented)
            .ok_or_else(|| wrong_kind(TokenKind::Access))?;
        let path_channel = RawPathParams::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|params| {
                params
                    .iter()
                    .find(|(name, _)| *name == "cid")
                    .and_then(|(_, value)| ChannelId::parse(value))
            });
        match state.store.member_by_token(hash).await? {
            Some(access) if Some(&access.channel) == path_channel.as_ref() => {
                Ok(ChannelMember(access))
            }
            Some(_) => Err(ApiError::forbidden(
                "not_a_member",
                "This token gives access to another channel, not this one.",
            )),
            None => match path_channel {
                Some(channel) if state.store.channel_was_deleted(&channel).await? => {
                    Err(ApiError::new(
                        StatusCode::NOT_FOUND,
                        "channel_deleted",
                        "The owner deleted this channel and everything in it. Nothing more \
                         can be read or sent here.",
                    ))
                }
                _ => Err(unknown_token(parts, state)),
            },
        }
    }
}
