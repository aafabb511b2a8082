//! `mandate-relay serve`: open the store, load TLS, listen, answer until SIGTERM or
//! SIGINT, then let requests in flight finish (up to a grace period).

use crate::api::{self, AppState, Limits};
use crate::ratelimit::RateLimiter;
use crate::store::SqliteStore;
use crate::tls::{self, TlsSource};
use anyhow::Context as _;
use axum_server::tls_rustls::RustlsConfig;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How long requests in flight get to finish after SIGTERM. An upload cut off is
/// not lost: it was never acknowledged, so the client sends it again.
const GRACE: Duration = Duration::from_secs(10);

/// A client gets this long for the TLS handshake, then for each request's headers.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

pub struct ServeOptions {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub tls: TlsSource,
    pub max_envelope_bytes: u64,
    pub rate_limit_per_minute: u32,
}

pub async fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let data_dir = opts.data_dir.clone();
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&data_dir))
        .await?
        .with_context(|| {
            format!(
                "opening the relay's data directory {}",
                opts.data_dir.display()
            )
        })?;
    let tls = tls::load(&opts.tls, &opts.data_dir)?;
    let listener = std::net::TcpListener::bind(opts.listen)
        .with_context(|| format!("listening on {}", opts.listen))?;
    let addr = listener.local_addr()?;

    // The two lines scripts and tests read; nothing else goes to stdout.
    let mut out = std::io::stdout().lock();
    if let Some(fingerprint) = &tls.self_signed_fingerprint {
        writeln!(out, "certificate sha256 {fingerprint}")?;
    }
    writeln!(out, "listening on https://{addr}")?;
    out.flush()?;
    drop(out);
    tracing::info!(%addr, max_envelope_bytes = opts.max_envelope_bytes,
        rate_limit_per_minute = opts.rate_limit_per_minute, "relay started");

    let state = Arc::new(AppState {
        store,
        limits: Limits {
            max_envelope_bytes: opts.max_envelope_bytes,
        },
        limiter: RateLimiter::new(opts.rate_limit_per_minute),
    });
    let app = api::router(state);

    let handle = axum_server::Handle::new();
    tokio::spawn(stop_on_signal(handle.clone()));
    let acceptor =
        axum_server::tls_rustls::RustlsAcceptor::new(RustlsConfig::from_config(tls.config))
            .handshake_timeout(HANDSHAKE_TIMEOUT);
    let mut server = axum_server::from_tcp(listener)?
        .acceptor(acceptor)
        .handle(handle)
        .http1_only()
        .first_request_timeout(HEADER_TIMEOUT)
        .accept_error_handler(|_, e| tracing::debug!(error = %e, "connection not accepted"));
    server
        .http_builder()
        .http1()
        .header_read_timeout(Some(HEADER_TIMEOUT));
    server
        .serve(app.into_make_service_with_connect_info::<SocketAddr>())
        .await
        .context("serving")?;
    tracing::info!("relay stopped");
    Ok(())
}

async fn stop_on_signal(handle: axum_server::Handle<SocketAddr>) {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tracing::info!("stopping: letting requests in flight finish");
    handle.graceful_shutdown(Some(GRACE));
}
