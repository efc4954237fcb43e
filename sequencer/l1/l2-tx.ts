// Decoding of raw signed L2 transactions as L1 data carries them (batches and forced queue items).
import { createTxFromRLP } from '@ethereumjs/tx';
import { commonFor } from '../chain/common.js';
import type { ExecTx } from '../executor/types.js';
import { execTxFromEthereumJs } from '../ingress/decode.js';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../primitives/types.js';

export class L2TxDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'L2TxDecodeError';
  }
}

/** Decodes a raw signed L2 transaction and recovers its sender; rejects other chains and blob txs. */
export function decodeL2Tx(raw: Hex, chainId: bigint): ExecTx {
  let tx;
  try {
    tx = createTxFromRLP(hexToU8(raw), { common: commonFor(chainId) });
  } catch (e) {
    throw new L2TxDecodeError(`undecodable transaction: ${(e as Error).message}`);
  }
  if (tx.type === 3 || tx.type > 3) throw new L2TxDecodeError(`transaction type ${tx.type} is not allowed on L2`);
  let from: Address;
  try {
    if (!tx.isSigned() || !tx.verifySignature()) throw new Error('bad signature');
    from = toAddress(tx.getSenderAddress().toString());
  } catch (e) {
    throw new L2TxDecodeError(`invalid signature: ${(e as Error).message}`);
  }
  const t = tx as unknown as { chainId?: bigint };
  if (tx.type !== 0 && t.chainId !== chainId) throw new L2TxDecodeError(`wrong chain id ${t.chainId}`);
  if (tx.type === 0 && tx.supports(155) && (tx as unknown as { common: { chainId(): bigint } }).common.chainId() !== chainId) {
    throw new L2TxDecodeError('wrong chain id');
  }
  const exec = execTxFromEthereumJs(tx, from);
  if ('decodeError' in exec) throw new L2TxDecodeError(exec.decodeError);
  // The hash of the bytes the batch carries; the chain id of L2 also on legacy transactions.
  return { ...exec, hash: bytesToHex(keccak256(hexToU8(raw))) as Hex, chainId };
}
