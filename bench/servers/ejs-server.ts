// Child process for the end-to-end bench: a plain sequential @ethereumjs/vm sequencer, the baseline.
// JSON-RPC over node:http on 127.0.0.1 (eth_sendRawTransaction, eth_blockNumber, eth_getBlockByNumber,
// eth_chainId, batches); senders recovered with libsecp256k1 at ingress; a block every --block-time ms built
// with @ethereumjs/vm's BlockBuilder (runTx one by one, state root, receipts root); each block and its
// receipts, and each accepted raw tx, persisted in SQLite (WAL, synchronous=FULL) before it is announced.
// The world state itself lives in the VM's in-memory trie (not persisted, unlike our sequencer's state diffs).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { bytesToHex, createAddressFromString } from '@ethereumjs/util';
import { buildBlock, type VM } from '@ethereumjs/vm';
import type { Block } from '@ethereumjs/block';
import { loadGenesisFile } from '../../sequencer/genesis/dev.js';
import { recoverSenderSync } from '../../sequencer/ingress/recover.js';
import { hexToU8 } from '../../sequencer/primitives/types.js';
import { blockFor, vmFromGenesis } from '../ejs.js';

const arg = (name: string, dflt?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) {
    if (dflt === undefined) throw new Error(`missing --${name}`);
    return dflt;
  }
  return process.argv[i + 1];
};

type Db = {
  pragma(s: string): unknown;
  exec(s: string): void;
  prepare(s: string): { run(...a: unknown[]): unknown };
  transaction<T extends (...a: never[]) => unknown>(fn: T): T;
  close(): void;
};
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Db;

