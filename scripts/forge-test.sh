#!/usr/bin/env bash
# Runs the Solidity tests (contracts/test) with the native forge binary, offline. Exits non-zero when a test
# fails (node_modules/.bin/forge would exit 0). Extra arguments go to `forge test` (e.g. --match-test X -vvv).
set -euo pipefail
cd "$(dirname "$0")/.."
FORGE=node_modules/@foundry-rs/forge-linux-amd64/bin/forge
[ -x "$FORGE" ] || { echo "forge-test.sh: $FORGE not found (npm install)" >&2; exit 2; }
exec "$FORGE" test --offline "$@"
