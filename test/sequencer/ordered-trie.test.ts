// orderedTrieRoot equals @ethereumjs/mpt with the same rlp(index) keys, for sizes around every nibble boundary.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { bytesToHex } from '@ethereumjs/util';
import { orderedTrieRoot } from '../../sequencer/block/ordered-trie.js';
import { seededRandom } from '../support/seeded-random.js';

test('orderedTrieRoot matches @ethereumjs/mpt', async () => {
  const rnd = seededRandom(5);
  for (const n of [0, 1, 2, 3, 15, 16, 17, 127, 128, 129, 200, 255, 256, 257, 1000]) {
    const values = Array.from({ length: n }, () => Uint8Array.from({ length: 1 + Math.floor(rnd() * 120) }, () => Math.floor(rnd() * 256)));
    const trie = await createMPT();
    for (let i = 0; i < n; i++) await trie.put(RLP.encode(i), values[i]);
    assert.equal(bytesToHex(orderedTrieRoot(values)), bytesToHex(trie.root()), `n = ${n}`);
  }
});
