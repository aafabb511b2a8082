//! What every relay test needs: a CA of its own, a real `mandate-relay` process over
//! real TLS on 127.0.0.1, and a client that trusts only that CA.
//!
//! Every relay is killed and reaped when its guard drops, also when a test fails.

#![allow(dead_code)] // Each test file uses a different part of this.

use base64::Engine as _;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_mandate-relay");
pub const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A test's folder: its CA, the relay certificate it signed, the relay's data dir.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub ca_der: Vec<u8>,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub data_dir: PathBuf,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Mandate relay test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca =
            rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate().unwrap())
                .unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
        let cert = dir.path().join("relay-cert.pem");
        let key = dir.path().join("relay-key.pem");
        std::fs::write(&cert, leaf.pem()).unwrap();
        std::fs::write(&key, leaf_key.serialize_pem()).unwrap();
        let data_dir = dir.path().join("data");
        TestEnv {
            ca_der: ca.der().to_vec(),
            cert,
            key,
            data_dir,
            dir,
        }
    }

    /// `mandate-relay account add NAME` on this test's data dir; the token it printed.
    pub fn account(&self, name: &str, quota: Option<u64>) -> String {
        let mut cmd = Command::new(BIN);
        cmd.args(["account", "add", name, "--data-dir"])
            .arg(&self.data_dir);
        if let Some(q) = quota {
            cmd.args(["--quota-bytes", &q.to_string()]);
        }
        let out = cmd.output().expect("run account add");
        assert!(
            out.status.success(),
            "account add: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "account add prints just the token: {stdout:?}"
        );
        assert!(lines[0].starts_with("mra_"));
        lines[0].to_owned()
    }

    /// A relay with the CA-signed certificate and these extra arguments.
    pub fn start(&self, extra: &[&str]) -> Relay {
        let mut args: Vec<String> = vec![
            "--tls-cert".into(),
            self.cert.display().to_string(),
            "--tls-key".into(),
            self.key.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        Relay::spawn(&self.data_dir, &args, &self.dir.path().join("relay.log"))
    }

    pub fn client(&self) -> Api {
        Api::new(&self.ca_der)
    }
}

/// A running `mandate-relay serve`.
pub struct Relay {
    child: Option<Child>,
    pub addr: SocketAddr,
    pub fingerprint: Option<String>,
    /// Both lines it printed, in order.
    pub stdout_lines: Vec<String>,
    pub log: PathBuf,
}

impl Relay {
    pub fn spawn(data_dir: &Path, tls_args: &[String], log: &Path) -> Relay {
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("log file");
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(tls_args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start mandate-relay");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // The guard exists from here on, so a failed start still kills the process.
        let mut relay = Relay {
            child: Some(child),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            fingerprint: None,
            stdout_lines: Vec::new(),
            log: log.to_owned(),
        };
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| {
                    panic!(
                        "the relay did not say where it listens; its log:\n{}",
                        std::fs::read_to_string(log).unwrap_or_default()
                    )
                });
            relay.stdout_lines.push(line.clone());
            if let Some(fp) = line.strip_prefix("certificate sha256 ") {
                relay.fingerprint = Some(fp.to_owned());
            } else if let Some(addr) = line.strip_prefix("listening on https://") {
                relay.addr = addr.parse().expect("listen address");
                break;
            }
        }
        relay
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://{}{}", self.addr, path)
    }

    /// SIGKILL: no chance to flush or clean anything.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then wait up to `timeout`; the exit status if it stopped.
    pub fn terminate(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A field of /proc/PID/status in KiB (VmRSS, VmHWM).
    pub fn proc_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} not in /proc status"))
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Where requests go: a running relay, or just its address.
pub trait Target {
    fn url(&self, path: &str) -> String;
}

impl Target for Relay {
    fn url(&self, path: &str) -> String {
        Relay::url(self, path)
    }
}

impl Target for SocketAddr {
    fn url(&self, path: &str) -> String {
        format!("https://{self}{path}")
    }
}

/// A channel as its opener or a joiner holds it.
#[derive(Clone, Debug)]
pub struct Seat {
    pub channel: String,
    pub member: String,
    pub token: String,
}

/// An HTTPS client that trusts only the test CA, with the calls of the API.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    /// The `error.code` of a JSON error answer.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

