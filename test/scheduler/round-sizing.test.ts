// Rounds are filled by the gas transactions are expected to use, while a transaction is still included only
// when its gas limit fits what the block has left (the inclusion rule). With limits at twice the use, filling
// by limits would halve the remaining room each round (30, 15, 7 ... transactions); by expected use the
// block fills in two rounds and holds exactly what the inclusion rule admits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Address } from '../../sequencer/primitives/types.js';
import { signTx } from '../sequencer/helpers.js';

const SENDERS = 60;
const TRANSFER_GAS = 21_000n;
// Recipients apart from the senders, so no transfer reads what another writes (no conflicts, no re-runs).
const recipient = (i: number): Address => `0x${(0xd000 + i).toString(16).padStart(40, '0')}` as Address;

test('a block of transactions whose gas limits are twice their use fills in two rounds, up to the inclusion rule', async () => {
  const keys = devAccounts(SENDERS);
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand', genesis: devGenesis({ accounts: SENDERS }) });
  try {
    const blockGas = TRANSFER_GAS * BigInt(SENDERS);
    node.setGasLimit(blockGas);
    const raws = keys.map((k, i) => signTx(k, { nonce: 0n, to: recipient(i), value: 1n, gasLimit: 2n * TRANSFER_GAS }));
    const results = await node.submitRawTransactions(raws);
    assert.equal(results.filter((r) => 'error' in r).length, 0);
    const block = await node.sealBlock();
    assert.ok(block);
    // Included while gasUsed + limit <= block gas: k transfers fit when 21000 k + 42000 <= 21000 * SENDERS.
    const admitted = SENDERS - 1;
    assert.equal(block.txHashes.length, admitted, 'the block holds what the inclusion rule admits');
    assert.equal(block.header.gasUsed, TRANSFER_GAS * BigInt(admitted));
    const stats = node.recentStats().at(-1)!;
    assert.equal(stats.rounds, 2, `${stats.rounds} rounds, ${stats.executions} executions`);
    assert.equal(stats.executions, admitted, 'only what the block admits ran, each once');
  } finally {
    await node.close();
  }
});
