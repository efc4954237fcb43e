// The node's side of the L1 queue (sequencer/l1/types.ts): item (de)serialisation for the store, and the
// decoding rule for forced L2 transactions — the same as the verifier's (sequencer/l1/l2-chain.ts on
// branch l1): decodable by @ethereumjs/tx with our chain's Common, not type 3, valid signature, our chain id;
// anything else is consumed without effect.
import { createTxFromRLP } from '@ethereumjs/tx';
import { commonFor } from '../chain/common.js';
import type { ExecTx } from '../executor/types.js';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../primitives/types.js';
import type { L1QueueItem } from '../l1/types.js';

export function queueItemToJson(item: L1QueueItem): string {
  return JSON.stringify(item, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

export function queueItemFromJson(json: string): L1QueueItem {
  return JSON.parse(json, (_k, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as L1QueueItem;
}

/** A forced transaction as an ExecTx, or the reason it is consumed without effect. */
export function decodeForcedTx(raw: Hex, chainId: bigint): ExecTx | { skip: string } {
  let tx;
  try {
    tx = createTxFromRLP(hexToU8(raw), { common: commonFor(chainId) });
  } catch (e) {
    return { skip: `undecodable transaction: ${(e as Error).message}` };
  }
  if (tx.type === 3 || tx.type > 3) return { skip: `transaction type ${tx.type} is not allowed on L2` };
  let from: Address;
  try {
    if (!tx.isSigned() || !tx.verifySignature()) throw new Error('bad signature');
    from = toAddress(tx.getSenderAddress().toString());
  } catch (e) {
    return { skip: `invalid signature: ${(e as Error).message}` };
  }
  const t = tx as unknown as { chainId?: bigint; gasPrice?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint; accessList?: [Uint8Array, Uint8Array[]][] };
  if (tx.type !== 0 && t.chainId !== chainId) return { skip: `wrong chain id ${t.chainId}` };
  if (tx.type === 0 && tx.supports(155) && (tx as unknown as { common: { chainId(): bigint } }).common.chainId() !== chainId) return { skip: 'wrong chain id' };
  return {
    hash: bytesToHex(keccak256(hexToU8(raw))) as Hex,
    type: tx.type as 0 | 1 | 2,
    from,
    to: tx.to ? toAddress(tx.to.toString()) : null,
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    value: tx.value,
    data: tx.data,
    gasPrice: t.gasPrice,
    maxFeePerGas: t.maxFeePerGas,
    maxPriorityFeePerGas: t.maxPriorityFeePerGas,
    accessList: (t.accessList ?? []).map(([a, keys]) => ({ address: toAddress(a), storageKeys: keys.map((k) => bytesToHex(k) as Hex) })),
    chainId,
  };
}
