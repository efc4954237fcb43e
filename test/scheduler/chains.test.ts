// Predicted conflicts run as chains: swaps on one hot pool, each reading and writing its reserves, fill a block
// in a few rounds (the swaps of a round after the first run in one chain, each seeing the earlier ones'
// writes) where deferring them took a round per swap. In the next block the swaps join one chain from the
// first round (the pool's reserves were learned as contended keys of that call), so each runs once. Each
// block must still equal serial @ethereumjs/vm.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createExecutor, type ExecutorName } from '../../sequencer/executor/create-executor.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { toWord } from '../../sequencer/primitives/types.js';
import { SerialOracle } from '../sequencer/oracle.js';
import { ADDR, makeSenders, workloadGenesis } from '../sequencer/workload.js';
import { signTx } from '../sequencer/helpers.js';

const SENDERS = 40;

async function swapBlock(executor: ExecutorName, chains: boolean) {
  const senders = makeSenders(SENDERS, 3);
  const genesis = workloadGenesis(senders);
  const ex = await createExecutor(executor);
  const node = await SequencerNode.open({ dataDir: ':memory:', genesis, sealMode: 'on-demand', executor: ex, scheduler: { chains } });
  const oracle = await SerialOracle.create(genesis);
  try {
    const stats = [];
    for (const nonce of [0n, 1n]) {
      const raws = senders.map((s, i) =>
        signTx(s.key, { nonce, to: ADDR.amm, data: toWord(BigInt(1000 + i)), gasLimit: 120_000n, maxPriorityFeePerGas: BigInt(SENDERS - i) * 10n ** 8n, maxFeePerGas: 5n * 10n ** 9n }),
      );
      const res = await node.submitRawTransactions(raws);
      assert.equal(res.filter((r) => 'error' in r).length, 0);
      const block = await node.sealBlock();
      assert.ok(block);
      assert.equal(block.txHashes.length, SENDERS, 'every swap in the block');
      assert.equal(await oracle.replay(node, block.header.number), SENDERS);
      assert.equal(await oracle.stateRoot(), block.header.stateRoot, 'equal to serial @ethereumjs/vm');
      const s = node.recentStats().at(-1)!;
      stats.push({ rounds: s.rounds, executions: s.executions });
    }
    return stats;
  } finally {
    await node.close();
    await ex.close?.();
  }
}

for (const executor of ['native', 'reference'] as const) {
  test(`${executor}: ${SENDERS} swaps on one pool take a few rounds as a chain (one in the next block), a round each without`, async () => {
    const [first, next] = await swapBlock(executor, true);
    const [deferred] = await swapBlock(executor, false);
    console.log(executor, { first, next, deferred });
    assert.ok(first.rounds <= 3, `${first.rounds} rounds with chains`);
    assert.deepEqual(next, { rounds: 1, executions: SENDERS }, 'learned: one chain from the first round, each swap run once');
    assert.ok(deferred.rounds >= SENDERS / 2, `${deferred.rounds} rounds without chains`);
  });
}
