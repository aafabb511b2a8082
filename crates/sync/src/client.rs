//! The relay's HTTP API (docs/protocol.md, "Relay API") as typed calls, over HTTPS
//! only, trusting what the firm said to trust: the system's roots, a CA it was given,
//! or the SHA-256 pin of the relay's own certificate.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mandate_core::exchange::{RelayCheck, RelayProblem};
use mandate_store::RelayAccess;
use reqwest::StatusCode;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The largest envelope a batch upload takes (the relay's inline size, 64 KiB).
pub const BATCH_ITEM_MAX: usize = 64 * 1024;
/// The most envelopes one batch upload takes.
pub const BATCH_MAX_ITEMS: usize = 256;

/// Why a call to a relay failed, in words a person can act on.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum RelayError {
    /// Worth trying again later: no answer, a dropped connection, 5xx, 408, 429.
    #[error("{reason}")]
    Transient {
        reason: String,
        /// What the relay asked for (429's Retry-After), in seconds.
        retry_after: Option<u64>,
    },
    /// The relay refused the request; trying again will not help.
    #[error("the relay refused it ({status}): {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    /// The relay is not who it should be, or not a Mandate relay.
    #[error("{0}")]
    Untrusted(String),
}

impl RelayError {
    pub fn is_transient(&self) -> bool {
        matches!(self, RelayError::Transient { .. })
    }
}

/// A relay's certificate, checked against a pinned SHA-256 instead of a CA: for
/// relays with a self-made certificate (the pin comes from the relay's operator or
/// the invite). The handshake's signatures are still checked with the certificate's
/// key, so only the holder of that certificate's private key passes.
#[derive(Debug)]
struct PinnedCertificate {
    pin: [u8; 32],
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if Sha256::digest(end_entity.as_ref()).as_slice() == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// One relay, reached with what the store says to trust.
#[derive(Clone)]
pub struct RelayClient {
    base: String,
    http: reqwest::Client,
}

#[derive(Deserialize)]
pub struct Opened {
    pub channel_id: String,
    pub member_id: String,
    pub access_token: String,
}

#[derive(Deserialize)]
pub struct Joined {
    pub member_id: String,
    pub access_token: String,
}

#[derive(Deserialize)]
pub struct InviteToken {
    pub join_token: String,
    pub expires_at: i64,
}

#[derive(Deserialize)]
pub struct Member {
    pub member_id: String,
    pub role: String,
    /// base64 of the card's text.
    pub card: String,
    /// The highest sequence number the member has said it holds (a listing after it).
    #[serde(default)]
    pub acked: i64,
}

#[derive(Deserialize)]
struct Members {
    members: Vec<Member>,
}

#[derive(Deserialize)]
pub struct Listed {
    pub seq: i64,
    pub id: String,
    pub size: u64,
    pub sender: String,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Deserialize)]
