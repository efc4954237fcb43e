// The builder's one-pass receipt encoder and memoised logs bloom (block/receipt-rlp.ts) against @ethereumjs/vm
// (encodeReceipt, Bloom) on random receipts: every type, success and failure, no logs to many, empty to
// long data, gas values across the RLP length boundaries.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Bloom, encodeReceipt as referenceEncodeReceipt } from '@ethereumjs/vm';
import { BloomHasher, encodeReceipt } from '../../sequencer/block/receipt-rlp.js';
import type { Log } from '../../sequencer/executor/types.js';
import { bytesToHex, hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { rng } from '../../bench/workloads.js';

test('receipt encoding and logs bloom equal @ethereumjs/vm on random receipts', () => {
  const rand = rng(7);
  const int = (n: number) => Math.floor(rand() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  // A few addresses and topics, so the bloom's memo is hit as in a real block.
  const addresses = Array.from({ length: 4 }, () => bytesToHex(bytes(20)) as Address);
  const topics = Array.from({ length: 6 }, () => bytesToHex(bytes(32)) as Hex);
  const hasher = new BloomHasher();
  // Not 0: the reference writes 0 as the byte 0x00 (non-canonical); a mined receipt's cumulative gas is >= 21,000.
  const gasValues = [1n, 127n, 128n, 255n, 256n, 21_000n, (1n << 56n) - 1n, 1n << 63n];
  for (let i = 0; i < 400; i++) {
    const logs: Log[] = Array.from({ length: i === 1 ? 1 : [0, 1, 1, 2, 3, 40][int(6)] }, () => ({
      address: addresses[int(addresses.length)],
      topics: Array.from({ length: int(5) }, () => topics[int(topics.length)]),
      // Lengths around the single-byte, 55-byte and 1- to 3-byte length forms.
      data: bytes(i === 1 ? 70_000 : [0, 1, 2, 31, 55, 56, 300, 1_100][int(8)]).map((b, j, a) => (a.length === 1 && j === 0 && i % 2 === 0 ? b & 0x7f : b)),
    }));
    const type = int(5) as 0 | 1 | 2 | 3 | 4;
    const success = rand() < 0.8;
    const cumulativeGasUsed = i < gasValues.length ? gasValues[i] : BigInt(int(30_000_000));

    const oracleBloom = new Bloom();
    for (const l of logs) {
      oracleBloom.add(hexToU8(l.address));
      for (const t of l.topics) oracleBloom.add(hexToU8(t));
    }
    // Half the receipts hash their items in one batch first (as the builder does per block), half one by one.
    if (i % 2 === 0) hasher.prepare(logs);
    const bloom = hasher.bloom(logs);
    assert.deepEqual(bloom, oracleBloom.bitvector, `bloom of receipt ${i}`);

    const expected = referenceEncodeReceipt(
      { status: success ? 1 : 0, cumulativeBlockGasUsed: cumulativeGasUsed, bitvector: bloom, logs: logs.map((l) => [hexToU8(l.address), l.topics.map(hexToU8), l.data]) } as never,
      type,
    );
    assert.equal(bytesToHex(encodeReceipt({ type, success, cumulativeGasUsed, bloom, logs })), bytesToHex(expected), `receipt ${i} (type ${type}, ${logs.length} logs)`);
  }
});
