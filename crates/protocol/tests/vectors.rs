//! The test vectors of docs/protocol.md. Another implementation of the format must
//! derive the same key ids, fingerprints and cards from the same keys, and open the
//! same envelope to the same content.
//!
//! `MANDATE_WRITE_VECTORS=1 cargo test -p mandate-protocol --test vectors` rewrites
//! `tests/vectors/vectors.json` (only when the format changes on purpose, with a new
//! version number).

mod common;

use common::*;
use mandate_protocol::{ItemKind, PublicCard, Receiver, Side};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Device {
    ed25519_seed_hex: String,
    age_secret: String,
    ed25519_public_hex: String,
    age_recipient: String,
    key_id: String,
    fingerprint: String,
    card: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Vectors {
    firm: Device,
    provider: Device,
    /// A brief sealed by the firm for both devices.
    envelope_id: String,
    envelope_hex: String,
    content: String,
}

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/vectors.json");
const CONTENT: &str = "Review the 40 leases for change-of-control clauses by 12 January.";

fn device(seed: [u8; 32], age: &str, name: &str, side: Side) -> Device {
    let id = mandate_protocol::DeviceIdentity::from_seed_and_age(&seed, age).unwrap();
    Device {
        ed25519_seed_hex: hex::encode(seed),
        age_secret: age.into(),
        ed25519_public_hex: hex::encode(id.public().ed25519_bytes()),
        age_recipient: id.public().age_recipient().into(),
        key_id: id.key_id().0,
        fingerprint: id.fingerprint().to_string(),
        card: id.card(name, side, 1_795_000_000).encode().into(),
    }
}

#[test]
fn vectors_hold() {
    let firm_dev = device(FIRM_SEED, FIRM_AGE, "Jones & Park LLP", Side::Firm);
    let provider_dev = device(
        PROVIDER_SEED,
        PROVIDER_AGE,
        "Lexwell Review Ltd",
        Side::Provider,
    );
    if std::env::var_os("MANDATE_WRITE_VECTORS").is_some() {
        let h = header(&firm(), ItemKind::Brief, "brief-1", 1);
        let env = seal_bytes(&h, CONTENT.as_bytes(), &firm());
        let v = Vectors {
            firm: firm_dev,
            provider: provider_dev,
            envelope_id: h.envelope,
            envelope_hex: hex::encode(env),
            content: CONTENT.into(),
        };
        std::fs::write(PATH, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
        return;
    }
    let v: Vectors = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    // Key ids, fingerprints and cards are deterministic functions of the keys.
    assert_eq!(v.firm, firm_dev);
    assert_eq!(v.provider, provider_dev);
    let card = PublicCard::decode(&v.firm.card).unwrap();
    assert_eq!(card.fingerprint().to_string(), v.firm.fingerprint);

    // The sealed envelope (random by nature: age's file key) opens to its content.
    let provider = provider();
    let peers = peers();
    let receiver = Receiver {
        me: &provider,
        channel: "ch-vector",
        peers: &peers,
    };
    let env = hex::decode(&v.envelope_hex).unwrap();
    let (opened, content) = receiver.open_bytes(&v.envelope_id, &env, |_| None).unwrap();
    assert_eq!(content, v.content.as_bytes());
    assert_eq!(opened.header.kind, ItemKind::Brief);
    assert_eq!(opened.header.sender.0, v.firm.key_id);
}
