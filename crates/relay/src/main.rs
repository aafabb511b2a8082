//! The `mandate-relay` command: `serve`, and `account add|list` for the operator.

use clap::{ArgGroup, Args, Parser, Subcommand};
use mandate_relay::server::{ServeOptions, serve};
use mandate_relay::store::{RelayStore as _, SqliteStore};
use mandate_relay::tls::TlsSource;
use mandate_relay::token::{Token, TokenKind};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const GIB: u64 = 1024 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "mandate-relay",
    version,
    about = "The HTTPS relay Mandate firms and providers exchange encrypted envelopes through"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Answer the relay API over HTTPS until SIGTERM or SIGINT.
    Serve(ServeArgs),
    /// Accounts: who may open channels on this relay.
    #[command(subcommand)]
    Account(AccountCommand),
}

#[derive(Args)]
#[command(group(ArgGroup::new("tls").required(true).args(["tls_cert", "self_signed"])))]
struct ServeArgs {
    /// Address and port to listen on, e.g. 0.0.0.0:8443 or [::]:8443 (port 0: any free one).
    #[arg(long, value_name = "ADDR")]
    listen: SocketAddr,
    /// The relay's folder: database, envelopes, self-signed certificate.
    #[arg(long, value_name = "DIR")]
    data_dir: PathBuf,
    /// PEM certificate chain (with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key (with --tls-cert).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Make (once) and use a self-signed certificate for localhost; prints its SHA-256.
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    self_signed: bool,
    /// The largest envelope accepted, in bytes.
    #[arg(long, value_name = "N", default_value_t = GIB)]
    max_envelope_bytes: u64,
    /// Requests per minute per token (per client IP without one).
    #[arg(long, value_name = "N", default_value_t = 600,
          value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit_per_minute: u32,
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Make an account and print its token (shown this once only).
    Add {
        /// A name for the operator's own records (e.g. the firm's).
        name: String,
        #[arg(long, value_name = "DIR")]
        data_dir: PathBuf,
        /// How many bytes of envelopes the account's channels may hold.
        #[arg(long, value_name = "N", default_value_t = 10 * GIB)]
        quota_bytes: u64,
    },
    /// List accounts: name, quota, bytes used (never tokens).
    List {
        #[arg(long, value_name = "DIR")]
        data_dir: PathBuf,
    },
}

fn main() -> ExitCode {
    // A panic's message could quote whatever it was handling; say only where.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("mandate-relay: internal error{at}");
    }));
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mandate-relay: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mandate-relay: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => {
            let tls = match (args.tls_cert, args.tls_key) {
                (Some(cert), Some(key)) => TlsSource::Files { cert, key },
                _ => TlsSource::SelfSigned,
            };
            serve(ServeOptions {
                listen: args.listen,
                data_dir: args.data_dir,
                tls,
                max_envelope_bytes: args.max_envelope_bytes,
                rate_limit_per_minute: args.rate_limit_per_minute,
            })
            .await
        }
        Command::Account(AccountCommand::Add {
            name,
            data_dir,
            quota_bytes,
        }) => {
            check_account_name(&name)?;
            let store = open_store(&data_dir).await?;
            let token = Token::generate(TokenKind::Account)?;
            store
                .add_account(&name, quota_bytes, token.hash(), mandate_relay::api::now())
                .await?;
            println!("{}", token.as_str());
            Ok(())
        }
        Command::Account(AccountCommand::List { data_dir }) => {
            let store = open_store(&data_dir).await?;
            let accounts = store.list_accounts().await?;
            println!("{:<32} {:>16} {:>16}", "NAME", "QUOTA_BYTES", "USED_BYTES");
            for a in accounts {
                println!("{:<32} {:>16} {:>16}", a.name, a.quota_bytes, a.used_bytes);
            }
            Ok(())
        }
    }
}

async fn open_store(data_dir: &Path) -> anyhow::Result<SqliteStore> {
    let dir = data_dir.to_owned();
    Ok(tokio::task::spawn_blocking(move || SqliteStore::open(&dir)).await??)
}

fn check_account_name(name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=64).contains(&name.chars().count()) && !name.chars().any(char::is_control),
        "an account name is 1 to 64 characters, none of them control characters"
    );
    Ok(())
}
