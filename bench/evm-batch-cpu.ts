// `npx tsx bench/evm-batch-cpu.ts [--txs N] [--reps N] [--workloads erc20,transfers,amm,mixed]`: the native EVM's own
// cost per transaction (issue #13's execution-only figure without the JavaScript around it): one batch of each
// sender's first transaction, encoded once, run `--reps` times through `evmExecute` on a loaded state, as
// process CPU time per transaction (all threads; run it with EVM_THREADS=1 for the interpreter alone, and with
// EVM_ADDON=path to compare another build of the addon on the same batch). Prints JSON.
import { loadavg } from 'node:os';
import { decodeResults, encodeTxs } from '../sequencer/executor/native/encode.js';
import { nativeFirstRound } from './native-batch.js';
import type { WorkloadName } from './workloads.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(name: WorkloadName, txCount: number, reps: number) {
  const { txs, addon, handle, envBuf } = await nativeFirstRound(name, txCount);
  const txBuf = encodeTxs(txs);
  const first = decodeResults(await addon.evmExecute(handle, envBuf, txBuf)); // warm-up: threads, code, caches
  const gas = first.reduce((g, r) => g + Number(r?.gasUsed ?? 0n), 0);
  const cpuUsPerTx: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    await addon.evmExecute(handle, envBuf, txBuf);
    const c = process.cpuUsage(c0);
    cpuUsPerTx.push((c.user + c.system) / txs.length);
  }
  return { workload: name, txs: txs.length, gasPerTx: gas / txs.length, reps, cpuUsPerTxMin: Math.min(...cpuUsPerTx), cpuUsPerTxMedian: median(cpuUsPerTx) };
}

const txs = Number(arg('txs', '2000'));
const reps = Number(arg('reps', '20'));
const workloads = arg('workloads', 'erc20,transfers,amm,mixed').split(',') as WorkloadName[];
const load = [loadavg()[0]];
const results = [];
for (const name of workloads) {
  results.push(await measure(name, txs, reps));
  load.push(loadavg()[0]);
}
process.stdout.write(`${JSON.stringify({ description: 'native EVM CPU µs per transaction, one evmExecute batch run repeatedly', evmThreads: process.env.EVM_THREADS ?? 'all', addon: process.env.EVM_ADDON ?? 'build', loadavg1: load, results }, null, 1)}\n`);