pub struct Page {
    pub envelopes: Vec<Listed>,
    pub more: bool,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

/// Decodes a card as the relay lists it (base64 of the card text).
pub fn card_text(member: &Member) -> Option<String> {
    STANDARD
        .decode(&member.card)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

impl RelayClient {
    pub fn new(relay: &RelayAccess) -> Result<Self, RelayError> {
        if !relay.url.starts_with("https://") {
            return Err(RelayError::Untrusted(format!(
                "{} is not an https:// address; Mandate only talks to relays over HTTPS.",
                relay.url
            )));
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .user_agent(concat!("mandate/", env!("CARGO_PKG_VERSION")))
            // Never follow a redirect: it could lead off the relay the firm chose.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(pin) = &relay.cert_sha256 {
            let pin: [u8; 32] = hex::decode(pin)
                .ok()
                .and_then(|p| p.try_into().ok())
                .ok_or_else(|| {
                    RelayError::Untrusted(
                        "The relay's certificate pin is not 64 hex digits.".into(),
                    )
                })?;
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .map_err(|e| RelayError::Untrusted(format!("TLS setup failed: {e}")))?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(PinnedCertificate { pin, provider }))
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            builder = builder.tls_backend_preconfigured(config);
        } else if let Some(pem) = &relay.ca_pem {
            let ca = reqwest::Certificate::from_pem(pem.as_bytes()).map_err(|_| {
                RelayError::Untrusted(
                    "The relay's CA certificate is not a readable PEM file.".into(),
                )
            })?;
            builder = builder.tls_certs_only([ca]);
        }
        let http = builder
            .build()
            .map_err(|e| RelayError::Untrusted(format!("TLS setup failed: {e}")))?;
        Ok(Self {
            base: relay.url.trim_end_matches('/').to_owned(),
            http,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Checks that the relay answers and is a Mandate relay.
    pub async fn health(&self) -> Result<(), RelayError> {
        let response = self.send(self.http.get(self.url("/healthz"))).await?;
        let body: serde_json::Value = response.json().await.map_err(|_| not_mandate(&self.base))?;
        if body.get("service").and_then(|s| s.as_str()) != Some("mandate-relay") {
            return Err(not_mandate(&self.base));
        }
        Ok(())
    }

    pub async fn open_channel(
        &self,
        account_token: &str,
        card: &str,
    ) -> Result<Opened, RelayError> {
        let request = self
            .http
            .post(self.url("/v1/channels"))
            .bearer_auth(account_token)
            .json(&json!({ "card": STANDARD.encode(card) }));
        json_of(self.send(request).await?).await
    }

    pub async fn create_invite(
        &self,
        channel: &str,
        token: &str,
        expires_in_secs: u64,
    ) -> Result<InviteToken, RelayError> {
        let request = self
            .http
            .post(self.url(&format!("/v1/channels/{channel}/invites")))
            .bearer_auth(token)
            .json(&json!({ "expires_in_secs": expires_in_secs }));
        json_of(self.send(request).await?).await
    }

    pub async fn join(
        &self,
        channel: &str,
        join_token: &str,
        card: &str,
    ) -> Result<Joined, RelayError> {
        let request = self
            .http
            .post(self.url(&format!("/v1/channels/{channel}/join")))
            .json(&json!({ "join_token": join_token, "card": STANDARD.encode(card) }));
        json_of(self.send(request).await?).await
    }

    pub async fn members(&self, channel: &str, token: &str) -> Result<Vec<Member>, RelayError> {
        let request = self
            .http
            .get(self.url(&format!("/v1/channels/{channel}/members")))
            .bearer_auth(token);
        Ok(json_of::<Members>(self.send(request).await?).await?.members)
    }

    /// Uploads an envelope under its id. The same id with the same bytes is fine to
    /// send again; `Ok(false)` means the relay already held other bytes under this id:
    /// an earlier attempt of this change that was sealed again after a crash.
    ///
    /// A sealed-again envelope rarely has the earlier one's size (age adds a stanza
    /// of random length), and the relay answers 409 to a length it knows is wrong
    /// before reading the body, then closes. A client still writing a large body may
    /// see only the closed connection. So when the connection breaks, the relay is
    /// asked whether it holds this id: the id is ours and random, so if it does, an
    /// attempt of this change got there whole.
    pub async fn put_envelope(
        &self,
        channel: &str,
        token: &str,
        id: &str,
        bytes: Vec<u8>,
    ) -> Result<bool, RelayError> {
        let len = bytes.len() as u64;
        self.put_body(channel, token, id, reqwest::Body::from(bytes), len)
            .await
    }

    /// Uploads small envelopes (each at most [`BATCH_ITEM_MAX`] bytes) in one request
    /// that the relay stores with one durable commit, in the order given. Each gets
    /// its own answer, read as [`RelayClient::put_envelope`]'s: `Ok(true)` stored,
    /// `Ok(false)` already held (a retried batch, or an earlier sealing of the same
    /// change), or why that one was refused. The batch as a whole fails only as a
    /// request does (transient, refused, untrusted); a relay without batches answers
    /// 404 or 405, and the caller sends one by one.
    pub async fn put_envelopes(
        &self,
        channel: &str,
        token: &str,
        items: &[(String, Vec<u8>)],
    ) -> Result<Vec<Result<bool, RelayError>>, RelayError> {
        #[derive(serde::Deserialize)]
        struct Answer {
            results: Vec<ItemAnswer>,
        }
        #[derive(serde::Deserialize)]
        struct ItemAnswer {
            #[serde(default)]
            created: Option<bool>,
            #[serde(default)]
            status: Option<u16>,
            #[serde(default)]
            error: Option<String>,
            #[serde(default)]
            message: Option<String>,
        }
        use base64::Engine as _;
        let body = serde_json::json!({
            "envelopes": items
                .iter()
                .map(|(id, bytes)| serde_json::json!({
                    "id": id,
                    "body": base64::engine::general_purpose::STANDARD.encode(bytes),
                }))
                .collect::<Vec<_>>()
        });
        let request = self
            .http
            .post(self.url(&format!("/v1/channels/{channel}/envelopes")))
            .bearer_auth(token)
            .json(&body);
        let answer: Answer = json_of(self.send(request).await?).await?;
        if answer.results.len() != items.len() {
            return Err(RelayError::Untrusted(
                "The relay answered a batch with the wrong number of results. Update the relay or Mandate.".into(),
            ));
        }
        Ok(answer
            .results
            .into_iter()
            .map(|r| match (r.created, r.error) {
                (Some(created), None) => Ok(created),
                (_, Some(code)) if code == "envelope_conflict" => Ok(false),
                (_, Some(code)) => Err(RelayError::Refused {
                    // What a PUT of it alone would have answered (409, 507, ...).
                    status: r.status.unwrap_or(409),
                    message: r.message.unwrap_or_else(|| code.clone()),
                    code,
                }),
                (None, None) => Err(RelayError::Untrusted(
                    "The relay's answer to a batch was not what a Mandate relay sends.".into(),
                )),
            })
            .collect())
    }

    /// [`RelayClient::put_envelope`] for an envelope sealed into a file: streamed
    /// from disk, so a large document is never held in memory.
    pub async fn put_envelope_file(
        &self,
        channel: &str,
        token: &str,
        id: &str,
        path: &std::path::Path,
    ) -> Result<bool, RelayError> {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| RelayError::Transient {
                reason: format!("could not read the sealed envelope: {e}"),
                retry_after: None,
            })?;
        let len = file
            .metadata()
            .await
            .map_err(|e| RelayError::Transient {
                reason: format!("could not read the sealed envelope: {e}"),
                retry_after: None,
            })?
            .len();
        let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(
            file,
            256 * 1024,
        ));
        self.put_body(channel, token, id, body, len).await
    }

    /// Uploads an envelope under its id. The same id with the same bytes is fine to
    /// send again; `Ok(false)` means the relay already held this id: an earlier
    /// attempt of the same change (perhaps sealed again after a crash) got there.
    async fn put_body(
        &self,
        channel: &str,
        token: &str,
        id: &str,
        body: reqwest::Body,
        len: u64,
    ) -> Result<bool, RelayError> {
        let url = self.url(&format!("/v1/channels/{channel}/envelopes/{id}"));
        let sent = self
            .http
            .put(&url)
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            // Announced, so a relay can refuse an envelope over its limit at once.
            .header(reqwest::header::CONTENT_LENGTH, len)
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) => {
                let broken = transport(&self.base, &e);
                return match self.holds(&url, token).await {
                    Ok(true) => Ok(false),
                    _ => Err(broken),
                };
            }
        };
        match answer(response).await {
            Ok(_) => Ok(true),
            Err(RelayError::Refused {
                status: 409, code, ..
            }) if code == "envelope_conflict" => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Downloads an envelope into `path`, resuming what an earlier, interrupted
    /// download left there (HTTP range request), and returns its size.
    pub async fn get_envelope_to_file(
        &self,
        channel: &str,
        token: &str,
        id: &str,
        path: &std::path::Path,
    ) -> Result<u64, RelayError> {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        let io_err = |e: std::io::Error| RelayError::Transient {
            reason: format!("could not keep the download: {e}"),
            retry_after: None,
        };
        let have = tokio::fs::metadata(path)
            .await
            .map(|m| m.len())
            .unwrap_or(0);
        let mut request = self
            .http
            .get(self.url(&format!("/v1/channels/{channel}/envelopes/{id}")))
            .bearer_auth(token);
        if have > 0 {
            request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
        }
        let response = match self.send(request).await {
            Ok(r) => r,
            // Everything was already there.
            Err(RelayError::Refused { status: 416, .. }) if have > 0 => return Ok(have),
            Err(e) => return Err(e),
        };
        let resumed = response.status() == StatusCode::PARTIAL_CONTENT;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(resumed)
            .truncate(!resumed)
            .open(path)
            .await
            .map_err(io_err)?;
        let mut total = if resumed { have } else { 0 };
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| transport(&self.base, &e))?;
            file.write_all(&chunk).await.map_err(io_err)?;
            total += chunk.len() as u64;
        }
        file.flush().await.map_err(io_err)?;
        Ok(total)
    }

