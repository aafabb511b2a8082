#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with its own unlocked GNOME
# Keyring (a real Secret Service), so tests never touch the person's own keyring
# and work on a headless machine. Everything it starts ends with the session.
set -euo pipefail
tmp=$(mktemp -d /tmp/mandate-keyring.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/run" "$tmp/data"
export XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data"
# An empty unlock password would make gnome-keyring ask through a GUI prompt.
# The keyring daemon exits when its D-Bus session closes, i.e. when "$@" ends.
dbus-run-session -- bash -c '
  printf "mandate-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' with-keyring "$@"
