//! The relay's TLS: a certificate and key the operator supplies, or a self-signed
//! one made on first start and kept in the data directory (so its fingerprint,
//! which clients pin, survives restarts).
//!
//! There is no plain-HTTP listener at all: tokens travel in headers, and the relay
//! should not depend on a proxy in front of it to protect them.

use anyhow::Context as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The names the self-signed certificate is valid for: the relay on this machine.
pub const SELF_SIGNED_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

pub enum TlsSource {
    Files { cert: PathBuf, key: PathBuf },
    SelfSigned,
}

pub struct Tls {
    pub config: Arc<rustls::ServerConfig>,
    /// Lowercase hex SHA-256 of the DER certificate, for `--self-signed`.
    pub self_signed_fingerprint: Option<String>,
}

/// Lowercase hex SHA-256 of a DER certificate: what clients compare and pin.
pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

pub fn load(source: &TlsSource, data_dir: &Path) -> anyhow::Result<Tls> {
    let (certs, key, self_signed) = match source {
        TlsSource::Files { cert, key } => (read_certs(cert)?, read_key(key)?, false),
        TlsSource::SelfSigned => {
            let (cert, key) = self_signed_files(data_dir)?;
            (read_certs(&cert)?, read_key(&key)?, true)
        }
    };
    let fingerprint = self_signed.then(|| fingerprint(&certs[0]));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("setting up TLS")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the TLS key does not match the certificate, or is of a kind rustls cannot use")?;
    // HTTP/1.1 only: envelopes are single large streams, where HTTP/2 gains nothing,
    // and one protocol is one set of limits to get right.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        self_signed_fingerprint: fingerprint,
    })
}

fn read_certs(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("reading the TLS certificate {}", path.display()))?;
    anyhow::ensure!(
        !certs.is_empty(),
        "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        path.display()
    );
    Ok(certs)
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path)
        .with_context(|| format!("reading the TLS private key {} (PEM)", path.display()))
}

/// The kept self-signed certificate and key, made first if missing.
fn self_signed_files(data_dir: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let dir = data_dir.join("tls");
    crate::store::private_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let cert = dir.join("self-signed-cert.pem");
    let key = dir.join("self-signed-key.pem");
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    let names: Vec<String> = SELF_SIGNED_NAMES.iter().map(|s| (*s).to_owned()).collect();
    let made =
        rcgen::generate_simple_self_signed(names).context("making a self-signed certificate")?;
    // Key first: a certificate on disk without its key would be kept and fail later.
    write_private(&key, made.signing_key.serialize_pem().as_bytes())?;
    write_private(&cert, made.cert.pem().as_bytes())?;
    Ok((cert, key))
}

/// Writes `bytes` to `path` as 0600, through a temporary file and a rename.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temp = path.with_extension("pem.part");
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("writing {}", path.display()))
}
