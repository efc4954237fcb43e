// Smoke test of `npm run bench`: a tiny run of one workload (execution only + our sequencer and anvil end to
// end) in a child process; checks the JSON shape, that every column is either measured or unavailable with
// a reason (never both), that ratios are computed from the measured columns, and that the JSON and SVG files
// were written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeWorkload } from '../../bench/workloads.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
after(() => rmSync(out, { recursive: true, force: true }));

interface Column {
  name: string;
  available: boolean;
  reason?: string;
  txs?: number;
  ms?: number;
  txPerSec?: number;
  mgasPerSec?: number;
}
interface Ratio {
  name: string;
  value: number | null;
  of: string;
}

function checkColumn(c: Column): void {
  assert.equal(typeof c.name, 'string');
  if (c.available) {
    assert.ok(c.txs! > 0 && c.ms! > 0, `${c.name}: measured txs and ms`);
    assert.ok(Math.abs(c.txPerSec! - (c.txs! / c.ms!) * 1000) < 1e-6 * c.txPerSec!, `${c.name}: tx/s = txs / time`);
    assert.ok(c.mgasPerSec! > 0, `${c.name}: Mgas/s`);
    assert.equal(c.reason, undefined);
  } else {
    assert.ok(typeof c.reason === 'string' && c.reason.length > 0, `${c.name}: unavailable needs a reason`);
    assert.equal(c.txPerSec, undefined, `${c.name}: no number when unavailable`);
  }
}

