// `npm run bench -- stateroot`: the state root of a block after execution, native trie vs @ethereumjs/mpt
// (the same WorldState, commitment 'native' or 'reference'), and how the native trie scales with the state:
// genesis of N funded accounts plus one token contract with holder slots, bulk-load time, the root of
// 5,000-transaction blocks (ETH transfers; ERC-20 transfers, which write two holder slots each) and
// resident memory. Each configuration runs in its own process (bench/stateroot/scale-child.ts).
import { loadAddon } from '../../sequencer/native/addon.js';
import { runResultChild } from '../child.js';
import type { Panel } from '../plot.js';
import type { ExecRootRun } from './exec-root-child.js';
import type { ScaleRun } from './scale-child.js';

/** Issue #13: the root of a block must stay under this share of the block's native execution time. */
const ROOT_SHARE_OF_EXEC = 0.1;

export interface StateRootOptions {
  txs: number;
  blocks: number;
  seed: number;
  /** Account counts measured with the native trie. */
  scales: number[];
  /** Account counts also measured with @ethereumjs/mpt (slow: minutes past 100k). */
  referenceScales: number[];
  /** Account counts at which one transfers block is executed natively and rooted in one process. */
  execScales: number[];
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
  /**
   * Wall nanoseconds per one-permutation keccak (100 bytes) through keccak256BatchSync on the CPU backend's
   * threads, before and after the runs: the trie's unit of work (a leaf is about one permutation, a branch
   * four), so this says how fast this (shared) machine hashed while the bench ran.
   */
  keccakPermutationNs: { before: number; after: number };
  options: StateRootOptions;
  runs: Run[];
  headToHead: HeadToHead[];
  /** Execution vs root of the same transfers blocks (medians over `options.blocks` blocks), one process per scale: rootCpuMs / execCpuMs. */
  execVsRoot: (ExecRootRun | (Unavailable & { accounts: number }))[];
  target: {
    rule: string;
    accounts: number;
    rootCpuMs: number | null;
    execCpuMs: number | null;
    rootShareOfExecCpu: number | null;
    /** The largest root/exec share of any block at any execVsRoot scale: the root's own CPU, and process CPU. */
    worstBlockOwnShare: number | null;
    worstBlockShare: number | null;
    /** Every block at every scale under the share, by the root's own CPU. */
    met: boolean | null;
  };
}

export const holdersFor = (accounts: number, txs: number): number => Math.max(txs, Math.floor(accounts / 4));

async function runOne(commitment: 'native' | 'reference', accounts: number, o: StateRootOptions, log: (s: string) => void): Promise<Run> {
  log(`[stateroot] ${commitment}, ${accounts} accounts`);
  const args = ['--commitment', commitment, '--accounts', String(accounts), '--holders', String(holdersFor(accounts, o.txs)), '--txs', String(o.txs), '--blocks', String(o.blocks), '--seed', String(o.seed)];
  const r = await runResultChild<ScaleRun>('bench/stateroot/scale-child.ts', args, {}, `stateroot ${commitment} ${accounts}`);
  return 'available' in r ? { ...r, commitment, accounts } : { ...r, available: true };
}

/** Median over 5 rounds of 20,000 one-permutation (100-byte) hashes through the addon's batch entry point. */
function keccakPermutationNs(): number {
  const n = 20_000;
  const data = new Uint8Array(n * 100).map((_, i) => i & 255);
  const offsets = Uint32Array.from({ length: n + 1 }, (_, i) => i * 100);
  const addon = loadAddon();
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    addon.keccak256BatchSync(data, offsets);
    rounds.push(((performance.now() - t0) * 1e6) / n);
  }
  return rounds.sort((a, b) => a - b)[2];
}

async function runExecVsRoot(accounts: number, o: StateRootOptions, log: (s: string) => void): Promise<ExecRootRun | (Unavailable & { accounts: number })> {
  log(`[stateroot] execution vs root, ${accounts} accounts`);
  const args = ['--accounts', String(accounts), '--txs', String(o.txs), '--blocks', String(o.blocks), '--seed', String(o.seed)];
  const r = await runResultChild<ExecRootRun>('bench/stateroot/exec-root-child.ts', args, {}, `exec-root ${accounts}`);
  return 'available' in r ? { ...r, accounts } : r;
}

export async function runStateRootBench(o: StateRootOptions, log: (s: string) => void): Promise<StateRootResult> {
  const before = keccakPermutationNs();
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
  const execVsRoot = [];
  for (const n of o.execScales) execVsRoot.push(await runExecVsRoot(n, o, log));
  const measured = execVsRoot.filter((r): r is ExecRootRun => !('available' in r));
  const t = measured[0];
  const worst = (share: (r: ExecRootRun) => number) => (measured.length > 0 ? Math.max(...measured.map(share)) : null);
  const worstOwn = worst((r) => r.worstBlockOwnShare);
  const keccakNs = { before, after: keccakPermutationNs() };
  return {
    keccakPermutationNs: keccakNs,
    description: `state root after ${o.txs}-transaction blocks (ETH transfers; ERC-20 transfers of one token), native trie vs @ethereumjs/mpt, and native scaling with the genesis size`,
    options: o,
    runs,
    headToHead,
    execVsRoot,
    target: {
      rule: `CPU of the state root of every ${o.txs}-transfer block, at every scale up to ${o.execScales[o.execScales.length - 1]} accounts, under ${ROOT_SHARE_OF_EXEC * 100}% of the CPU of executing it natively (same block, same process; the root's own threads, process CPU beside it)`,
      accounts: t?.accounts ?? o.execScales[0],
      rootCpuMs: t?.rootCpuMs ?? null,
      execCpuMs: t?.execCpuMs ?? null,
      rootShareOfExecCpu: t?.rootShareOfExecCpu ?? null,
      worstBlockOwnShare: worstOwn,
      worstBlockShare: worst((r) => r.worstBlockShare),
      met: worstOwn === null || measured.length < o.execScales.length ? null : worstOwn < ROOT_SHARE_OF_EXEC,
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
        { name: 'budget (10% of execution CPU)', values: r.headToHead.map(() => (r.target.execCpuMs ?? NaN) * ROOT_SHARE_OF_EXEC) },
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
  console.log(`keccak (one permutation, batch on all threads): ${f(r.keccakPermutationNs.before, 0)} ns per hash before, ${f(r.keccakPermutationNs.after, 0)} ns after the runs`);
  for (const x of r.execVsRoot) {
    if ('available' in x) console.log(`execution vs root at ${x.accounts} accounts: unavailable: ${x.reason}`);
    else {
      console.log(`execution vs root at ${x.accounts} accounts, ${x.txs} transfers (median of ${x.blocks} blocks): exec ${f(x.execCpuMs)} ms cpu (${f(x.execWallMs)} wall), root ${f(x.rootCpuMs)} ms process cpu (${f(x.rootWallMs)} wall), root's own ${f(x.rootOwnCpuMs)} ms, root/exec ${f(x.rootShareOfExecCpu * 100)}% (own ${f(x.rootOwnShareOfExecCpu * 100)}%)`);
      console.log(`  per block, root/exec own (process): ${x.perBlock.map((b) => `${f((100 * b.rootOwnCpuMs) / b.execCpuMs)}% (${f((100 * b.rootCpuMs) / b.execCpuMs)}%)`).join(', ')}`);
    }
  }
  const t = r.target;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${f(v * 100)}%`);
  console.log(`target (${t.rule}): worst block ${pct(t.worstBlockOwnShare)} own (${pct(t.worstBlockShare)} process), ${t.met === null ? 'not measured' : t.met ? 'met' : 'missed'}`);
}
