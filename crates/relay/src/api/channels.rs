//! Channels and their members: open, invite, join, list members, close, delete.

use super::auth::{AccountCaller, ChannelMember};
use super::body::{BASE64, JsonBody, JsonOrEmpty, decode_card};
use super::{Shared, now};
use crate::error::ApiError;
use crate::ids::ChannelId;
use crate::store::RelayStore;
use crate::token::{Token, TokenHash, TokenKind};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};

const DAY: u64 = 24 * 60 * 60;
const DEFAULT_INVITE_SECS: u64 = 7 * DAY;
const MAX_INVITE_SECS: u64 = 30 * DAY;

type Created = (StatusCode, Json<Value>);

fn new_token(kind: TokenKind) -> Result<Token, ApiError> {
    Token::generate(kind).map_err(|e| {
        tracing::error!(error = %e, "the OS random source failed");
        ApiError::internal()
    })
}

#[derive(Deserialize)]
pub(crate) struct OpenRequest {
    card: String,
}

pub(crate) async fn open<S: RelayStore>(
    State(state): State<Shared<S>>,
    AccountCaller(account): AccountCaller,
    JsonBody(req): JsonBody<OpenRequest>,
) -> Result<Created, ApiError> {
    let card = decode_card(&req.card)?;
    let token = new_token(TokenKind::Access)?;
    let (channel, member) = state
        .store
        .open_channel(account, card, token.hash(), now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "channel_id": channel.as_str(),
            "member_id": member.as_str(),
            "access_token": token.into_string(),
        })),
    ))
}

#[derive(Deserialize, Default)]
pub(crate) struct InviteRequest {
    expires_in_secs: Option<u64>,
}

pub(crate) async fn invite<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
    JsonOrEmpty(req): JsonOrEmpty<InviteRequest>,
) -> Result<Created, ApiError> {
    caller.require_owner()?;
    let secs = req.expires_in_secs.unwrap_or(DEFAULT_INVITE_SECS);
    if !(1..=MAX_INVITE_SECS).contains(&secs) {
        return Err(ApiError::bad_request(
            "invalid_expiry",
            format!("expires_in_secs must be between 1 and {MAX_INVITE_SECS} (30 days)."),
        ));
    }
    let token = new_token(TokenKind::Join)?;
    let now = now();
    // Bounded above by 30 days, so this cannot overflow.
    let expires_at = now + i64::try_from(secs).unwrap_or(i64::MAX - now);
    state
        .store
        .add_invite(
            &caller.0.channel,
            &caller.0.member,
            token.hash(),
            expires_at,
            now,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"join_token": token.into_string(), "expires_at": expires_at})),
    ))
}

#[derive(Deserialize)]
pub(crate) struct JoinRequest {
    join_token: String,
    card: String,
}

pub(crate) async fn join<S: RelayStore>(
    State(state): State<Shared<S>>,
    Path(channel): Path<String>,
    JsonBody(req): JsonBody<JoinRequest>,
) -> Result<Created, ApiError> {
    let unknown = || ApiError::from(crate::store::StoreError::InviteUnknown);
    let channel = ChannelId::parse(&channel).ok_or_else(unknown)?;
    let join_token =
        TokenHash::of_presented(TokenKind::Join, &req.join_token).ok_or_else(unknown)?;
    let card = decode_card(&req.card)?;
    let access = new_token(TokenKind::Access)?;
    let member = state
        .store
        .join(&channel, join_token, card, access.hash(), now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"member_id": member.as_str(), "access_token": access.into_string()})),
    ))
}

pub(crate) async fn members<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
) -> Result<Json<Value>, ApiError> {
    let members = state.store.members(&caller.0.channel).await?;
    let members: Vec<Value> = members
        .into_iter()
        .map(|m| {
            json!({
                "member_id": m.member.as_str(),
                "role": m.role.as_str(),
                "card": BASE64.encode(&m.card),
                "joined_at": m.joined_at,
                "acked": m.acked,
            })
        })
        .collect();
    Ok(Json(json!({ "members": members })))
}

pub(crate) async fn close<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
) -> Result<StatusCode, ApiError> {
    caller.require_owner()?;
    state.store.close_channel(&caller.0.channel, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn delete<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
) -> Result<StatusCode, ApiError> {
    caller.require_owner()?;
    state.store.delete_channel(&caller.0.channel, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
