//! Envelopes: an idempotent, streamed PUT; a cursor-paged listing; a download that
//! honours `Range`.

use super::auth::ChannelMember;
use super::body::BASE64;
use super::{BATCH_BODY_LIMIT, BATCH_MAX_ITEMS, INLINE_BUDGET, INLINE_MAX, Shared, now};
use crate::error::ApiError;
use crate::ids::EnvelopeId;
use crate::range::RangeAnswer;
use crate::store::{BatchItem, ListRequest, PutRequest, RelayStore};
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use futures_util::TryStreamExt as _;
use serde::Deserialize;
use serde_json::{Value, json};
use std::io;

const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1000;

fn envelope_id(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<EnvelopeId, ApiError> {
    path.ok()
        .and_then(|Path((_, id))| EnvelopeId::parse(&id))
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_envelope_id",
                "An envelope id is 1 to 64 characters of A-Z, a-z, 0-9, '-' and '_'.",
            )
        })
}

fn declared_length(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    headers
        .get(header::CONTENT_LENGTH)
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_content_length",
                        "Content-Length is not a number.",
                    )
                })
        })
        .transpose()
}

pub(crate) async fn put<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let id = envelope_id(path)?;
    let declared_len = declared_length(&headers)?;
    let max_bytes = state.limits.max_envelope_bytes;
    // Refused before a byte of the body is read (and before `100 Continue` is sent).
    if declared_len.is_some_and(|n| n > max_bytes) {
        return Err(crate::store::StoreError::TooLarge { limit: max_bytes }.into());
    }
    // The store reads the body through a handle the handler keeps, so that when it
    // refuses part-way (too large, over quota) the rest can be read and dropped before
    // answering: a client still sending would otherwise see a reset, not the answer.
    let body = SharedBody::new(body);
    let outcome = state
        .store
        .put_envelope(
            PutRequest {
                channel: caller.0.channel,
                sender: caller.0.member,
                id,
                declared_len,
                max_bytes,
                inline_max: INLINE_MAX,
                now: now(),
            },
            Box::pin(body.clone().map_err(io::Error::other)),
        )
        .await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            // A conflict is found part-way too (other bytes under a held id, longer
            // than the held ones): its client is still sending as well.
            if matches!(
                e,
                crate::store::StoreError::TooLarge { .. }
                    | crate::store::StoreError::QuotaExceeded { .. }
                    | crate::store::StoreError::EnvelopeConflict
            ) {
                body.drain().await;
            }
            return Err(e.into());
        }
    };
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({"seq": outcome.seq}))).into_response())
}

#[derive(Deserialize)]
struct BatchRequest {
    envelopes: Vec<BatchEnvelope>,
}

#[derive(Deserialize)]
struct BatchEnvelope {
    id: String,
    /// Base64 of the envelope's bytes.
    body: String,
}

/// `POST /v1/channels/{cid}/envelopes`: up to [`BATCH_MAX_ITEMS`] small envelopes
/// (each at most [`INLINE_MAX`] bytes) stored in order with one durable commit.
/// Each is idempotent by its id exactly as a PUT is; the answer (200) gives each its
/// own result: `{"id", "seq", "created"}`, or `{"id", "status", "error", "message"}`
/// (the status a PUT of it would have had) for one
/// refused on its own (other bytes under its id, the quota). Large envelopes go by PUT.
pub(crate) async fn put_batch<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = axum::body::to_bytes(body, BATCH_BODY_LIMIT)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "A batch upload is at most {} MiB: send fewer envelopes per batch.",
                    BATCH_BODY_LIMIT / (1024 * 1024)
                ),
            )
        })?;
    let req: BatchRequest = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(
            "invalid_json",
            format!("The request body is not the JSON this endpoint takes ({e})."),
        )
    })?;
    if req.envelopes.is_empty() || req.envelopes.len() > BATCH_MAX_ITEMS {
        return Err(ApiError::bad_request(
            "invalid_batch",
            format!("A batch holds 1 to {BATCH_MAX_ITEMS} envelopes."),
        ));
    }
    let mut items = Vec::with_capacity(req.envelopes.len());
    let mut seen = std::collections::HashSet::new();
    for e in req.envelopes {
        let id = EnvelopeId::parse(&e.id).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_envelope_id",
                "An envelope id is 1 to 64 characters of A-Z, a-z, 0-9, '-' and '_'.",
            )
        })?;
        if !seen.insert(e.id.clone()) {
            return Err(ApiError::bad_request(
                "invalid_batch",
                format!("The envelope {} is in the batch twice.", e.id),
            ));
        }
        let body = BASE64.decode(e.body.as_bytes()).map_err(|_| {
            ApiError::bad_request("invalid_body", "An envelope's body is not base64.")
        })?;
        if body.len() as u64 > INLINE_MAX.min(state.limits.max_envelope_bytes) {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "envelope_too_large",
                format!(
                    "The envelope {} is larger than a batch takes ({} bytes): send it with PUT.",
                    e.id,
                    INLINE_MAX.min(state.limits.max_envelope_bytes)
                ),
            ));
        }
        items.push(BatchItem { id, body });
    }
    let ids: Vec<String> = items.iter().map(|i| i.id.as_str().to_owned()).collect();
    let outcomes = state
        .store
        .put_batch(&caller.0.channel, &caller.0.member, items, now())
        .await?;
    let results: Vec<Value> = ids
        .into_iter()
        .zip(outcomes)
        .map(|(id, outcome)| match outcome {
            Ok(o) => json!({"id": id, "seq": o.seq, "created": o.created}),
            Err(e) => {
                let e = ApiError::from(e);
                json!({"id": id, "status": e.status.as_u16(), "error": e.code, "message": e.message})
            }
        })
        .collect();
    Ok(Json(json!({ "results": results })).into_response())
}