impl Api {
    pub fn new(ca_der: &[u8]) -> Api {
        let http = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_der(ca_der).unwrap()])
            .no_proxy()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        Api { http }
    }

    pub async fn send(
        &self,
        relay: &Relay,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> Answer {
        self.try_send(relay, method, path, token, body, headers)
            .await
            .expect("request")
    }

    /// As `send`, but a broken connection is an `Err`, not a panic; `relay` may be
    /// just an address, so a task can keep calling a relay another task kills.
    pub async fn try_send(
        &self,
        relay: &impl Target,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> Result<Answer, reqwest::Error> {
        let mut req = self.http.request(method, relay.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await?.to_vec();
        Ok(Answer {
            status,
            headers,
            bytes,
        })
    }

    pub async fn json(
        &self,
        relay: &Relay,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Answer {
        self.send(
            relay,
            method,
            path,
            token,
            Some(body.to_string().into()),
            &[("content-type", "application/json")],
        )
        .await
    }

    pub async fn open(&self, relay: &Relay, account: &str, card: &[u8]) -> Seat {
        let a = self
            .json(
                relay,
                Method::POST,
                "/v1/channels",
                Some(account),
                json!({"card": B64.encode(card)}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "open: {:?}", a.json());
        let v = a.json();
        Seat {
            channel: v["channel_id"].as_str().unwrap().to_owned(),
            member: v["member_id"].as_str().unwrap().to_owned(),
            token: v["access_token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn invite(&self, relay: &Relay, owner: &Seat, expires: Option<u64>) -> Answer {
        let body = match expires {
            Some(s) => json!({"expires_in_secs": s}),
            None => json!({}),
        };
        self.json(
            relay,
            Method::POST,
            &format!("/v1/channels/{}/invites", owner.channel),
            Some(&owner.token),
            body,
        )
        .await
    }

    pub async fn join_answer(
        &self,
        relay: &Relay,
        channel: &str,
        join_token: &str,
        card: &[u8],
    ) -> Answer {
        self.json(
            relay,
            Method::POST,
            &format!("/v1/channels/{channel}/join"),
            None,
            json!({"join_token": join_token, "card": B64.encode(card)}),
        )
        .await
    }

    /// Invites and joins: a second seat in `owner`'s channel.
    pub async fn add_member(&self, relay: &Relay, owner: &Seat, card: &[u8]) -> Seat {
        let inv = self.invite(relay, owner, None).await;
        assert_eq!(inv.status, StatusCode::CREATED);
        let join_token = inv.json()["join_token"].as_str().unwrap().to_owned();
        let a = self
            .join_answer(relay, &owner.channel, &join_token, card)
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "join: {:?}", a.json());
        let v = a.json();
        Seat {
            channel: owner.channel.clone(),
            member: v["member_id"].as_str().unwrap().to_owned(),
            token: v["access_token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn put(&self, relay: &Relay, seat: &Seat, id: &str, bytes: Vec<u8>) -> Answer {
        self.send(
            relay,
            Method::PUT,
            &format!("/v1/channels/{}/envelopes/{id}", seat.channel),
            Some(&seat.token),
            Some(bytes.into()),
            &[("content-type", "application/octet-stream")],
        )
        .await
    }

    /// A PUT without Content-Length (chunked), the body in pieces of `piece` bytes.
    pub async fn put_chunked(
        &self,
        relay: &Relay,
        seat: &Seat,
        id: &str,
        bytes: Vec<u8>,
        piece: usize,
    ) -> Answer {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            bytes.chunks(piece.max(1)).map(|c| Ok(c.to_vec())).collect();
        let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
        self.send(
            relay,
            Method::PUT,
            &format!("/v1/channels/{}/envelopes/{id}", seat.channel),
            Some(&seat.token),
            Some(body),
            &[],
        )
        .await
    }

    pub async fn get(&self, relay: &Relay, seat: &Seat, path_after_channel: &str) -> Answer {
        self.send(
            relay,
            Method::GET,
            &format!("/v1/channels/{}{path_after_channel}", seat.channel),
            Some(&seat.token),
            None,
            &[],
        )
        .await
    }

    pub async fn list(&self, relay: &Relay, seat: &Seat, query: &str) -> Value {
        let a = self.get(relay, seat, &format!("/envelopes{query}")).await;
        assert_eq!(a.status, StatusCode::OK, "list: {:?}", a.json());
        a.json()
    }
}

/// Deterministic bytes that do not compress or repeat within a test's sizes.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// One HTTP/1.1 request over TLS written by hand, for what reqwest will not send
/// (a Content-Length that lies). Returns what came back before the relay closed.
pub async fn raw_request(relay: &Relay, ca_der: &[u8], head: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(ca_der.to_vec()))
        .unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(relay.addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(head.as_bytes()).await.unwrap();
    // The relay may answer and close before the body is all sent: that is the point.
    let _ = tls.write_all(body).await;
    let _ = tls.flush().await;
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), tls.read_to_end(&mut got)).await;
    String::from_utf8_lossy(&got).into_owned()
}

/// Files under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Where the relay keeps an envelope's bytes.
pub fn envelope_file(data_dir: &Path, channel: &str, id: &str) -> PathBuf {
    data_dir
        .join("envelopes")
        .join(channel)
        .join(sha256_hex(id.as_bytes()))
}
