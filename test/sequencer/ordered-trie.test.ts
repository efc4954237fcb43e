// The ordered trie (rlp(index) -> value: a block's transactions and receipts tries) against @ethereumjs/mpt
// with the same keys: the native builder (the addon's orderedTrieRootSync) and the TypeScript one (the
// fallback without the addon), on random values around every nibble and RLP key-width boundary, on values
// short enough that nodes are embedded in their parents, and on signed transactions of every type.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { bytesToHex } from '@ethereumjs/util';
import { loadAddon } from '../../sequencer/native/addon.js';
import { orderedTrieRoot, orderedTrieRootTs } from '../../sequencer/block/ordered-trie.js';
import { seededRandom } from '../support/seeded-random.js';
import { randomSignedTxs } from '../support/random-txs.js';

async function referenceRoot(values: readonly Uint8Array[]): Promise<string> {
  const trie = await createMPT();
  for (let i = 0; i < values.length; i++) await trie.put(RLP.encode(i), values[i]);
  return bytesToHex(trie.root());
}

function randomValues(rnd: () => number, n: number, maxLen: number): Uint8Array[] {
  return Array.from({ length: n }, () => Uint8Array.from({ length: 1 + Math.floor(rnd() * maxLen) }, () => Math.floor(rnd() * 256)));
}

test('orderedTrieRoot (native) and orderedTrieRootTs equal @ethereumjs/mpt on random values', async () => {
  assert.equal(typeof loadAddon().orderedTrieRootSync, 'function', 'the addon has the native ordered trie');
  const rnd = seededRandom(5);
  const sizes = [0, 1, 2, 3, 15, 16, 17, 127, 128, 129, 200, 255, 256, 257, 1000, 1 + Math.floor(rnd() * 3000)];
  // 600 bytes: leaves of several keccak blocks; 3 bytes: leaves (and some extensions) embedded in their parent.
  for (const maxLen of [600, 3]) {
    for (const n of sizes) {
      const values = randomValues(rnd, n, maxLen);
      const expected = await referenceRoot(values);
      assert.equal(bytesToHex(orderedTrieRoot(values)), expected, `native, n = ${n}, values up to ${maxLen} bytes`);
      assert.equal(bytesToHex(orderedTrieRootTs(values)), expected, `TypeScript, n = ${n}, values up to ${maxLen} bytes`);
    }
  }
});

test('orderedTrieRoot of signed transactions of every type (legacy, 2930, 1559, 4844, 7702) equals @ethereumjs/mpt', async () => {
  for (const types of [[0], [1], [2], [3], [4], [0, 1, 2, 3, 4]] as (0 | 1 | 2 | 3 | 4)[][]) {
    const raws = randomSignedTxs(11 + types.length * 7 + types[0], types.length === 1 ? 130 : 300, { chainId: 42069n, types }).map((t) => t.raw);
    assert.equal(bytesToHex(orderedTrieRoot(raws)), await referenceRoot(raws), `types ${types.join(',')}, ${raws.length} txs`);
  }
});

test('orderedTrieRootSync refuses an empty item and bad offsets with a RangeError', () => {
  const { orderedTrieRootSync } = loadAddon();
  const data = Uint8Array.from([1, 2, 3]);
  assert.throws(() => orderedTrieRootSync(data, Uint32Array.from([0, 1, 1, 3])), (e: Error) => e instanceof RangeError && /item 1 is empty/.test(e.message));
  assert.throws(() => orderedTrieRootSync(data, Uint32Array.from([0, 2, 1])), (e: Error) => e instanceof RangeError && /offsets\[2\]/.test(e.message));
  assert.throws(() => orderedTrieRootSync(data, Uint32Array.from([0, 4])), (e: Error) => e instanceof RangeError && /past the end/.test(e.message));
  assert.throws(() => orderedTrieRootSync(data, new Uint32Array(0)), RangeError);
});
