#!/usr/bin/env bash
# Sets up what is missing, then runs every check Mandate has: formatting, lints,
# the TypeScript type check, lint and component tests, all Rust tests (including
# those against a real Secret Service), the bindings check, and the end-to-end
# tests of the real desktop window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
started=$SECONDS

scripts/setup.sh

say "UI: type check, lint, component tests, build"
(cd ui && npm run --silent typecheck && npm run --silent lint && npm test --silent && npm run --silent build)

say "Rust: format"
cargo fmt --all -- --check

say "Rust: clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The store as the desktop app builds it, without the CLI's `scale-tools` feature
# (a workspace build turns it on for every member).
cargo clippy -p mandate-store --lib --locked -- -D warnings

say "Relay binary for the exchange tests of the CLI"
cargo build --locked -p mandate-relay

say "Rust: tests, with a private unlocked keyring (includes the TypeScript bindings check)"
scripts/with-keyring.sh cargo test --workspace --locked -- --include-ignored

say "Desktop app and CLI binaries for the end-to-end tests"
# Two builds: built together, the app would get the CLI's `scale-tools` feature of
# mandate-store (features are unified over one build) and differ from the shipped one.
cargo build --locked -p mandate-app
cargo build --locked -p mandate-cli

say "End-to-end: the real window through tauri-driver, under Xvfb, with a private keyring"
scripts/with-keyring.sh xvfb-run -a npm --prefix tests/e2e test

say "All checks passed in $((SECONDS - started)) s"
