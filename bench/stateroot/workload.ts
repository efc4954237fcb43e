// `npm run bench -- stateroot`: the state root of a block after execution, native trie vs @ethereumjs/mpt
// (the same WorldState, commitment 'native' or 'reference'), and how the native trie scales with the state:
// genesis of N funded accounts plus one token contract with holder slots, bulk-load time, the root of
// 5,000-transaction blocks (ETH transfers; ERC-20 transfers, which write two holder slots each) and
// resident memory. Each configuration runs in its own process (bench/stateroot/scale-child.ts).
import { runResultChild } from '../child.js';
import type { Panel } from '../plot.js';
import type { ScaleRun } from './scale-child.js';

/** Native execution speed the issue measured (#13): the root must stay under 10% of execution time. */
const NATIVE_EXEC_TX_PER_SEC = 15_000;

export interface StateRootOptions {
  txs: number;
  blocks: number;
  seed: number;
  /** Account counts measured with the native trie. */
  scales: number[];
  /** Account counts also measured with @ethereumjs/mpt (slow: minutes past 100k). */
  referenceScales: number[];
}

type Unavailable = { available: false; reason: string };
type Run = (ScaleRun & { available: true }) | (Unavailable & { commitment: string; accounts: number });

export interface HeadToHead {
  accounts: number;
  kind: 'transfers' | 'erc20';
  nativeWallMs: number;
  referenceWallMs: number;
  nativeCpuMs: number;
  referenceCpuMs: number;
  /** reference / native, wall and CPU. */
  speedupWall: number;
  speedupCpu: number;
}

export interface StateRootResult {
  description: string;
  options: StateRootOptions;
  runs: Run[];
  headToHead: HeadToHead[];
  target: {
    rule: string;
    budgetMs: number;
    accounts: number;
    nativeTransfersWallMs: number | null;
    nativeTransfersCpuMs: number | null;
    metWall: boolean | null;
    metCpu: boolean | null;
  };
}

export const holdersFor = (accounts: number, txs: number): number => Math.max(txs, Math.floor(accounts / 4));

async function runOne(commitment: 'native' | 'reference', accounts: number, o: StateRootOptions, log: (s: string) => void): Promise<Run> {
  log(`[stateroot] ${commitment}, ${accounts} accounts`);
  const args = ['--commitment', commitment, '--accounts', String(accounts), '--holders', String(holdersFor(accounts, o.txs)), '--txs', String(o.txs), '--blocks', String(o.blocks), '--seed', String(o.seed)];
  const r = await runResultChild<ScaleRun>('bench/stateroot/scale-child.ts', args, {}, `stateroot ${commitment} ${accounts}`);
  return 'available' in r ? { ...r, commitment, accounts } : { ...r, available: true };
}

export async function runStateRootBench(o: StateRootOptions, log: (s: string) => void): Promise<StateRootResult> {
  const runs: Run[] = [];
  for (const n of o.scales) runs.push(await runOne('native', n, o, log));
  for (const n of o.referenceScales) runs.push(await runOne('reference', n, o, log));
  const find = (c: string, n: number) => runs.find((r): r is ScaleRun & { available: true } => r.available && r.commitment === c && r.accounts === n);
  const headToHead: HeadToHead[] = [];
  for (const n of o.referenceScales) {
    const nat = find('native', n);
    const ref = find('reference', n);
    if (!nat || !ref) continue;
    for (const kind of ['transfers', 'erc20'] as const) {
      const a = nat.blocks[kind];
      const b = ref.blocks[kind];
      headToHead.push({ accounts: n, kind, nativeWallMs: a.medianWallMs, referenceWallMs: b.medianWallMs, nativeCpuMs: a.medianCpuMs, referenceCpuMs: b.medianCpuMs, speedupWall: b.medianWallMs / a.medianWallMs, speedupCpu: b.medianCpuMs / a.medianCpuMs });
    }
  }
  const budgetMs = (o.txs / NATIVE_EXEC_TX_PER_SEC) * 1000 * 0.1;
  const targetScale = o.scales[0];
  const t = find('native', targetScale)?.blocks.transfers;
  return {
    description: `state root after ${o.txs}-transaction blocks (ETH transfers; ERC-20 transfers of one token), native trie vs @ethereumjs/mpt, and native scaling with the genesis size`,
    options: o,
    runs,
    headToHead,
    target: {
      rule: `root of a ${o.txs}-transfer block under 10% of its native execution time at ${NATIVE_EXEC_TX_PER_SEC} tx/s`,
      budgetMs,
      accounts: targetScale,
      nativeTransfersWallMs: t?.medianWallMs ?? null,
      nativeTransfersCpuMs: t?.medianCpuMs ?? null,
      metWall: t ? t.medianWallMs < budgetMs : null,
      metCpu: t ? t.medianCpuMs < budgetMs : null,
    },
  };
}

