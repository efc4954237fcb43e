// Runs the Solidity tests (contracts/test) through scripts/forge-test.sh inside `npm test`.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('forge test: every Solidity test passes', { timeout: 300_000 }, () => {
  const r = spawnSync('bash', ['scripts/forge-test.sh'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `forge test failed (exit ${r.status}):\n${out.slice(-8000)}`);
  const m = /(\d+) tests passed, (\d+) failed/.exec(out);
  assert.ok(m, `no forge summary in output:\n${out.slice(-4000)}`);
  assert.equal(Number(m[2]), 0);
  assert.ok(Number(m[1]) >= 35, `expected the full suite, got ${m[1]} tests`);
});
