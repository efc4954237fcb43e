// The fuzz targets' hand-written exploits (test/fuzz/targets/test/*.t.sol) pass under forge: each bug is
// real (its property returns false, or its assert panics) and the correct targets keep their properties.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = fileURLToPath(new URL('./targets', import.meta.url));
const FORGE = `${root}node_modules/@foundry-rs/forge-linux-amd64/bin/forge`;
// Its own out/cache: other tests build the same project (buildForgeProject) and may run at the same time.
const build = mkdtempSync(join(tmpdir(), 'fuzz-targets-forge-'));
after(() => rmSync(build, { recursive: true, force: true }));

test('fuzz targets: every exploit and correctness test passes under forge', { timeout: 180_000 }, () => {
  // Forge must run in the project folder: its solc path is relative to the working directory.
  const r = spawnSync(FORGE, ['test', '--offline', '--out', join(build, 'out'), '--cache-path', join(build, 'cache')], { cwd: project, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `forge test failed (exit ${r.status}):\n${out.slice(-8000)}`);
  const m = /(\d+) tests passed, (\d+) failed/.exec(out);
  assert.ok(m, `no forge summary in output:\n${out.slice(-4000)}`);
  assert.equal(Number(m[2]), 0);
  assert.ok(Number(m[1]) >= 30, `expected every target's tests, got ${m[1]}`);
  for (const t of ['Overflow', 'AccessControl', 'Reentrancy', 'MagicValue', 'MultiStep', 'Assertion', 'Correct', 'CorrectAmm', 'SplitKey', 'OffsetMagic', 'StoredSecret', 'HashedPair', 'Optimize', 'MultiAssert', 'MultiTarget']) {
    assert.match(out, new RegExp(`test/${t}\\.t\\.sol:${t}Test`), `${t}'s tests ran`);
  }
});
