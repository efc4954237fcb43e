// The batch the native-executor benches run: each sender's first transaction of a workload, with the addon
// holding the workload's genesis state and the encoded block environment.
import { blobBaseFee } from '../sequencer/chain/blob-fee.js';
import { blockBlobParams, blockFork } from '../sequencer/chain/config.js';
import { encodeEnv, encodeState } from '../sequencer/executor/native/encode.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { WorldState } from '../sequencer/state/world-state.js';
import { batchEnv, firstRound } from './pipeline.js';
import { makeWorkload, type WorkloadName } from './workloads.js';

export async function nativeFirstRound(name: WorkloadName, txCount: number) {
  const w = makeWorkload(name, txCount);
  const txs = await firstRound(w);
  const world = WorldState.fromAlloc(w.genesis.alloc);
  const env = batchEnv(w);
  const addon = loadAddon();
  const { handle } = addon.evmLoadState(encodeState(world.entries()));
  const envBuf = encodeEnv(env, blockFork(env), blobBaseFee(env.excessBlobGas, blockBlobParams(env).baseFeeUpdateFraction));
  return { txs, world, env, addon, handle, envBuf };
}
