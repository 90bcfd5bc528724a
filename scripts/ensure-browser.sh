#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# download cannot work offline). Install it when missing and we are allowed to.
set -euo pipefail
command -v chromium >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  (apt-get install -y -q chromium >/dev/null 2>&1) \
    || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)
elif [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and cannot be installed (need root and apt-get)." >&2
  exit 1
else
  echo "chromium not found: browser tests will be skipped (install Debian's chromium)." >&2
fi
