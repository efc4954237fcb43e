// Stored transactions (mempool rows after a restart, mined transactions read back) decode the same on the
// native decoder as on the reference (@ethereumjs/tx, txFromStored): random transactions of every type, with
// tight gas (some below the newest fork's floor, which the native one refuses and hands to the reference),
// and the senders the rows carry, never recovered again.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { decodeStoredNative } from '../../sequencer/ingress/native-decode.js';
import { nativeStoredTxDecoder, referenceStoredTxDecoder, type StoredTxRow } from '../../sequencer/ingress/stored-tx.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { toAddress } from '../../sequencer/primitives/types.js';
import { randomSignedTxs } from '../support/random-txs.js';

const CHAIN = 42069n;
const addon = loadAddon();

/** Field by field, typed arrays by content. */
const plain = (v: unknown): unknown =>
  v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString('hex')}` : Array.isArray(v) ? v.map(plain) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;

test('stored transactions: the native decoder equals the reference, with the rows senders', () => {
  const txs = [...randomSignedTxs(0x5707ed, 300, { chainId: CHAIN }), ...randomSignedTxs(0x71647, 200, { chainId: CHAIN, tightGas: 0.5 })];
  // The row's sender is taken as given (a stored sender was recovered at ingress): a made-up one for half of
  // them shows nothing recovers it again.
  const rows: StoredTxRow[] = txs.map((t, i) => ({ raw: t.raw, sender: i % 2 === 0 ? toAddress(t.sender) : toAddress(`0x${(i + 1).toString(16).padStart(40, '0')}`) }));
  const reference = referenceStoredTxDecoder(CHAIN)(rows);
  const native = nativeStoredTxDecoder(CHAIN, addon)(rows);
  rows.forEach((r, i) => {
    assert.equal(native[i].exec.from, r.sender, `#${i}: the row's sender`);
    assert.deepEqual(plain(native[i]), plain(reference[i]), `#${i} type ${txs[i].spec.type}`);
  });
  // Most decode natively; those the native rules refuse are the reference's.
  const refused = decodeStoredNative(rows, CHAIN, addon).filter((t) => t === null).length;
  assert.ok(refused < rows.length / 4, `${refused} of ${rows.length} refused by the native decoder`);
});
