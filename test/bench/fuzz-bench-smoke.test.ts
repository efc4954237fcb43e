// Smoke test of `npm run bench -- fuzz`: a 4 x 25 campaign on Correct, ours (native runner, all threads and
// one thread) against forge's invariant fuzzing, in a child process; checks the JSON shape, that each
// column is measured or unavailable with a reason (never both), that both sides did runs x depth calls
// with no false alarm, that the ratios come from the measured calls/s, and that the files were written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseFuzzSizes } from '../../bench/fuzz/workload.js';
import type { FuzzBenchResult, FuzzColumn } from '../../bench/fuzz/workload.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'fuzz-bench-smoke-'));
after(() => rmSync(out, { recursive: true, force: true }));

function checkColumn(c: FuzzColumn, calls: number): void {
  if (c.available) {
    assert.equal(c.reason, undefined, `${c.name}: no reason when measured`);
    assert.equal(c.calls, calls, `${c.name}: runs x depth calls`);
    assert.ok(c.seconds! > 0 && c.reverts! >= 0 && c.reverts! <= c.calls!, `${c.name}: time and reverts`);
    assert.ok(Math.abs(c.callsPerSecond! - c.calls! / c.seconds!) < 1e-9 * c.callsPerSecond!, `${c.name}: calls/s = calls / seconds`);
  } else {
    assert.ok(typeof c.reason === 'string' && c.reason.length > 0, `${c.name}: unavailable needs a reason`);
    assert.equal(c.callsPerSecond, undefined, `${c.name}: no number when unavailable`);
  }
}

describe('fuzz bench smoke', () => {
  it('parses sizes', () => {
    assert.deepEqual(parseFuzzSizes('256x100, 64x500'), [{ runs: 256, depth: 100 }, { runs: 64, depth: 500 }]);
    assert.throws(() => parseFuzzSizes('256*100'), /RUNSxDEPTH/);
  });

  it('npm run bench -- fuzz --json --fuzz-sizes 4x25 --fuzz-targets Correct', { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', 'fuzz', '--json', '--fuzz-sizes', '4x25', '--fuzz-targets', 'Correct', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 110_000,
    });
    assert.equal(r.status, 0, `bench failed: ${r.stderr.slice(-2000)}`);
    const res = JSON.parse(r.stdout) as { bench: string; workloads: unknown[]; fuzz: FuzzBenchResult };
    assert.equal(res.bench, 'fuzz');
    assert.deepEqual(res.workloads, []);
    assert.match(res.fuzz.forgeVersion, /^\d+\.\d+\.\d+/);
    assert.equal(res.fuzz.sections.length, 1);
    const s = res.fuzz.sections[0]!;
    assert.deepEqual([s.target, s.runs, s.depth], ['Correct', 4, 25]);
    const cols = new Map(s.columns.map((c) => [c.name, c]));
    assert.deepEqual([...cols.keys()], ['ours-native', 'ours-native-1-thread', 'forge']);
    for (const c of cols.values()) checkColumn(c, 100);
    const forge = cols.get('forge')!;
    assert.ok(forge.available, `forge: ${forge.reason}`);
    assert.ok(Number(forge.extra!.wallSeconds) >= forge.seconds!, 'forge wall time covers its test time');
    const ours = cols.get('ours-native')!;
    assert.ok(ours.available, `our campaign on the native runner: ${ours.reason}`);
    assert.deepEqual(ours.extra!.falseAlarms, [], 'no check breaks on the correct target');
    const pairs: Record<string, [string, string]> = {
      'ours native / forge': ['ours-native', 'forge'],
      'ours native 1 thread / forge': ['ours-native-1-thread', 'forge'],
      'ours native / ours 1 thread': ['ours-native', 'ours-native-1-thread'],
    };
    const perCpu = 'ours native / forge, calls per CPU second';
    assert.deepEqual(s.ratios.map((x) => x.name), [...Object.keys(pairs), perCpu]);
    assert.ok(Number(forge.extra!.cpuSeconds) > 0 && Number(ours.extra!.cpuSeconds) > 0, 'both sides report CPU time');
    const cpu = s.ratios.find((x) => x.name === perCpu)!;
    assert.ok(Math.abs(cpu.value! - Number(forge.extra!.cpuMicrosPerCall) / Number(ours.extra!.cpuMicrosPerCall)) < 1e-9, perCpu);
    for (const ratio of s.ratios.filter((x) => x.name !== perCpu)) {
      const [a, b] = pairs[ratio.name]!.map((n) => cols.get(n)!);
      if (a!.available && b!.available) assert.ok(Math.abs(ratio.value! - a!.callsPerSecond! / b!.callsPerSecond!) < 1e-9, ratio.name);
      else assert.equal(ratio.value, null, `${ratio.name} must be null when a side is unavailable`);
    }
    assert.equal(s.goalMet, s.ratios[0]!.value! >= 10);
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    const svg = files.find((f) => f.endsWith('.svg'));
    assert.ok(json && svg);
    assert.deepEqual(JSON.parse(readFileSync(join(out, json), 'utf8')).fuzz.sections, res.fuzz.sections);
    assert.match(readFileSync(join(out, svg), 'utf8'), /^<svg[\s\S]*calls\/s[\s\S]*<\/svg>\s*$/);
  });
});
