// Execution vs state root of consecutive blocks, in one process (so load on a shared machine scales both
// alike): a genesis of N funded accounts, then `blocks` blocks of `txs` signed ETH transfers from distinct
// senders to distinct non-sender recipients (one conflict-free round each; block b sends nonce b), each
// executed on the native executor and committed to the WorldState as the node commits a block (a
// BlockOverlay's merged changes with its per-transaction lists: WorldState.applyBlock), then its
// stateRoot(). Both timed as process CPU (every thread), each with a young-generation collection at its end,
// so each stage pays for its own short-lived garbage, not the other's. Process CPU also bills a stage for
// whatever V8's background threads (concurrent marking, compilers) do meanwhile, mostly for the
// execution's garbage: the root's own CPU is reported too, the main thread's (Linux schedstat) plus the
// trie's native threads'. The figures are medians over the blocks, and each block's are listed: the first
// block also pays the JIT's warm-up of both stages, which a running sequencer pays once. Prints `RESULT <json>`.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import type { ExecTx } from '../../sequencer/executor/types.js';
import { DEFAULT_CHAIN_ID, type GenesisAllocEntry } from '../../sequencer/genesis/genesis.js';
import { decodeAndRecoverBatch } from '../../sequencer/ingress/decode.js';
import { InlineSenderRecoverer } from '../../sequencer/ingress/recover.js';
import type { Address } from '../../sequencer/primitives/types.js';
import { BlockOverlay } from '../../sequencer/scheduler/overlay.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { mainThreadCpuMs } from '../thread-cpu.js';
import { batchEnv } from '../pipeline.js';
import { benchGenesis, senderKeys, sign, type Workload } from '../workloads.js';
import { accountAt, median } from './blocks.js';

export interface BlockCpu {
  execCpuMs: number;
  rootCpuMs: number;
  /** The root's own threads: the main thread during stateRoot() plus the native trie's threads. */
  rootOwnCpuMs: number;
}

export interface ExecRootRun {
  accounts: number;
  txs: number;
  blocks: number;
  /** Transactions executed (all of them, every block). */
  executed: number;
  /** executeBatch of a block on the native executor (the snapshot mirrored by a probe batch first), median over the blocks. */
  execCpuMs: number;
  execWallMs: number;
  /** stateRoot() after committing a block: change-set encoding, hand-off, trie update and hashing, median over the blocks. */
  rootCpuMs: number;
  rootWallMs: number;
  rootShareOfExecCpu: number;
  /** Median of the root's own CPU (BlockCpu.rootOwnCpuMs) and its share of execution. */
  rootOwnCpuMs: number;
  rootOwnShareOfExecCpu: number;
  /** The largest share of any block: process CPU, and the root's own. */
  worstBlockShare: number;
  worstBlockOwnShare: number;
  perBlock: BlockCpu[];
}

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const accounts = Number(arg('accounts', '10000'));
const txs = Number(arg('txs', '5000'));
const seed = Number(arg('seed', '1'));
const blocks = Number(arg('blocks', '3'));
if (accounts < 2 * txs) throw new Error(`--accounts ${accounts} must be at least twice --txs ${txs} (distinct senders and recipients)`);

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (o: { type: 'minor' }) => void;
const collectGarbage = () => gc({ type: 'minor' });

interface Timing {
  cpuMs: number;
  wallMs: number;
}

async function timed<T>(f: () => Promise<T>): Promise<Timing & { value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  collectGarbage();
  return { value, cpuMs: cpuMs(process.cpuUsage(c0)), wallMs: performance.now() - t0 };
}

const keys = senderKeys(txs, seed);
const alloc = new Map<Address, GenesisAllocEntry>();
for (const k of keys) alloc.set(k.address, { balance: 10n ** 22n });
for (let i = alloc.size; i < accounts; i++) alloc.set(accountAt(i), { balance: 10n ** 18n });
const w = { genesis: benchGenesis(alloc) } as Pick<Workload, 'genesis'> as Workload;
// Recipients are the accounts after the senders, each once: no transaction reads another's writes.
async function signedBlock(nonce: bigint): Promise<ExecTx[]> {
  const raws = keys.map((k, i) => sign(k, nonce, accountAt(txs + i), 1000n + BigInt(i), new Uint8Array(0), 21_000n));
  const decoded = await decodeAndRecoverBatch(raws, { chainId: DEFAULT_CHAIN_ID }, new InlineSenderRecoverer());
  return decoded.map((d) => {
    if (d instanceof Error) throw d;
    return d.exec;
  });
}
const blockTxs: ExecTx[][] = [];
for (let b = 0; b < blocks; b++) blockTxs.push(await signedBlock(BigInt(b)));

const world = WorldState.fromAlloc(w.genesis.alloc);
await world.stateRoot();
const executor = await createExecutor('native');
await executor.executeBatch(world, blockTxs[0].slice(0, 1), batchEnv(w));
let executed = 0;
const runs: { exec: Timing; root: Timing; rootOwnCpuMs: number }[] = [];
for (const block of blockTxs) {
  const exec = await timed(() => executor.executeBatch(world, block, batchEnv(w)));
  const overlay = new BlockOverlay(world);
  let credit = 0n;
  for (const o of exec.value) {
    if (o.kind !== 'executed') throw new Error(`bench block: a transaction was rejected: ${o.error}`);
    overlay.applyChanges(o.changes);
    credit += o.coinbaseCredit;
    executed++;
  }
  overlay.credit(w.genesis.coinbase, credit);
  world.applyBlock(overlay.toChanges(), overlay.changesSince(0)!);
  collectGarbage(); // the commit's garbage: neither execution's nor the root's
  const main0 = mainThreadCpuMs();
  const root = await timed(() => world.stateRoot());
  const trieCpuMs = world.lastRootCpuMs();
  if (trieCpuMs === undefined) throw new Error('the native trie did not report its CPU time');
  runs.push({ exec, root, rootOwnCpuMs: mainThreadCpuMs() - main0 + trieCpuMs });
}
await executor.close?.();

const execCpuMs = median(runs.map((r) => r.exec.cpuMs));
const rootCpuMs = median(runs.map((r) => r.root.cpuMs));
const rootOwnCpuMs = median(runs.map((r) => r.rootOwnCpuMs));
const result: ExecRootRun = {
  accounts,
  txs,
  blocks,
  executed,
  execCpuMs,
  execWallMs: median(runs.map((r) => r.exec.wallMs)),
  rootCpuMs,
  rootWallMs: median(runs.map((r) => r.root.wallMs)),
  rootShareOfExecCpu: rootCpuMs / execCpuMs,
  rootOwnCpuMs,
  rootOwnShareOfExecCpu: rootOwnCpuMs / execCpuMs,
  worstBlockShare: Math.max(...runs.map((r) => r.root.cpuMs / r.exec.cpuMs)),
  worstBlockOwnShare: Math.max(...runs.map((r) => r.rootOwnCpuMs / r.exec.cpuMs)),
  perBlock: runs.map((r) => ({ execCpuMs: r.exec.cpuMs, rootCpuMs: r.root.cpuMs, rootOwnCpuMs: r.rootOwnCpuMs })),
};
console.log(`RESULT ${JSON.stringify(result)}`);
