// A block's receipts root and logs bloom: the receipts encoded into one buffer (receipt-rlp.ts), then, with
// the addon, one native call that fills every receipt's bloom in place and hashes the receipts trie
// (native/block/receipts_root.cc); without it, the blooms from BloomHasher and the TypeScript ordered trie.
// Both are checked against @ethereumjs/vm's receipts and @ethereumjs/mpt in test/sequencer/receipt-rlp.test.ts.
import { loadAddon, NativeAddonMissingError } from '../native/addon.js';
import { orderedTrieRootTs } from './ordered-trie.js';
import { BloomHasher, encodeReceipts, type EncodedReceipts, type ReceiptFields } from './receipt-rlp.js';

export interface ReceiptsRoot {
  root: Uint8Array;
  /** The block's logs bloom: the OR of its receipts' blooms. */
  logsBloom: Uint8Array;
  /** The receipts' encodings, blooms filled in. */
  encoded: EncodedReceipts;
}

/** receiptsRoot on the addon's receiptsRootSync. */
export function receiptsRootNative(receipts: readonly ReceiptFields[]): ReceiptsRoot {
  const encoded = encodeReceipts(receipts);
  const out = loadAddon().receiptsRootSync(encoded.data, encoded.offsets);
  return { root: new Uint8Array(out.buffer, out.byteOffset, 32), logsBloom: new Uint8Array(out.buffer, out.byteOffset + 32, 256), encoded };
}

/** receiptsRoot in TypeScript (the fallback without the addon). */
export function receiptsRootTs(receipts: readonly ReceiptFields[]): ReceiptsRoot {
  const encoded = encodeReceipts(receipts);
  const { data, offsets, bloomAt } = encoded;
  const blooms = new BloomHasher();
  blooms.prepare(receipts.flatMap((r) => r.logs));
  const logsBloom = new Uint8Array(256);
  receipts.forEach((r, i) => {
    const bloom = blooms.bloom(r.logs, data.subarray(bloomAt[i], bloomAt[i] + 256));
    for (let b = 0; b < 256; b++) logsBloom[b] |= bloom[b];
  });
  const root = orderedTrieRootTs(Array.from({ length: receipts.length }, (_, i) => data.subarray(offsets[i], offsets[i + 1])));
  return { root, logsBloom, encoded };
}

/** The receipts trie root and logs bloom of a block's receipts (in block order). */
export const receiptsRoot: (receipts: readonly ReceiptFields[]) => ReceiptsRoot = (() => {
  try {
    loadAddon();
    return receiptsRootNative;
  } catch (e) {
    if (e instanceof NativeAddonMissingError) return receiptsRootTs;
    throw e;
  }
})();