    /// Whether the relay holds the envelope at `url` (asks for its first byte only).
    async fn holds(&self, url: &str, token: &str) -> Result<bool, RelayError> {
        let request = self
            .http
            .get(url)
            .bearer_auth(token)
            .header(reqwest::header::RANGE, "bytes=0-0");
        match self.send(request).await {
            Ok(_) => Ok(true),
            Err(RelayError::Refused { status: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn list(
        &self,
        channel: &str,
        token: &str,
        after: i64,
        limit: u32,
    ) -> Result<Page, RelayError> {
        let request = self
            .http
            .get(self.url(&format!(
                "/v1/channels/{channel}/envelopes?after={after}&limit={limit}"
            )))
            .bearer_auth(token);
        json_of(self.send(request).await?).await
    }

    pub async fn get_envelope(
        &self,
        channel: &str,
        token: &str,
        id: &str,
    ) -> Result<Vec<u8>, RelayError> {
        let request = self
            .http
            .get(self.url(&format!("/v1/channels/{channel}/envelopes/{id}")))
            .bearer_auth(token);
        let response = self.send(request).await?;
        response
            .bytes()
            .await
            .map(|b| b.to_vec())
            .map_err(|e| transport(&self.base, &e))
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, RelayError> {
        let response = request
            .send()
            .await
            .map_err(|e| transport(&self.base, &e))?;
        answer(response).await
    }
}

/// A relay's answer, or why it is not a success: try again (5xx, 408, 429) or refused.
async fn answer(response: reqwest::Response) -> Result<reqwest::Response, RelayError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let text = response.text().await.unwrap_or_default();
    let (code, message) = serde_json::from_str::<ErrorBody>(&text)
        .map(|b| (b.error.code, b.error.message))
        .unwrap_or_else(|_| ("http".into(), format!("HTTP {status}")));
    if status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
    {
        return Err(RelayError::Transient {
            reason: format!("the relay answered {status}: {message}"),
            retry_after,
        });
    }
    Err(RelayError::Refused {
        status: status.as_u16(),
        code,
        message,
    })
}

fn not_mandate(base: &str) -> RelayError {
    RelayError::Untrusted(format!(
        "{base} answered, but it is not a Mandate relay. Check the address."
    ))
}

async fn json_of<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, RelayError> {
    response.json().await.map_err(|_| RelayError::Untrusted(
        "The relay's answer was not what a Mandate relay sends. Check the address, or update Mandate.".into(),
    ))
}

/// Turns a transport failure into words: refused, not found, wrong certificate, too slow.
fn transport(base: &str, e: &reqwest::Error) -> RelayError {
    classify(base, e).1
}

/// What kind of failure a transport error is, and the error in words.
fn classify(base: &str, e: &reqwest::Error) -> (RelayProblem, RelayError) {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        chain.push_str(&s.to_string().to_lowercase());
        chain.push(' ');
        source = s.source();
    }
    if chain.contains("certificate")
        || chain.contains("invalidcertificate")
        || chain.contains("unknownissuer")
    {
        return (
            RelayProblem::Certificate,
            RelayError::Untrusted(format!(
                "{base} presented a certificate Mandate does not trust (not the pinned one, or not from the expected CA). Nothing was sent. Check the relay's address and pin with its operator."
            )),
        );
    }
    let (problem, reason) = if e.is_timeout() {
        (
            RelayProblem::TooSlow,
            format!("{base} did not answer in time"),
        )
    } else if chain.contains("dns") || chain.contains("failed to lookup") {
        (
            RelayProblem::Dns,
            format!("{base} could not be found (DNS); check the address or the network"),
        )
    } else if chain.contains("connection refused") {
        (
            RelayProblem::Refused,
            format!("{base} refused the connection; the relay may be down"),
        )
    } else if e.is_connect() {
        (RelayProblem::Other, format!("could not connect to {base}"))
    } else {
        (
            RelayProblem::Other,
            format!("the connection to {base} broke off"),
        )
    };
    (
        problem,
        RelayError::Transient {
            reason,
            retry_after: None,
        },
    )
}

/// "Test connection": asks the relay's `/healthz` within `timeout` and says plainly
/// what is wrong — DNS, refused, wrong certificate, not a Mandate relay, too slow.
pub async fn check_relay(relay: &RelayAccess, timeout: Duration) -> RelayCheck {
    let started = std::time::Instant::now();
    let done = |problem: Option<RelayProblem>, message: String| RelayCheck {
        url: relay.url.clone(),
        ok: problem.is_none(),
        problem,
        message,
        millis: started.elapsed().as_millis() as u64,
    };
    let client = match RelayClient::new(relay) {
        Ok(c) => c,
        Err(e) => return done(Some(RelayProblem::Other), e.to_string()),
    };
    let request = client.http.get(client.url("/healthz")).timeout(timeout);
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => {
            let (problem, error) = classify(&client.base, &e);
            return done(Some(problem), error.to_string());
        }
    };
    if !response.status().is_success() {
        return done(
            Some(RelayProblem::NotMandate),
            format!(
                "{} answered {}, not as a Mandate relay does. Check the address.",
                client.base,
                response.status()
            ),
        );
    }
    let body: Option<serde_json::Value> = response.json().await.ok();
    if body
        .as_ref()
        .and_then(|b| b.get("service"))
        .and_then(|s| s.as_str())
        != Some("mandate-relay")
    {
        return done(
            Some(RelayProblem::NotMandate),
            not_mandate(&client.base).to_string(),
        );
    }
    done(
        None,
        format!("{} answered as a Mandate relay.", client.base),
    )
}
