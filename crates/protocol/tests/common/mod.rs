//! The fixed devices of the test vectors (docs/protocol.md): a firm and a provider.
#![allow(dead_code)]

use mandate_protocol::envelope::Peer;
use mandate_protocol::{DeviceIdentity, Header, ItemKind, Side};

pub const FIRM_SEED: [u8; 32] = [0x01; 32];
pub const FIRM_AGE: &str =
    "AGE-SECRET-KEY-1ZW7DUDRQ8R3E3SRQW5XPF8R940SJYHTAP2QQVF0G3MG4P5HJXGHQANFA4Q";
pub const PROVIDER_SEED: [u8; 32] = [0x02; 32];
pub const PROVIDER_AGE: &str =
    "AGE-SECRET-KEY-16PT8F7MLNXZ36G5EDZDMNWHSHUSURX0LMS3CCN8JQVT9HXX2A3AQNPX4NT";

pub fn firm() -> DeviceIdentity {
    DeviceIdentity::from_seed_and_age(&FIRM_SEED, FIRM_AGE).expect("firm vector keys")
}

pub fn provider() -> DeviceIdentity {
    DeviceIdentity::from_seed_and_age(&PROVIDER_SEED, PROVIDER_AGE).expect("provider vector keys")
}

/// Both devices as a receiver on the channel knows them: the channel's opener is the
/// firm, the member who joined is the provider.
pub fn peers() -> Vec<Peer> {
    vec![
        Peer {
            keys: firm().public().clone(),
            side: Side::Firm,
        },
        Peer {
            keys: provider().public().clone(),
            side: Side::Provider,
        },
    ]
}

pub fn header(sender: &DeviceIdentity, kind: ItemKind, item: &str, revision: u64) -> Header {
    Header {
        v: 1,
        envelope: format!("env-{item}-{revision}"),
        channel: "ch-vector".into(),
        item: item.into(),
        kind,
        revision,
        sender: sender.key_id(),
        created: 1_795_000_000_000,
    }
}

pub fn seal_bytes(header: &Header, content: &[u8], sender: &DeviceIdentity) -> Vec<u8> {
    let firm = firm();
    let provider = provider();
    let mut out = Vec::new();
    mandate_protocol::seal(
        header,
        content,
        &[firm.public(), provider.public()],
        sender,
        &mut out,
    )
    .expect("seal");
    out
}