export function stateRootPanels(r: StateRootResult): Panel[] {
  const native = r.runs.filter((x): x is ScaleRun & { available: true } => x.available && x.commitment === 'native');
  const groups = native.map((x) => `${x.accounts.toLocaleString('en')} accounts`);
  return [
    {
      title: `Root of a ${r.options.txs}-tx block: native vs @ethereumjs/mpt (median)`,
      unit: 'ms, lower is better',
      groups: r.headToHead.map((h) => `${h.kind}, ${h.accounts.toLocaleString('en')} accounts`),
      series: [
        { name: 'native wall', values: r.headToHead.map((h) => h.nativeWallMs) },
        { name: 'native cpu', values: r.headToHead.map((h) => h.nativeCpuMs) },
        { name: '@ethereumjs/mpt wall', values: r.headToHead.map((h) => h.referenceWallMs) },
        { name: 'budget (10% of execution)', values: r.headToHead.map(() => r.target.budgetMs) },
      ],
    },
    {
      title: 'Native trie by genesis size: block roots (median wall)',
      unit: 'ms',
      groups,
      series: [
        { name: 'transfers block', values: native.map((x) => x.blocks.transfers.medianWallMs) },
        { name: 'erc20 block', values: native.map((x) => x.blocks.erc20.medianWallMs) },
      ],
    },
    {
      title: 'Native trie by genesis size: bulk load',
      unit: 'ms',
      groups,
      series: [
        { name: 'WorldState.fromAlloc', values: native.map((x) => x.fromAllocMs) },
        { name: 'first stateRoot (trie build)', values: native.map((x) => x.bulkRoot.wallMs) },
      ],
    },
    {
      title: 'Native trie by genesis size: resident memory',
      unit: 'MiB',
      groups,
      series: [
        { name: 'after bulk load', values: native.map((x) => x.rssMiBAfterLoad) },
        { name: 'after the blocks', values: native.map((x) => x.rssMiBEnd) },
      ],
    },
  ];
}

export function printStateRoot(r: StateRootResult): void {
  const f = (v: number | null | undefined, d = 1) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));
  console.log(`\n== stateroot: ${r.description}`);
  console.log('commitment  accounts   holders  fromAlloc ms  bulk root ms (cpu)  transfers ms (cpu)  erc20 ms (cpu)  RSS MiB load/end');
  for (const x of r.runs) {
    if (!x.available) {
      console.log(`${x.commitment.padEnd(11)} ${String(x.accounts).padStart(8)}  unavailable: ${x.reason}`);
      continue;
    }
    const b = x.blocks;
    console.log(`${x.commitment.padEnd(11)} ${String(x.accounts).padStart(8)} ${String(x.tokenHolders).padStart(9)} ${f(x.fromAllocMs, 0).padStart(12)} ${`${f(x.bulkRoot.wallMs, 0)} (${f(x.bulkRoot.cpuMs, 0)})`.padStart(19)} ${`${f(b.transfers.medianWallMs)} (${f(b.transfers.medianCpuMs)})`.padStart(19)} ${`${f(b.erc20.medianWallMs)} (${f(b.erc20.medianCpuMs)})`.padStart(15)}  ${x.rssMiBAfterLoad}/${x.rssMiBEnd}`);
  }
  for (const h of r.headToHead) console.log(`ratio @ethereumjs/mpt/native, ${h.kind} at ${h.accounts} accounts: ${f(h.speedupWall)}x wall, ${f(h.speedupCpu)}x cpu`);
  const t = r.target;
  console.log(`target (${t.rule}): budget ${f(t.budgetMs)} ms; native at ${t.accounts} accounts ${f(t.nativeTransfersWallMs)} ms wall (${t.metWall === null ? 'n/a' : t.metWall ? 'met' : 'missed'}), ${f(t.nativeTransfersCpuMs)} ms cpu (${t.metCpu === null ? 'n/a' : t.metCpu ? 'met' : 'missed'})`);
}
