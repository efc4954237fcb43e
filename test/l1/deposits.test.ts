// L1 deposits and forced inclusion: an ETH deposit made on L1 is observed by the watcher and minted on L2;
// a forced L2 transaction skipped past the inclusion window makes the batch revert; included, it executes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { privateKeyToAccount } from 'viem/accounts';
import { Batcher } from '../../sequencer/l1/batcher.js';
import { BatchStore } from '../../sequencer/l1/batch-store.js';
import { DepositWatcher } from '../../sequencer/l1/deposit-watcher.js';
import { toAddress, type Hex } from '../../sequencer/primitives/types.js';
import { QUEUE_ETH_DEPOSIT, QUEUE_L2_TX } from '../../sequencer/l1/types.js';
import { SEQUENCER_KEY, USER_L1_KEY, rollupWrite, startL1Env, type L1Env } from './support/l1-env.js';
import { L2_CHAIN_ID } from './support/l2-test-chain.js';

const quiet = () => {};
const RECIPIENT = toAddress('0x00000000000000000000000000000000000d0d0d');
const FORCED_TO = toAddress('0x00000000000000000000000000000000000f0f0f');

function batcherFor(env: L1Env, name: string) {
  const store = new BatchStore(join(env.dir, `${name}.sqlite`));
  return { store, make: () => new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: env.l2, store, log: quiet }) };
}

describe('deposits and forced inclusion', { timeout: 180_000 }, () => {
  const envs: L1Env[] = [];
  after(async () => Promise.all(envs.map((e) => e.close())));

  test('an ETH deposit on L1 reaches the sink and is minted on L2; the batch consumes it', async () => {
    const env = await startL1Env();
    envs.push(env);
    const l1User = toAddress(privateKeyToAccount(USER_L1_KEY).address);
    await rollupWrite(env, USER_L1_KEY, 'depositETH', [RECIPIENT], 10n ** 18n);
    const watcher = new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: env.l2, log: quiet });
    assert.equal(await watcher.poll(), 1);
    assert.equal(await watcher.poll(), 0, 'delivered once');
    const item = env.l2.pendingQueue[0];
    assert.equal(item.kind, QUEUE_ETH_DEPOSIT);
    assert.equal(item.l1Sender, l1User);
    assert.equal(item.to, RECIPIENT);
    assert.equal(item.value, 10n ** 18n);
    await env.l2.produceBlock([]);
    assert.equal(env.l2.state.getAccount(RECIPIENT)?.balance, 10n ** 18n, 'minted on L2');
    const { store, make } = batcherFor(env, 'dep');
    await store.init();
    await make().flush(30_000);
    assert.equal(await env.reader.queueConsumed(), 1n);
    assert.equal(await env.reader.lastStateRoot(), env.l2.blocks[0].stateRoot);
    // A second watcher over the same sink (a restart) delivers nothing twice.
    const again = new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: env.l2, log: quiet });
    assert.equal(await again.poll(), 0);
    await store.close();
  });

  test('a forced transaction skipped past the window makes the batch revert', async () => {
    const env = await startL1Env({ forceInclusionWindow: 600n });
    envs.push(env);
    const forced = await env.l2.sign(2, { to: FORCED_TO, value: 777n, gas: 21_000n, data: '0x' });
    await rollupWrite(env, USER_L1_KEY, 'enqueueL2Transaction', [forced]);
    const watcher = new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: env.l2, log: quiet });
    assert.equal(await watcher.poll(), 1);
    assert.equal(env.l2.pendingQueue[0].kind, QUEUE_L2_TX);
    // The sequencer censors it: a block that consumes no queue item.
    await env.l2.produceBlock([await env.l2.transfer(0, FORCED_TO, 1n)], 0);
    await env.rpc('evm_increaseTime', [601]);
    await env.rpc('evm_mine');
    const b = env.l2.blocks[0];
    const header = { batchIndex: 0n, prevStateRoot: env.l2.genesisRoot, newStateRoot: b.stateRoot, firstBlock: 1n, lastBlock: 1n, queueIndexAfter: 0n };
    await assert.rejects(rollupWrite(env, SEQUENCER_KEY, 'submitBatch', [header, '0x01']), /ForcedInclusionRequired/);
    // The batcher refuses to send it, loudly, and L1 has no batch.
    const { store, make } = batcherFor(env, 'censor');
    await store.init();
    const batcher = make();
    await assert.rejects(batcher.tick(), /would revert on L1.*ForcedInclusionRequired/);
    assert.equal(await env.reader.nextBatchIndex(), 0n);
    await store.close();
  });

  test('a forced transaction included in time executes on L2 and the batch lands', async () => {
    const env = await startL1Env({ forceInclusionWindow: 600n });
    envs.push(env);
    const forced: Hex = await env.l2.sign(2, { to: FORCED_TO, value: 777n, gas: 21_000n, data: '0x' });
    const bogus: Hex = '0x02c0'; // undecodable: consumed without effect
    await rollupWrite(env, USER_L1_KEY, 'enqueueL2Transaction', [forced]);
    await rollupWrite(env, USER_L1_KEY, 'enqueueL2Transaction', [bogus]);
    const watcher = new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: env.l2, log: quiet });
    assert.equal(await watcher.poll(), 2);
    await env.l2.produceBlock([await env.l2.transfer(0, FORCED_TO, 1n)]);
    assert.equal(env.l2.state.getAccount(FORCED_TO)?.balance, 778n, 'forced transfer executed');
    await env.rpc('evm_increaseTime', [601]);
    await env.rpc('evm_mine');
    const { store, make } = batcherFor(env, 'forced');
    await store.init();
    await make().flush(30_000);
    assert.equal(await env.reader.queueConsumed(), 2n);
    assert.equal(await env.reader.lastStateRoot(), env.l2.blocks[0].stateRoot);
    await store.close();
  });
});

describe('deposit watcher loop', { timeout: 60_000 }, () => {
  test('start() delivers deposits as they come, in order, exactly once', async () => {
    const env = await startL1Env();
    try {
      const watcher = new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: env.l2, pollIntervalMs: 50, log: quiet });
      watcher.start();
      for (let i = 1n; i <= 3n; i++) await rollupWrite(env, USER_L1_KEY, 'depositETH', [RECIPIENT], i);
      const deadline = Date.now() + 10_000;
      while (env.l2.pendingQueue.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300)); // a few more polls: nothing is delivered twice
      await watcher.stop();
      assert.deepEqual(env.l2.pendingQueue.map((q) => [q.queueIndex, q.value]), [[0n, 1n], [1n, 2n], [2n, 3n]]);
    } finally {
      await env.close();
    }
  });
});
