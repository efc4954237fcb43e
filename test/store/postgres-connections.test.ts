// PostgreSQL connections dropped under a live store (server restart, failover, an operator's
// pg_terminate_backend): the process survives, and the next writes and history reads reconnect.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Address } from '../../sequencer/primitives/types.js';
import { openChainStore } from '../../sequencer/store/open-store.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

async function terminateBackends(url: string, db: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = $1', [db]);
    return r.rowCount ?? 0;
  } finally {
    await c.end();
  }
}

test('dropped connections: the store reconnects for block commits and history reads', async () => {
  const url = await server.createDatabase('drops');
  const store = await openChainStore(url);
  const a = '0x00000000000000000000000000000000000000aa' as Address;
  const emptyHash = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470' as const;
  const diff = (balance: bigint) => ({ accounts: new Map([[a, { address: a, nonce: 0n, balance, codeHash: emptyHash }]]), storageResets: new Set<Address>(), slots: new Map(), code: new Map() });
  const block = (n: bigint) => ({ number: n, hash: `0x${n.toString(16).padStart(64, '0')}` as const, header: Uint8Array.from([1]), size: 1 });
  try {
    await store.commitGenesis(block(0n), diff(1n));
    assert.equal(store.history().account(a, 0n)?.balance, 1n);
    assert.ok((await terminateBackends(server.url, 'drops')) >= 2, 'the pool and the history reader were connected');
    // Let the 'error' events of the dropped idle connections arrive.
    await new Promise((r) => setTimeout(r, 200));
    await store.commitBlock({ block: block(1n), txs: [], receipts: [], state: diff(2n), removeFromMempool: [] });
    assert.equal((await store.head())?.number, 1n);
    assert.equal(store.history().account(a, 1n)?.balance, 2n);
    assert.equal(store.history().account(a, 0n)?.balance, 1n);
  } finally {
    await store.close();
  }
});
