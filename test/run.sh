#!/usr/bin/env bash
# `npm test`: type check, then every *.test.ts under test/ with node's test runner (files run in parallel,
# one process each). Set TEST_FILTER=regex to run a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"
npx tsc --noEmit
mapfile -t files < <(find test -name '*.test.ts' | sort | grep -E "${TEST_FILTER:-.}")
echo "== ${#files[@]} test files"
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-reporter=spec "${files[@]}"
