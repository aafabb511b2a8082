//! The whole life of a channel against a real relay over real TLS: open, invite,
//! join, members, envelopes in and out (listing, download, ranges), close, delete.

mod common;

use base64::Engine as _;
use common::*;
use reqwest::{Method, StatusCode};
use std::os::unix::fs::PermissionsExt as _;

#[tokio::test]
async fn full_flow_open_invite_join_exchange_close_delete() {
    let env = TestEnv::new();
    let account = env.account("Firm LLP", None);
    let relay = env.start(&[]);
    let api = env.client();

    let health = api
        .send(&relay, Method::GET, "/healthz", None, None, &[])
        .await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(
        health.json(),
        serde_json::json!({"service": "mandate-relay", "protocol": 1})
    );

    // Open, invite, join.
    let firm = api.open(&relay, &account, b"firm card").await;
    assert!(firm.token.starts_with("mrt_"));
    let inv = api.invite(&relay, &firm, None).await;
    assert_eq!(inv.status, StatusCode::CREATED);
    let inv = inv.json();
    assert!(inv["join_token"].as_str().unwrap().starts_with("mrj_"));
    let expires = inv["expires_at"].as_i64().unwrap();
    let week = 7 * 24 * 3600;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (expires - now - week).abs() < 60,
        "default expiry is 7 days"
    );
    let joined = api
        .join_answer(
            &relay,
            &firm.channel,
            inv["join_token"].as_str().unwrap(),
            b"provider card",
        )
        .await;
    assert_eq!(joined.status, StatusCode::CREATED);
    let provider = Seat {
        channel: firm.channel.clone(),
        member: joined.json()["member_id"].as_str().unwrap().to_owned(),
        token: joined.json()["access_token"].as_str().unwrap().to_owned(),
    };

    // Both see both members, with their roles and cards.
    for seat in [&firm, &provider] {
        let m = api.get(&relay, seat, "/members").await;
        assert_eq!(m.status, StatusCode::OK);
        let members = m.json()["members"].as_array().unwrap().clone();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0]["member_id"], firm.member.as_str());
        assert_eq!(members[0]["role"], "owner");
        assert_eq!(members[0]["card"], B64.encode(b"firm card"));
        assert_eq!(members[1]["member_id"], provider.member.as_str());
        assert_eq!(members[1]["role"], "member");
        assert_eq!(members[1]["card"], B64.encode(b"provider card"));
        assert!(members[1]["joined_at"].as_i64().unwrap() >= now - 5);
    }

    // Envelopes both ways: a small one (inline in listings) and a large one (not).
    let small = noise(1, 1000);
    let large = noise(2, 200 * 1024);
    let a = api.put(&relay, &firm, "brief-1", small.clone()).await;
    assert_eq!(
        (a.status, a.json()["seq"].as_i64()),
        (StatusCode::CREATED, Some(1))
    );
    let a = api
        .put_chunked(&relay, &provider, "deliverable-1", large.clone(), 7000)
        .await;
    assert_eq!(
        (a.status, a.json()["seq"].as_i64()),
        (StatusCode::CREATED, Some(2))
    );
    let empty = api.put(&relay, &provider, "empty", Vec::new()).await;
    assert_eq!(empty.status, StatusCode::CREATED);

    let listed = api.list(&relay, &provider, "").await;
    let entries = listed["envelopes"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(listed["more"], false);
    assert_eq!(entries[0]["seq"], 1);
    assert_eq!(entries[0]["id"], "brief-1");
    assert_eq!(entries[0]["size"], 1000);
    assert_eq!(entries[0]["sha256"], sha256_hex(&small));
    assert_eq!(entries[0]["sender"], firm.member.as_str());
    assert_eq!(entries[0]["body"], B64.encode(&small));
    assert!(entries[0]["received_at"].as_i64().unwrap() >= now - 5);
    assert_eq!(entries[1]["id"], "deliverable-1");
    assert_eq!(entries[1]["sender"], provider.member.as_str());
    assert_eq!(entries[1]["sha256"], sha256_hex(&large));
    assert!(
        entries[1].get("body").is_none(),
        "bodies over 64 KiB are not inlined"
    );
    assert_eq!(entries[2]["body"], "");

    // Paging by cursor.
    let page = api.list(&relay, &firm, "?limit=1").await;
    assert_eq!(page["envelopes"].as_array().unwrap().len(), 1);
    assert_eq!(page["more"], true);
    let page = api.list(&relay, &firm, "?after=1&limit=1").await;
    assert_eq!(page["envelopes"][0]["seq"], 2);
    assert_eq!(page["more"], true);
    let page = api.list(&relay, &firm, "?after=3").await;
    assert_eq!(page["envelopes"].as_array().unwrap().len(), 0);
    assert_eq!(page["more"], false);
    // Listing after N records that the member holds up to N (never less), and the
    // member list tells the other side: the firm listed after 3, the provider after
    // nothing.
    api.list(&relay, &firm, "?after=1").await;
    let m = api.get(&relay, &provider, "/members").await.json();
    assert_eq!(m["members"][0]["acked"], 3, "the firm listed after 3");
    assert_eq!(
        m["members"][1]["acked"], 0,
        "the provider never listed after any"
    );
    for bad in ["?limit=0", "?limit=1001", "?after=-1", "?limit=x"] {
        let a = api.get(&relay, &firm, &format!("/envelopes{bad}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
    }

    // Download whole, and by ranges.
    let whole = api.get(&relay, &firm, "/envelopes/deliverable-1").await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.bytes, large);
    assert_eq!(whole.headers["accept-ranges"], "bytes");
    assert_eq!(
        whole.headers["content-length"],
        large.len().to_string().as_str()
    );
    let from = relay_range(&api, &relay, &firm, "bytes=1000-").await;
    assert_eq!(from.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(from.bytes, large[1000..]);
    assert_eq!(
        from.headers["content-range"],
        format!("bytes 1000-{}/{}", large.len() - 1, large.len()).as_str()
    );
    let mid = relay_range(&api, &relay, &firm, "bytes=10-19").await;
    assert_eq!(mid.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(mid.bytes, large[10..20]);
    assert_eq!(mid.headers["content-length"], "10");
    let past = relay_range(&api, &relay, &firm, &format!("bytes={}-", large.len())).await;
    assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        past.headers["content-range"],
        format!("bytes */{}", large.len()).as_str()
    );
    // A small envelope (kept in its row, not a file) downloads whole and by range too.
    let brief = api.get(&relay, &firm, "/envelopes/brief-1").await;
    assert_eq!(
        (brief.status, brief.bytes.clone()),
        (StatusCode::OK, small.clone())
    );
    let part = api
        .send(
            &relay,
            Method::GET,
            &format!("/v1/channels/{}/envelopes/brief-1", firm.channel),
            Some(&firm.token),
            None,
            &[("range", "bytes=990-")],
        )
        .await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, small[990..]);
    assert_eq!(part.headers["content-range"], "bytes 990-999/1000");
    let etag = format!("\"{}\"", sha256_hex(&small));
    assert_eq!(brief.headers["etag"], etag.as_str());
    assert_eq!(part.headers["etag"], etag.as_str());
    let empty = api.get(&relay, &firm, "/envelopes/empty").await;
    assert_eq!((empty.status, empty.bytes.len()), (StatusCode::OK, 0));
    assert_eq!(empty.headers["content-length"], "0");
    let missing = api.get(&relay, &firm, "/envelopes/nope").await;
    assert_eq!(
        (missing.status, missing.code()),
        (StatusCode::NOT_FOUND, "envelope_not_found".into())
    );
    let bad_id = api.put(&relay, &firm, "a.b", vec![1]).await;
    assert_eq!(
        (bad_id.status, bad_id.code()),
        (StatusCode::BAD_REQUEST, "invalid_envelope_id".into())
    );
    let long_id = api.put(&relay, &firm, &"x".repeat(65), vec![1]).await;
    assert_eq!(long_id.status, StatusCode::BAD_REQUEST);

    // What is on disk is exactly what was sent, private to the relay's user.
    let file = envelope_file(&env.data_dir, &firm.channel, "deliverable-1");
    assert_eq!(std::fs::read(&file).unwrap(), large);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&env.data_dir), 0o700);
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&env.data_dir.join("relay.db")), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);

    // Close: reads still work, writes and invitations do not.
    let close = api
        .send(
            &relay,
            Method::POST,
            &format!("/v1/channels/{}/close", firm.channel),
            Some(&firm.token),
            None,
            &[],
        )
        .await;
    assert_eq!(close.status, StatusCode::NO_CONTENT);
    let after_close = api.put(&relay, &provider, "late", vec![1, 2, 3]).await;
    assert_eq!(
        (after_close.status, after_close.code()),
        (StatusCode::CONFLICT, "channel_closed".into())
    );
    assert_eq!(
        api.invite(&relay, &firm, None).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        api.get(&relay, &provider, "/envelopes/brief-1").await.bytes,
        small
    );
    assert_eq!(
        api.list(&relay, &provider, "").await["envelopes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Delete: rows and files gone, tokens stop working.
    let channel_dir = env.data_dir.join("envelopes").join(&firm.channel);
    assert!(channel_dir.exists());
    let del = api
        .send(
            &relay,
            Method::DELETE,
            &format!("/v1/channels/{}", firm.channel),
            Some(&firm.token),
            None,
            &[],
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert!(!channel_dir.exists(), "the channel's files are removed");
    for seat in [&firm, &provider] {
        let a = api.get(&relay, seat, "/members").await;
        assert_eq!(
            (a.status, a.code()),
            (StatusCode::NOT_FOUND, "channel_deleted".into())
        );
        let a = api.get(&relay, seat, "/envelopes/brief-1").await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
    // The account's usage went back to nothing.
    let out = std::process::Command::new(BIN)
        .args(["account", "list", "--data-dir"])
        .arg(&env.data_dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("Firm LLP"))
        .expect("account listed");
    assert_eq!(row.split_whitespace().last(), Some("0"), "{text}");
    assert!(!text.contains(&account), "account list never shows tokens");
}

async fn relay_range(api: &Api, relay: &Relay, seat: &Seat, range: &str) -> Answer {
    api.send(
        relay,
        Method::GET,
        &format!("/v1/channels/{}/envelopes/deliverable-1", seat.channel),
        Some(&seat.token),
        None,
        &[("range", range)],
    )
    .await
}

#[tokio::test]
async fn put_is_idempotent_by_envelope_id() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let firm = api.open(&relay, &account, b"card").await;
    let provider = api.add_member(&relay, &firm, b"card 2").await;

    let bytes = noise(3, 5000);
    let first = api.put(&relay, &firm, "msg-1", bytes.clone()).await;
    assert_eq!(
        (first.status, first.json()["seq"].as_i64()),
        (StatusCode::CREATED, Some(1))
    );
    // The same bytes again (a retry after a lost answer): 200, same seq, nothing new.
    let again = api.put(&relay, &firm, "msg-1", bytes.clone()).await;
    assert_eq!(
        (again.status, again.json()["seq"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    let chunked = api
        .put_chunked(&relay, &firm, "msg-1", bytes.clone(), 999)
        .await;
    assert_eq!(
        (chunked.status, chunked.json()["seq"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    // Other bytes under that id, of the same length and of another: 409.
    let mut other = bytes.clone();
    other[4999] ^= 1;
    let conflict = api.put(&relay, &firm, "msg-1", other.clone()).await;
    assert_eq!(
        (conflict.status, conflict.code()),
        (StatusCode::CONFLICT, "envelope_conflict".into())
    );
    let conflict = api.put(&relay, &provider, "msg-1", noise(4, 10)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    let conflict = api
        .put_chunked(&relay, &firm, "msg-1", noise(4, 9000), 1000)
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    // Ids are case-sensitive: "MSG-1" is another envelope.
    let next = api.put(&relay, &firm, "MSG-1", other.clone()).await;
    assert_eq!(
        (next.status, next.json()["seq"].as_i64()),
        (StatusCode::CREATED, Some(2))
    );

    let listed = api.list(&relay, &firm, "").await;
    let entries = listed["envelopes"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["sha256"], sha256_hex(&bytes));
    assert_eq!(
        api.get(&relay, &firm, "/envelopes/msg-1").await.bytes,
        bytes
    );
    assert_eq!(
        api.get(&relay, &firm, "/envelopes/MSG-1").await.bytes,
        other
    );
    // No temporary files are left behind by the refused ones.
    assert!(files_under(&env.data_dir.join("tmp")).is_empty());
}

#[tokio::test]
async fn concurrent_puts_of_one_id_keep_one_body() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let seat = api.open(&relay, &account, b"card").await;

    // Two different bodies raced under one new id, several times each, streamed in
    // small pieces so the uploads overlap.
    let bodies = [noise(10, 2 * 1024 * 1024), noise(11, 2 * 1024 * 1024)];
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (api, seat, body) = (api.clone(), seat.clone(), bodies[i % 2].clone());
        let addr = relay.addr;
        tasks.push(tokio::spawn(async move {
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                body.chunks(16 * 1024).map(|c| Ok(c.to_vec())).collect();
            let a = api
                .try_send(
                    &addr,
                    Method::PUT,
                    &format!("/v1/channels/{}/envelopes/raced", seat.channel),
                    Some(&seat.token),
                    Some(reqwest::Body::wrap_stream(futures_util::stream::iter(
                        chunks,
                    ))),
                    &[],
                )
                .await
                .unwrap();
            (i % 2, a.status)
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let created: Vec<_> = results
        .iter()
        .filter(|r| r.1 == StatusCode::CREATED)
        .collect();
    assert_eq!(created.len(), 1, "{results:?}");
    let winner = created[0].0;
    for (which, status) in &results {
        let expected = if *which == winner {
            [StatusCode::CREATED, StatusCode::OK]
        } else {
            [StatusCode::CONFLICT, StatusCode::CONFLICT]
        };
        assert!(expected.contains(status), "{results:?}");
    }
    let got = api.get(&relay, &seat, "/envelopes/raced").await;
    assert!(
        got.bytes == bodies[winner],
        "the stored body is the winner's"
    );
    assert!(
        std::fs::read(envelope_file(&env.data_dir, &seat.channel, "raced")).unwrap()
            == bodies[winner]
    );
    let listed = api.list(&relay, &seat, "").await;
    assert_eq!(listed["envelopes"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_batch_stores_small_envelopes_in_order_each_with_its_own_result() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let relay = env.start(&[]);
    let api = env.client();
    let firm = api.open(&relay, &account, b"card").await;
    let held = noise(7, 900);
    let first = api.put(&relay, &firm, "held", held.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let path = format!("/v1/channels/{}/envelopes", firm.channel);
    let batch = |items: &[(&str, &[u8])]| {
        serde_json::json!({
            "envelopes": items
                .iter()
                .map(|(id, b)| serde_json::json!({"id": id, "body": B64.encode(b)}))
                .collect::<Vec<_>>()
        })
    };
    let (a, b, other) = (noise(8, 1200), noise(9, 64 * 1024), noise(10, 900));
    let answer = api
        .json(
            &relay,
            Method::POST,
            &path,
            Some(&firm.token),
            batch(&[
                ("msg-a", &a),
                ("held", &held),
                ("msg-b", &b),
                ("held-too", &other),
            ]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json());
    let r = answer.json()["results"].clone();
    assert_eq!(
        r[0],
        serde_json::json!({"id": "msg-a", "seq": 2, "created": true})
    );
    // The same bytes under a held id: its seq, nothing new (a retried batch).
    assert_eq!(
        r[1],
        serde_json::json!({"id": "held", "seq": 1, "created": false})
    );
    assert_eq!(r[2]["seq"], 3);
    assert_eq!(r[3]["seq"], 4);
    // Other bytes under a held id refuse that one only; the rest of the batch stands.
    let again = api
        .json(
            &relay,
            Method::POST,
            &path,
            Some(&firm.token),
            batch(&[("msg-c", &a), ("msg-a", &other)]),
        )
        .await;
    let r = again.json()["results"].clone();
    assert_eq!(r[0]["seq"], 5);
    assert_eq!(r[1]["error"], "envelope_conflict", "{r}");
    // Listed in the order given, bodies inline, and each downloads as sent.
    let listed = api.list(&relay, &firm, "").await;
    let ids: Vec<&str> = listed["envelopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["held", "msg-a", "msg-b", "held-too", "msg-c"]);
    assert_eq!(listed["envelopes"][2]["body"], B64.encode(&b));
    assert_eq!(api.get(&relay, &firm, "/envelopes/msg-b").await.bytes, b);
    // What a batch does not take: too many, a body over 64 KiB, an id twice.
    let many: Vec<(String, Vec<u8>)> = (0..257).map(|i| (format!("m{i}"), vec![1u8])).collect();
    let refs: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(i, b)| (i.as_str(), b.as_slice()))
        .collect();
    let too_many = api
        .json(&relay, Method::POST, &path, Some(&firm.token), batch(&refs))
        .await;
    assert_eq!(
        (too_many.status, too_many.code()),
        (StatusCode::BAD_REQUEST, "invalid_batch".into())
    );
    let big = noise(11, 64 * 1024 + 1);
    let too_big = api
        .json(
            &relay,
            Method::POST,
            &path,
            Some(&firm.token),
            batch(&[("big", &big)]),
        )
        .await;
    assert_eq!(
        (too_big.status, too_big.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "envelope_too_large".into())
    );
    let twice = api
        .json(
            &relay,
            Method::POST,
            &path,
            Some(&firm.token),
            batch(&[("x", &a), ("x", &a)]),
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    // Nothing of the refused batches was stored.
    assert_eq!(
        api.list(&relay, &firm, "").await["envelopes"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}
