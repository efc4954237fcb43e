// SQLite block writes on the writer thread (issue #13): while a big block commits, the event loop keeps
// turning (with the writes on the main thread it is held for the whole commit); the block is readable through
// the main connection once commitBlock resolved; a write that fails is refused with the block named and
// leaves nothing while the writes committed in the same group stay; a store reopened on the same directory
// sees all.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { openSqliteStore } from '../../sequencer/store/sqlite-store.js';
import type { BlockCommit, StateDiff } from '../../sequencer/store/store.js';

const hex = (n: number | bigint, bytes: number): Hex => `0x${n.toString(16).padStart(bytes * 2, '0')}` as Hex;
const EMPTY_CODE: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';
const TOKEN = hex(0x70c, 20) as Address;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sqlite-writer-'));
  dirs.push(d);
  return d;
}

const emptyDiff = (): StateDiff => ({ accounts: new Map(), storageResets: new Set(), slots: new Map(), code: new Map() });

/** An ERC-20-shaped block: per tx a tx row, a receipt with a Transfer log, the sender's account and two token slots. */
function tokenBlock(n: number, txs: number): BlockCommit {
  const blockHash = hex(0xb0000 + n, 32);
  const state = emptyDiff();
  const slots = new Map<Hex, bigint>();
  state.slots.set(TOKEN, slots);
  const c: BlockCommit = { block: { number: BigInt(n), hash: blockHash, header: Uint8Array.from([0xf9, n]), size: 600 }, txs: [], receipts: [], state, removeFromMempool: [] };
  for (let i = 0; i < txs; i++) {
    const hash = hex(n * 1_000_000 + i, 32);
    const from = hex(0x100000 + i, 20) as Address;
    c.txs.push({ hash, blockNumber: BigInt(n), blockHash, index: i, sender: from, raw: new Uint8Array(110).fill(i & 0xff) });
    c.receipts.push({
      txHash: hash, blockNumber: BigInt(n), blockHash, index: i, status: 1, gasUsed: 51_000n, cumulativeGasUsed: 51_000n * BigInt(i + 1),
      effectiveGasPrice: 10n ** 9n, blobGasUsed: 0n, contractAddress: null,
      logs: [{ address: TOKEN, topics: [hex(0xddf2, 32), hex(BigInt(from), 32), hex(i, 32)], data: new Uint8Array(32).fill(1), logIndex: i }],
    });
    state.accounts.set(from, { address: from, nonce: BigInt(n), balance: 10n ** 18n - BigInt(i), codeHash: EMPTY_CODE });
    slots.set(hex(BigInt(from), 32), BigInt(n * 1000 + i));
    slots.set(hex(0xa0000 + i, 32), BigInt(i + 1));
  }
  return c;
}

/** setImmediate turns of the event loop while `p` is pending. */
async function turnsWhile(p: Promise<unknown>): Promise<number> {
  let done = false;
  let turns = 0;
  const settled = p.finally(() => {
    done = true;
  });
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (done) return resolve();
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
  });
  await settled;
  return turns;
}

test('a block commits on the writer thread while the event loop turns; on the main thread it holds the loop', async () => {
  const txs = 4000;
  const turns: Record<string, number> = {};
  for (const writeThread of [true, false]) {
    const store = await openSqliteStore(tempDir(), { writeThread });
    try {
      await store.commitGenesis({ number: 0n, hash: hex(0xb0000, 32), header: Uint8Array.from([0xf9]), size: 1 }, emptyDiff());
      const block = tokenBlock(1, txs);
      turns[String(writeThread)] = await turnsWhile(store.commitBlock(block));
      // Readable through kysely's connection as soon as the commit resolved.
      assert.equal((await store.head())?.number, 1n);
      assert.equal((await store.txsOfBlock(1n)).length, txs);
      assert.deepEqual(await store.receipt(block.txs[txs - 1].hash), block.receipts[txs - 1]);
      assert.equal(store.history().storage(TOKEN, hex(0xa0000 + 7, 32), 1n), 8n);
    } finally {
      await store.close();
    }
  }
  // The commit of 4,000 token transfers takes tens of milliseconds of SQLite work at the least.
  assert.ok(turns.true >= 5, `the event loop turned ${turns.true} times during a writer-thread commit`);
  assert.ok(turns.false <= 2, `the event loop turned ${turns.false} times during a main-thread commit`);
});

test('a failed block write is refused with the block named, leaves nothing, and later writes go on; a reopen sees every committed block', async () => {
  const dir = tempDir();
  const store = await openSqliteStore(dir);
  const first = tokenBlock(1, 3);
  try {
    await store.commitGenesis({ number: 0n, hash: hex(0xb0000, 32), header: Uint8Array.from([0xf9]), size: 1 }, emptyDiff());
    await store.commitBlock(first);
    const bad = tokenBlock(2, 3);
    bad.txs[2] = { ...first.txs[0], blockNumber: 2n, blockHash: bad.block.hash, index: 2 };
    // Posted in one tick, so the writer commits them as one group: the bad one fails alone, before and after it commit.
    const poolRow = (n: number) => ({ hash: hex(0xe0 + n, 32), sender: hex(1, 20) as Address, nonce: BigInt(n), raw: Uint8Array.from([1, n]), seq: n });
    const [before, badWrite, behind] = await Promise.allSettled([store.updateMempool([poolRow(1)], []), store.commitBlock(bad), store.updateMempool([poolRow(2)], [])]);
    assert.equal(badWrite.status, 'rejected');
    assert.match(String((badWrite as PromiseRejectedResult).reason), /block 2 failed to persist: UNIQUE constraint failed: tx_hashes\.hash/);
    assert.deepEqual([before.status, behind.status], ['fulfilled', 'fulfilled']);
    assert.equal((await store.head())?.number, 1n);
    assert.deepEqual(await store.txsOfBlock(2n), []);
    await store.commitBlock(tokenBlock(2, 2));
  } finally {
    await store.close();
  }
  const reopened = await openSqliteStore(dir);
  try {
    assert.equal((await reopened.head())?.number, 2n);
    assert.deepEqual(await reopened.receiptsOfBlock(1n), first.receipts);
    assert.deepEqual((await reopened.loadMempool()).map((r) => r.hash), [hex(0xe1, 32), hex(0xe2, 32)]);
  } finally {
    await reopened.close();
  }
});
