#!/usr/bin/env bash
# Debian packages the project needs beyond the base image (chromium for the console's browser test,
# postgresql for the PostgreSQL store's tests, which start a throwaway server).
# Idempotent: installs only what is missing.
set -euo pipefail
need=()
for pkg in chromium postgresql; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
