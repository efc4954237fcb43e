// `npm run bench -- scale`: how our node scales with the genesis (issue #13). Per account count (10k, 100k,
// 1M by default), in its own process: opening a node on a genesis of N funded accounts (a quarter of them
// token holders), then sealing a transfers + ERC-20 mix on the native executor: throughput, the producer's
// state-root time per block, memory; then, at the restart scales, reopening the node over its data dir in
// a fresh process (state reloaded from the store, root re-computed and checked): restart time and memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runResultChild } from '../child.js';
import type { Panel } from '../plot.js';
import type { RestartPoint } from './restart-child.js';
import type { ScalePoint } from './scale-child.js';

export interface ScaleOptions {
  txs: number;
  seed: number;
  scales: number[];
  /** Account counts whose node is also restarted (default: the largest). */
  restartScales: number[];
}

type Unavailable = { available: false; reason: string; accounts: number };
type Point = (ScalePoint & { available: true }) | Unavailable;
type Restart = (RestartPoint & { available: true; accounts: number; headMatches: boolean }) | Unavailable;

/** How a figure grows from one scale to the next (value at `to` / value at `from`). */
interface Growth {
  from: number;
  to: number;
  accountsFactor: number;
  sealTxPerSec: number | null;
  rootMsPerBlock: number | null;
  openMs: number | null;
  peakRssMiB: number | null;
}

export interface ScaleResult {
  description: string;
  options: ScaleOptions;
  points: Point[];
  restarts: Restart[];
  growth: Growth[];
}

/** A 1M-account genesis takes minutes to build, root and persist on a shared 2-core machine. */
const CHILD_TIMEOUT_MS = 30 * 60_000;

