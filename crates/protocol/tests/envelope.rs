//! A receiver applies only what its sender owned, signed, and sealed for it; every
//! other envelope is refused with its reason and writes nothing.

mod common;

use std::io::{self, Read, Write};

use common::*;
use mandate_protocol::envelope::Peer;
use mandate_protocol::{
    DeviceIdentity, ItemKind, OpenError, Receiver, Rejection, Side, peek_header, seal,
};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

fn receiver<'a>(me: &'a DeviceIdentity, peers: &'a [Peer]) -> Receiver<'a> {
    Receiver {
        me,
        channel: "ch-vector",
        peers,
    }
}

fn rejection(result: Result<(mandate_protocol::Opened, Vec<u8>), OpenError>) -> Rejection {
    match result {
        Err(OpenError::Rejected(r)) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn brief_from_firm_opens_for_provider_and_firm() {
    let firm = firm();
    let provider = provider();
    let peers = peers();
    let h = header(&firm, ItemKind::Brief, "brief-1", 1);
    let env = seal_bytes(
        &h,
        b"Review 40 leases for change-of-control clauses.",
        &firm,
    );
    for me in [&provider, &firm] {
        let (opened, content) = receiver(me, &peers)
            .open_bytes(&h.envelope, &env, |_| None)
            .unwrap();
        assert_eq!(opened.header, h);
        assert_eq!(opened.sender_side, Side::Firm);
        assert_eq!(content, b"Review 40 leases for change-of-control clauses.");
    }
    assert_eq!(peek_header(&env[..]).unwrap(), h);
}

#[test]
fn the_relay_sees_no_plaintext() {
    let firm = firm();
    let h = header(&firm, ItemKind::Message, "msg-1", 1);
    let env = seal_bytes(&h, b"Client: Wexley Holdings, SSN 078-05-1120", &firm);
    let haystack = String::from_utf8_lossy(&env);
    assert!(!haystack.contains("Wexley"));
    assert!(!haystack.contains("078-05-1120"));
}

#[test]
fn tampered_ciphertext_header_and_signature_are_refused() {
    let firm = firm();
    let provider = provider();
    let peers = peers();
    let h = header(&firm, ItemKind::Document, "doc-1", 3);
    let env = seal_bytes(&h, &vec![7u8; 200_000], &firm);

    let mut ct = env.clone();
    let middle = ct.len() / 2;
    ct[middle] ^= 0x01;
    assert_eq!(
        rejection(receiver(&provider, &peers).open_bytes(&h.envelope, &ct, |_| None)),
        Rejection::BadSignature
    );

    // Same-length edit of the clear header: revision 3 becomes 9.
    let text = String::from_utf8_lossy(&env[9..9 + 300]).to_string();
    let at = 9 + text.find("\"revision\":3").unwrap() + "\"revision\":".len();
    let mut hd = env.clone();
    hd[at] = b'9';
    assert_eq!(
        rejection(receiver(&provider, &peers).open_bytes("env-doc-1-3", &hd, |_| None)),
        Rejection::BadSignature
    );

    let mut sig = env.clone();
    let last = sig.len() - 1;
    sig[last] ^= 0x80;
    assert_eq!(
        rejection(receiver(&provider, &peers).open_bytes(&h.envelope, &sig, |_| None)),
        Rejection::BadSignature
    );
}

#[test]
fn unknown_sender_replay_and_wrong_owner_are_refused() {
    let firm = firm();
    let provider = provider();
    let peers = peers();

    let stranger = DeviceIdentity::generate();
    let h = header(&stranger, ItemKind::Message, "msg-x", 1);
    let env = seal_bytes(&h, b"hello", &stranger);
    assert_eq!(
        rejection(receiver(&provider, &peers).open_bytes(&h.envelope, &env, |_| None)),
        Rejection::UnknownSender(stranger.key_id())
    );

    let h = header(&firm, ItemKind::Brief, "brief-1", 2);
    let env = seal_bytes(&h, b"old scope", &firm);
    assert!(matches!(
        rejection(receiver(&provider, &peers).open_bytes(&h.envelope, &env, |_| Some(2))),
        Rejection::StaleRevision {
            revision: 2,
            held: 2,
            ..
        }
    ));
    assert!(
        receiver(&provider, &peers)
            .open_bytes(&h.envelope, &env, |_| Some(1))
            .is_ok()
    );

    // The provider tries to rewrite the firm's brief, and to send a firm deadline.
    for kind in [ItemKind::Brief, ItemKind::Document, ItemKind::Deadline] {
        let h = header(&provider, kind, "brief-1", 5);
        let env = seal_bytes(&h, b"scope: nothing", &provider);
        assert!(matches!(
            rejection(receiver(&firm, &peers).open_bytes(&h.envelope, &env, |_| Some(1))),
            Rejection::NotOwner {
                sender_side: Side::Provider,
                ..
            }
        ));
    }
    // ...while its deliverable is accepted.
    let h = header(&provider, ItemKind::Deliverable, "deliv-1", 1);
    let env = seal_bytes(&h, b"memo", &provider);
    assert!(
        receiver(&firm, &peers)
            .open_bytes(&h.envelope, &env, |_| None)
            .is_ok()
    );
}

#[test]
fn misaddressed_and_not_for_me_are_refused() {
    let firm = firm();
    let provider = provider();
    let peers = peers();
    let h = header(&firm, ItemKind::Brief, "brief-1", 1);
    let env = seal_bytes(&h, b"scope", &firm);
    assert_eq!(
        rejection(receiver(&provider, &peers).open_bytes("env-other", &env, |_| None)),
        Rejection::Misaddressed("envelope id")
    );
    let other_channel = Receiver {
        me: &provider,
        channel: "ch-other",
        peers: &peers,
    };
    assert_eq!(
        rejection(other_channel.open_bytes(&h.envelope, &env, |_| None)),
        Rejection::Misaddressed("channel")
    );

    // Sealed for the firm alone: the provider's key cannot open it.
    let mut only_firm = Vec::new();
    seal(
        &h,
        &b"internal"[..],
        &[firm.public()],
        &firm,
        &mut only_firm,
    )
    .unwrap();
    let mut written = Vec::new();
    let err = receiver(&provider, &peers)
        .open(
            &h.envelope,
            io::Cursor::new(&only_firm),
            |_| None,
            &mut written,
        )
        .unwrap_err();
    assert!(matches!(err, OpenError::Rejected(Rejection::CannotDecrypt)));
    assert!(written.is_empty());
}

#[test]
fn a_sender_cannot_sign_as_someone_else() {
    let firm = firm();
    let provider = provider();
    let h = header(&firm, ItemKind::Brief, "brief-1", 1);
    let err = seal(&h, &b"x"[..], &[firm.public()], &provider, Vec::new()).unwrap_err();
    assert!(err.to_string().contains("another sender"));
}

/// Content that is generated as it is read, so a large document is never in memory.
struct Pattern {
    left: u64,
    n: u64,
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let take = (buf.len() as u64).min(self.left) as usize;
        for b in &mut buf[..take] {
            *b = (self.n.wrapping_mul(2_654_435_761) >> 13) as u8;
            self.n += 1;
        }
        self.left -= take as u64;
        Ok(take)
    }
}

struct HashWriter(Sha256, u64);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        self.1 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_large_document_streams_through_a_file_both_ways() {
    const SIZE: u64 = 24 * 1024 * 1024 + 123;
    let firm = firm();
    let provider = provider();
    let peers = peers();
    let h = header(&firm, ItemKind::Document, "doc-big", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("env");
    let file = std::fs::File::create(&path).unwrap();
    let size = seal(
        &h,
        Pattern { left: SIZE, n: 0 },
        &[firm.public(), provider.public()],
        &firm,
        io::BufWriter::new(file),
    )
    .unwrap();
    assert_eq!(size, std::fs::metadata(&path).unwrap().len());

    let mut expected = HashWriter(Sha256::new(), 0);
    io::copy(&mut Pattern { left: SIZE, n: 0 }, &mut expected).unwrap();
    let mut got = HashWriter(Sha256::new(), 0);
    let opened = receiver(&provider, &peers)
        .open(
            &h.envelope,
            io::BufReader::new(std::fs::File::open(&path).unwrap()),
            |_| None,
            &mut got,
        )
        .unwrap();
    assert_eq!(opened.content_len, SIZE);
    assert_eq!(got.1, SIZE);
    assert_eq!(got.0.finalize(), expected.0.finalize());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes never panic the parser and are never accepted.
    #[test]
    fn arbitrary_bytes_are_refused_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let provider = provider();
        let peers = peers();
        let r = receiver(&provider, &peers).open_bytes("env-x", &bytes, |_| None);
        prop_assert!(r.is_err());
        let _ = peek_header(&bytes[..]);
    }

    /// Arbitrary bytes after a valid-looking prefix reach the header parser and deeper.
    #[test]
    fn garbage_behind_a_real_prefix_is_refused(tail in proptest::collection::vec(any::<u8>(), 0..4096), hlen in 0u32..5000) {
        let mut bytes = b"MNDE\x01".to_vec();
        bytes.extend_from_slice(&hlen.to_be_bytes());
        bytes.extend_from_slice(&tail);
        let provider = provider();
        let peers = peers();
        prop_assert!(receiver(&provider, &peers).open_bytes("env-x", &bytes, |_| None).is_err());
    }
}

#[test]
fn every_single_byte_change_is_refused() {
    let firm = firm();
    let provider = provider();
    let peers = peers();
    let h = header(&firm, ItemKind::Message, "msg-2", 1);
    let env = seal_bytes(&h, b"Draft due Friday.", &firm);
    for i in 0..env.len() {
        for flip in [0x01u8, 0x80] {
            let mut bad = env.clone();
            bad[i] ^= flip;
            let r = receiver(&provider, &peers).open_bytes(&h.envelope, &bad, |_| None);
            assert!(r.is_err(), "byte {i} flipped by {flip:#x} was accepted");
        }
    }
}
