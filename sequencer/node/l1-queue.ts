// The node's side of the L1 queue (sequencer/l1/types.ts): item (de)serialisation for the store, and the
// decoding rule for forced L2 transactions, which is the verifier's own (sequencer/l1/l2-chain.ts): decodable
// by @ethereumjs/tx with our chain's Common, not type 3, valid signature, our chain id; anything else is
// consumed without effect.
import type { ExecTx } from '../executor/types.js';
import { L2TxDecodeError, decodeL2Tx } from '../l1/l2-chain.js';
import type { Hex } from '../primitives/types.js';
import type { L1QueueItem } from '../l1/types.js';

export function queueItemToJson(item: L1QueueItem): string {
  return JSON.stringify(item, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

export function queueItemFromJson(json: string): L1QueueItem {
  return JSON.parse(json, (_k, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as L1QueueItem;
}

/** A forced transaction as an ExecTx, or the reason it is consumed without effect (the verifier's rule). */
export function decodeForcedTx(raw: Hex, chainId: bigint): ExecTx | { skip: string } {
  try {
    return decodeL2Tx(raw, chainId);
  } catch (e) {
    if (e instanceof L2TxDecodeError) return { skip: e.message };
    throw e;
  }
}
