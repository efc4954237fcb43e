// One point of the scale table in a fresh process (so memory is this state's alone): a genesis of N funded
// accounts (a quarter of them token holders), our node opened on it (the genesis state built, rooted and
// persisted), the transfers + ERC-20 mix sealed through it on the native executor, and the node closed with
// its data dir kept for the restart measurement (bench/scale/restart-child.ts). Prints `RESULT <json>`.
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import type { DeviceStateStats } from '../../sequencer/native/addon.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Hex } from '../../sequencer/primitives/types.js';
import { peakRssMiB } from '../e2e.js';
import { drainThroughNode, type PipelineResult, type Unavailable } from '../pipeline.js';
import { scaleWorkload } from '../workloads.js';

export interface ScalePoint {
  accounts: number;
  holders: number;
  txs: number;
  /** Deriving the genesis and signing the transactions (bench set-up, not the node). */
  workloadMs: number;
  /** SequencerNode.open on an empty data dir: genesis state built, first root, persisted. */
  openMs: number;
  rssMiBAfterOpen: number;
  pipeline: PipelineResult | Unavailable;
  /** Sealed transactions per second of sealing (ingress apart), and per second of ingress + sealing. */
  sealTxPerSec: number | null;
  endToEndTxPerSec: number | null;
  /** The producer's state-root stage, mean per block. */
  rootMsPerBlock: number | null;
  /** State root / execution, summed over the blocks. */
  rootShareOfExec: number | null;
  rssMiBEnd: number;
  peakRssMiB: number | null;
  head: { number: string; stateRoot: Hex };
  /** Where the executor ran, and how its device copy of the state kept in step (CUDA, or EVM_SIMULATE_DEVICE=1). */
  backend: string;
  deviceState: DeviceStateStats | null;
  /** The native executor's full mirror loads (O(state)) and snapshots it served by following the change feeds. */
  mirror: { loads: number; followed: number } | null;
}

const arg = (name: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
};
const accounts = Number(arg('accounts'));
const txs = Number(arg('txs'));
const rss = () => +(process.memoryUsage().rss / 2 ** 20).toFixed(1);

const t0 = performance.now();
const w = scaleWorkload(txs, accounts, Number(arg('seed')));
const workloadMs = performance.now() - t0;
const executor = await createExecutor('native');
const t1 = performance.now();
const node = await SequencerNode.open({
  dataDir: arg('data'),
  genesis: w.genesis,
  sealMode: 'on-demand',
  executor,
  mempool: { maxSize: Math.max(16384, txs * 2), maxPerSender: 100_000 },
});
const openMs = performance.now() - t1;
const rssMiBAfterOpen = rss();
let pipeline: PipelineResult | Unavailable;
let head;
try {
  pipeline = await drainThroughNode(node, w.raws);
  head = node.head().header;
} finally {
  await node.close();
}
const s = pipeline.available ? pipeline.scheduler : undefined;
const native = executor instanceof NativeExecutor ? executor : undefined;
const backend = native?.info().backend ?? executor.name;
const deviceState = native?.deviceState() ?? null;
await executor.close?.();
const point: ScalePoint = {
  accounts,
  holders: Math.max(1, Math.floor(accounts / 4)),
  txs,
  workloadMs,
  openMs,
  rssMiBAfterOpen,
  pipeline,
  sealTxPerSec: pipeline.available ? pipeline.included / (pipeline.sealMs / 1000) : null,
  endToEndTxPerSec: pipeline.available ? pipeline.included / ((pipeline.ingressMs + pipeline.sealMs) / 1000) : null,
  rootMsPerBlock: s && s.blocks > 0 ? s.rootMs / s.blocks : null,
  rootShareOfExec: s && s.execMs > 0 ? s.rootMs / s.execMs : null,
  rssMiBEnd: rss(),
  peakRssMiB: peakRssMiB(process.pid),
  head: { number: head.number.toString(), stateRoot: head.stateRoot },
  backend,
  deviceState,
  mirror: native ? { ...native.stats } : null,
};
console.log(`RESULT ${JSON.stringify(point)}`);
