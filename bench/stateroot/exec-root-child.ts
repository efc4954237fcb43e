// Execution vs state root of one block, in one process (so load on a shared machine scales both alike):
// a genesis of N funded accounts, a block of `txs` signed ETH transfers from distinct senders to distinct
// non-sender recipients (one conflict-free round), executed on the native executor and committed to the
// WorldState, then its stateRoot(). Both timed as process CPU (every thread), each with a young-generation
// collection at its end, so each stage pays for its own short-lived garbage, not the other's. Prints `RESULT <json>`.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import type { ExecTx } from '../../sequencer/executor/types.js';
import { DEFAULT_CHAIN_ID, type GenesisAllocEntry } from '../../sequencer/genesis/genesis.js';
import { decodeAndRecoverBatch } from '../../sequencer/ingress/decode.js';
import { InlineSenderRecoverer } from '../../sequencer/ingress/recover.js';
import type { Address } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { batchEnv } from '../pipeline.js';
import { benchGenesis, senderKeys, sign, type Workload } from '../workloads.js';
import { accountAt } from './blocks.js';

export interface ExecRootRun {
  accounts: number;
  txs: number;
  executed: number;
  /** executeBatch of the block on the native executor (warm: the snapshot mirrored by a probe batch). */
  execCpuMs: number;
  execWallMs: number;
  /** stateRoot() after committing the block: change-set encoding, hand-off, trie update and hashing. */
  rootCpuMs: number;
  rootWallMs: number;
  rootShareOfExecCpu: number;
}

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const accounts = Number(arg('accounts', '10000'));
const txs = Number(arg('txs', '5000'));
const seed = Number(arg('seed', '1'));
if (accounts < 2 * txs) throw new Error(`--accounts ${accounts} must be at least twice --txs ${txs} (distinct senders and recipients)`);

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (o: { type: 'minor' }) => void;
const collectGarbage = () => gc({ type: 'minor' });

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; cpuMs: number; wallMs: number }> {
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
const raws = keys.map((k, i) => sign(k, 0n, accountAt(txs + i), 1000n + BigInt(i), new Uint8Array(0), 21_000n));
const decoded = await decodeAndRecoverBatch(raws, { chainId: DEFAULT_CHAIN_ID }, new InlineSenderRecoverer());
const block: ExecTx[] = decoded.map((d) => {
  if (d instanceof Error) throw d;
  return d.exec;
});

const world = WorldState.fromAlloc(w.genesis.alloc);
await world.stateRoot();
const executor = await createExecutor('native');
await executor.executeBatch(world, block.slice(0, 1), batchEnv(w));
const exec = await timed(() => executor.executeBatch(world, block, batchEnv(w)));
let executed = 0;
let credit = 0n;
for (const o of exec.value) {
  if (o.kind !== 'executed') throw new Error(`bench block: a transaction was rejected: ${o.error}`);
  world.applyChanges(o.changes);
  credit += o.coinbaseCredit;
  executed++;
}
world.credit(w.genesis.coinbase, credit);
collectGarbage(); // the commit's garbage: neither execution's nor the root's
const root = await timed(() => world.stateRoot());
await executor.close?.();

const result: ExecRootRun = {
  accounts,
  txs,
  executed,
  execCpuMs: exec.cpuMs,
  execWallMs: exec.wallMs,
  rootCpuMs: root.cpuMs,
  rootWallMs: root.wallMs,
  rootShareOfExecCpu: root.cpuMs / exec.cpuMs,
};
console.log(`RESULT ${JSON.stringify(result)}`);
