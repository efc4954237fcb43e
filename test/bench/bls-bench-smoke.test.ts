// Smoke test of `npm run bench -- bls-precompiles`: a short run of three cases in a child process; checks the
// JSON shape, that speedup is noble / native of the same run, and that the results file was written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BlsCaseResult } from '../../bench/bls-precompiles.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'bls-bench-smoke-'));
after(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench -- bls-precompiles', () => {
  it('measures native and noble per call on checked inputs and writes JSON', () => {
    const cases = ['g1add', 'g2msm-16', 'map-fp-to-g1'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', 'bls-precompiles', '--json', '--min-ms', '5', '--cases', cases.join(','), '--out', out], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const res = JSON.parse(r.stdout) as { bench: string; cases: BlsCaseResult[] };
    assert.equal(res.bench, 'bls-precompiles');
    assert.deepEqual(res.cases.map((c) => c.name), cases);
    for (const c of res.cases) {
      assert.ok(c.native.cpuUs > 0 && c.noble.cpuUs > 0 && c.native.calls >= 2 && c.noble.calls >= 2, c.name);
      assert.equal(c.speedup, +(c.noble.cpuUs / c.native.cpuUs).toFixed(2), c.name);
    }
    assert.deepEqual(res.cases.map((c) => c.gas), ['375', String(Math.floor((16 * 22500 * 717) / 1000)), '5500']);
    const files = readdirSync(out).filter((f) => f.startsWith('bls-precompiles-') && f.endsWith('.json'));
    assert.equal(files.length, 1);
    assert.deepEqual(JSON.parse(readFileSync(join(out, files[0]), 'utf8')).cases.map((c: BlsCaseResult) => c.name), cases);
  });

  it('refuses an unknown case', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', 'bls-precompiles', '--cases', 'nope', '--out', out], { cwd: root, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown case nope/);
  });
});
