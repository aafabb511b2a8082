//! The relay's limits: envelope size (announced and streamed), JSON body size,
//! account quotas, and the rate limit.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use std::time::{Duration, Instant};

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn an_envelope_over_the_limit_is_refused_by_its_content_length_before_reading() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&["--max-envelope-bytes", &MIB.to_string()]);
    let api = env.client();
    let seat = api.open(&relay, &account, b"card").await;

    // Announces more than the limit and sends none of it: only a relay that answers
    // from the header alone can reply (one waiting for the body would time out).
    // One byte over is enough; 10 GB is refused just the same.
    for declared in [MIB + 1, 10_000_000_000] {
        let head = format!(
            "PUT /v1/channels/{}/envelopes/huge HTTP/1.1\r\nHost: localhost\r\n\
             Authorization: Bearer {}\r\nContent-Type: application/octet-stream\r\n\
             Content-Length: {declared}\r\nConnection: close\r\n\r\n",
            seat.channel, seat.token
        );
        let started = Instant::now();
        let answer = raw_request(&relay, &env.ca_der, &head, b"").await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{declared}: {answer}");
        assert!(answer.contains("envelope_too_large"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    // Exactly the limit is fine.
    let at_limit = api.put(&relay, &seat, "at-limit", noise(1, MIB)).await;
    assert_eq!(at_limit.status, StatusCode::CREATED);
    assert_eq!(
        api.list(&relay, &seat, "").await["envelopes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(files_under(&env.data_dir.join("tmp")).is_empty());
}

#[tokio::test]
async fn an_envelope_over_the_limit_is_refused_while_streamed() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&["--max-envelope-bytes", &MIB.to_string()]);
    let api = env.client();
    let seat = api.open(&relay, &account, b"card").await;

    // No Content-Length (chunked): the relay finds out while writing.
    let over = api
        .put_chunked(&relay, &seat, "streamed", noise(3, MIB + 1), 64 * 1024)
        .await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "envelope_too_large".into())
    );
    assert_eq!(
        api.list(&relay, &seat, "").await["envelopes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Nothing of it stays on disk.
    assert!(files_under(&env.data_dir.join("tmp")).is_empty());
    assert!(files_under(&env.data_dir.join("envelopes")).is_empty());
    // Chunked at the limit passes.
    let ok = api
        .put_chunked(&relay, &seat, "streamed", noise(3, MIB), 64 * 1024)
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
}

#[tokio::test]
async fn other_bytes_under_a_held_id_are_refused_while_streamed_with_an_answer() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let seat = api.open(&relay, &account, b"card").await;
    let held = api.put(&relay, &seat, "held", noise(3, 5000)).await;
    assert_eq!(held.status, StatusCode::CREATED);

    // Chunked and longer than the held envelope: the relay sees the conflict after
    // 5,000 bytes while the client still has megabytes to send. The client must get
    // the 409, not a connection cut under it (which a retrying client would take for
    // a network failure and try again for ever).
    for round in 0..3 {
        let other = api
            .put_chunked(&relay, &seat, "held", noise(5 + round, 4 * MIB), 16 * 1024)
            .await;
        assert_eq!(
            (other.status, other.code()),
            (StatusCode::CONFLICT, "envelope_conflict".into()),
            "round {round}"
        );
    }
    // The connection is still good for the next request, and nothing was added.
    let listed = api.list(&relay, &seat, "").await;
    assert_eq!(listed["envelopes"].as_array().unwrap().len(), 1);
    assert!(files_under(&env.data_dir.join("tmp")).is_empty());
}

#[tokio::test]
async fn json_bodies_over_64_kib_are_refused() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let big = serde_json::json!({"card": "A".repeat(70 * 1024)});
    let a = api
        .json(&relay, Method::POST, "/v1/channels", Some(&account), big)
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large".into())
    );
    // A card within the JSON limit but over 16 KiB decoded is a bad card.
    let card = B64E::encode(&noise(4, 17 * 1024));
    let a = api
        .json(
            &relay,
            Method::POST,
            "/v1/channels",
            Some(&account),
            serde_json::json!({"card": card}),
        )
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::BAD_REQUEST, "invalid_card".into())
    );
    let a = api
        .send(
            &relay,
            Method::POST,
            "/v1/channels",
            Some(&account),
            Some("{not json".into()),
            &[],
        )
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::BAD_REQUEST, "invalid_json".into())
    );
}

struct B64E;
impl B64E {
    fn encode(bytes: &[u8]) -> String {
        use base64::Engine as _;
        B64.encode(bytes)
    }
}

