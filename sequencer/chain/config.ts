// The fork schedule of each chain this process serves (registered from its genesis), and the rules a block
// runs under: its fork and blob parameters, from the block's timestamp (or the fork a state test names).
import type { BlockEnv } from '../executor/types.js';
import { DEV_FORK, blobParamsAt, forkAt, forkAtLeast, mainnetBlobParams, scheduleFrom, type BlobParams, type ForkName, type ForkSchedule } from './forks.js';

const schedules = new Map<bigint, ForkSchedule>();
const DEV_SCHEDULE = scheduleFrom(DEV_FORK);

/** Registers a chain's schedule (the node does at start, from its genesis). */
export function setForkSchedule(chainId: bigint, schedule: ForkSchedule): void {
  schedules.set(chainId, schedule);
}

/** A chain's schedule; a chain nobody registered runs the dev schedule (every fork through Osaka from genesis). */
export function forkScheduleOf(chainId: bigint): ForkSchedule {
  return schedules.get(chainId) ?? DEV_SCHEDULE;
}

/** The fork a block runs under: the one its env names, else its chain's schedule at its timestamp. */
export function blockFork(env: Pick<BlockEnv, 'chainId' | 'timestamp' | 'fork'>): ForkName {
  return env.fork ?? forkAt(forkScheduleOf(env.chainId), env.timestamp);
}

/** The blob parameters a block runs under (a named fork uses mainnet's parameters for it). */
export function blockBlobParams(env: Pick<BlockEnv, 'chainId' | 'timestamp' | 'fork'>): BlobParams {
  return env.fork !== undefined ? mainnetBlobParams(env.fork) : blobParamsAt(forkScheduleOf(env.chainId), env.timestamp);
}

/** EIP-7825 (Osaka): the most gas one transaction may use. */
export const TX_GAS_LIMIT_CAP = 1n << 24n;

/** The most gas one transaction (or call) may have in this block: the block gas limit, capped from Osaka. */
export function maxTxGas(env: Pick<BlockEnv, 'chainId' | 'timestamp' | 'fork' | 'gasLimit'>): bigint {
  const cap = forkAtLeast(blockFork(env), 'Osaka') ? TX_GAS_LIMIT_CAP : env.gasLimit;
  return cap < env.gasLimit ? cap : env.gasLimit;
}
