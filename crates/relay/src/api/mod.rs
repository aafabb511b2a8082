//! The HTTP API (`/healthz` and `/v1/...`): routing, the layers every request goes
//! through (log line, rate limit, JSON body limit), and the answers for addresses
//! and methods that do not exist. Handlers live in `channels` and `envelopes`;
//! who is calling is decided in `auth`.

mod auth;
mod body;
mod channels;
mod envelopes;

use crate::error::ApiError;
use crate::ratelimit::{Caller, RateLimiter, retry_after_secs};
use crate::store::{RelayStore, UnixSecs};
use crate::token::{TokenHash, TokenKind};
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The version of this API; `/healthz` says it so clients can tell a Mandate relay
/// (and which) from any other server.
pub const PROTOCOL: u32 = 1;

/// JSON bodies (cards, invitations) are small; anything larger is a mistake or abuse.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

/// Cards are public keys and a name or two: 16 KiB is generous.
pub const CARD_LIMIT: usize = 16 * 1024;

/// Envelopes up to this size travel inside a listing, saving a round trip each.
pub const INLINE_MAX: u64 = 64 * 1024;

/// A listing stops early once its inline bodies reach this many bytes.
pub const INLINE_BUDGET: u64 = 4 * 1024 * 1024;

/// A batch upload holds at most this many envelopes, each at most [`INLINE_MAX`]...
pub const BATCH_MAX_ITEMS: usize = 256;

/// ...and its JSON body (base64 bodies included) at most this many bytes.
pub const BATCH_BODY_LIMIT: usize = 6 * 1024 * 1024;

pub struct Limits {
    pub max_envelope_bytes: u64,
}

pub struct AppState<S> {
    pub store: S,
    pub limits: Limits,
    pub limiter: RateLimiter,
}

pub type Shared<S> = Arc<AppState<S>>;

pub fn router<S: RelayStore>(state: Shared<S>) -> Router {
    use axum::routing::{delete, put};
    Router::new()
        .route("/healthz", get(healthz))
        .route("/v1/channels", post(channels::open::<S>))
        .route("/v1/channels/{cid}", delete(channels::delete::<S>))
        .route("/v1/channels/{cid}/invites", post(channels::invite::<S>))
        .route("/v1/channels/{cid}/join", post(channels::join::<S>))
        .route("/v1/channels/{cid}/members", get(channels::members::<S>))
        .route("/v1/channels/{cid}/close", post(channels::close::<S>))
        .route(
            "/v1/channels/{cid}/envelopes",
            get(envelopes::list::<S>).post(envelopes::put_batch::<S>),
        )
        .route(
            "/v1/channels/{cid}/envelopes/{eid}",
            put(envelopes::put::<S>).get(envelopes::get::<S>),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Only extractors that buffer (the JSON endpoints) obey this; the envelope PUT
        // streams its body and enforces --max-envelope-bytes itself.
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::<S>,
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn healthz() -> impl IntoResponse {
    axum::Json(serde_json::json!({"service": "mandate-relay", "protocol": PROTOCOL}))
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This address does not take this method. See the relay's API table (docs/relay.md).",
    )
}

pub fn now() -> UnixSecs {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The token of `Authorization: Bearer TOKEN`, if the header is there and says so.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

pub(crate) fn client_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// One bucket per token presented; per IP without one (or with a malformed one).
async fn rate_limit<S: RelayStore>(
    State(state): State<Shared<S>>,
    req: Request,
    next: Next,
) -> Response {
    let token = bearer(req.headers())
        .and_then(|t| TokenKind::of(t).and_then(|kind| TokenHash::of_presented(kind, t)));
    let caller = match token {
        Some(hash) => Caller::Token(hash),
        None => Caller::Ip(client_ip(req.extensions())),
    };
    match state.limiter.check(caller, Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(wait) => ApiError::rate_limited(retry_after_secs(wait)).into_response(),
    }
}

/// One line per request: method, route template (never the raw path's query or any
/// header), status, latency and channel id. Never a token, a card or a body.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(no route)".to_owned(), |p| p.as_str().to_owned());
    let channel = req
        .uri()
        .path()
        .strip_prefix("/v1/channels/")
        .and_then(|rest| rest.split('/').next())
        .and_then(crate::ids::ChannelId::parse);
    let started = Instant::now();
    let response = next.run(req).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = format_args!("{latency_ms:.1}"),
        channel = %channel.as_ref().map_or("-", |c| c.as_str()),
        "request"
    );
    response
}
