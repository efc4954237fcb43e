// blockSize (from the header's RLP and the raw transactions' lengths) equals the length of the block's RLP
// encoded in full, rlp([header, txs, [], []]) with legacy transactions as lists and typed ones as strings,
// for counts around the RLP length-of-length boundaries.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createBlockHeader } from '@ethereumjs/block';
import { RLP } from '@ethereumjs/rlp';
import { blockSize } from '../../sequencer/block/builder.js';
import { commonFor } from '../../sequencer/chain/common.js';
import { randomSignedTxs } from '../support/random-txs.js';

test('blockSize equals the length of the fully encoded block', () => {
  const headerRlp = createBlockHeader({ number: 3n, gasLimit: 30_000_000n }, { common: commonFor(42069n, 'Osaka'), skipConsensusFormatValidation: true }).serialize();
  const raws = randomSignedTxs(21, 300, { chainId: 42069n }).map((t) => t.raw);
  for (const n of [0, 1, 2, 3, 5, 40, 300]) {
    const txs = raws.slice(0, n);
    const full = RLP.encode([RLP.decode(headerRlp) as Uint8Array[], txs.map((r) => (r[0] >= 0xc0 ? RLP.decode(r) : r)) as never, [], []]);
    assert.equal(blockSize(headerRlp, txs), full.length, `${n} txs`);
  }
});
