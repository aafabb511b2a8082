#!/usr/bin/env bash
# Sets up what is missing, builds the UI and the desktop app, and starts Mandate on
# your own store (~/.local/share/mandate unless --data-dir DIR or MANDATE_DATA_DIR
# says otherwise). Extra arguments go to the app, e.g. scripts/run.sh --data-dir /tmp/try
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd ui && npm run --silent build)
cargo build -p mandate-app
exec target/debug/mandate-app "$@"
