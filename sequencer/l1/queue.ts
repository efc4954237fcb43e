// The L1 queue's hash chain, recomputed off-chain (must match Rollup.hashQueueItem / _enqueue).
import { encodeAbiParameters, keccak256, type Hex as VHex } from 'viem';
import type { Hex } from '../primitives/types.js';
import type { L1QueueItem } from './types.js';

export function hashQueueItem(item: Pick<L1QueueItem, 'kind' | 'l1Sender' | 'to' | 'value' | 'data' | 'l1Timestamp'>): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint8' }, { type: 'address' }, { type: 'address' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'uint64' }],
      [item.kind, item.l1Sender, item.to, item.value, keccak256(item.data as VHex), item.l1Timestamp],
    ),
  );
}

export function nextAccumulator(prev: Hex, item: L1QueueItem): Hex {
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [prev, hashQueueItem(item)]));
}

export const ZERO_ACCUMULATOR: Hex = `0x${'0'.repeat(64)}`;

/** Checks that items continue the chain from `prev` (their accumulators match): throws on a gap or a lie. */
export function checkQueueChain(prev: Hex, firstIndex: bigint, items: readonly L1QueueItem[]): Hex {
  let acc = prev;
  items.forEach((item, i) => {
    if (item.queueIndex !== firstIndex + BigInt(i)) throw new Error(`L1 queue gap: expected item ${firstIndex + BigInt(i)}, got ${item.queueIndex}`);
    acc = nextAccumulator(acc, item);
    if (acc !== item.accumulator) throw new Error(`L1 queue item ${item.queueIndex}: hash chain mismatch`);
  });
  return acc;
}
