// One state-root measurement in a fresh process (so resident memory is this state's alone): bulk-load a
// genesis of N accounts, then time stateRoot() after each of a few 5,000-transaction blocks.
// Prints `RESULT <json>` (bench/child.ts).
import { WorldState } from '../../sequencer/state/world-state.js';
import type { CommitmentKind } from '../../sequencer/state/create-commitment.js';
import { applyBlock, genesisAlloc, median, timeRoot, type BlockKind, type Timing } from './blocks.js';

export interface BlockTimes {
  runs: Timing[];
  medianWallMs: number;
  medianCpuMs: number;
}

export interface ScaleRun {
  commitment: CommitmentKind;
  accounts: number;
  tokenHolders: number;
  txsPerBlock: number;
  /** WorldState.fromAlloc (JS maps) and the first stateRoot() (every account and slot into the trie). */
  fromAllocMs: number;
  bulkRoot: Timing;
  rssMiBAfterLoad: number;
  blocks: Record<BlockKind, BlockTimes>;
  rssMiBEnd: number;
}

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

const accounts = Number(arg('accounts', '10000'));
const holders = Number(arg('holders', '5000'));
const txs = Number(arg('txs', '5000'));
const blocks = Number(arg('blocks', '3'));
const commitment = arg('commitment', 'native') as CommitmentKind;
const seed = Number(arg('seed', '1'));
const rssMiB = () => +(process.memoryUsage().rss / 2 ** 20).toFixed(1);

const t0 = performance.now();
const state = WorldState.fromAlloc(genesisAlloc(accounts, holders), { commitment });
const fromAllocMs = performance.now() - t0;
const bulkRoot = await timeRoot(state);
const rssMiBAfterLoad = rssMiB();
const times: Record<BlockKind, Timing[]> = { transfers: [], erc20: [] };
let sender = 0;
for (let b = 0; b < blocks; b++) {
  for (const kind of ['transfers', 'erc20'] as const) {
    applyBlock(state, kind, txs, sender, accounts, holders, seed * 1000 + b);
    sender += txs;
    times[kind].push(await timeRoot(state));
  }
}
function summary(runs: Timing[]): BlockTimes {
  return { runs, medianWallMs: median(runs.map((r) => r.wallMs)), medianCpuMs: median(runs.map((r) => r.cpuMs)) };
}

const result: ScaleRun = {
  commitment: state.commitmentKind,
  accounts,
  tokenHolders: holders,
  txsPerBlock: txs,
  fromAllocMs,
  bulkRoot,
  rssMiBAfterLoad,
  blocks: { transfers: summary(times.transfers), erc20: summary(times.erc20) },
  rssMiBEnd: rssMiB(),
};
console.log(`RESULT ${JSON.stringify(result)}`);
