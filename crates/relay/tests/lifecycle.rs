//! Starting and stopping: the self-signed certificate and its printed fingerprint,
//! HTTPS only, a clean stop on SIGTERM, and the command line's refusals.

mod common;

use common::*;
use reqwest::StatusCode;
use sha2::Digest as _;
use std::time::Duration;

#[tokio::test]
async fn self_signed_prints_the_fingerprint_of_the_certificate_it_serves() {
    let env = TestEnv::new();
    let log = env.dir.path().join("relay.log");
    let args = ["--self-signed".to_owned()];
    let mut relay = Relay::spawn(&env.data_dir, &args, &log);

    // Exactly two lines, fingerprint first.
    assert_eq!(relay.stdout_lines.len(), 2, "{:?}", relay.stdout_lines);
    let fingerprint = relay.fingerprint.clone().expect("a fingerprint line");
    assert_eq!(
        relay.stdout_lines[0],
        format!("certificate sha256 {fingerprint}")
    );
    assert_eq!(
        relay.stdout_lines[1],
        format!("listening on https://{}", relay.addr)
    );
    assert_eq!(fingerprint.len(), 64);
    assert!(
        fingerprint
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );

    // A client that trusts only that certificate reaches the relay by name and by IP,
    // and the certificate it was served hashes to the printed fingerprint.
    let pem = std::fs::read(env.data_dir.join("tls/self-signed-cert.pem")).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .tls_info(true)
        .no_proxy()
        .resolve("localhost", relay.addr)
        .build()
        .unwrap();
    for url in [
        format!("https://localhost:{}/healthz", relay.addr.port()),
        format!("https://127.0.0.1:{}/healthz", relay.addr.port()),
    ] {
        let resp = client.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let info = resp
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .expect("tls info");
        let served = info.peer_certificate().expect("a peer certificate");
        assert_eq!(
            hex::encode(sha2::Sha256::digest(served)),
            fingerprint,
            "{url}"
        );
    }

    // The certificate is kept: a restart serves the same one, so pins stay valid.
    relay.kill9();
    let relay = Relay::spawn(&env.data_dir, &args, &log);
    assert_eq!(relay.fingerprint.as_deref(), Some(fingerprint.as_str()));
}

#[tokio::test]
async fn there_is_no_plain_http() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let env = TestEnv::new();
    let relay = env.start(&[]);
    let mut tcp = tokio::net::TcpStream::connect(relay.addr).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(15), tcp.read_to_end(&mut got)).await;
    assert!(
        !got.starts_with(b"HTTP/"),
        "answered plain HTTP: {:?}",
        String::from_utf8_lossy(&got)
    );
    // Over TLS the same relay answers.
    let health = env
        .client()
        .send(&relay, reqwest::Method::GET, "/healthz", None, None, &[])
        .await;
    assert_eq!(health.status, StatusCode::OK);
}

#[tokio::test]
async fn sigterm_stops_the_relay_cleanly() {
    let env = TestEnv::new();
    let mut relay = env.start(&[]);
    let api = env.client();
    let health = api
        .send(&relay, reqwest::Method::GET, "/healthz", None, None, &[])
        .await;
    assert_eq!(health.status, StatusCode::OK);
    let status = relay
        .terminate(Duration::from_secs(20))
        .expect("stopped within 20 s");
    assert!(status.success(), "exit status {status:?}");
    assert!(
        relay.log_text().contains("relay stopped"),
        "{}",
        relay.log_text()
    );
}

#[test]
fn serve_without_a_certificate_choice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["serve", "--listen", "127.0.0.1:0", "--data-dir"],
        vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "c.pem",
            "--data-dir",
        ],
        vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--self-signed",
            "--tls-cert",
            "c",
            "--tls-key",
            "k",
            "--data-dir",
        ],
    ] {
        let out = std::process::Command::new(BIN)
            .args(&args)
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    // A missing certificate file is named in the error.
    let out = std::process::Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "/nonexistent/c.pem",
            "--tls-key",
            "/nonexistent/k.pem",
            "--data-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/c.pem"));
}
