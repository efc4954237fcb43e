// A pool entry and the price rules every part of the pool ranks entries by.
import type { ExecTx } from '../executor/types.js';
import type { IngressTx } from '../ingress/decode.js';

export interface PoolEntry {
  tx: IngressTx;
  /** Arrival order (FIFO among equal tips, age for queued eviction); persisted. */
  seq: number;
  /** Persisted in the store: only durable entries are handed to the scheduler. */
  durable: boolean;
  /** Accepted into the block being built: cannot be replaced any more. */
  inBlock: boolean;
  /** Being executed in a scheduler round right now: not replaceable or evictable until the round ends. */
  busy?: boolean;
}

export function feeCap(tx: ExecTx): bigint {
  return tx.maxFeePerGas ?? tx.gasPrice ?? 0n;
}

export function tipCap(tx: ExecTx): bigint {
  return tx.maxPriorityFeePerGas ?? tx.gasPrice ?? 0n;
}

/** The tip per gas the fee recipient gets at this base fee (negative when the fee cap is below it). */
export function effectiveTip(tx: ExecTx, baseFee: bigint): bigint {
  const cap = feeCap(tx);
  const tip = tipCap(tx);
  return cap - baseFee < tip ? cap - baseFee : tip;
}

/** Negative when `a` goes first: higher effective tip, then earlier arrival. */
export function comparePriority(a: PoolEntry, b: PoolEntry, baseFee: bigint): number {
  return compareTips(a, effectiveTip(a.tx.exec, baseFee), b, effectiveTip(b.tx.exec, baseFee));
}

/** comparePriority with the effective tips already computed (sorting many entries computes each once). */
export function compareTips(a: PoolEntry, tipA: bigint, b: PoolEntry, tipB: bigint): number {
  if (tipA !== tipB) return tipA > tipB ? -1 : 1;
  return a.seq - b.seq;
}

/** A replacement must raise both the fee cap and the tip by `bumpPercent`. */
export function outbids(next: ExecTx, old: ExecTx, bumpPercent: number): boolean {
  const bump = BigInt(100 + bumpPercent);
  return feeCap(next) * 100n >= feeCap(old) * bump && tipCap(next) * 100n >= tipCap(old) * bump;
}
