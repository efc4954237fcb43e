// A ReplicaNode's follower, step by step (in this process, the sequencer on-demand, the store a real
// PostgreSQL): eth_syncing reports the lag until the replica applies the blocks it was told of, the sequencer's
// own rejections reach the client unchanged, a PostgreSQL notification wakes it, and a state diff that does not produce the header's state root
// stops following at the block before it (its state taken back) instead of serving a wrong state.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { SequencerNode } from '../../sequencer/node/node.js';
import { RpcError } from '../../sequencer/rpc/errors.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { HeadListener } from '../../sequencer/replica/head-listener.js';
import { ReplicaNode } from '../../sequencer/replica/replica-node.js';
import { SequencerClient } from '../../sequencer/replica/sequencer-client.js';
import { DEV, signTx } from '../sequencer/helpers.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { until } from '../support/rpc-processes.js';

let server: PostgresServer;
let store: string;
let node: SequencerNode;
let rpc: RpcServer;
let replica: ReplicaNode;

before(async () => {
  server = await startPostgres();
  store = await server.createDatabase('follow');
  node = await SequencerNode.open({ dataDir: store, sealMode: 'on-demand' });
  rpc = await startRpcServer({ node, port: 0 });
  // No notifications and a poll far away: the follower moves only when woken.
  replica = await ReplicaNode.open({ store, sequencer: new SequencerClient(rpc.url), pollMs: 3_600_000, sequencerPollMs: 50 });
});

after(async () => {
  await replica?.close();
  await rpc?.close();
  await node?.close();
  await server?.stop();
});

test('eth_syncing reports the lag behind the sequencer until the replica has applied its blocks', async () => {
  assert.equal(replica.syncing(), false);
  await node.submitRawTransaction(signTx(DEV[1], { nonce: 0n, to: DEV[2].address, value: 5n }));
  for (let i = 0; i < 3; i++) await node.sealBlock(true);
  await until('the sequencer head polled', async () => replica.sequencerHead === 3n);
  assert.deepEqual(replica.syncing(), { startingBlock: 0n, currentBlock: 0n, highestBlock: 3n });
  assert.equal(replica.headNumber(), 0n);
  assert.equal(await replica.getBlockByNumber(1n), undefined, 'a block the replica has not applied is not served');
  replica.wake();
  await until('the replica at block 3', async () => replica.headNumber() === 3n);
  assert.equal(replica.syncing(), false);
  assert.equal(replica.latestState().getAccount(DEV[2].address.toLowerCase() as never)?.balance, node.getState().getAccount(DEV[2].address.toLowerCase() as never)?.balance);
});

test("the sequencer's rejection of a forwarded transaction reaches the client unchanged", async () => {
  const stale = signTx(DEV[1], { nonce: 0n, to: DEV[2].address, value: 6n });
  await assert.rejects(replica.submitRawTransaction(stale), (e: unknown) => e instanceof RpcError && e.code === -32000 && /nonce too low/.test(e.message) && (e.data as { reason?: string })?.reason === 'NONCE_TOO_LOW');
});

test('a PostgreSQL notification of a committed block wakes the follower (no poll due for an hour)', async () => {
  const listener = new HeadListener(store, () => replica.wake());
  listener.start();
  try {
    // The listener's first wake-up (on connecting) finds nothing new; the block committed after it is what wakes it.
    await new Promise((r) => setTimeout(r, 1500));
    await node.sealBlock(true);
    await until('the replica at block 4', async () => replica.headNumber() === 4n, 10_000);
  } finally {
    await listener.stop();
  }
});

test('a block whose stored diff does not give its state root stops following at the block before it', async () => {
  await node.submitRawTransaction(signTx(DEV[1], { nonce: 1n, to: DEV[2].address, value: 7n }));
  await node.sealBlock(true);
  const c = new pg.Client({ connectionString: store });
  await c.connect();
  try {
    const r = await c.query(`UPDATE account_history SET balance = (balance::numeric + 1)::text WHERE block = 5 AND address = decode($1, 'hex')`, [DEV[2].address.slice(2)]);
    assert.equal(r.rowCount, 1, 'the recipient changed in block 5');
  } finally {
    await c.end();
  }
  const recipientAt4 = replica.latestState().getAccount(DEV[2].address.toLowerCase() as never)?.balance;
  const rootAt4 = await replica.latestState().stateRoot();
  replica.wake();
  await until('the follower to stop', async () => replica.failure !== undefined);
  assert.equal(replica.latestState().getAccount(DEV[2].address.toLowerCase() as never)?.balance, recipientAt4, "the replica still serves block 4's state, not the rejected diff");
  assert.equal(await replica.latestState().stateRoot(), rootAt4);
  assert.match(replica.failure!.message, /replica state after block 5 has root 0x[0-9a-f]{64}, the block header says 0x[0-9a-f]{64}: stopped following/);
  assert.equal(replica.headNumber(), 4n, 'the diverged block is not announced');
  assert.equal(await replica.getBlockByNumber(5n), undefined);
});
