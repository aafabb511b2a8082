//! The relay's log says what happened to which route and channel, and never carries
//! a token, a card or a byte of an envelope.

mod common;

use base64::Engine as _;
use common::*;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn the_log_holds_no_tokens_cards_or_bodies() {
    let env = TestEnv::new();
    let account = env.account("Marker Firm", None);
    let relay = env.start(&[]);
    let api = env.client();

    let owner_card = b"CARD-MARKER-owner-7f3a9c public keys".to_vec();
    let member_card = b"CARD-MARKER-member-2b8e41 public keys".to_vec();
    let small_body = b"BODY-MARKER-small-c0ffee plaintext that should never be seen".to_vec();
    let mut large_body = noise(5, 100_000);
    large_body[50_000..50_030].copy_from_slice(b"BODY-MARKER-large-d15ea5e01234");

    // Everything a client does, including the failures.
    let owner = api.open(&relay, &account, &owner_card).await;
    let invite = api.invite(&relay, &owner, None).await.json();
    let join_token = invite["join_token"].as_str().unwrap().to_owned();
    let joined = api
        .join_answer(&relay, &owner.channel, &join_token, &member_card)
        .await;
    assert_eq!(joined.status, StatusCode::CREATED);
    let member = Seat {
        channel: owner.channel.clone(),
        member: joined.json()["member_id"].as_str().unwrap().to_owned(),
        token: joined.json()["access_token"].as_str().unwrap().to_owned(),
    };
    assert_eq!(
        api.join_answer(&relay, &owner.channel, &join_token, &member_card)
            .await
            .status,
        StatusCode::GONE
    );
    assert_eq!(
        api.get(&relay, &member, "/members").await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.put(&relay, &owner, "small", small_body.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        api.put_chunked(&relay, &member, "large", large_body.clone(), 4096)
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        api.put(&relay, &owner, "small", b"other bytes".to_vec())
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        api.list(&relay, &member, "").await["envelopes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        api.get(&relay, &member, "/envelopes/large").await.bytes,
        large_body
    );
    let wrong = format!("mrt_{}", "Z".repeat(43));
    let a = api
        .send(
            &relay,
            Method::GET,
            &format!("/v1/channels/{}/members", owner.channel),
            Some(&wrong),
            None,
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let close = api
        .send(
            &relay,
            Method::POST,
            &format!("/v1/channels/{}/close", owner.channel),
            Some(&owner.token),
            None,
            &[],
        )
        .await;
    assert_eq!(close.status, StatusCode::NO_CONTENT);
    let del = api
        .send(
            &relay,
            Method::DELETE,
            &format!("/v1/channels/{}", owner.channel),
            Some(&owner.token),
            None,
            &[],
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    drop(relay); // the log is complete once the process is gone

    let log = std::fs::read_to_string(env.dir.path().join("relay.log")).unwrap();
    // The log is not empty: it records each request by route, status and channel.
    assert!(
        log.contains("route=/v1/channels/{cid}/envelopes/{eid}"),
        "{log}"
    );
    assert!(log.contains("status=201"), "{log}");
    assert!(log.contains("status=409"), "{log}");
    assert!(log.contains(&format!("channel={}", owner.channel)), "{log}");
    assert!(log.contains("latency_ms="), "{log}");

    let secrets: Vec<(&str, String)> = vec![
        ("account token", account.clone()),
        ("owner token", owner.token.clone()),
        ("member token", member.token.clone()),
        ("join token", join_token.clone()),
        ("made-up token", wrong),
        ("owner card", "CARD-MARKER".into()),
        ("owner card (base64)", B64.encode(&owner_card)),
        ("member card (base64)", B64.encode(&member_card)),
        ("body", "BODY-MARKER".into()),
        (
            "small body (base64)",
            B64.encode(&small_body)[..40].to_owned(),
        ),
    ];
    for (what, secret) in &secrets {
        assert!(!log.contains(secret.as_str()), "the log holds the {what}");
        // Not even part of one (a token's random half on its own).
        if secret.len() > 20 {
            assert!(
                !log.contains(&secret[secret.len() - 20..]),
                "the log holds part of the {what}"
            );
        }
    }
}
