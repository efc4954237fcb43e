// `npx tsx bench/mirror-feed.ts [--txs N] [--reps N]`: what bringing the native state mirror forward costs per
// transaction (issue #13), as process CPU time: a block's change lists fed as the executor's own records
// (mirror-update.ts: spans copied and merged natively) against the same lists re-encoded in TypeScript
// (encodeChanges + evmUpdateState). One batch of each sender's first transaction per workload, run once
// natively; its decoded change lists (and a fee credit list, as the block adds) applied `--reps` times to a
// mirror of the genesis. Prints JSON.
import { loadavg } from 'node:os';
import { decodeResults, encodeChanges, encodeTxs } from '../sequencer/executor/native/encode.js';
import { updateMirror } from '../sequencer/executor/native/mirror-update.js';
import type { AccountChange } from '../sequencer/executor/types.js';
import { nativeFirstRound } from './native-batch.js';
import type { WorkloadName } from './workloads.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

const cpuUs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return d.user + d.system;
};

async function measure(name: WorkloadName, txCount: number, reps: number) {
  const { txs, env, addon, handle, envBuf } = await nativeFirstRound(name, txCount);
  const results = decodeResults(await addon.evmExecute(handle, envBuf, encodeTxs(txs)));
  const lists: AccountChange[][] = results.map((r) => r!.changes);
  const fees = results.reduce((s, r) => s + r!.coinbaseCredit, 0n);
  lists.push([{ address: env.coinbase, deleted: false, balance: fees, nonce: 0n, storageReset: false, storage: new Map() }]);
  let recordsUs = 0;
  let encodedUs = 0;
  for (let i = 0; i < reps; i++) {
    let c = process.cpuUsage();
    if (!updateMirror(addon, handle, lists)) throw new Error('mirror busy');
    recordsUs += cpuUs(c);
    c = process.cpuUsage();
    if (!addon.evmUpdateState(handle, encodeChanges(lists))) throw new Error('mirror busy');
    encodedUs += cpuUs(c);
  }
  const per = (us: number) => us / (reps * txs.length);
  return { workload: name, txs: txs.length, reps, recordsCpuUsPerTx: per(recordsUs), encodedCpuUsPerTx: per(encodedUs), ratio: encodedUs / recordsUs, loadAverage: loadavg() };
}

const txCount = arg('txs', 2000);
const reps = arg('reps', 20);
const out = [];
for (const name of ['erc20', 'transfers', 'amm', 'mixed'] as const) out.push(await measure(name, txCount, reps));
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
