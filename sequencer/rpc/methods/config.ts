// EIP-7910 eth_config: the chain's fork configuration (current, next, last) so operators and tools can check
// what rules the node runs. Built from the chain's fork schedule and @ethereumjs/common's view of each fork.
import { crc32 } from 'node:zlib';
import { Hardfork } from '@ethereumjs/common';
import { getActivePrecompiles } from '@ethereumjs/evm';
import { commonFor } from '../../chain/common.js';
import { forkScheduleOf } from '../../chain/config.js';
import { SCHEDULE_KEYS, blobParamsAt, type ForkSchedule } from '../../chain/forks.js';
import { hexToU8, type Hex } from '../../primitives/types.js';
import { serverError } from '../errors.js';
import { q } from '../format.js';
import { arity } from '../params.js';
import type { RpcContext } from '../context.js';
import type { Methods } from './types.js';

interface ScheduledFork {
  fork: Hardfork;
  /** Unix seconds; 0 = active from genesis. */
  activationTime: bigint;
}

/** The chain's forks (and blob-parameter-only forks) in activation order, from its fork schedule. */
function forkSchedule(schedule: ForkSchedule): ScheduledFork[] {
  const out: ScheduledFork[] = [];
  for (const key of SCHEDULE_KEYS) {
    const at = schedule.times[key];
    if (at !== undefined) out.push({ fork: key as Hardfork, activationTime: at });
  }
  return out;
}

/** EIP-7910 names of the precompiles by address. */
const PRECOMPILE_NAMES: Record<string, string> = {
  '0x0000000000000000000000000000000000000001': 'ECREC',
  '0x0000000000000000000000000000000000000002': 'SHA256',
  '0x0000000000000000000000000000000000000003': 'RIPEMD160',
  '0x0000000000000000000000000000000000000004': 'ID',
  '0x0000000000000000000000000000000000000005': 'MODEXP',
  '0x0000000000000000000000000000000000000006': 'BN254_ADD',
  '0x0000000000000000000000000000000000000007': 'BN254_MUL',
  '0x0000000000000000000000000000000000000008': 'BN254_PAIRING',
  '0x0000000000000000000000000000000000000009': 'BLAKE2F',
  '0x000000000000000000000000000000000000000a': 'KZG_POINT_EVALUATION',
  '0x000000000000000000000000000000000000000b': 'BLS12_G1ADD',
  '0x000000000000000000000000000000000000000c': 'BLS12_G1MSM',
  '0x000000000000000000000000000000000000000d': 'BLS12_G2ADD',
  '0x000000000000000000000000000000000000000e': 'BLS12_G2MSM',
  '0x000000000000000000000000000000000000000f': 'BLS12_PAIRING_CHECK',
  '0x0000000000000000000000000000000000000010': 'BLS12_MAP_FP_TO_G1',
  '0x0000000000000000000000000000000000000011': 'BLS12_MAP_FP2_TO_G2',
  '0x0000000000000000000000000000000000000100': 'P256VERIFY',
};

/**
 * System contracts this chain runs, by the fork that brings them. An L2 without a beacon chain has no EIP-4788
 * beacon roots contract, and no deposit/withdrawal/consolidation requests (EIP-6110/7002/7251); Prague brings
 * the EIP-2935 block hash history contract.
 */
const SYSTEM_CONTRACTS: Partial<Record<Hardfork, Record<string, Hex>>> = {
  [Hardfork.Prague]: { HISTORY_STORAGE_ADDRESS: '0x0000f90827f1c53a10cb7a02335b175320002935' },
};

const ORDER = Object.values(Hardfork) as Hardfork[];

function systemContractsAt(fork: Hardfork): Record<string, Hex> {
  const out: Record<string, Hex> = {};
  for (const f of ORDER.slice(0, ORDER.indexOf(fork) + 1)) Object.assign(out, SYSTEM_CONTRACTS[f]);
  return out;
}

function blobScheduleAt(schedule: ForkSchedule, at: bigint): { target: number; max: number; baseFeeUpdateFraction: number } {
  const p = blobParamsAt(schedule, at);
  return { target: Number(p.target), max: Number(p.max), baseFeeUpdateFraction: Number(p.baseFeeUpdateFraction) };
}

/** EIP-6122 FORK_HASH: CRC32 of the genesis hash and every fork activation after genesis up to this fork. */
function forkId(genesisHash: Hex, schedule: ScheduledFork[], upTo: number): Hex {
  let crc = crc32(hexToU8(genesisHash));
  for (const f of schedule.slice(0, upTo + 1)) {
    if (f.activationTime === 0n) continue;
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(f.activationTime);
    crc = crc32(b, crc);
  }
  return `0x${crc.toString(16).padStart(8, '0')}`;
}

function forkConfig(chainId: bigint, genesisHash: Hex, chainSchedule: ForkSchedule, schedule: ScheduledFork[], i: number): Record<string, unknown> {
  const { fork, activationTime } = schedule[i];
  const common = commonFor(chainId).copy();
  common.setHardfork(fork);
  const precompiles: Record<string, string> = {};
  for (const a of getActivePrecompiles(common).keys()) {
    const address = `0x${a.replace(/^0x/, '').padStart(40, '0')}`.toLowerCase();
    precompiles[PRECOMPILE_NAMES[address] ?? address] = address;
  }
  return {
    activationTime: Number(activationTime),
    blobSchedule: blobScheduleAt(chainSchedule, activationTime),
    chainId: q(chainId),
    forkId: forkId(genesisHash, schedule, i),
    precompiles,
    systemContracts: systemContractsAt(fork),
  };
}

async function ethConfig(ctx: RpcContext): Promise<Record<string, unknown>> {
  const [genesis, head] = await Promise.all([ctx.node.getBlockByNumber(0n), ctx.node.getBlockByNumber(ctx.node.headNumber())]);
  if (!genesis || !head) throw serverError('eth_config: genesis or head block not available');
  const chainSchedule = forkScheduleOf(ctx.node.chainId);
  const schedule = forkSchedule(chainSchedule);
  const now = head.header.timestamp;
  let current = 0;
  while (current + 1 < schedule.length && schedule[current + 1].activationTime <= now) current++;
  const config = (i: number) => forkConfig(ctx.node.chainId, genesis.header.hash, chainSchedule, schedule, i);
  const hasNext = current + 1 < schedule.length;
  return { current: config(current), next: hasNext ? config(current + 1) : null, last: hasNext ? config(schedule.length - 1) : null };
}

export const configMethods: Methods = {
  eth_config: async (p, { ctx }) => {
    arity(p, 0, 0);
    return ethConfig(ctx);
  },
};
