#!/usr/bin/env bash
# Debian packages the project needs beyond the base image (chromium for the console's browser test,
# postgresql for the PostgreSQL store's tests, which start a throwaway server).
# Idempotent: installs only what is missing.
#   bash scripts/install-system-deps.sh                 install or fail (CI: .ci/run)
#   bash scripts/install-system-deps.sh --best-effort   install when this user can (root, or passwordless
#                                                       sudo, with apt-get); otherwise say what to run and
#                                                       succeed anyway (npm's postinstall: `npm install` on a
#                                                       fresh machine sets everything up, elsewhere it never fails)
set -euo pipefail
best_effort=false
[ "${1:-}" = "--best-effort" ] && best_effort=true
need=()
for pkg in chromium postgresql; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
[ ${#need[@]} -eq 0 ] && exit 0

skip() {
  echo "install-system-deps: $1; the browser and PostgreSQL tests need: ${need[*]} (run: sudo bash scripts/install-system-deps.sh)" >&2
  exit 0
}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if $best_effort && ! sudo -n true 2>/dev/null; then skip "not root and no passwordless sudo, not installing"; fi
  SUDO="sudo"
fi
if $best_effort && ! command -v apt-get >/dev/null 2>&1; then skip "no apt-get on this machine"; fi
install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
}
if $best_effort; then
  install || skip "apt-get failed"
else
  install
fi
