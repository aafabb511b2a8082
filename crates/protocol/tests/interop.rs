//! The payload of an envelope is a standard age file: the reference `age` tool (Go,
//! Debian package `age`, installed by scripts/setup.sh) opens it with the recipient's
//! identity. This shows the format is open; Mandate itself never shells out to age.

mod common;

use std::process::Command;

use common::*;
use mandate_protocol::ItemKind;

#[test]
fn the_reference_age_tool_opens_the_payload() {
    let version = Command::new("age").arg("--version").output().expect(
        "the reference `age` tool is missing: run scripts/setup.sh (it installs the Debian package `age`)",
    );
    assert!(version.status.success());

    let firm = firm();
    let h = header(&firm, ItemKind::Message, "msg-interop", 1);
    let env = seal_bytes(&h, b"Privileged: call me before filing.", &firm);
    // Frame: "MNDE", version, u32 header length, header, age payload, 64-byte signature.
    let header_len = u32::from_be_bytes(env[5..9].try_into().unwrap()) as usize;
    let payload = &env[9 + header_len..env.len() - 64];

    let dir = tempfile::tempdir().unwrap();
    let identity = dir.path().join("provider.key");
    std::fs::write(&identity, format!("{PROVIDER_AGE}\n")).unwrap();
    let sealed = dir.path().join("payload.age");
    std::fs::write(&sealed, payload).unwrap();
    let out = Command::new("age")
        .arg("--decrypt")
        .arg("--identity")
        .arg(&identity)
        .arg(&sealed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "age: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The plaintext is the item's identity (u32 length + JSON) and then the content.
    let plain = out.stdout;
    let inner_len = u32::from_be_bytes(plain[..4].try_into().unwrap()) as usize;
    let inner: serde_json::Value = serde_json::from_slice(&plain[4..4 + inner_len]).unwrap();
    assert_eq!(inner["item"], "msg-interop");
    assert_eq!(inner["kind"], "message");
    assert_eq!(
        &plain[4 + inner_len..],
        b"Privileged: call me before filing."
    );
}
