// Child process for the native executor's execution-only figures, so EVM_THREADS applies to a fresh addon
// and a crash cannot take the bench down. Regenerates the workload (pure and seeded), probes the executor
// with one transaction, then runs the in-memory pipeline with it. Prints `RESULT <json>`.
import { createExecutor } from '../sequencer/executor/create-executor.js';
import { DEFAULT_CHAIN_ID } from '../sequencer/genesis/genesis.js';
import { decodeAndRecoverBatch } from '../sequencer/ingress/decode.js';
import { InlineSenderRecoverer } from '../sequencer/ingress/recover.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { WorldState } from '../sequencer/state/world-state.js';
import type { Hex } from '../sequencer/primitives/types.js';
import { runPipeline } from './pipeline.js';
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
  let executor;
  try {
    executor = await createExecutor('native');
    const [probe] = await decodeAndRecoverBatch(w.raws.slice(0, 1), { chainId: DEFAULT_CHAIN_ID }, new InlineSenderRecoverer());
    if (probe instanceof Error) throw probe;
    const world = WorldState.fromAlloc(w.genesis.alloc);
    await executor.executeBatch(world, [probe.exec], {
      chainId: w.genesis.chainId,
      number: 1n,
      timestamp: 1n,
      coinbase: w.genesis.coinbase,
      gasLimit: w.genesis.gasLimit,
      baseFee: w.genesis.baseFeePerGas,
      prevRandao: `0x${'00'.repeat(32)}` as Hex,
      excessBlobGas: 0n,
      recentBlockHashes: [],
    });
  } catch (e) {
    return { available: false, reason: `native executor: ${(e as Error).message}`, backend };
  }
  const r = await runPipeline(w, { dataDir: ':memory:', executor });
  await executor.close?.();
  return { ...r, backend, evmThreadsEnv: process.env.EVM_THREADS ?? null };
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