#[tokio::test]
async fn an_account_over_its_quota_gets_507() {
    let env = TestEnv::new();
    let account = env.account("small", Some(1000));
    let relay = env.start(&[]);
    let api = env.client();
    let a = api.open(&relay, &account, b"a").await;
    let b = api.open(&relay, &account, b"b").await;

    assert_eq!(
        api.put(&relay, &a, "one", noise(1, 600)).await.status,
        StatusCode::CREATED
    );
    // Known from Content-Length, and found while streaming; the quota is the
    // account's, across its channels.
    let over = api.put(&relay, &b, "two", noise(2, 600)).await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::INSUFFICIENT_STORAGE, "quota_exceeded".into())
    );
    let over = api.put_chunked(&relay, &b, "two", noise(2, 600), 100).await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::INSUFFICIENT_STORAGE, "quota_exceeded".into())
    );
    // Up to the quota exactly is fine; a retry of a stored envelope is not new usage.
    assert_eq!(
        api.put(&relay, &b, "two", noise(2, 400)).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        api.put(&relay, &a, "one", noise(1, 600)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.put(&relay, &a, "three", vec![1]).await.status,
        StatusCode::INSUFFICIENT_STORAGE
    );
    // Deleting a channel gives its bytes back.
    let del = api
        .send(
            &relay,
            Method::DELETE,
            &format!("/v1/channels/{}", a.channel),
            Some(&a.token),
            None,
            &[],
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.put(&relay, &b, "three", noise(3, 600)).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_batch_over_its_account_quota_refuses_only_the_envelopes_past_it() {
    let env = TestEnv::new();
    let account = env.account("small", Some(1000));
    let relay = env.start(&[]);
    let api = env.client();
    let seat = api.open(&relay, &account, b"card").await;
    let held = noise(1, 500);
    assert_eq!(
        api.put(&relay, &seat, "held", held.clone()).await.status,
        StatusCode::CREATED
    );
    let path = format!("/v1/channels/{}/envelopes", seat.channel);
    let (a, b, c) = (noise(2, 300), noise(3, 300), noise(4, 200));
    let batch = serde_json::json!({"envelopes": [
        {"id": "a", "body": B64E::encode(&a)},
        {"id": "b", "body": B64E::encode(&b)},
        {"id": "held", "body": B64E::encode(&held)},
        {"id": "c", "body": B64E::encode(&c)},
    ]});
    // 500 used: "a" fits, "b" would pass 1000, "held" is no new usage, and "c" takes
    // the account to its quota exactly. A retry of the whole batch changes nothing.
    for (attempt, created) in [("first", true), ("retried", false)] {
        let answer = api
            .json(
                &relay,
                Method::POST,
                &path,
                Some(&seat.token),
                batch.clone(),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{attempt}: {:?}",
            answer.json()
        );
        let r = answer.json()["results"].clone();
        assert_eq!(
            r[0],
            serde_json::json!({"id": "a", "seq": 2, "created": created}),
            "{attempt}"
        );
        assert_eq!(
            (&r[1]["id"], &r[1]["status"], &r[1]["error"]),
            (&"b".into(), &507.into(), &"quota_exceeded".into()),
            "{attempt}: {r}"
        );
        assert_eq!(
            r[2],
            serde_json::json!({"id": "held", "seq": 1, "created": false}),
            "{attempt}"
        );
        assert_eq!(
            r[3],
            serde_json::json!({"id": "c", "seq": 3, "created": created}),
            "{attempt}"
        );
    }
    // The batch's use and sequence numbers were kept: the account is full, and what
    // the quota refused was never stored.
    assert_eq!(
        api.put(&relay, &seat, "d", vec![1]).await.status,
        StatusCode::INSUFFICIENT_STORAGE
    );
    let listed = api.list(&relay, &seat, "").await;
    let seqs: Vec<(&str, i64)> = listed["envelopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e["seq"].as_i64().unwrap()))
        .collect();
    assert_eq!(seqs, [("held", 1), ("a", 2), ("c", 3)]);
    assert_eq!(
        api.get(&relay, &seat, "/envelopes/b").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(api.get(&relay, &seat, "/envelopes/c").await.bytes, c);
}

#[tokio::test]
async fn over_the_rate_limit_gets_429_with_retry_after() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&["--rate-limit-per-minute", "5"]);
    let api = env.client();

    // Per token: five calls, then 429 with the wait (60 s / 5 = 12 s for one more).
    let seat = api.open(&relay, &account, b"card").await; // the account token's first
    for _ in 0..4 {
        let a = api
            .json(
                &relay,
                Method::POST,
                "/v1/channels",
                Some(&account),
                serde_json::json!({"card": "YQ=="}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED);
    }
    let limited = api
        .json(
            &relay,
            Method::POST,
            "/v1/channels",
            Some(&account),
            serde_json::json!({"card": "YQ=="}),
        )
        .await;
    assert_eq!(
        (limited.status, limited.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=12).contains(&retry), "Retry-After {retry}");

    // Another token has its own bucket.
    assert_eq!(
        api.get(&relay, &seat, "/members").await.status,
        StatusCode::OK
    );

    // Without a token the client's IP has a bucket of its own; made-up tokens are
    // charged to it too, so inventing tokens buys nothing.
    for _ in 0..2 {
        let h = api
            .send(&relay, Method::GET, "/healthz", None, None, &[])
            .await;
        assert_eq!(h.status, StatusCode::OK);
    }
    let members = format!("/v1/channels/{}/members", seat.channel);
    for i in 0..3 {
        let made_up = format!("mrt_{:A>43}", i);
        let a = api
            .send(&relay, Method::GET, &members, Some(&made_up), None, &[])
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let made_up = format!("mrt_{:B>43}", 9);
    let a = api
        .send(&relay, Method::GET, &members, Some(&made_up), None, &[])
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    let h = api
        .send(&relay, Method::GET, "/healthz", None, None, &[])
        .await;
    assert_eq!(h.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(h.headers.contains_key("retry-after"));
}
