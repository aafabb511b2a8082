#!/usr/bin/env bash
# Installs what Mandate needs to build, run and test, and only what is missing:
# Debian/Ubuntu packages, the Rust toolchain check, tauri-driver, and the npm
# packages of ui/ and tests/e2e/. Safe to run again; the second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Build: webkit2gtk (pulls gtk3, soup3, libdbus-1-dev), compilers, OpenSSL for SQLCipher.
# Tests: Xvfb for a real window without a display, WebKitWebDriver, a real Secret
# Service (gnome-keyring) on a private D-Bus session, ImageMagick for screenshots,
# xdotool to answer the native GTK file dialogs as a person would, and the reference
# `age` tool, which must open what Mandate seals (the envelope format is open), and
# `openssl`, with which the window's exchange tests make the relay's test CA, and
# poppler-utils, whose pdftotext and pdftoppm read back the client disclosure report.
APT_PACKAGES=(
  build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libdbus-1-dev
  xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-bin imagemagick xdotool age openssl
  poppler-utils
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt 2>/dev/null || true

if ! command -v tauri-driver >/dev/null; then
  say "Installing tauri-driver (WebDriver for the desktop app)"
  cargo install tauri-driver --locked --version 2.1.0
fi

npm_ready() {
  # Re-install when package-lock.json changed since the last install.
  [ -d "$1/node_modules" ] && [ "$1/node_modules/.package-lock.json" -nt "$1/package-lock.json" ]
}
for dir in ui tests/e2e; do
  if ! npm_ready "$dir"; then
    say "Installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
say "Setup complete"
