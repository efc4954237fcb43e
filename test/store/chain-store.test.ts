// The ChainStore contract, one suite run unchanged against SQLite and a real PostgreSQL server: blocks,
// transactions, receipts and logs; mempool rows; L1 queue bookkeeping; current state; state history at
// every block (wipes, deletions, re-creation); pruning; one transaction per block (a failing block leaves
// nothing); migrations that are idempotent on reopen.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { sql, type Kysely } from 'kysely';
import { migrateUpTo } from '../../sequencer/store/migrations.js';
import type { KyselyChainStore } from '../../sequencer/store/kysely-store.js';
import { openChainStore, type StoreOptions } from '../../sequencer/store/open-store.js';
import type { BlockCommit, ChainStore, StateDiff, StoredAccount, StoredBlock, StoredReceipt, StoredTx } from '../../sequencer/store/store.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';

const hex = (n: number | bigint, bytes: number): Hex => `0x${n.toString(16).padStart(bytes * 2, '0')}` as Hex;
const addr = (n: number): Address => hex(n, 20) as Address;
const slot = (n: number): Hex => hex(n, 32);
const EMPTY_CODE: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

function block(n: bigint): StoredBlock {
  return { number: n, hash: hex(0xb000n + n, 32), header: Uint8Array.from([0xf9, Number(n & 0xffn), 1, 2, 3]), size: 500 + Number(n) };
}

function emptyDiff(): StateDiff {
  return { accounts: new Map(), storageResets: new Set(), slots: new Map(), code: new Map() };
}

function account(a: Address, nonce: bigint, balance: bigint, codeHash: Hex = EMPTY_CODE): StoredAccount {
  return { address: a, nonce, balance, codeHash };
}

function commitOf(n: bigint, state: StateDiff, extra: Partial<BlockCommit> = {}): BlockCommit {
  return { block: block(n), txs: [], receipts: [], state, removeFromMempool: [], ...extra };
}

/** A block with `count` transactions from sender 0xaa.., each with one receipt and two logs. */
function txBlock(n: bigint, count: number): { txs: StoredTx[]; receipts: StoredReceipt[] } {
  const b = block(n);
  const txs: StoredTx[] = [];
  const receipts: StoredReceipt[] = [];
  for (let i = 0; i < count; i++) {
    const hash = hex(Number(n) * 1000 + i, 32);
    txs.push({ hash, blockNumber: n, blockHash: b.hash, index: i, sender: addr(0xaa), raw: Uint8Array.from([2, i, Number(n)]) });
    receipts.push({
      txHash: hash,
      blockNumber: n,
      blockHash: b.hash,
      index: i,
      status: i % 2 === 0 ? 1 : 0,
      gasUsed: 21000n + BigInt(i),
      cumulativeGasUsed: 21000n * BigInt(i + 1),
      effectiveGasPrice: 10n ** 9n,
      blobGasUsed: 0n,
      contractAddress: i === 0 ? addr(0xc0) : null,
      logs: [
        { address: addr(0x10 + i), topics: [slot(1), slot(100 + i)], data: Uint8Array.from([i]), logIndex: i * 2 },
        { address: addr(0x20), topics: [slot(2)], data: new Uint8Array(0), logIndex: i * 2 + 1 },
      ],
    });
  }
  return { txs, receipts };
}

interface Backend {
  name: string;
  /** A new empty store location. */
  location(): Promise<string>;
}

let pgServer: PostgresServer | undefined;
const tempDirs: string[] = [];
let dbCounter = 0;

const backends: Backend[] = [
  {
    name: 'sqlite',
    location: async () => {
      const d = mkdtempSync(join(tmpdir(), 'store-test-'));
      tempDirs.push(d);
      return d;
    },
  },
  {
    name: 'postgres',
    location: async () => {
      pgServer ??= await startPostgres();
      return pgServer.createDatabase(`store_test_${process.pid}_${dbCounter++}`);
    },
  },
];

