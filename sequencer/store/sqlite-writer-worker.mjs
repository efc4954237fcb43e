// Worker body of SqliteWriter (plain JS: loaded without a TS loader). It owns the chain database's write
// connection: it prepares the statements it is given, and commits each write it receives (a row stream,
// row-stream.ts) or list of compiled statements as one transaction, then answers { id } or { id, error }. A failed write is rolled back
// and changes nothing; later writes still run.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, pragmas, statements } = workerData;

const TAG_NULL = 0;
const TAG_NUMBER = 1;
const TAG_TEXT = 2;
const TAG_BLOB = 3;

let db;
let prepared;
try {
  db = new Database(file);
  for (const p of pragmas) db.pragma(p);
  prepared = statements.map((text) => db.prepare(text));
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ ready: false, error: e?.message ?? String(e) });
}

/** Runs every row of the stream (the inverse of RowEncoder). */
function runRows(buf) {
  let at = 0;
  const params = [];
  while (at < buf.length) {
    const statement = buf[at];
    const count = buf[at + 1];
    at += 2;
    params.length = count;
    for (let i = 0; i < count; i++) {
      const tag = buf[at++];
      if (tag === TAG_NULL) params[i] = null;
      else if (tag === TAG_NUMBER) {
        params[i] = buf.readDoubleLE(at);
        at += 8;
      } else if (tag === TAG_TEXT || tag === TAG_BLOB) {
        const n = buf.readUInt32LE(at);
        at += 4;
        params[i] = tag === TAG_TEXT ? buf.latin1Slice(at, at + n) : buf.subarray(at, at + n);
        at += n;
      } else throw new Error(`row stream: unknown parameter tag ${tag} at byte ${at - 1}`);
    }
    const st = prepared[statement];
    if (st === undefined) throw new Error(`row stream: unknown statement ${statement}`);
    try {
      st.run(...params);
    } catch (e) {
      throw new Error(`${e?.message ?? e} (${statements[statement].slice(0, 60)}...)`, { cause: e });
    }
  }
}

const commit = db?.transaction((buf) => runRows(buf));
const runQueries = db?.transaction((queries) => {
  for (const q of queries) db.prepare(q.sql).run(...q.parameters);
});

parentPort.on('message', ({ id, bytes, length, queries, close }) => {
  if (close) {
    db?.close();
    parentPort.postMessage({ id, closed: true });
    return;
  }
  try {
    if (queries !== undefined) runQueries(queries);
    else commit(Buffer.from(bytes, 0, length));
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: e?.message ?? String(e) });
  }
});
