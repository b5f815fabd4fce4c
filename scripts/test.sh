#!/usr/bin/env bash
# The one test command (`npm test`): build, then unit + integration (Vitest) and end-to-end (Playwright).
#
# Tests that use the OS keychain need a Secret Service: where none is running and gnome-keyring is installed,
# the suites run inside a private D-Bus session with a fresh, unlocked keyring and a throwaway HOME.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inner" ]; then
  npx electron-vite build --logLevel warn
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null \
    && command -v gnome-keyring-daemon >/dev/null; then
    SWITCHBOARD_TEST_HOME="$(mktemp -d)"
    export SWITCHBOARD_TEST_HOME
    # npm keeps its cache in the real home.
    export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
    exec dbus-run-session -- bash -c '
      export HOME="$SWITCHBOARD_TEST_HOME"
      echo -n switchboard-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
      exec bash scripts/test.sh --inner
    '
  fi
fi

npx vitest run
npx playwright test
