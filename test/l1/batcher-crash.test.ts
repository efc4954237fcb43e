// The batcher killed (SIGKILL, its own process) between signing and broadcasting, or between broadcasting
// and confirmation, neither posts a batch twice nor loses one; stuck transactions are re-priced with the same
// nonce; an L1 outage only delays batches.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { privateKeyToAccount } from 'viem/accounts';
import { Batcher } from '../../sequencer/l1/batcher.js';
import { BatchStore } from '../../sequencer/l1/batch-store.js';
import { toAddress } from '../../sequencer/primitives/types.js';
import type { SealedBatchSource } from '../../sequencer/l1/types.js';
import { SEQUENCER_KEY, startL1Env, type L1Env } from './support/l1-env.js';
import { L2_CHAIN_ID } from './support/l2-test-chain.js';
import { freePort } from '../../sequencer/util/port.js';

const quiet = () => {};
const SEQ = toAddress(privateKeyToAccount(SEQUENCER_KEY).address);

async function runChildUntil(env: L1Env, db: string, crashAt: string, upTo: number): Promise<string> {
  const blocksFile = join(env.dir, 'blocks.json');
  writeFileSync(blocksFile, JSON.stringify(env.l2.blocks.slice(0, upTo), (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/l1/support/batcher-child.ts'], {
    env: { ...process.env, BLOCKS_FILE: blocksFile, DB: db, L1_URL: env.anvil.url, ROLLUP: env.deployment.address, SEQUENCER_KEY, L2_CHAIN_ID: L2_CHAIN_ID.toString(), CRASH_AT: crashAt },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child never reached ${crashAt}: ${out} ${err.slice(-2000)}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /AT \S+ \d+ 0x[0-9a-f]+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before ${crashAt}: ${out} ${err.slice(-2000)}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return line;
}

describe('batcher crash safety', { timeout: 240_000 }, () => {
  let env: L1Env;
  before(async () => {
    env = await startL1Env();
    for (let i = 0; i < 4; i++) await env.l2.produceBlock([await env.l2.transfer(0, '0x0000000000000000000000000000000000000abc', BigInt(i + 1))]);
  });
  after(async () => env?.close());

  const nonceOnL1 = () => env.reader.client.getTransactionCount({ address: SEQ });
  const sourceUpTo = (n: number): SealedBatchSource => ({ latestSealedBlockNumber: async () => BigInt(n), getSealedBlocks: (a, b) => env.l2.getSealedBlocks(a, b) });

  test('killed after broadcast, before confirmation: the restarted batcher adopts the landed tx, posts nothing twice', async () => {
    const db = join(env.dir, 'crash.sqlite');
    await env.rpc('evm_setAutomine', [false]);
    const line = await runChildUntil(env, db, 'after-broadcast', 1);
    const txHash = line.split(' ')[3];
    assert.match(line, /^AT after-broadcast 0 /);
    assert.equal(await env.reader.nextBatchIndex(), 0n, 'not mined yet');
    await env.rpc('evm_mine');
    await env.rpc('evm_setAutomine', [true]);
    const receipt = await env.reader.client.getTransactionReceipt({ hash: txHash as `0x${string}` });
    assert.equal(receipt.status, 'success');
    const store = new BatchStore(db);
    await store.init();
    await new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: sourceUpTo(1), store, maxBlocksPerBatch: 1, log: quiet }).flush(30_000);
    assert.equal(await env.reader.nextBatchIndex(), 1n);
    assert.equal(await nonceOnL1(), 1, 'exactly one L1 transaction from the sequencer');
    const rows = await store.all();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'confirmed');
    assert.equal(rows[0].confirmed_tx_hash, txHash);
    assert.equal((await store.attempts(0)).length, 1, 'no second attempt');
    await store.close();
  });

  test('killed after signing, before broadcast: the restarted batcher sends that same transaction', async () => {
    const db = join(env.dir, 'crash.sqlite');
    const line = await runChildUntil(env, db, 'before-broadcast', 2);
    const txHash = line.split(' ')[3];
    assert.match(line, /^AT before-broadcast 1 /);
    assert.equal(await env.reader.nextBatchIndex(), 1n, 'batch 1 not on L1');
    const store = new BatchStore(db);
    await store.init();
    await new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: sourceUpTo(2), store, maxBlocksPerBatch: 1, log: quiet }).flush(30_000);
    assert.equal(await env.reader.nextBatchIndex(), 2n);
    assert.equal(await nonceOnL1(), 2);
    assert.equal((await store.get(1))?.confirmed_tx_hash, txHash, 'the recorded transaction is the one that landed');
    assert.equal((await store.attempts(1)).length, 1);
    assert.equal(await env.reader.lastStateRoot(), env.l2.blocks[1].stateRoot);
    await store.close();
  });

  test('a stuck transaction is re-priced with the same nonce; only one lands', async () => {
    const db = join(env.dir, 'crash.sqlite');
    const store = new BatchStore(db);
    await store.init();
    const batcher = new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: sourceUpTo(3), store, maxBlocksPerBatch: 1, bumpAfterMs: 0, log: quiet });
    await env.rpc('evm_setAutomine', [false]);
    try {
      await batcher.tick(); // builds batch 2, signs and broadcasts
      await batcher.tick(); // not mined: re-priced
      await batcher.tick(); // and again
    } finally {
      await env.rpc('evm_mine');
      await env.rpc('evm_setAutomine', [true]);
    }
    const attempts = await store.attempts(2);
    assert.ok(attempts.length >= 3, `attempts: ${attempts.length}`);
    assert.equal(new Set(attempts.map((a) => a.nonce)).size, 1, 'one nonce');
    for (let i = 1; i < attempts.length; i++) assert.ok(BigInt(attempts[i].max_fee_per_gas) > BigInt(attempts[i - 1].max_fee_per_gas), 'fees rise');
    await batcher.flush(30_000);
    assert.equal(await env.reader.nextBatchIndex(), 3n);
    assert.equal(await nonceOnL1(), 3);
    assert.equal((await store.get(2))?.confirmed_tx_hash, attempts.at(-1)!.tx_hash, 'the last price won');
    await store.close();
  });

  test('an L1 outage delays batches and loses none', async () => {
    // The batcher talks to L1 through a proxy that we take down and bring back.
    let down = true;
    const port = await freePort();
    const proxy: Server = createServer(async (req, res) => {
      if (down) return res.destroy();
      const body = await new Promise<Buffer>((r) => {
        const parts: Buffer[] = [];
        req.on('data', (d: Buffer) => parts.push(d)).on('end', () => r(Buffer.concat(parts)));
      });
      const upstream = await fetch(env.anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.toString('utf8') });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
    const store = new BatchStore(join(env.dir, 'crash.sqlite'));
    await store.init();
    const errors: string[] = [];
    const batcher = new Batcher({ l1Url: `http://127.0.0.1:${port}`, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: sourceUpTo(4), store, maxBlocksPerBatch: 1, pollIntervalMs: 100, log: (lvl, msg) => lvl !== 'info' && errors.push(msg) });
    try {
      batcher.start();
      await new Promise((r) => setTimeout(r, 800));
      assert.ok(errors.length > 0, 'the outage is reported');
      assert.equal(await env.reader.nextBatchIndex(), 3n, 'nothing posted while L1 is down');
      down = false;
      const deadline = Date.now() + 30_000;
      while ((await env.reader.nextBatchIndex()) < 4n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await env.reader.nextBatchIndex(), 4n);
      assert.equal(await env.reader.lastStateRoot(), env.l2.blocks[3].stateRoot);
      assert.equal(await nonceOnL1(), 4);
    } finally {
      await batcher.stop();
      await store.close();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