/// At most this much of a refused upload is read (and dropped) so the client sees the
/// answer; a client sending more than this gets the connection closed instead.
const DRAIN_MAX: usize = 8 * 1024 * 1024;
const DRAIN_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

type DataStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<bytes::Bytes, axum::Error>> + Send>>;

/// A request body shared between the store (which reads it) and the handler (which
/// drains what is left after a refusal).
#[derive(Clone)]
struct SharedBody(std::sync::Arc<std::sync::Mutex<DataStream>>);

impl SharedBody {
    fn new(body: Body) -> Self {
        Self(std::sync::Arc::new(std::sync::Mutex::new(Box::pin(
            body.into_data_stream(),
        ))))
    }

    /// Reads and drops what is left of the body, up to [`DRAIN_MAX`] bytes and
    /// [`DRAIN_WAIT`] per chunk.
    async fn drain(self) {
        let mut seen = 0;
        while seen <= DRAIN_MAX {
            let next = std::future::poll_fn(|cx| {
                let mut stream = self
                    .0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                stream.as_mut().poll_next(cx)
            });
            match tokio::time::timeout(DRAIN_WAIT, next).await {
                Ok(Some(Ok(chunk))) => seen += chunk.len(),
                _ => return,
            }
        }
    }
}

impl futures_util::Stream for SharedBody {
    type Item = Result<bytes::Bytes, axum::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let mut stream = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        stream.as_mut().poll_next(cx)
    }
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    after: Option<i64>,
    limit: Option<u32>,
}

pub(crate) async fn list<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let invalid = || {
        ApiError::bad_request(
            "invalid_query",
            format!("after must be a sequence number (0 or more) and limit 1 to {MAX_PAGE}."),
        )
    };
    let Query(query) = query.map_err(|_| invalid())?;
    let after = query.after.unwrap_or(0);
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if after < 0 || !(1..=MAX_PAGE).contains(&limit) {
        return Err(invalid());
    }
    // Listing after N says the member holds everything up to N: the senders see it
    // as "received".
    if after > 0 {
        state
            .store
            .acknowledge(&caller.0.channel, &caller.0.member, after)
            .await?;
    }
    let page = state
        .store
        .list_envelopes(
            &caller.0.channel,
            ListRequest {
                after,
                limit,
                inline_max: INLINE_MAX,
                inline_budget: INLINE_BUDGET,
            },
        )
        .await?;
    let envelopes: Vec<Value> = page
        .envelopes
        .into_iter()
        .map(|e| {
            let mut entry = json!({
                "seq": e.meta.seq,
                "id": e.meta.id.as_str(),
                "size": e.meta.size,
                "sha256": hex::encode(e.meta.sha256),
                "sender": e.meta.sender.as_str(),
                "received_at": e.meta.received_at,
            });
            if let (Some(body), Some(map)) = (e.body, entry.as_object_mut()) {
                map.insert("body".into(), Value::String(BASE64.encode(body)));
            }
            entry
        })
        .collect();
    Ok(Json(json!({"envelopes": envelopes, "more": page.more})))
}

pub(crate) async fn get<S: RelayStore>(
    State(state): State<Shared<S>>,
    caller: ChannelMember,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = envelope_id(path)?;
    let channel = &caller.0.channel;
    let found = state.store.find_envelope(channel, &id).await?;
    let meta = &found.meta;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, len, content_range) = match RangeAnswer::for_header(range, meta.size) {
        RangeAnswer::Whole => (StatusCode::OK, 0, meta.size, None),
        RangeAnswer::Part { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            start,
            end - start + 1,
            Some(format!("bytes {start}-{end}/{}", meta.size)),
        ),
        RangeAnswer::Unsatisfiable => {
            let mut response = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range_not_satisfiable",
                format!(
                    "The range asked for starts at or after the end of the envelope ({} bytes).",
                    meta.size
                ),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{}", meta.size)) {
                response.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(response);
        }
    };
    let stream = state
        .store
        .read_envelope(channel, &found, start, len)
        .await?;
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", hex::encode(meta.sha256))) {
        h.insert(header::ETAG, etag);
    }
    if let Some(v) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::CONTENT_RANGE, v);
    }
    Ok(response)
}
