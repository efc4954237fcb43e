// The fork schedule of a chain, as geth's chain config carries it: activation timestamps for Cancun, Prague
// and Osaka (and the blob-parameter-only forks BPO1..BPO5) plus the blob schedule. A block's fork is the
// newest one whose time has come at the block's timestamp.
import { Hardfork } from '@ethereumjs/common';

export const FORKS = ['Cancun', 'Prague', 'Osaka'] as const;
export type ForkName = (typeof FORKS)[number];

/** The kernels' fork ids (kernels/common/fork.h, enum Fork). */
export const FORK_IDS: Record<ForkName, number> = { Cancun: 0, Prague: 1, Osaka: 2 };

export const HARDFORK_OF: Record<ForkName, Hardfork> = { Cancun: Hardfork.Cancun, Prague: Hardfork.Prague, Osaka: Hardfork.Osaka };

export function isForkName(s: string): s is ForkName {
  return (FORKS as readonly string[]).includes(s);
}

export const forkAtLeast = (fork: ForkName, min: ForkName): boolean => FORK_IDS[fork] >= FORK_IDS[min];

/** Blob parameters of one fork (EIP-4844, EIP-7691, EIP-7892 blob-parameter-only forks). */
export interface BlobParams {
  target: bigint;
  max: bigint;
  baseFeeUpdateFraction: bigint;
}

/** Keys of the blob schedule and of the activation times (`<key>Time`), in activation order. */
export const SCHEDULE_KEYS = ['cancun', 'prague', 'osaka', 'bpo1', 'bpo2', 'bpo3', 'bpo4', 'bpo5'] as const;
export type ScheduleKey = (typeof SCHEDULE_KEYS)[number];

export interface ForkSchedule {
  /** Activation timestamps; an absent fork never activates. Cancun is the oldest fork this chain knows. */
  times: Partial<Record<ScheduleKey, bigint>>;
  blobSchedule: Partial<Record<ScheduleKey, BlobParams>>;
}

export const MAINNET_BLOB_SCHEDULE: Record<'cancun' | 'prague' | 'osaka', BlobParams> = {
  cancun: { target: 3n, max: 6n, baseFeeUpdateFraction: 3_338_477n },
  prague: { target: 6n, max: 9n, baseFeeUpdateFraction: 5_007_716n },
  osaka: { target: 6n, max: 9n, baseFeeUpdateFraction: 5_007_716n },
};

/** Every fork from genesis: what the dev chain runs. */
export function scheduleFrom(fork: ForkName, at = 0n): ForkSchedule {
  const times: ForkSchedule['times'] = { cancun: at };
  if (forkAtLeast(fork, 'Prague')) times.prague = at;
  if (forkAtLeast(fork, 'Osaka')) times.osaka = at;
  return { times, blobSchedule: { ...MAINNET_BLOB_SCHEDULE } };
}

export const DEV_FORK: ForkName = 'Osaka';

/** The fork (Cancun, Prague, Osaka) a block at `timestamp` runs under. */
export function forkAt(s: ForkSchedule, timestamp: bigint): ForkName {
  const active = (k: ScheduleKey) => s.times[k] !== undefined && s.times[k]! <= timestamp;
  if (active('osaka')) return 'Osaka';
  if (active('prague')) return 'Prague';
  return 'Cancun';
}

/** The newest fork the schedule ever reaches. */
export function latestFork(s: ForkSchedule): ForkName {
  return s.times.osaka !== undefined ? 'Osaka' : s.times.prague !== undefined ? 'Prague' : 'Cancun';
}

/** Blob parameters at `timestamp`: those of the newest scheduled entry (fork or BPO) active then. */
export function blobParamsAt(s: ForkSchedule, timestamp: bigint): BlobParams {
  let params: BlobParams = MAINNET_BLOB_SCHEDULE.cancun;
  for (const k of SCHEDULE_KEYS) {
    const t = s.times[k];
    if (t === undefined || t > timestamp) continue;
    const p = s.blobSchedule[k] ?? (k in MAINNET_BLOB_SCHEDULE ? MAINNET_BLOB_SCHEDULE[k as keyof typeof MAINNET_BLOB_SCHEDULE] : undefined);
    if (p === undefined) throw new RangeError(`fork schedule: ${k} is scheduled (${k}Time) but has no blobSchedule entry`);
    params = p;
  }
  return params;
}

/** Blob parameters of a fork on mainnet (state tests, which name a fork rather than a schedule). */
export function mainnetBlobParams(fork: ForkName): BlobParams {
  return MAINNET_BLOB_SCHEDULE[fork.toLowerCase() as 'cancun' | 'prague' | 'osaka'];
}

/** The geth-style JSON of a schedule: `cancunTime`, ... and `blobSchedule` (numbers as JSON numbers or hex). */
export interface ForkScheduleJson {
  cancunTime?: number | string;
  pragueTime?: number | string;
  osakaTime?: number | string;
  bpo1Time?: number | string;
  bpo2Time?: number | string;
  bpo3Time?: number | string;
  bpo4Time?: number | string;
  bpo5Time?: number | string;
  blobSchedule?: Partial<Record<ScheduleKey, { target: number | string; max: number | string; baseFeeUpdateFraction: number | string }>>;
}

export class ForkScheduleError extends Error {
  constructor(detail: string) {
    super(`fork schedule: ${detail}`);
    this.name = 'ForkScheduleError';
  }
}

/** Parses and checks a schedule: times must not go backwards, and Cancun must be active at genesis. */
export function parseForkSchedule(json: ForkScheduleJson, genesisTimestamp = 0n): ForkSchedule {
  const times: ForkSchedule['times'] = {};
  let last = -1n;
  for (const k of SCHEDULE_KEYS) {
    const v = (json as Record<string, number | string | undefined>)[`${k}Time`];
    if (v === undefined) continue;
    const t = BigInt(v);
    if (t < 0n) throw new ForkScheduleError(`${k}Time is negative`);
    if (t < last) throw new ForkScheduleError(`${k}Time ${t} is before the previous fork's time ${last}`);
    times[k] = last = t;
  }
  if (times.cancun === undefined) times.cancun = genesisTimestamp;
  if (times.cancun > genesisTimestamp) throw new ForkScheduleError('Cancun must be active at genesis (this chain knows no older fork)');
  if (times.osaka !== undefined && times.prague === undefined) throw new ForkScheduleError('osakaTime without pragueTime');
  const blobSchedule: ForkSchedule['blobSchedule'] = { ...MAINNET_BLOB_SCHEDULE };
  for (const [k, p] of Object.entries(json.blobSchedule ?? {})) {
    if (!(SCHEDULE_KEYS as readonly string[]).includes(k)) throw new ForkScheduleError(`unknown blobSchedule entry ${k}`);
    const params = { target: BigInt(p.target), max: BigInt(p.max), baseFeeUpdateFraction: BigInt(p.baseFeeUpdateFraction) };
    if (params.target > params.max || params.baseFeeUpdateFraction === 0n) throw new ForkScheduleError(`blobSchedule.${k} is inconsistent`);
    blobSchedule[k as ScheduleKey] = params;
  }
  const s = { times, blobSchedule };
  for (const k of SCHEDULE_KEYS) if (times[k] !== undefined) blobParamsAt(s, times[k]!); // every scheduled entry has params
  return s;
}