const genesis = loadGenesisFile(arg('genesis'));
const dataDir = arg('data');
mkdirSync(dataDir, { recursive: true });
const db = new Database(join(dataDir, 'ejs.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS mempool (hash TEXT PRIMARY KEY, raw BLOB)');
db.exec('CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT, rlp BLOB)');
db.exec('CREATE TABLE IF NOT EXISTS receipts (hash TEXT PRIMARY KEY, block INTEGER, idx INTEGER, status INTEGER, gas TEXT, logs INTEGER)');
const insPool = db.prepare('INSERT OR IGNORE INTO mempool (hash, raw) VALUES (?, ?)');
const delPool = db.prepare('DELETE FROM mempool WHERE hash = ?');
const insBlock = db.prepare('INSERT INTO blocks (number, hash, rlp) VALUES (?, ?, ?)');
const insReceipt = db.prepare('INSERT INTO receipts (hash, block, idx, status, gas, logs) VALUES (?, ?, ?, ?, ?, ?)');
const persistPool = db.transaction((rows: [string, Uint8Array][]) => {
  for (const [h, r] of rows) insPool.run(h, Buffer.from(r));
});
const persistBlock = db.transaction((b: Block, receipts: [string, number, number, number, string, number][]) => {
  insBlock.run(Number(b.header.number), bytesToHex(b.hash()), Buffer.from(b.serialize()));
  for (const r of receipts) {
    insReceipt.run(...r);
    delPool.run(r[0]);
  }
});

const vm: VM = await vmFromGenesis(genesis);
let head: Block = blockFor(vm, genesis, 0n, genesis.baseFeePerGas, genesis.gasLimit);
const blocks: { number: bigint; hash: string; txs: string[]; timestamp: bigint }[] = [{ number: 0n, hash: bytesToHex(head.hash()), txs: [], timestamp: 0n }];
let pending: TypedTransaction[] = [];
const known = new Set<string>();
const stageMs = { decodeRecover: 0, execute: 0, build: 0, persist: 0 };

function submit(rawHex: string): string {
  const t0 = performance.now();
  const raw = hexToU8(rawHex);
  const tx = createTxFromRLP(raw, { common: vm.common, freeze: false });
  const hash = bytesToHex(tx.hash());
  if (known.has(hash)) throw new Error('already known');
  const sender = recoverSenderSync({ msgHash: tx.getHashedMessageToSign(), sig64: concat(bigTo32(tx.r!), bigTo32(tx.s!)), recId: Number(tx.v!) });
  if (!sender) throw new Error('invalid signature');
  const addr = createAddressFromString(sender);
  Object.assign(tx, { getSenderAddress: () => addr });
  known.add(hash);
  pending.push(tx);
  stageMs.decodeRecover += performance.now() - t0;
  return hash;
}

let sealing = false;
async function seal(): Promise<void> {
  if (sealing || pending.length === 0) return;
  sealing = true;
  try {
    const t0 = performance.now();
    const parent = head;
    const builder = await buildBlock(vm, {
      parentBlock: parent,
      headerData: { number: parent.header.number + 1n, timestamp: parent.header.timestamp + 1n, coinbase: createAddressFromString(genesis.coinbase), gasLimit: genesis.gasLimit },
      blockOpts: { putBlockIntoBlockchain: false, setHardfork: false },
    });
    const take = pending;
    pending = [];
    const left: TypedTransaction[] = [];
    const receipts: [string, number, number, number, string, number][] = [];
    let gas = 0n;
    for (const tx of take) {
      if (gas + tx.gasLimit > genesis.gasLimit) {
        left.push(tx);
        continue;
      }
      try {
        const r = await builder.addTransaction(tx, { skipHardForkValidation: true });
        gas += r.totalGasSpent;
        receipts.push([bytesToHex(tx.hash()), Number(parent.header.number + 1n), receipts.length, r.execResult.exceptionError ? 0 : 1, r.totalGasSpent.toString(), r.execResult.logs?.length ?? 0]);
      } catch {
        // Invalid now (nonce gap, funds): dropped, like a sequencer would.
      }
    }
    pending = [...left, ...pending];
    const t1 = performance.now();
    const { block } = await builder.build();
    const t2 = performance.now();
    persistBlock(block, receipts);
    const t3 = performance.now();
    stageMs.execute += t1 - t0;
    stageMs.build += t2 - t1;
    stageMs.persist += t3 - t2;
    head = block;
    blocks.push({ number: block.header.number, hash: bytesToHex(block.hash()), txs: receipts.map((r) => r[0]), timestamp: block.header.timestamp });
  } finally {
    sealing = false;
  }
}
const blockTime = Number(arg('block-time', '250'));
const tick = async () => {
  const t = performance.now();
  await seal().catch((e) => process.stderr.write(`seal failed: ${(e as Error).stack}\n`));
  timer = setTimeout(tick, Math.max(0, blockTime - (performance.now() - t)));
};
let timer = setTimeout(tick, blockTime);

type Req = { jsonrpc: '2.0'; id: unknown; method: string; params?: unknown[] };
function handle(req: Req, newRows: [string, Uint8Array][]): unknown {
  try {
    const p = req.params ?? [];
    switch (req.method) {
      case 'eth_chainId':
        return { jsonrpc: '2.0', id: req.id, result: `0x${genesis.chainId.toString(16)}` };
      case 'eth_blockNumber':
        return { jsonrpc: '2.0', id: req.id, result: `0x${head.header.number.toString(16)}` };
      case 'eth_getBlockByNumber': {
        const tag = String(p[0]);
        const n = tag === 'latest' ? head.header.number : BigInt(tag);
        const b = blocks[Number(n)];
        if (!b) return { jsonrpc: '2.0', id: req.id, result: null };
        return { jsonrpc: '2.0', id: req.id, result: { number: `0x${b.number.toString(16)}`, hash: b.hash, transactions: b.txs, timestamp: `0x${b.timestamp.toString(16)}` } };
      }
      case 'eth_sendRawTransaction': {
        const hash = submit(String(p[0]));
        newRows.push([hash, hexToU8(String(p[0]))]);
        return { jsonrpc: '2.0', id: req.id, result: hash };
      }
      default:
        return { jsonrpc: '2.0', id: req.id, error: { code: -32601, message: `method ${req.method} not found` } };
    }
  } catch (e) {
    return { jsonrpc: '2.0', id: req.id, error: { code: -32000, message: (e as Error).message } };
  }
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let out: unknown;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Req | Req[];
      const rows: [string, Uint8Array][] = [];
      out = Array.isArray(body) ? body.map((r) => handle(r, rows)) : handle(body, rows);
      // Durable before answering, like our mempool.
      if (rows.length > 0) persistPool(rows);
    } catch (e) {
      out = { jsonrpc: '2.0', id: null, error: { code: -32700, message: (e as Error).message } };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  });
});
// The block builder runs the whole block without yielding to the event loop: keep idle keep-alive sockets
// open across it, so clients never reuse a socket the server has just closed.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.listen(Number(arg('port', '0')), '127.0.0.1', () => {
  const a = server.address() as { port: number };
  process.stdout.write(`READY http://127.0.0.1:${a.port}\n`);
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  if (d.includes('stats')) process.stdout.write(`STATS ${JSON.stringify({ blocks: blocks.length - 1, stageMs })}\n`);
  if (d.includes('exit')) shutdown();
});
process.on('SIGTERM', shutdown);
function shutdown(): void {
  clearTimeout(timer);
  server.close();
  db.close();
  process.exit(0);
}

function bigTo32(v: bigint): Uint8Array {
  return hexToU8(`0x${v.toString(16).padStart(64, '0')}`);
}
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
}
