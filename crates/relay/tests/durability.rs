//! What the relay acknowledged survives `kill -9`; what it had not, leaves nothing
//! behind after the next start.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An envelope the relay answered 2xx for: id, seq, bytes.
type Acked = (String, i64, Vec<u8>);

/// This test makes more requests with one token than the default limit allows.
const NO_RATE_LIMIT: [&str; 2] = ["--rate-limit-per-minute", "1000000"];

#[tokio::test]
async fn acknowledged_envelopes_survive_kill_9() {
    let env = TestEnv::new();
    let account = env.account("firm", None);
    let mut relay = env.start(&NO_RATE_LIMIT);
    let api = env.client();
    let seat = api.open(&relay, &account, b"card").await;

    // One acknowledged, then killed at once: no time for anything to be flushed later.
    let first = noise(100, 300_000);
    let a = api.put(&relay, &seat, "first", first.clone()).await;
    assert_eq!(a.status, StatusCode::CREATED);
    relay.kill9();
    let mut relay = env.start(&NO_RATE_LIMIT);
    assert_eq!(
        api.get(&relay, &seat, "/envelopes/first").await.bytes,
        first
    );
    let listed = api.list(&relay, &seat, "").await;
    assert_eq!(listed["envelopes"][0]["seq"], 1);

    // Then a stream of PUTs, killed in the middle of it: every envelope that got a 2xx
    // must be there after a restart, with its seq and its bytes.
    let acked: Arc<Mutex<Vec<Acked>>> = Arc::default();
    let writer = {
        let (api, seat, acked) = (api.clone(), seat.clone(), acked.clone());
        let addr = relay.addr;
        tokio::spawn(async move {
            for i in 0u64.. {
                let id = format!("burst-{i}");
                let bytes = noise(i, 1000 + (i as usize * 7919) % 200_000);
                let answer = api
                    .try_send(
                        &addr,
                        Method::PUT,
                        &format!("/v1/channels/{}/envelopes/{id}", seat.channel),
                        Some(&seat.token),
                        Some(bytes.clone().into()),
                        &[],
                    )
                    .await;
                match answer {
                    Ok(a) if a.status == StatusCode::CREATED => {
                        let seq = a.json()["seq"].as_i64().unwrap();
                        acked.lock().unwrap().push((id, seq, bytes));
                    }
                    Ok(a) => panic!("unexpected answer {}: {:?}", a.status, a.json()),
                    Err(_) => break, // the relay is gone
                }
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    relay.kill9();
    writer.await.unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 3,
        "only {} PUTs were acknowledged before the kill",
        acked.len()
    );
    assert!(
        acked.iter().any(|(_, _, b)| b.len() <= 64 * 1024)
            && acked.iter().any(|(_, _, b)| b.len() > 64 * 1024),
        "the burst acknowledged both small (in the row) and large (file) envelopes"
    );

    // What a crash can leave: a temporary file, and a body renamed into place whose
    // row was never committed. Both must go at the next start.
    let stray_tmp = env.data_dir.join("tmp").join("0123abcd.part");
    std::fs::write(&stray_tmp, b"half an upload").unwrap();
    let orphan = envelope_file(&env.data_dir, &seat.channel, "never-committed");
    std::fs::write(&orphan, b"no row points here").unwrap();

    let relay = env.start(&NO_RATE_LIMIT);
    assert!(!stray_tmp.exists(), "temporary files are removed at start");
    assert!(!orphan.exists(), "files without a row are removed at start");
    for (id, seq, bytes) in &acked {
        let got = api.get(&relay, &seat, &format!("/envelopes/{id}")).await;
        assert_eq!(
            got.status,
            StatusCode::OK,
            "{id} was acknowledged but is gone"
        );
        assert!(got.bytes == *bytes, "{id} came back with other bytes");
        // Up to the listing's inline size (64 KiB) an envelope is kept in its row,
        // durable with the commit; larger ones are files of their own.
        let file = envelope_file(&env.data_dir, &seat.channel, id);
        if bytes.len() > 64 * 1024 {
            assert_eq!(std::fs::read(&file).unwrap(), *bytes, "{id}");
        } else {
            assert!(
                !file.exists(),
                "{id} ({} bytes) was written as a file",
                bytes.len()
            );
        }
        let listed = api
            .list(&relay, &seat, &format!("?after={}&limit=1", seq - 1))
            .await;
        assert_eq!(listed["envelopes"][0]["id"], id.as_str(), "seq {seq}");
    }
    // Sequence numbers carry on above everything stored.
    let listed = api.list(&relay, &seat, "?limit=1000").await;
    let last = listed["envelopes"].as_array().unwrap().last().unwrap()["seq"]
        .as_i64()
        .unwrap();
    let next = api.put(&relay, &seat, "after-restart", vec![1, 2, 3]).await;
    assert_eq!(next.json()["seq"].as_i64(), Some(last + 1));
    println!(
        "{} envelopes acknowledged before kill -9, all present after restart",
        acked.len()
    );
}