after(async () => {
  await pgServer?.stop();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

for (const backend of backends) {
  describe(`ChainStore on ${backend.name}`, () => {
    const open = async (opts: StoreOptions = {}): Promise<{ store: ChainStore; location: string }> => {
      const location = await backend.location();
      return { store: await openChainStore(location, opts), location };
    };
    let warm: ChainStore | undefined;
    before(async () => {
      // Starts the server (PostgreSQL) outside the first test's time.
      warm = (await open()).store;
      await warm.close();
    });

    test('blocks, transactions, receipts and logs round-trip; head and recent hashes', async () => {
      const { store } = await open();
      try {
        assert.equal(await store.head(), null);
        await store.commitGenesis(block(0n), emptyDiff());
        for (let n = 1n; n <= 3n; n++) await store.commitBlock(commitOf(n, emptyDiff(), txBlock(n, Number(n))));
        const head = await store.head();
        assert.equal(head?.number, 3n);
        assert.deepEqual(await store.blockByNumber(2n), block(2n));
        assert.deepEqual(await store.blockByHash(block(1n).hash), block(1n));
        assert.equal(await store.blockByNumber(9n), null);
        assert.deepEqual(await store.recentBlockHashes(2), [block(3n).hash, block(2n).hash]);
        const want = txBlock(3n, 3);
        assert.deepEqual(await store.txsOfBlock(3n), want.txs);
        assert.deepEqual(await store.tx(want.txs[1].hash), want.txs[1]);
        assert.deepEqual(await store.receipt(want.txs[0].hash), want.receipts[0]);
        assert.deepEqual(await store.receiptsOfBlock(3n), want.receipts);
        assert.equal(await store.tx(hex(1, 32)), null);

        const all = await store.logs({ fromBlock: 0n, toBlock: 3n });
        assert.equal(all.length, 2 * (1 + 2 + 3));
        assert.deepEqual(
          all.map((l) => [l.blockNumber, l.logIndex]),
          [...all].sort((a, b) => Number(a.blockNumber - b.blockNumber) || a.logIndex - b.logIndex).map((l) => [l.blockNumber, l.logIndex]),
        );
        const byAddress = await store.logs({ fromBlock: 2n, toBlock: 3n, addresses: [addr(0x11)] });
        assert.deepEqual(byAddress.map((l) => [l.blockNumber, l.txIndex]), [[2n, 1], [3n, 1]]);
        const byTopic = await store.logs({ fromBlock: 0n, toBlock: 3n, topics: [[slot(1)], [slot(102)]] });
        assert.deepEqual(byTopic.map((l) => l.blockNumber), [3n]);
        const wildcard = await store.logs({ fromBlock: 0n, toBlock: 3n, topics: [null, [slot(100)]] });
        assert.equal(wildcard.length, 3);
        assert.equal((await store.logs({ fromBlock: 0n, toBlock: 3n, blockHash: block(2n).hash })).length, 4);
        assert.equal((await store.logs({ fromBlock: 0n, toBlock: 3n, limit: 5 })).length, 5);
        assert.deepEqual(await store.logs({ fromBlock: 0n, toBlock: 3n, topics: [null, null, null, null, [slot(1)]] }), []);
      } finally {
        await store.close();
      }
    });

    test('mempool rows: insert, ignore duplicates, delete with the block that includes them', async () => {
      const { store } = await open();
      try {
        await store.commitGenesis(block(0n), emptyDiff());
        const row = (i: number) => ({ hash: hex(0xe000 + i, 32), sender: addr(i % 2), nonce: BigInt(i), raw: Uint8Array.from([i, i]), seq: i });
        await store.updateMempool([row(0), row(1), row(2)], []);
        await store.updateMempool([row(2), row(3)], [row(1).hash]);
        assert.deepEqual(await store.loadMempool(), [row(0), row(2), row(3)]);
        await store.commitBlock(commitOf(1n, emptyDiff(), { removeFromMempool: [row(0).hash, row(3).hash] }));
        assert.deepEqual(await store.loadMempool(), [row(2)]);
      } finally {
        await store.close();
      }
    });

    test('L1 queue items and the queue index recorded per block', async () => {
      const { store } = await open();
      try {
        await store.commitGenesis(block(0n), emptyDiff());
        assert.equal(await store.queueLength(), 0n);
        for (let i = 0n; i < 4n; i++) await store.addQueueItem(i, JSON.stringify({ queueIndex: i.toString() }));
        await assert.rejects(store.addQueueItem(2n, '{}'), 'an index is stored once');
        assert.equal(await store.queueLength(), 4n);
        assert.deepEqual(await store.queueItems(2n), ['{"queueIndex":"2"}', '{"queueIndex":"3"}']);
        assert.equal(await store.queueIndexAfter(0n), null);
        await store.commitBlock(commitOf(1n, emptyDiff(), { queueIndexAfter: 3n }));
        await store.commitBlock(commitOf(2n, emptyDiff()));
        assert.equal(await store.queueIndexAfter(2n), 3n);
        assert.equal(await store.queueIndexAfter(1n), 3n);
        assert.equal(await store.queueIndexAfter(0n), null);
        await store.setMeta('k', 'v1');
        await store.setMeta('k', 'v2');
        assert.equal(await store.meta('k'), 'v2');
        assert.equal(await store.meta('absent'), null);
      } finally {
        await store.close();
      }
    });

    test('current state and its history at every block: writes, wipes, deletion, re-creation', async () => {
      const { store, location } = await open();
      const A = addr(0xa1);
      const B = addr(0xb1);
      const code = Uint8Array.from([0x60, 0x00, 0x60, 0x00, 0xf3]);
      const codeHash = hex(0xc0de, 32);
      try {
        const g = emptyDiff();
        g.accounts.set(A, account(A, 0n, 100n));
        g.accounts.set(B, account(B, 1n, 5n, codeHash));
        g.code.set(codeHash, code);
        g.slots.set(B, new Map([[slot(1), 11n], [slot(2), 22n]]));
        await store.commitGenesis(block(0n), g);
        // 1: A pays B; B's slot 1 changes, slot 2 cleared.
        const d1 = emptyDiff();
        d1.accounts.set(A, account(A, 1n, 90n));
        d1.accounts.set(B, account(B, 1n, 15n, codeHash));
        d1.slots.set(B, new Map([[slot(1), 111n], [slot(2), 0n]]));
        await store.commitBlock(commitOf(1n, d1));
        // 2: B's storage wiped and slot 3 written in the same block (wipe applies first).
        const d2 = emptyDiff();
        d2.accounts.set(B, account(B, 2n, 15n, codeHash));
        d2.storageResets.add(B);
        d2.slots.set(B, new Map([[slot(3), 33n]]));
        await store.commitBlock(commitOf(2n, d2));
        // 3: B deleted.
        const d3 = emptyDiff();
        d3.accounts.set(B, null);
        await store.commitBlock(commitOf(3n, d3));
        // 4: B re-created empty, one slot.
        const d4 = emptyDiff();
        d4.accounts.set(B, account(B, 0n, 1n));
        d4.slots.set(B, new Map([[slot(4), 44n]]));
        await store.commitBlock(commitOf(4n, d4));

        const h = store.history();
        assert.equal(store.oldestStateBlock(), 0n);
        assert.deepEqual(h.account(A, 0n), account(A, 0n, 100n));
        assert.deepEqual(h.account(A, 4n), account(A, 1n, 90n));
        assert.equal(h.account(addr(0xdead), 4n), null);
        assert.deepEqual(h.code(codeHash), code);
        const slotsAt = (n: bigint) => [1, 2, 3, 4].map((s) => h.storage(B, slot(s), n));
        assert.deepEqual(slotsAt(0n), [11n, 22n, 0n, 0n]);
        assert.deepEqual(slotsAt(1n), [111n, 0n, 0n, 0n]);
        assert.deepEqual(slotsAt(2n), [0n, 0n, 33n, 0n], 'wiped before the block wrote slot 3');
        assert.deepEqual(slotsAt(3n), [0n, 0n, 0n, 0n]);
        assert.deepEqual(slotsAt(4n), [0n, 0n, 0n, 44n]);
        assert.deepEqual([0n, 1n, 2n, 3n, 4n].map((n) => h.hasStorage(B, n)), [true, true, true, false, true]);
        assert.equal(h.hasStorage(A, 4n), false);
        assert.equal(h.account(B, 3n), null, 'deleted at 3');
        assert.deepEqual(h.account(B, 4n), account(B, 0n, 1n));
        const dump2 = h.dump(2n).sort((x, y) => x.account.address.localeCompare(y.account.address));
        assert.deepEqual(dump2, [
          { account: account(A, 1n, 90n), storage: new Map() },
          { account: account(B, 2n, 15n, codeHash), storage: new Map([[slot(3), 33n]]) },
        ]);
        assert.deepEqual(h.dump(3n).map((r) => r.account.address), [A]);

        const current = await store.loadState();
        const byAddress = new Map(current.map((r) => [r.account.address, r]));
        assert.deepEqual(byAddress.get(B)?.storage, new Map([[slot(4), 44n]]));
        assert.deepEqual(byAddress.get(A)?.account, account(A, 1n, 90n));

        // Reopening runs no migration twice and keeps the history.
        await store.close();
        const again = await openChainStore(location);
        try {
          assert.deepEqual(again.history().account(A, 0n), account(A, 0n, 100n));
          assert.equal(again.history().storage(B, slot(1), 1n), 111n);
        } finally {
          await again.close();
        }
      } catch (e) {
        await store.close().catch(() => {});
        throw e;
      }
    });

    test('pruning keeps every read at or after the oldest kept block exact', async () => {
      const archive = (await open()).store;
      const pruned = (await open({ historyBlocks: 10 })).store;
      const A = addr(0xa2);
      const B = addr(0xb2);
      try {
        for (const s of [archive, pruned]) {
          const g = emptyDiff();
          g.accounts.set(A, account(A, 0n, 0n));
          g.accounts.set(B, account(B, 0n, 0n));
          g.slots.set(B, new Map([[slot(7), 7n]]));
          await s.commitGenesis(block(0n), g);
          for (let n = 1n; n <= 130n; n++) {
            const d = emptyDiff();
            d.accounts.set(A, account(A, n, n * 10n));
            if (n % 3n === 0n) d.slots.set(B, new Map([[slot(Number(n % 4n)), n]]));
            if (n === 100n) d.storageResets.add(B);
            if (n % 3n === 0n || n === 100n) d.accounts.set(B, account(B, n, 0n));
            await s.commitBlock(commitOf(n, d));
          }
        }
        // Pruned at block 128 (every 64 blocks): the oldest kept block is 128 - 10.
        assert.equal(pruned.oldestStateBlock(), 118n);
        await (pruned as KyselyChainStore).pruned();
        const rows = async (s: ChainStore) => {
          const r = await sql<{ n: number }>`SELECT count(*) AS n FROM storage_history`.execute((s as KyselyChainStore).db);
          return Number(r.rows[0].n);
        };
        assert.ok((await rows(pruned)) < (await rows(archive)), 'pruning removed history rows');
        assert.equal(archive.oldestStateBlock(), 0n);
        for (let n = 118n; n <= 130n; n++) {
          assert.deepEqual(pruned.history().account(A, n), archive.history().account(A, n), `A at ${n}`);
          assert.deepEqual(pruned.history().account(B, n), archive.history().account(B, n), `B at ${n}`);
          for (let s = 0; s < 8; s++) assert.equal(pruned.history().storage(B, slot(s), n), archive.history().storage(B, slot(s), n), `B slot ${s} at ${n}`);
          assert.deepEqual(pruned.history().dump(n), archive.history().dump(n), `dump at ${n}`);
        }
        assert.equal(archive.history().storage(B, slot(7), 99n), 7n);
        assert.equal(archive.history().storage(B, slot(7), 100n), 0n);
      } finally {
        await archive.close();
        await pruned.close();
      }
    });

    test('migration 002 on a database from before the state history: its state becomes the head block history', async () => {
      const { store, location } = await open();
      const A = addr(0xa4);
      await store.commitGenesis(block(0n), emptyDiff());
      await store.commitBlock(commitOf(1n, emptyDiff()));
      // Back to the schema of version 001 with the state a database of then kept: its current-state tables.
      const db = (store as KyselyChainStore).db as Kysely<unknown>;
      for (const table of ['account_history', 'storage_history', 'storage_resets', 'block_txs', 'tx_hashes', 'log_filters']) await sql.raw(`DROP TABLE ${table}`).execute(db);
      await sql`DELETE FROM meta WHERE key = 'history_oldest'`.execute(db);
      await sql`DELETE FROM kysely_migration`.execute(db);
      await migrateUpTo(db, (store as KyselyChainStore).dialect, '001_chain');
      await sql`INSERT INTO accounts (address, nonce, balance, code_hash) VALUES (${A}, '1', '2', ${EMPTY_CODE})`.execute(db);
      await sql`INSERT INTO storage (address, slot, value) VALUES (${A}, ${slot(5)}, '55'), (${A}, ${slot(6)}, '66')`.execute(db);
      await store.close();
      const upgraded = await openChainStore(location);
      try {
        assert.equal(upgraded.oldestStateBlock(), 1n, 'history starts at the head it had');
        assert.deepEqual(upgraded.history().account(A, 1n), account(A, 1n, 2n));
        assert.deepEqual([upgraded.history().storage(A, slot(5), 1n), upgraded.history().storage(A, slot(6), 1n)], [55n, 66n]);
        assert.deepEqual(await upgraded.loadState(), [{ account: account(A, 1n, 2n), code: new Uint8Array(0), storage: new Map([[slot(5), 55n], [slot(6), 66n]]) }]);
        const d2 = emptyDiff();
        d2.accounts.set(A, account(A, 2n, 3n));
        await upgraded.commitBlock(commitOf(2n, d2));
        assert.deepEqual(upgraded.history().account(A, 2n), account(A, 2n, 3n));
        assert.deepEqual(upgraded.history().account(A, 1n), account(A, 1n, 2n));
      } finally {
        await upgraded.close();
      }
    });

    test('migration 005 moves transactions, receipts and logs of the old tables into per-transaction rows', async () => {
      const { store, location } = await open();
      await store.commitGenesis(block(0n), emptyDiff());
      const want = txBlock(1n, 3);
      // Back to schema 004, then block 1's rows as that schema stored them.
      const db = (store as KyselyChainStore).db as Kysely<unknown>;
      for (const table of ['account_history', 'storage_history', 'storage_resets', 'block_txs', 'tx_hashes', 'log_filters']) await sql.raw(`DROP TABLE ${table}`).execute(db);
      await sql`DELETE FROM meta WHERE key = 'history_oldest'`.execute(db);
      await sql`DELETE FROM kysely_migration`.execute(db);
      await migrateUpTo(db, (store as KyselyChainStore).dialect, '004_logs_by_tx_index');
      const b1 = block(1n);
      await sql`INSERT INTO blocks (number, hash, header, size) VALUES (1, ${b1.hash}, ${Buffer.from(b1.header)}, ${b1.size})`.execute(db);
      await sql`UPDATE meta SET value = '1' WHERE key = 'head'`.execute(db);
      for (const [i, t] of want.txs.entries()) {
        const r = want.receipts[i];
        await sql`INSERT INTO txs (hash, block_number, block_hash, idx, sender, raw) VALUES (${t.hash}, 1, ${b1.hash}, ${i}, ${t.sender}, ${Buffer.from(t.raw)})`.execute(db);
        await sql`INSERT INTO receipts (tx_hash, block_number, block_hash, idx, status, gas_used, cumulative_gas_used, effective_gas_price, blob_gas_used, contract_address)
          VALUES (${t.hash}, 1, ${b1.hash}, ${i}, ${r.status}, ${r.gasUsed.toString()}, ${r.cumulativeGasUsed.toString()}, ${r.effectiveGasPrice.toString()}, ${r.blobGasUsed.toString()}, ${r.contractAddress})`.execute(db);
        for (const l of r.logs) {
          const tp = [...l.topics, null, null, null, null];
          await sql`INSERT INTO logs (block_number, log_index, block_hash, tx_hash, tx_index, address, topic0, topic1, topic2, topic3, topics, data)
            VALUES (1, ${l.logIndex}, ${b1.hash}, ${t.hash}, ${i}, ${l.address}, ${tp[0]}, ${tp[1]}, ${tp[2]}, ${tp[3]}, ${l.topics.length}, ${Buffer.from(l.data)})`.execute(db);
        }
      }
      await store.close();
      const upgraded = await openChainStore(location);
      try {
        assert.deepEqual(await upgraded.txsOfBlock(1n), want.txs);
        assert.deepEqual(await upgraded.receipt(want.txs[2].hash), want.receipts[2]);
        assert.deepEqual(await upgraded.receiptsOfBlock(1n), want.receipts);
        const byAddress = await upgraded.logs({ fromBlock: 0n, toBlock: 1n, addresses: [addr(0x11)] });
        assert.deepEqual(byAddress.map((l) => [l.blockNumber, l.txIndex, l.logIndex]), [[1n, 1, 2]]);
        assert.equal((await upgraded.logs({ fromBlock: 0n, toBlock: 1n, topics: [[slot(2)]] })).length, 3);
      } finally {
        await upgraded.close();
      }
    });

    test('one transaction per block: a block that fails to persist leaves no trace', async () => {
      const { store } = await open();
      const A = addr(0xa3);
      try {
        const g = emptyDiff();
        g.accounts.set(A, account(A, 0n, 1n));
        await store.commitGenesis(block(0n), g);
        const first = txBlock(1n, 2);
        await store.commitBlock(commitOf(1n, emptyDiff(), first));
        // Block 2 repeats a transaction hash of block 1: its insert fails after the block row was written.
        const d = emptyDiff();
        d.accounts.set(A, account(A, 9n, 9n));
        const bad = txBlock(2n, 2);
        bad.txs[1] = { ...first.txs[0], blockNumber: 2n, blockHash: block(2n).hash };
        await assert.rejects(store.commitBlock(commitOf(2n, d, bad)));
        assert.equal((await store.head())?.number, 1n);
        assert.equal(await store.blockByNumber(2n), null);
        assert.deepEqual(await store.txsOfBlock(2n), []);
        assert.equal(await store.receipt(bad.txs[0].hash), null);
        assert.deepEqual(store.history().account(A, 2n), account(A, 0n, 1n), 'no history row of the failed block');
        assert.deepEqual((await store.loadState()).map((r) => r.account), [account(A, 0n, 1n)]);
        // The same block number commits afterwards.
        await store.commitBlock(commitOf(2n, d, txBlock(2n, 1)));
        assert.deepEqual(store.history().account(A, 2n), account(A, 9n, 9n));
      } finally {
        await store.close();
      }
    });
  });
}
