// A block's receipts (block/receipt-rlp.ts encodes them into one buffer; block/receipts-root.ts fills their
// logs blooms and hashes the receipts trie, natively and in TypeScript) against @ethereumjs/vm (encodeReceipt,
// Bloom) and @ethereumjs/mpt on random receipts: every type, success and failure, no logs to many, empty to
// long data, gas values across the RLP length boundaries.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { Bloom, encodeReceipt as referenceEncodeReceipt } from '@ethereumjs/vm';
import { receiptsRootNative, receiptsRootTs } from '../../sequencer/block/receipts-root.js';
import type { ReceiptFields } from '../../sequencer/block/receipt-rlp.js';
import type { Log } from '../../sequencer/executor/types.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { bytesToHex, hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { rng } from '../../bench/workloads.js';

function randomReceipts(seed: number, count: number): ReceiptFields[] {
  const rand = rng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  // A few addresses and topics, so blocks repeat them as real ones do.
  const addresses = Array.from({ length: 4 }, () => bytesToHex(bytes(20)) as Address);
  const topics = Array.from({ length: 6 }, () => bytesToHex(bytes(32)) as Hex);
  // Not 0: the reference writes 0 as the byte 0x00 (non-canonical); a mined receipt's cumulative gas is >= 21,000.
  const gasValues = [1n, 127n, 128n, 255n, 256n, 21_000n, (1n << 56n) - 1n, 1n << 63n];
  return Array.from({ length: count }, (_, i) => ({
    type: int(5),
    success: rand() < 0.8,
    cumulativeGasUsed: i < gasValues.length ? gasValues[i] : BigInt(1 + int(30_000_000)),
    logs: Array.from({ length: i === 1 ? 1 : [0, 1, 1, 2, 3, 40][int(6)] }, (): Log => ({
      address: addresses[int(addresses.length)],
      topics: Array.from({ length: int(5) }, () => topics[int(topics.length)]),
      // Lengths around the single-byte, 55-byte and 1- to 3-byte length forms.
      data: bytes(i === 1 ? 70_000 : [0, 1, 2, 31, 55, 56, 300, 1_100][int(8)]).map((b, j, a) => (a.length === 1 && j === 0 && i % 2 === 0 ? b & 0x7f : b)),
    })),
  }));
}

test('receipts root, logs blooms and encodings equal @ethereumjs/vm and @ethereumjs/mpt (native and TypeScript)', async () => {
  for (const count of [0, 1, 2, 130, 400]) {
    const receipts = randomReceipts(7 + count, count);
    const blooms = receipts.map((r) => {
      const bloom = new Bloom();
      for (const l of r.logs) {
        bloom.add(hexToU8(l.address));
        for (const t of l.topics) bloom.add(hexToU8(t));
      }
      return bloom.bitvector;
    });
    const expected = receipts.map((r, i) =>
      referenceEncodeReceipt({ status: r.success ? 1 : 0, cumulativeBlockGasUsed: r.cumulativeGasUsed, bitvector: blooms[i], logs: r.logs.map((l) => [hexToU8(l.address), l.topics.map(hexToU8), l.data]) } as never, r.type as 0 | 1 | 2 | 3 | 4),
    );
    const trie = await createMPT();
    for (let i = 0; i < count; i++) await trie.put(RLP.encode(i), expected[i]);
    const blockBloom = new Uint8Array(256);
    for (const b of blooms) for (let k = 0; k < 256; k++) blockBloom[k] |= b[k];
    for (const [name, build] of [['native', receiptsRootNative], ['TypeScript', receiptsRootTs]] as const) {
      const got = build(receipts);
      const { data, offsets } = got.encoded;
      for (let i = 0; i < count; i++) assert.equal(bytesToHex(data.subarray(offsets[i], offsets[i + 1])), bytesToHex(expected[i]), `${name}: receipt ${i} of ${count} (type ${receipts[i].type}, ${receipts[i].logs.length} logs)`);
      assert.equal(bytesToHex(got.logsBloom), bytesToHex(blockBloom), `${name}: block bloom of ${count}`);
      assert.equal(bytesToHex(got.root), bytesToHex(trie.root()), `${name}: receipts root of ${count}`);
    }
  }
});

test('receiptsRootSync refuses a receipt that does not parse, naming it, and leaves the data unchanged', () => {
  const { encoded } = receiptsRootTs(randomReceipts(3, 3));
  const { data, offsets } = encoded;
  const bad = Buffer.from(data);
  // Receipt 2's bloom length prefix (0xb9 0x01 0x00) made 511 bytes: not a bloom, and past the receipt.
  const at = encoded.bloomAt[2] - 1;
  assert.equal(bad[at], 0x00);
  bad[at] = 0xff;
  const before = Buffer.from(bad);
  assert.throws(() => loadAddon().receiptsRootSync(bad, offsets), (e: Error) => e instanceof RangeError && /^receipt 2: /.test(e.message));
  assert.deepEqual(bad, before);
  assert.throws(() => loadAddon().receiptsRootSync(data, Uint32Array.from([0, 1, 0])), RangeError);
});
