// Child process for the native executor's execution-only figures, so EVM_THREADS applies to a fresh addon
// and a crash cannot take the bench down. Regenerates the workload (pure and seeded), probes the executor
// with one transaction, then runs the in-memory pipeline with it. Prints `RESULT <json>`.
import { createExecutor } from '../sequencer/executor/create-executor.js';
import { NativeExecutor } from '../sequencer/executor/native/native-executor.js';
import { DEFAULT_CHAIN_ID } from '../sequencer/genesis/genesis.js';
import { decodeAndRecoverBatch } from '../sequencer/ingress/decode.js';
import { InlineSenderRecoverer } from '../sequencer/ingress/recover.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { WorldState } from '../sequencer/state/world-state.js';
import { batchEnv, firstRound, runPipeline } from './pipeline.js';
import type { Executor } from '../sequencer/executor/types.js';
import { makeWorkload, sweepWorkload, type WorkloadName } from './workloads.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<unknown> {
  let backend: unknown;
  try {
    backend = loadAddon().backendInfo();
  } catch (e) {
    return { available: false, reason: `addon: ${(e as Error).message}` };
  }
  const txs = Number(arg('txs') ?? 1000);
  const seed = Number(arg('seed') ?? 1);
  const sweep = arg('sweep');
  const w = sweep !== undefined ? sweepWorkload(Number(sweep), txs, seed) : makeWorkload(arg('workload') as WorkloadName, txs, seed);
  let executor: Executor;
  try {
    executor = await createExecutor('native');
    const [probe] = await decodeAndRecoverBatch(w.raws.slice(0, 1), { chainId: DEFAULT_CHAIN_ID }, new InlineSenderRecoverer());
    if (probe instanceof Error) throw probe;
    const world = WorldState.fromAlloc(w.genesis.alloc);
    await executor.executeBatch(world, [probe.exec], batchEnv(w));
  } catch (e) {
    return { available: false, reason: `native executor: ${(e as Error).message}`, backend };
  }
  const batch = await measureBatch(executor, w);
  const native = executor instanceof NativeExecutor ? executor : undefined;
  const before = native && { ...native.phases };
  const cpu0 = process.cpuUsage();
  const r = await runPipeline(w, { dataDir: ':memory:', executor });
  // Process CPU time (every thread) per included transaction over the whole pipeline: steadier than its
  // wall time on a shared machine.
  const cpu = process.cpuUsage(cpu0);
  const pipelineCpuUsPerTx = r.available && r.included > 0 ? (cpu.user + cpu.system) / r.included : null;
  await executor.close?.();
  return { ...r, pipelineCpuUsPerTx, batch, backend, evmThreadsEnv: process.env.EVM_THREADS ?? null, executorPhases: native && before && phasesSince(native.phases, before) };
}

const CPU_REPEATS = 5;

/** The native executor's phase times during the pipeline alone (executor/native/native-executor.ts, phases). */
function phasesSince(now: NativeExecutor['phases'], before: NativeExecutor['phases']) {
  const d = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - before[k as keyof typeof before]])) as NativeExecutor['phases'];
  const perTx = (ms: number) => (d.txs > 0 ? (ms * 1000) / d.txs : 0);
  return { ...d, usPerTx: { mirror: perTx(d.mirrorMs), encode: perTx(d.encodeMs), native: perTx(d.nativeMs), decode: perTx(d.decodeMs), outcome: perTx(d.outcomeMs) } };
}

/** One executeBatch over each sender's first tx against the genesis state: cold (mirrors the snapshot) and warm. */
async function measureBatch(executor: Executor, w: ReturnType<typeof makeWorkload>) {
  try {
    const txs = await firstRound(w);
    const world = WorldState.fromAlloc(w.genesis.alloc);
    const t0 = performance.now();
    const a = await executor.executeBatch(world, txs, batchEnv(w));
    const t1 = performance.now();
    const b = await executor.executeBatch(world, txs, batchEnv(w));
    const t2 = performance.now();
    // Process CPU time (every thread) per transaction over repeated warm batches: steadier than wall time
    // on a shared machine; it covers encoding, the native run and decoding the results.
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < CPU_REPEATS; i++) await executor.executeBatch(world, txs, batchEnv(w));
    const cpu = process.cpuUsage(cpu0);
    const cpuUsPerTx = (cpu.user + cpu.system) / (CPU_REPEATS * txs.length);
    const gas = b.reduce((g, o) => g + (o.kind === 'executed' ? o.gasUsed : 0n), 0n);
    return { available: true, txs: txs.length, rejected: b.filter((o) => o.kind === 'rejected').length, coldMs: t1 - t0, ms: t2 - t1, cpuUsPerTx, gasUsed: gas.toString(), coldRejected: a.filter((o) => o.kind === 'rejected').length };
  } catch (e) {
    return { available: false, reason: `native executeBatch: ${(e as Error).message}` };
  }
}

main().then(
  (r) => {
    process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e) => {
    process.stdout.write(`RESULT ${JSON.stringify({ available: false, reason: `native child failed: ${(e as Error).message}` })}\n`);
    process.exit(0);
  },
);
