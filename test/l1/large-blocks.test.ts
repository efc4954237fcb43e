// Blocks a user can make large are still posted (issue #18, item 1): one transaction with ~125 KB of
// calldata, and a mempool drain of 1,500 transfers sealed as one block, are both more than a 120 kB calldata
// batch carries; the batcher posts each such block alone in blobs, L1's roots equal the node's headers, and
// a verifier re-derives the chain from L1 alone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { devGenesis } from '../../sequencer/genesis/dev.js';
import { Batcher, BatchStore, RollupReader, Verifier, blockBytesLimit, publicClientFor, startLocalL1 } from '../../sequencer/l1/index.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { freePort } from '../../sequencer/util/port.js';
import { DEV, signTx } from '../sequencer/helpers.js';

describe('large blocks reach L1', { timeout: 240_000 }, () => {
  it('a 125 KB-calldata transaction and a 1,500-transfer block are posted (in blobs) and re-derived', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'large-blocks-'));
    const genesis = devGenesis({ gasLimit: 60_000_000n }); // room for 1,500 transfers in one block
    const executor = await createExecutor('native');
    const node = await SequencerNode.open({ dataDir: dir, genesis, sealMode: 'on-demand', executor, scheduler: { maxBlockBytes: blockBytesLimit() } });
    const l1 = await startLocalL1({ port: await freePort(), genesisStateRoot: node.head().header.stateRoot, l2ChainId: node.chainId });
    const store = new BatchStore(join(dir, 'batches.sqlite'));
    await store.init();
    const rollup = l1.deployment.address;
    const logs: string[] = [];
    const batcher = new Batcher({ l1Url: l1.anvil.url, rollup, sequencerKey: l1.sequencerKey, l2ChainId: node.chainId, source: node.batchSource(), store, da: 'calldata', log: (lvl, msg) => logs.push(`${lvl} ${msg}`) });
    try {
      const big = signTx(DEV[0], { nonce: 0n, to: DEV[1].address, data: randomBytes(125_000), gasLimit: 6_000_000n });
      assert.ok(big.length > 125_000);
      await node.submitRawTransaction(big);
      assert.equal((await node.sealBlock())?.txHashes.length, 1);

      const raws: Uint8Array[] = [];
      for (let i = 0; i < 1_500; i++) {
        const sender = DEV[1 + (i % 9)];
        // Fresh recipients, as a real drain has: the block does not compress below a calldata batch.
        raws.push(signTx(sender, { nonce: BigInt(Math.floor(i / 9)), to: `0x${randomBytes(20).toString('hex')}`, value: BigInt(i + 1), gasLimit: 21_000n }));
      }
      const results = await node.submitRawTransactions(raws);
      assert.equal(results.filter((r) => 'error' in r).length, 0, JSON.stringify(results.find((r) => 'error' in r)));
      const drained = await node.sealBlock();
      assert.equal(drained?.txHashes.length, 1_500, 'the drain is one block');

      await batcher.flush(120_000);
      const reader = new RollupReader(publicClientFor(l1.anvil.url), rollup, l1.deployment.deployBlock);
      const head = node.head().header;
      assert.equal(await reader.lastL2Block(), head.number);
      assert.equal(await reader.lastStateRoot(), head.stateRoot);
      const batches = await store.all();
      assert.deepEqual(batches.map((b) => [b.first_block, b.last_block, b.da]), [[1, 1, 'blobs'], [2, 2, 'blobs']]);
      for (const b of batches) assert.ok(b.data.length > 120_000, `batch ${b.batch_index} is ${b.data.length} bytes`);
      assert.equal(logs.filter((l) => l.startsWith('error')).length, 0, logs.join('\n'));

      const verifier = new Verifier({ l1Url: l1.anvil.url, rollup, deployBlock: l1.deployment.deployBlock, l2ChainId: node.chainId, genesis: genesis.alloc, log: () => {} });
      const report = await verifier.sync();
      assert.ok(report.ok, JSON.stringify(report.firstBad, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
      assert.equal(report.stateRoot, head.stateRoot);
    } finally {
      await batcher.stop();
      await store.close();
      await node.close();
      await executor.close?.();
      await l1.stop();
    }
  });
});
