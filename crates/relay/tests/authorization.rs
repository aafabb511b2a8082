//! Who may do what: tokens of one channel on another, invitations used or expired,
//! missing and wrong tokens, and what a member who is not the owner cannot do.

mod common;

use common::*;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn a_token_of_one_channel_gets_403_on_another() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let a = api.open(&relay, &account, b"a").await;
    let b = api.open(&relay, &account, b"b").await;
    let b_member = api.add_member(&relay, &b, b"b2").await;
    assert_eq!(
        api.put(&relay, &b, "secret", b"bytes of b".to_vec())
            .await
            .status,
        StatusCode::CREATED
    );

    // A's owner token pointed at B, on every route of a channel.
    let on_b = Seat {
        channel: b.channel.clone(),
        ..a.clone()
    };
    for (method, path) in [
        (Method::GET, "/members"),
        (Method::GET, "/envelopes"),
        (Method::GET, "/envelopes/secret"),
        (Method::PUT, "/envelopes/new"),
        (Method::POST, "/invites"),
        (Method::POST, "/close"),
        (Method::DELETE, ""),
    ] {
        let answer = api
            .send(
                &relay,
                method.clone(),
                &format!("/v1/channels/{}{path}", on_b.channel),
                Some(&on_b.token),
                Some(b"x".to_vec().into()),
                &[],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(answer.code(), "not_a_member");
    }
    // A channel that does not exist gets the same answer: no hint whether it does.
    let nowhere = Seat {
        channel: "ch_AAAAAAAAAAAAAAAAAAAAAA".into(),
        ..a.clone()
    };
    assert_eq!(
        api.get(&relay, &nowhere, "/members").await.status,
        StatusCode::FORBIDDEN
    );
    // B is untouched, and B's member token does not work on A either.
    assert_eq!(
        api.get(&relay, &b, "/envelopes/secret").await.bytes,
        b"bytes of b"
    );
    let b_on_a = Seat {
        channel: a.channel.clone(),
        ..b_member.clone()
    };
    assert_eq!(
        api.get(&relay, &b_on_a, "/envelopes").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let seat = api.open(&relay, &account, b"a").await;
    let members = format!("/v1/channels/{}/members", seat.channel);

    let none = api
        .send(&relay, Method::GET, &members, None, None, &[])
        .await;
    assert_eq!(
        (none.status, none.code()),
        (StatusCode::UNAUTHORIZED, "missing_token".into())
    );
    let basic = api
        .send(
            &relay,
            Method::GET,
            &members,
            None,
            None,
            &[("authorization", "Basic dXNlcjpwYXNz")],
        )
        .await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);
    let garbage = api
        .send(&relay, Method::GET, &members, Some("garbage"), None, &[])
        .await;
    assert_eq!(
        (garbage.status, garbage.code()),
        (StatusCode::UNAUTHORIZED, "invalid_token".into())
    );
    // Well-formed but unknown.
    let unknown = format!("mrt_{}", "A".repeat(43));
    let a = api
        .send(&relay, Method::GET, &members, Some(&unknown), None, &[])
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNAUTHORIZED, "unknown_token".into())
    );
    // The right secret of the wrong kind: an account token on a channel route, and
    // an access token where an account token is needed.
    let a = api
        .send(&relay, Method::GET, &members, Some(&account), None, &[])
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = api
        .json(
            &relay,
            Method::POST,
            "/v1/channels",
            Some(&seat.token),
            serde_json::json!({"card": "YQ=="}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = api
        .json(
            &relay,
            Method::POST,
            "/v1/channels",
            None,
            serde_json::json!({"card": "YQ=="}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    // A PUT without a token is refused before its body is read.
    let put = api
        .send(
            &relay,
            Method::PUT,
            &format!("/v1/channels/{}/envelopes/x", seat.channel),
            None,
            Some(vec![0u8; 1000].into()),
            &[],
        )
        .await;
    assert_eq!(put.status, StatusCode::UNAUTHORIZED);
    // The token still works, so none of the above broke anything.
    assert_eq!(
        api.get(&relay, &seat, "/members").await.status,
        StatusCode::OK
    );
    // Unknown addresses and methods answer in JSON too.
    let a = api
        .send(&relay, Method::GET, "/v2/anything", None, None, &[])
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let a = api
        .send(&relay, Method::DELETE, "/healthz", None, None, &[])
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed".into())
    );
}

#[tokio::test]
async fn invitations_work_once_expire_and_belong_to_their_channel() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let a = api.open(&relay, &account, b"a").await;
    let b = api.open(&relay, &account, b"b").await;

    // Used once: the second use is 410 invite_used.
    let inv = api.invite(&relay, &a, Some(3600)).await.json();
    let join = inv["join_token"].as_str().unwrap();
    assert_eq!(
        api.join_answer(&relay, &a.channel, join, b"p").await.status,
        StatusCode::CREATED
    );
    let again = api.join_answer(&relay, &a.channel, join, b"q").await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::GONE, "invite_used".into())
    );

    // Expired: 410 invite_expired.
    let inv = api.invite(&relay, &a, Some(1)).await.json();
    let short = inv["join_token"].as_str().unwrap().to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let late = api.join_answer(&relay, &a.channel, &short, b"p").await;
    assert_eq!(
        (late.status, late.code()),
        (StatusCode::GONE, "invite_expired".into())
    );

    // Unknown, malformed, or for another channel: 403.
    let fresh = api.invite(&relay, &a, None).await.json();
    let fresh = fresh["join_token"].as_str().unwrap();
    for (channel, token) in [
        (a.channel.as_str(), format!("mrj_{}", "A".repeat(43))),
        (a.channel.as_str(), "nonsense".to_owned()),
        (b.channel.as_str(), fresh.to_owned()),
        ("not-a-channel", fresh.to_owned()),
    ] {
        let x = api.join_answer(&relay, channel, &token, b"p").await;
        assert_eq!(
            (x.status, x.code()),
            (StatusCode::FORBIDDEN, "invite_unknown".into()),
            "{channel} {token}"
        );
    }
    // The invitation tried on B still works on A, once.
    assert_eq!(
        api.join_answer(&relay, &a.channel, fresh, b"p")
            .await
            .status,
        StatusCode::CREATED
    );

    // Expiry outside 1 s .. 30 days is refused.
    for bad in [0, 30 * 24 * 3600 + 1] {
        let x = api.invite(&relay, &a, Some(bad)).await;
        assert_eq!(
            (x.status, x.code()),
            (StatusCode::BAD_REQUEST, "invalid_expiry".into())
        );
    }
    assert_eq!(
        api.invite(&relay, &a, Some(30 * 24 * 3600)).await.status,
        StatusCode::CREATED
    );
    // A card that is not base64 is refused, and the invitation not spent.
    let inv = api.invite(&relay, &a, None).await.json();
    let tok = inv["join_token"].as_str().unwrap();
    let bad = api
        .json(
            &relay,
            Method::POST,
            &format!("/v1/channels/{}/join", a.channel),
            None,
            serde_json::json!({"join_token": tok, "card": "not base64!"}),
        )
        .await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::BAD_REQUEST, "invalid_card".into())
    );
    assert_eq!(
        api.join_answer(&relay, &a.channel, tok, b"p").await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn members_who_do_not_own_the_channel_cannot_invite_close_or_delete() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let owner = api.open(&relay, &account, b"owner").await;
    let member = api.add_member(&relay, &owner, b"member").await;

    let inv = api.invite(&relay, &member, None).await;
    assert_eq!(
        (inv.status, inv.code()),
        (StatusCode::FORBIDDEN, "owner_only".into())
    );
    for (method, path) in [(Method::POST, "/close"), (Method::DELETE, "")] {
        let a = api
            .send(
                &relay,
                method,
                &format!("/v1/channels/{}{path}", member.channel),
                Some(&member.token),
                None,
                &[],
            )
            .await;
        assert_eq!(
            (a.status, a.code()),
            (StatusCode::FORBIDDEN, "owner_only".into()),
            "{path}"
        );
    }
    // Nothing happened: the member can still write, the owner can still invite.
    assert_eq!(
        api.put(&relay, &member, "m1", b"hello".to_vec())
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        api.invite(&relay, &owner, None).await.status,
        StatusCode::CREATED
    );
}