export async function runScaleBench(o: ScaleOptions, log: (s: string) => void): Promise<ScaleResult> {
  const points: Point[] = [];
  const restarts: Restart[] = [];
  for (const accounts of o.scales) {
    const dir = mkdtempSync(join(tmpdir(), `bench-scale-${accounts}-`));
    try {
      log(`[scale] ${accounts} accounts: genesis, ${o.txs} txs`);
      const args = ['--accounts', String(accounts), '--txs', String(o.txs), '--seed', String(o.seed), '--data', dir];
      const p = await runResultChild<ScalePoint>('bench/scale/scale-child.ts', args, {}, `scale ${accounts}`, CHILD_TIMEOUT_MS);
      points.push('available' in p ? { ...p, accounts } : { ...p, available: true });
      if (!o.restartScales.includes(accounts) || 'available' in p) continue;
      log(`[scale] ${accounts} accounts: restart`);
      const r = await runResultChild<RestartPoint>('bench/scale/restart-child.ts', ['--data', dir], {}, `restart ${accounts}`, CHILD_TIMEOUT_MS);
      restarts.push('available' in r ? { ...r, accounts } : { ...r, available: true, accounts, headMatches: r.head.number === p.head.number && r.head.stateRoot === p.head.stateRoot });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ok = points.filter((p): p is ScalePoint & { available: true } => p.available);
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && a > 0 ? b / a : null);
  const growth = ok.slice(1).map((b, i): Growth => {
    const a = ok[i];
    return {
      from: a.accounts,
      to: b.accounts,
      accountsFactor: b.accounts / a.accounts,
      sealTxPerSec: ratio(a.sealTxPerSec, b.sealTxPerSec),
      rootMsPerBlock: ratio(a.rootMsPerBlock, b.rootMsPerBlock),
      openMs: ratio(a.openMs, b.openMs),
      peakRssMiB: ratio(a.peakRssMiB, b.peakRssMiB),
    };
  });
  return {
    description: `our node (native executor, SQLite) on genesis states of ${o.scales.join(', ')} funded accounts (a quarter token holders): ${o.txs} transactions (half ETH transfers, half ERC-20 transfers to random accounts) sealed on demand; restart over the data dir at ${o.restartScales.join(', ')}`,
    options: o,
    points,
    restarts,
    growth,
  };
}

export function scalePanels(r: ScaleResult): Panel[] {
  const ok = r.points.filter((p): p is ScalePoint & { available: true } => p.available);
  const groups = ok.map((p) => `${p.accounts.toLocaleString('en')} accounts`);
  const restartOf = (n: number) => r.restarts.find((x): x is RestartPoint & { available: true; accounts: number; headMatches: boolean } => x.available && x.accounts === n);
  return [
    {
      title: `Throughput by genesis size (${r.options.txs} txs, native executor)`,
      unit: 'tx/s',
      groups,
      series: [
        { name: 'sealing', values: ok.map((p) => p.sealTxPerSec) },
        { name: 'ingress + sealing', values: ok.map((p) => p.endToEndTxPerSec) },
      ],
    },
    {
      title: 'State root by genesis size (producer stage, mean per block)',
      unit: 'ms',
      groups,
      series: [
        { name: 'state root per block', values: ok.map((p) => p.rootMsPerBlock) },
        { name: 'execution per block', values: ok.map((p) => (p.pipeline.available && p.pipeline.scheduler.blocks > 0 ? p.pipeline.scheduler.execMs / p.pipeline.scheduler.blocks : null)) },
      ],
    },
    {
      title: 'Start and restart by genesis size',
      unit: 's',
      groups,
      series: [
        { name: 'first start (build, root, persist genesis)', values: ok.map((p) => p.openMs / 1000) },
        { name: 'restart (reload, root check)', values: ok.map((p) => (restartOf(p.accounts)?.openMs ?? NaN) / 1000) },
      ],
    },
    {
      title: 'Resident memory by genesis size',
      unit: 'MiB',
      groups,
      series: [
        { name: 'after start', values: ok.map((p) => p.rssMiBAfterOpen) },
        { name: 'peak', values: ok.map((p) => p.peakRssMiB) },
        { name: 'after restart', values: ok.map((p) => restartOf(p.accounts)?.rssMiB ?? null) },
      ],
    },
  ];
}

export function printScale(r: ScaleResult): void {
  const f = (v: number | null | undefined, d = 0) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));
  console.log(`\n== scale: ${r.description}`);
  console.log('accounts   start s  seal tx/s  e2e tx/s  blocks  root ms/block  root/exec  RSS MiB start/peak  backend');
  for (const p of r.points) {
    if (!p.available) {
      console.log(`${String(p.accounts).padStart(8)}  unavailable: ${p.reason}`);
      continue;
    }
    const blocks = p.pipeline.available ? p.pipeline.scheduler.blocks : 0;
    console.log(`${String(p.accounts).padStart(8)} ${f(p.openMs / 1000, 1).padStart(9)} ${f(p.sealTxPerSec).padStart(10)} ${f(p.endToEndTxPerSec).padStart(9)} ${String(blocks).padStart(7)} ${f(p.rootMsPerBlock, 1).padStart(14)} ${f(p.rootShareOfExec, 2).padStart(10)} ${`${f(p.rssMiBAfterOpen)}/${f(p.peakRssMiB)}`.padStart(20)}  ${p.backend}`);
  }
  for (const x of r.restarts) {
    if (!x.available) console.log(`restart at ${x.accounts}: unavailable: ${x.reason}`);
    else console.log(`restart at ${x.accounts}: ${f(x.openMs / 1000, 1)} s, RSS ${f(x.rssMiB)} MiB (peak ${f(x.peakRssMiB)}), head ${x.head.number} ${x.headMatches ? 'matches' : 'DIFFERS from'} the one before`);
  }
  for (const g of r.growth) console.log(`growth ${g.from} -> ${g.to} accounts (x${f(g.accountsFactor)}): seal tx/s x${f(g.sealTxPerSec, 2)}, root/block x${f(g.rootMsPerBlock, 2)}, start x${f(g.openMs, 2)}, peak RSS x${f(g.peakRssMiB, 2)}`);
}
