// Worker body of PgSyncRunner (plain JS: loaded without a TS loader). One pg client; each request from the
// main thread is answered on its port, then the shared flag is raised so the blocked main thread wakes.
// A lost connection fails the requests that were on it, and the next request connects again.
import { workerData } from 'node:worker_threads';
import pg from 'pg';

const { connectionString, flag, port } = workerData;
const signal = new Int32Array(flag);
const INT8_OID = 20;
const types = { getTypeParser: (oid, format) => (oid === INT8_OID ? (v) => Number(v) : pg.types.getTypeParser(oid, format)) };

let client;
let ready;
function connect() {
  const c = new pg.Client({ connectionString, types });
  c.on('error', () => {
    if (client === c) client = undefined;
  });
  client = c;
  ready = c.connect();
}

function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

let queue = Promise.resolve();
port.on('message', ({ sql, parameters }) => {
  queue = queue.then(async () => {
    if (client === undefined) connect();
    const c = client;
    try {
      await ready;
      const r = await c.query(sql, parameters);
      answer({ rows: r.rows });
    } catch (e) {
      // Server errors carry a SQLSTATE code; anything else means the connection is gone.
      if (e?.code === undefined && client === c) {
        client = undefined;
        c.end().catch(() => {});
      }
      answer({ error: e instanceof Error ? e.message : String(e) });
    }
  });
});
