// Worker body of PgSyncRunner (plain JS: loaded without a TS loader). One pg client; each request from the
// main thread is answered on its port, then the shared flag is raised so the blocked main thread wakes.
import { workerData } from 'node:worker_threads';
import pg from 'pg';

const { connectionString, flag, port } = workerData;
const signal = new Int32Array(flag);
const INT8_OID = 20;
const client = new pg.Client({
  connectionString,
  types: { getTypeParser: (oid, format) => (oid === INT8_OID ? (v) => Number(v) : pg.types.getTypeParser(oid, format)) },
});
const ready = client.connect();

function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

let queue = Promise.resolve();
port.on('message', ({ sql, parameters }) => {
  queue = queue.then(async () => {
    try {
      await ready;
      const r = await client.query(sql, parameters);
      answer({ rows: r.rows });
    } catch (e) {
      answer({ error: e instanceof Error ? e.message : String(e) });
    }
  });
});
