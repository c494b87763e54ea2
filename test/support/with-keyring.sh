#!/bin/sh
# Runs a command inside a private D-Bus session with a real, unlocked
# gnome-keyring Secret Service, its HOME in a temporary folder, so tests use a
# real keychain without touching the person's own.
# Usage: test/support/with-keyring.sh COMMAND [ARGS...]
set -eu
if [ -z "${CUSTODIAN_KEYRING_INNER:-}" ]; then
  keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/custodian-keyring.XXXXXX")
  trap 'rm -rf "$keyring_home"' EXIT
  export HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/.local/share" XDG_RUNTIME_DIR="$keyring_home/run"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  CUSTODIAN_KEYRING_INNER=1 dbus-run-session -- "$0" "$@"
  exit $?
fi
# A throwaway password for a throwaway keyring that lives as long as this session.
printf 'custodian-test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
