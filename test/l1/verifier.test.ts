// Verifier mode: a verifier that starts from nothing but the genesis allocation and L1 re-derives every
// posted root (calldata and blob batches, deposits, forced transactions), and reports a tampered batch.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Batcher } from '../../sequencer/l1/batcher.js';
import { BatchStore } from '../../sequencer/l1/batch-store.js';
import { Verifier } from '../../sequencer/l1/verifier.js';
import { toAddress, type Address, type Hex } from '../../sequencer/primitives/types.js';
import type { SealedBatchSource, SealedL2Block } from '../../sequencer/l1/types.js';
import { DepositWatcher } from '../../sequencer/l1/deposit-watcher.js';
import { GUARDIAN_KEY, SEQUENCER_KEY, USER_L1_KEY, rollupWrite, startL1Env, type L1Env } from './support/l1-env.js';
import { L2_CHAIN_ID, genesisAlloc } from './support/l2-test-chain.js';

const quiet = () => {};
const BOB: Address = '0x0000000000000000000000000000000000000b0b';

describe('verifier', { timeout: 240_000 }, () => {
  let env: L1Env;
  let store: BatchStore;
  let watching: Verifier;
  const logs: string[] = [];
  const verifier = () =>
    new Verifier({
      l1Url: env.anvil.url,
      rollup: env.deployment.address,
      deployBlock: env.deployment.deployBlock,
      l2ChainId: L2_CHAIN_ID,
      genesis: genesisAlloc(env.l2.users.map((u) => toAddress(u.address))),
      log: (level, msg) => logs.push(`${level} ${msg}`),
    });

  before(async () => {
    env = await startL1Env();
    store = new BatchStore(join(env.dir, 'v.sqlite'));
    await store.init();
  });
  after(async () => {
    await store?.close();
    await env?.close();
  });

  test('re-derives every root from L1 data alone (calldata + blobs, deposits, forced tx, withdrawal)', async () => {
    const { l2 } = env;
    const watcher = new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: l2, log: quiet });
    await rollupWrite(env, USER_L1_KEY, 'depositETH', [BOB], 5n * 10n ** 17n);
    await rollupWrite(env, USER_L1_KEY, 'enqueueL2Transaction', [await l2.sign(1, { to: BOB, value: 99n, gas: 21_000n, data: '0x' })]);
    await watcher.poll();
    for (let i = 0; i < 6; i++) {
      const txs: Hex[] = [await l2.transfer(0, BOB, BigInt(i + 1)), await l2.transfer(2, toAddress(l2.users[0].address), 5n)];
      if (i === 3) txs.push(await l2.withdraw(0, BOB, 12345n));
      // Incompressible calldata: the blob batch holding block 5 needs more than one blob (gas above the EIP-7623 calldata floor).
      if (i === 4) txs.push(await l2.sign(1, { to: BOB, value: 0n, gas: 6_000_000n, data: `0x${randomBytes(140_000).toString('hex')}` }));
      await l2.produceBlock(txs);
    }
    for (const [da, upTo] of [['calldata', 3], ['blobs', 6]] as const) {
      const source: SealedBatchSource = { latestSealedBlockNumber: async () => BigInt(upTo), getSealedBlocks: (a, b) => l2.getSealedBlocks(a, b) };
      await new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source, store, da, maxBlocksPerBatch: 2, log: quiet }).flush(60_000);
    }
    assert.equal(await env.reader.nextBatchIndex(), 4n);
    const blobTx = await env.reader.client.getTransaction({ hash: (await env.reader.batchEvents())[2].l1TxHash as `0x${string}` });
    assert.ok((blobTx.blobVersionedHashes?.length ?? 0) >= 2, `batch 2 spans ${blobTx.blobVersionedHashes?.length} blobs`);
    const v = verifier();
    const report = await v.sync();
    assert.equal(report.ok, true, JSON.stringify(report.firstBad, (_, x) => (typeof x === 'bigint' ? x.toString() : x)));
    assert.equal(report.batches.length, 4);
    assert.equal(report.l2Head, 6n);
    assert.equal(report.stateRoot, l2.blocks[5].stateRoot);
    for (const vd of report.batches) assert.equal(vd.derivedRoot, vd.postedRoot);
    assert.equal(v.state.getAccount(BOB)?.balance, l2.state.getAccount(BOB)?.balance);
  });

  test('detects a tampered batch and reports it loudly', async () => {
    const { l2 } = env;
    await l2.produceBlock([await l2.transfer(0, BOB, 1000n)]);
    await l2.produceBlock([await l2.transfer(0, BOB, 1001n)]);
    // A lying sequencer: block 8 claims a root that its transactions do not produce.
    const lie: Hex = `0x${'ab'.repeat(32)}`;
    const tampered: SealedBatchSource = {
      latestSealedBlockNumber: () => l2.latestSealedBlockNumber(),
      getSealedBlocks: async (a, b) => (await l2.getSealedBlocks(a, b)).map((blk): SealedL2Block => (blk.number === 8n ? { ...blk, stateRoot: lie } : blk)),
    };
    await new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: tampered, store, maxBlocksPerBatch: 2, log: quiet }).flush(30_000);
    assert.equal(await env.reader.lastStateRoot(), lie, 'L1 accepted the lie (no proofs): the verifier is the check');
    watching = verifier();
    const report = await watching.sync();
    assert.equal(report.ok, false);
    assert.equal(report.firstBad?.batchIndex, 4n);
    assert.equal(report.firstBad?.postedRoot, lie);
    assert.equal(report.firstBad?.derivedRoot, l2.blocks[7].stateRoot);
    assert.match(report.firstBad?.error ?? '', /block 8: derived root .* != claimed/);
    assert.ok(logs.some((l) => l.startsWith('error !!! L2 STATE MISMATCH: batch 4')), logs.join('\n'));

    // The same from the command line: exit status 2 and the mismatch on stdout.
    const alloc: Record<string, Record<string, unknown>> = {};
    for (const [a, g] of genesisAlloc(l2.users.map((u) => toAddress(u.address)))) {
      alloc[a] = { balance: `0x${(g.balance ?? 0n).toString(16)}`, code: g.code ? `0x${Buffer.from(g.code).toString('hex')}` : undefined };
    }
    const allocFile = join(env.dir, 'alloc.json');
    writeFileSync(allocFile, JSON.stringify(alloc));
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'sequencer/l1/verify-cli.ts', '--l1', env.anvil.url, '--rollup', env.deployment.address, '--l2-chain-id', L2_CHAIN_ID.toString(), '--genesis', allocFile], { encoding: 'utf8' });
    assert.equal(cli.status, 2, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /MISMATCH batch 4 blocks 7\.\.8/);
  });

  test('after the guardian rolls the bad batch back and the honest one is posted, the verifier recovers', async () => {
    const { l2 } = env;
    await assert.rejects(rollupWrite(env, USER_L1_KEY, 'rollBack', [4n]), /NotGuardian/);
    await rollupWrite(env, GUARDIAN_KEY, 'rollBack', [4n]);
    assert.equal(await env.reader.nextBatchIndex(), 4n);
    assert.equal(await env.reader.lastStateRoot(), l2.blocks[5].stateRoot);
    let report = await watching.sync();
    assert.equal(report.ok, true, `the bad batch is gone from L1: ${report.firstBad?.error}`);
    assert.equal(report.l2Head, 6n);
    // An honest batcher (fresh store: it continues from what L1 holds) re-posts blocks 7..8.
    const honest = new BatchStore(join(env.dir, 'honest.sqlite'));
    await honest.init();
    await new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: l2, store: honest, maxBlocksPerBatch: 2, log: quiet }).flush(30_000);
    await honest.close();
    report = await watching.sync();
    assert.equal(report.ok, true, report.firstBad?.error);
    assert.equal(report.l2Head, 8n);
    assert.equal(report.batches.at(-1)?.derivedRoot, l2.blocks[7].stateRoot);
    assert.equal(report.batches.at(-1)?.postedRoot, l2.blocks[7].stateRoot);
  });

  test('detects altered transaction data under an honest-looking root', async () => {
    // A fresh chain where the batch data carries a different transaction than the block executed.
    const e2 = await startL1Env();
    try {
      const { l2 } = e2;
      await l2.produceBlock([await l2.transfer(0, BOB, 5n)]);
      const other = await l2.transfer(1, BOB, 6n); // signed but never executed by the producer
      const swapped: SealedBatchSource = {
        latestSealedBlockNumber: () => l2.latestSealedBlockNumber(),
        getSealedBlocks: async (a, b) => (await l2.getSealedBlocks(a, b)).map((blk) => ({ ...blk, txs: [other] })),
      };
      const s2 = new BatchStore(join(e2.dir, 's.sqlite'));
      await s2.init();
      await new Batcher({ l1Url: e2.anvil.url, rollup: e2.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: swapped, store: s2, log: quiet }).flush(30_000);
      await s2.close();
      const report = await new Verifier({
        l1Url: e2.anvil.url,
        rollup: e2.deployment.address,
        deployBlock: e2.deployment.deployBlock,
        l2ChainId: L2_CHAIN_ID,
        genesis: genesisAlloc(l2.users.map((u) => toAddress(u.address))),
        log: quiet,
      }).sync();
      assert.equal(report.ok, false);
      assert.equal(report.firstBad?.batchIndex, 0n);
      assert.match(report.firstBad?.error ?? '', /derived root/);
    } finally {
      await e2.close();
    }
  });
});
