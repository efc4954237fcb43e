// Stored transactions (mempool rows after a restart, mined transactions read back from the store) with their
// known senders -> IngressTx. On the native decoder: one addon call per batch, no sender recovery and no
// @ethereumjs object per transaction; the reference (@ethereumjs/tx, txFromStored) decodes what the native
// one refuses and everything when the addon is not built. Both give the same values
// (test/ingress/stored-tx.test.ts).
import type { NativeAddon } from '../native/addon.js';
import { loadAddon, NativeAddonMissingError } from '../native/addon.js';
import type { Address } from '../primitives/types.js';
import { txFromStored, type IngressTx } from './decode.js';
import { decodeStoredNative } from './native-decode.js';

export interface StoredTxRow {
  raw: Uint8Array;
  sender: Address;
}

export type StoredTxDecoder = (rows: readonly StoredTxRow[]) => IngressTx[];

/** The reference decoder alone (@ethereumjs/tx per transaction). */
export function referenceStoredTxDecoder(chainId: bigint): StoredTxDecoder {
  return (rows) => rows.map((r) => txFromStored(r.raw, r.sender, chainId));
}

/** The native decoder with the reference for what it refuses. */
export function nativeStoredTxDecoder(chainId: bigint, addon: Pick<NativeAddon, 'decodeTransactionsSync'>): StoredTxDecoder {
  return (rows) => decodeStoredNative(rows, chainId, addon).map((t, i) => t ?? txFromStored(rows[i].raw, rows[i].sender, chainId));
}

/** Native when the addon is built, else the reference. */
export function storedTxDecoder(chainId: bigint): StoredTxDecoder {
  let addon: Partial<NativeAddon>;
  try {
    addon = loadAddon();
  } catch (e) {
    if (e instanceof NativeAddonMissingError) return referenceStoredTxDecoder(chainId);
    throw e;
  }
  // A build older than the native ingress decoder has no decodeTransactionsSync.
  return typeof addon.decodeTransactionsSync === 'function' ? nativeStoredTxDecoder(chainId, addon as NativeAddon) : referenceStoredTxDecoder(chainId);
}
