#!/usr/bin/env bash
# The console's browser tests drive Debian's headless chromium (Playwright's own browser
# download is not reachable here). Install it when missing and apt can; quiet when present.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium for the console's browser tests" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
else
  echo "ensure-chromium: chromium missing and cannot be installed here; browser tests will skip" >&2
fi
