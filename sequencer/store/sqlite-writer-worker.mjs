// Worker body of SqliteWriter (plain JS: loaded without a TS loader). It owns the chain database's write
// connection: it prepares the statements it is given and commits the writes it receives (a row stream,
// row-stream.ts, or a list of compiled statements), then answers { id } or { id, error }. Writes waiting
// when one is taken commit with it in one transaction (group commit: one WAL append and fsync for a block and
// the mempool group commits queued behind it); each runs in its own savepoint, so a failed write is rolled
// back alone, changes nothing, and the others still commit. Answers go out only after the COMMIT.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, pragmas, statements } = workerData;

const TAG_NULL = 0;
const TAG_NUMBER = 1;
const TAG_TEXT = 2;
const TAG_BLOB = 3;
/** Most writes committed together (bounds one transaction's size). */
const MAX_GROUP = 64;

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

/** One write; nested in the group's transaction, better-sqlite3 runs it in a savepoint. */
const runWrite = db?.transaction((m) => {
  if (m.queries === undefined) return runRows(Buffer.from(m.bytes, 0, m.length));
  for (const q of m.queries) db.prepare(q.sql).run(...q.parameters);
});

const runGroup = db?.transaction((writes) =>
  writes.map((m) => {
    try {
      runWrite(m);
      return { id: m.id };
    } catch (e) {
      return { id: m.id, error: e?.message ?? String(e) };
    }
  }),
);

function commitGroup(writes) {
  let replies;
  try {
    replies = runGroup(writes);
  } catch (e) {
    // The COMMIT itself failed: none of the group is durable.
    replies = writes.map((m) => ({ id: m.id, error: e?.message ?? String(e) }));
  }
  for (const r of replies) parentPort.postMessage(r);
}

parentPort.on('message', (first) => {
  const messages = [first];
  while (messages.length < MAX_GROUP && !messages[messages.length - 1].close) {
    const next = receiveMessageOnPort(parentPort);
    if (next === undefined) break;
    messages.push(next.message);
  }
  const last = messages[messages.length - 1];
  const writes = last.close ? messages.slice(0, -1) : messages;
  if (writes.length > 0) commitGroup(writes);
  if (last.close) {
    db?.close();
    parentPort.postMessage({ id: last.id, closed: true });
  }
});
