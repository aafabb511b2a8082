//! A real `mandate-relay` for the exchange tests: a CA made here with rcgen, a
//! certificate for 127.0.0.1 signed by it, and the relay binary (built by
//! `scripts/test.sh` with `cargo build -p mandate-relay` into the same target folder
//! as `mandate`) serving on a port of 127.0.0.1. Each relay is a child process killed
//! and reaped when dropped, also when the test fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn relay_bin() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_mandate")).with_file_name("mandate-relay");
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build -p mandate-relay` (scripts/test.sh does)",
        bin.display()
    );
    bin
}

/// A running relay, killed and reaped when dropped (also when the test fails).
pub struct Relay {
    child: Child,
    pub url: String,
}

impl Relay {
    pub fn port(&self) -> u16 {
        self.url
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
            .expect("the relay's address ends with its port")
    }

    /// `kill -9`: no chance to finish what it was doing.
    pub fn kill(mut self) {
        self.child.kill().expect("kill the relay");
        self.child.wait().expect("reap the relay");
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A temporary folder with the test CA, the relay's certificate and key, and the
/// relay's data folder.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub ca_pem: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Mandate exchange test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca =
            rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate().unwrap())
                .unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
        let (ca_pem, cert, key) = (
            dir.path().join("ca.pem"),
            dir.path().join("cert.pem"),
            dir.path().join("key.pem"),
        );
        std::fs::write(&ca_pem, ca.pem()).unwrap();
        std::fs::write(&cert, leaf.pem()).unwrap();
        std::fs::write(&key, leaf_key.serialize_pem()).unwrap();
        Env {
            dir,
            ca_pem,
            cert,
            key,
        }
    }

    /// The relay's certificate and key (PEM): a test's TLS-terminating proxy presents
    /// the same certificate, which names 127.0.0.1.
    pub fn tls_files(&self) -> (&Path, &Path) {
        (&self.cert, &self.key)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn ca(&self) -> &str {
        self.ca_pem.to_str().unwrap()
    }

    pub fn relay_data(&self) -> PathBuf {
        self.dir.path().join("relay-data")
    }

    /// A firm's account on the relay; its token.
    pub fn account(&self) -> String {
        let out = Command::new(relay_bin())
            .args(["account", "add", "jones-park", "--data-dir"])
            .arg(self.relay_data())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// A relay on a free port.
    pub fn start_relay(&self) -> Relay {
        self.start_relay_on(0, &[])
    }

    /// A relay on `port` (0: a free one) with extra `serve` options, on this
    /// environment's data folder (so a restart finds what the last one stored).
    pub fn start_relay_on(&self, port: u16, extra: &[&str]) -> Relay {
        let mut child = Command::new(relay_bin())
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(self.relay_data())
            .arg("--tls-cert")
            .arg(&self.cert)
            .arg("--tls-key")
            .arg(&self.key)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut relay = Relay {
            child,
            url: String::new(),
        };
        while relay.url.is_empty() {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the relay says where it listens");
            if let Some(addr) = line.strip_prefix("listening on ") {
                relay.url = addr.trim().to_owned();
            }
        }
        relay
    }
}

/// Every file under `dir`, read whole, searched for `needle`.
pub fn any_file_contains(dir: &Path, needle: &[u8]) -> bool {
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().map_while(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(needle.len()).any(|w| w == needle)
            {
                return true;
            }
        }
    }
    false
}

/// Records every fact the send guard asks for before a firm may send work on
/// `matter` to `provider`: a supervising attorney, the provider's countries,
/// diligence (done, re-review date ahead), NDA and answer on AI, the client's
/// consent, and a clean conflict check.
pub fn clear_for_sending(firm: &Path, matter: &str, provider: &str) {
    let run = |args: &[&str]| {
        let out = super::passphrase::mandate(firm, args);
        assert!(
            out.status.success(),
            "mandate {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "matter",
        "edit",
        matter,
        "--supervising-attorney",
        "Jane Smith",
    ]);
    run(&super::cleared_provider_edit(provider));
    run(&[
        "consent",
        "add",
        "--matter",
        matter,
        "--provider",
        provider,
        "--scope",
        "Review",
        "--country",
        "IN",
        "--given-on",
        "2026-01-03",
        "--evidence",
        "email from the GC",
    ]);
    run(&[
        "conflicts",
        "check",
        "--matter",
        matter,
        "--provider",
        provider,
    ]);
}
