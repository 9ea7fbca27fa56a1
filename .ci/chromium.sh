#!/usr/bin/env bash
# The browser of the browser tests (test/browser/): Debian's own `chromium`
# package, driven headless by playwright-core (a library only: it downloads
# no browser of its own). Installed with apt-get when missing; needs root and
# Debian's mirror. Idempotent: when /usr/bin/chromium already answers, it
# does nothing. Prints the browser's path on stdout (and what it did on
# stderr).
#
#   .ci/chromium.sh
set -euo pipefail

browser=/usr/bin/chromium

probe() {
  "$browser" --headless --no-sandbox --version 2>/dev/null
}

if [ -x "$browser" ] && have="$(probe)"; then
  echo "chromium: ready, $have" >&2
  echo "$browser"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium: installing it needs root (apt-get); run: sudo $0" >&2
  exit 1
fi
# Refresh first: stale lists name package versions the mirror no longer has.
apt-get update -qq >&2
# fonts-dejavu-core: the pictures' text has the same metrics on every machine.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
if ! have="$(probe)"; then
  echo "chromium: installed, but '$browser --version' does not answer:" >&2
  "$browser" --headless --no-sandbox --version >&2 || true
  exit 1
fi
echo "chromium: installed, $have" >&2
echo "$browser"
