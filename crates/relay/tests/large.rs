//! A large envelope goes to disk and back as a stream: the relay's memory does not
//! grow with the body.

mod common;

use common::*;
use futures_util::StreamExt as _;
use reqwest::{Method, StatusCode};
use sha2::Digest as _;
use std::time::Instant;

const MIB: usize = 1024 * 1024;
/// 64 MiB by default; `RELAY_TEST_LARGE_MIB=256` measures a larger body by hand.
fn size_mib() -> usize {
    std::env::var("RELAY_TEST_LARGE_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

#[tokio::test]
async fn a_large_envelope_is_streamed_in_and_out_without_buffering() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let seat = api.open(&relay, &account, b"card").await;
    // Warm up every path once, so what follows measures the body only.
    assert_eq!(
        api.put(&relay, &seat, "warm", noise(9, 100_000))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        api.get(&relay, &seat, "/envelopes/warm").await.status,
        StatusCode::OK
    );
    let before_kib = relay.proc_kib("VmHWM");
    let size_mib = size_mib();

    // The body is made while it is sent, 1 MiB at a time, and hashed on the way.
    let expected = {
        let mut h = sha2::Sha256::new();
        for i in 0..size_mib {
            h.update(noise(i as u64, MIB));
        }
        hex::encode(h.finalize())
    };
    let body = futures_util::stream::iter(0..size_mib)
        .map(|i| Ok::<_, std::io::Error>(noise(i as u64, MIB)));
    let started = Instant::now();
    let put = api
        .send(
            &relay,
            Method::PUT,
            &format!("/v1/channels/{}/envelopes/big", seat.channel),
            Some(&seat.token),
            Some(reqwest::Body::wrap_stream(body)),
            &[],
        )
        .await;
    let put_secs = started.elapsed().as_secs_f64();
    assert_eq!(put.status, StatusCode::CREATED, "{:?}", put.json());
    let after_put_kib = relay.proc_kib("VmHWM");

    let listed = api.list(&relay, &seat, "?after=1").await;
    assert_eq!(listed["envelopes"][0]["size"], size_mib * MIB);
    assert_eq!(listed["envelopes"][0]["sha256"], expected.as_str());
    assert!(listed["envelopes"][0].get("body").is_none());

    // Back out, hashed as it arrives.
    let started = Instant::now();
    let resp = api
        .http
        .get(relay.url(&format!("/v1/channels/{}/envelopes/big", seat.channel)))
        .bearer_auth(&seat.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.content_length(), Some((size_mib * MIB) as u64));
    let mut stream = resp.bytes_stream();
    let mut h = sha2::Sha256::new();
    let mut got = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        got += chunk.len();
        h.update(&chunk);
    }
    let get_secs = started.elapsed().as_secs_f64();
    assert_eq!(got, size_mib * MIB);
    assert_eq!(hex::encode(h.finalize()), expected);
    let after_get_kib = relay.proc_kib("VmHWM");

    let rise_put = after_put_kib.saturating_sub(before_kib);
    let rise_total = after_get_kib.saturating_sub(before_kib);
    println!(
        "{size_mib} MiB envelope: PUT {put_secs:.2} s, GET {get_secs:.2} s; relay peak RSS {before_kib} KiB \
         before, +{rise_put} KiB after the PUT, +{rise_total} KiB after the GET"
    );
    assert!(
        rise_total < 32 * 1024,
        "the relay's peak RSS rose by {rise_total} KiB for a {size_mib} MiB body"
    );
}
