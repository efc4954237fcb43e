// `npx tsx bench/executor-marshal.ts [--txs N] [--reps N]`: the native executor's JavaScript side per transaction
// (issue #13), apart from the EVM: decoding a batch's result records and building the outcomes the scheduler
// validates (access keys, write keys, chain views), as process CPU time on one thread (the native pool is idle
// while it runs). One batch of each sender's first transaction per workload (amm, erc20, mixed), run once
// natively, its results decoded `--reps` times; amm also as chains (one per pool). Prints JSON.
import { decodeResults, encodeTxs } from '../sequencer/executor/native/encode.js';
import { toOutcomes } from '../sequencer/executor/native/outcomes.js';
import { nativeFirstRound } from './native-batch.js';
import type { WorkloadName } from './workloads.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

async function measure(name: WorkloadName, txCount: number, reps: number, chained: boolean) {
  const { txs, world, addon, handle, envBuf } = await nativeFirstRound(name, txCount);
  const targets = [...new Set(txs.map((t) => t.to))];
  const chains = chained ? Uint32Array.from(txs, (t) => targets.indexOf(t.to)) : undefined;
  const buf = chains ? await addon.evmExecuteChains(handle, envBuf, encodeTxs(txs), chains) : await addon.evmExecute(handle, envBuf, encodeTxs(txs));
  let decodeUs = 0;
  let outcomeUs = 0;
  let executed = 0;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const results = decodeResults(buf);
    const c1 = process.cpuUsage();
    const outcomes = toOutcomes(results, txs, world, chains);
    const c2 = process.cpuUsage();
    decodeUs += c1.user + c1.system - c0.user - c0.system;
    outcomeUs += c2.user + c2.system - c1.user - c1.system;
    executed = outcomes.filter((o) => o?.kind === 'executed').length;
  }
  const per = (us: number) => us / (reps * txs.length);
  return { workload: name, chains: chained ? targets.length : 0, txs: txs.length, executed, reps, decodeCpuUsPerTx: per(decodeUs), outcomeCpuUsPerTx: per(outcomeUs), totalCpuUsPerTx: per(decodeUs + outcomeUs), loadAverage: (await import('node:os')).loadavg() };
}

const txs = arg('txs', 2000);
const reps = arg('reps', 20);
const out = [];
for (const [name, chained] of [['amm', false], ['amm', true], ['erc20', false], ['mixed', false]] as const) out.push(await measure(name, txs, reps, chained));
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