describe('bench smoke', () => {
  it('workload generators are pure and seeded', () => {
    const a = makeWorkload('erc20', 6, 3);
    const b = makeWorkload('erc20', 6, 3);
    assert.deepEqual(a.hashes, b.hashes);
    assert.notDeepEqual(makeWorkload('erc20', 6, 4).hashes, a.hashes);
  });

  it('npm run bench -- hot --json --txs 12: JSON shape, measured ratios, files written', { timeout: 240_000 }, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', 'hot', '--json', '--txs', '12', '--e2e', 'ours,anvil', '--block-time', '100', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 230_000,
    });
    assert.equal(r.status, 0, `bench failed: ${r.stderr.slice(-2000)}`);
    const res = JSON.parse(r.stdout) as {
      bench: string;
      machine: { cpuModel: string; cores: number; memoryGiB: number; node: string; addon: unknown };
      workloads: {
        workload: string;
        txs: number;
        execution: { columns: Column[]; ratios: Ratio[] };
        executorBatch: { columns: Column[]; ratios: Ratio[] };
        endToEnd: { servers: ({ server: string; available: boolean; reason?: string; txPerSec?: number; included?: number; accepted?: number; rejected?: number; latencyMs?: { p50: number; p99: number }; peakRssMiB?: number | null })[]; ratios: Ratio[] };
        scheduler: { rounds?: number; conflictRate?: number; roundsPerBlock?: number; reExecutedShare?: number };
        stageBreakdown: { available: boolean; stages?: { stage: string; ms: number; share: number }[]; bottleneck?: { stage: string; share: number } };
      }[];
    };
    assert.equal(res.bench, 'hot');
    assert.ok(res.machine.cores > 0 && res.machine.cpuModel && res.machine.node.startsWith('v') && res.machine.addon);
    assert.equal(res.workloads.length, 1);
    const w = res.workloads[0];
    assert.equal(w.txs, 12);
    const cols = new Map(w.execution.columns.map((c) => [c.name, c]));
    assert.deepEqual([...cols.keys()].sort(), ['ethereumjs-sequential', 'native-1-thread', 'native-all-threads', 'scheduler+reference']);
    for (const c of cols.values()) checkColumn(c);
    // The baselines that need nothing unfinished are measured.
    assert.ok(cols.get('ethereumjs-sequential')!.available);
    assert.ok(cols.get('scheduler+reference')!.available);
    // Every ratio is a quotient of two measured columns' tx/s, or null when one is unavailable.
    const pairs: Record<string, [string, string]> = {
      'native all threads / ethereumjs sequential': ['native-all-threads', 'ethereumjs-sequential'],
      'native all threads / native 1 thread': ['native-all-threads', 'native-1-thread'],
      'native 1 thread / ethereumjs sequential': ['native-1-thread', 'ethereumjs-sequential'],
      'scheduler+reference / ethereumjs sequential': ['scheduler+reference', 'ethereumjs-sequential'],
    };
    for (const ratio of w.execution.ratios) {
      const [a, b] = pairs[ratio.name];
      const ca = cols.get(a)!;
      const cb = cols.get(b)!;
      if (ca.available && cb.available) assert.ok(Math.abs(ratio.value! - ca.txPerSec! / cb.txPerSec!) < 1e-9, ratio.name);
      else assert.equal(ratio.value, null, `${ratio.name} must be null when a side is unavailable`);
    }
    // The executor-batch measurement: same rules (reference always measured, native measured or with a reason).
    const bcols = new Map(w.executorBatch.columns.map((c) => [c.name, c]));
    for (const c of bcols.values()) checkColumn(c);
    assert.ok(bcols.get('reference-batch')!.available);
    const bpairs: Record<string, [string, string]> = {
      'native batch all threads / reference batch': ['native-batch-all-threads', 'reference-batch'],
      'native batch all threads / native batch 1 thread': ['native-batch-all-threads', 'native-batch-1-thread'],
      'native batch 1 thread / reference batch': ['native-batch-1-thread', 'reference-batch'],
    };
    for (const ratio of w.executorBatch.ratios) {
      const [a, b] = bpairs[ratio.name].map((n) => bcols.get(n)!);
      if (a.available && b.available) assert.ok(Math.abs(ratio.value! - a.txPerSec! / b.txPerSec!) < 1e-9, ratio.name);
      else assert.equal(ratio.value, null, ratio.name);
    }
    // End to end: ours and anvil measured (or unavailable with a reason); the ratio from their tx/s.
    const servers = new Map(w.endToEnd.servers.map((s) => [s.server, s]));
    for (const s of servers.values()) {
      if (s.available) {
        assert.equal(s.included, 12, `${s.server} included every tx`);
        assert.equal(s.accepted, 12, `${s.server}: each tx sent once and accepted`);
        assert.equal(s.rejected, 0, `${s.server}: no rejections`);
        assert.ok(s.txPerSec! > 0 && s.latencyMs!.p50 > 0 && s.latencyMs!.p99 >= s.latencyMs!.p50);
      } else assert.ok(s.reason);
    }
    const ours = servers.get('ours')!;
    assert.ok(ours.available, `our sequencer end to end: ${ours.reason}`);
    const oa = w.endToEnd.ratios.find((x) => x.name === 'ours / anvil')!;
    const anvil = servers.get('anvil')!;
    if (anvil.available) assert.ok(Math.abs(oa.value! - ours.txPerSec! / anvil.txPerSec!) < 1e-9);
    else assert.equal(oa.value, null);
    assert.equal(w.endToEnd.ratios.find((x) => x.name === 'ours / ethereumjs sequencer')!.value, null, 'ejs server was not run');
    // Scheduler statistics and the stage breakdown.
    assert.ok(w.scheduler.rounds! >= 1 && w.scheduler.conflictRate! >= 0 && w.scheduler.conflictRate! <= 1);
    assert.ok(w.stageBreakdown.available && w.stageBreakdown.stages!.length >= 6);
    const shares = w.stageBreakdown.stages!.reduce((a, s) => a + s.share, 0);
    assert.ok(Math.abs(shares - 1) < 1e-6);
    assert.ok(w.stageBreakdown.stages!.some((s) => s.stage === w.stageBreakdown.bottleneck!.stage));
    // Files.
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    const svg = files.find((f) => f.endsWith('.svg'));
    assert.ok(json && svg && existsSync(join(out, json)));
    assert.deepEqual(JSON.parse(readFileSync(join(out, json), 'utf8')).workloads[0].execution, w.execution);
    assert.match(readFileSync(join(out, svg), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
  });
});
