// The operator console: a web page (self-contained, no CDN) with live charts over Server-Sent Events, an
// explorer, Prometheus metrics and an authenticated admin API — on its own port, bound to localhost by
// default, never on the public JSON-RPC port. The CLI calls startConsole().
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type Logger } from 'pino';
import type { SequencerNode } from '../node/node.js';
import type { Address, Hex } from '../primitives/types.js';
import { bytesToHex } from '../primitives/types.js';
import { Collector } from './collector.js';
import { createMetrics } from './metrics.js';
import { disconnectedL1, NOT_CONNECTED, type L1Status, type L1StatusSource } from './l1-status.js';
import { search, blockDetail, txDetail, addressDetail, type ExplorerNode } from './explorer.js';
import { CONSOLE_PAGE } from './page.js';
import { effectiveTip, feeCap, tipCap } from '../mempool/mempool.js';
import { HttpGuard, type HttpGuardOptions } from '../util/http-guard.js';
import { ensurePrivateDir } from '../util/private-files.js';

/**
 * Operator hooks the console drives when the node has them (feature-detected; the admin API answers 501
 * "not supported by this node" for a missing one).
 */
export interface AdminHooks {
  pause(): Promise<void> | void;
  resume(): Promise<void> | void;
  readonly paused: boolean;
  setBlockTime(ms: number): void;
  readonly blockTimeMs: number;
  setGasLimit(gas: bigint): void;
  dropSender(sender: Address): Promise<Hex[]>;
}

export type ConsoleNode = SequencerNode & Partial<AdminHooks>;

export interface StartConsoleOptions {
  node: SequencerNode;
  host?: string;
  port?: number;
  /** Bearer token of the admin API; default: read from `${dataDir}/console-token`, generated there at first start. */
  token?: string;
  /** Where the generated token is kept (the node's data dir). ':memory:' or absent: the token is not saved. */
  dataDir?: string;
  /** The L1 batcher's status source; default: "L1 batcher not connected". */
  l1?: L1StatusSource;
  /** A pino logger (admin actions are logged at info, refused ones at warn). Default: pino to stdout. */
  logger?: Logger;
  /** Whether the node emits 'rejected' events (default: detected from the node build). */
  rejectedEvent?: boolean;
  /** Backend description (native addon backendInfo()); default: loaded lazily from the addon, errors shown. */
  backendInfo?: () => unknown;
  /** Host and Origin allow-lists (default: localhost / 127.0.0.1 / IP literals, no cross-site browser origin). */
  guard?: HttpGuardOptions;
}

export interface ConsoleServer {
  url: string;
  token: string;
  /** Where the token is saved (absent when given explicitly or not persisted). */
  tokenFile?: string;
  close(): Promise<void>;
  /** Plug the batcher in later. */
  setL1Source(source: L1StatusSource): void;
}

export const TOKEN_FILE = 'console-token';

function resolveToken(opts: StartConsoleOptions): { token: string; file?: string } {
  if (opts.token) return { token: opts.token };
  if (!opts.dataDir || opts.dataDir === ':memory:') return { token: randomBytes(24).toString('base64url') };
  const file = join(opts.dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const t = readFileSync(file, 'utf8').trim();
    if (t.length >= 16) {
      // A token file left readable by others (an older build, a copied data dir) is tightened, not trusted as is.
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return { token: t, file };
    }
  }
  ensurePrivateDir(opts.dataDir);
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file };
}

/** JSON with bigint as decimal strings and bytes as 0x-hex. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? bytesToHex(x) : x));
}

async function defaultBackendInfo(): Promise<unknown> {
  try {
    const { loadAddon } = await import('../native/addon.js');
    return { ok: true, ...loadAddon().backendInfo() };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

const FEE_BUCKETS_GWEI = [0, 0.001, 0.01, 0.1, 1, 2, 5, 10, 50];

export async function startConsole(opts: StartConsoleOptions): Promise<ConsoleServer> {
  const node = opts.node as ConsoleNode;
  const host = opts.host ?? '127.0.0.1';
  const { token, file: tokenFile } = resolveToken(opts);
  const tokenDigest = createHash('sha256').update(token).digest();
  const log = (opts.logger ?? pino({ name: 'console' })).child({ component: 'console' });
  let l1: L1StatusSource = opts.l1 ?? disconnectedL1;
  // This node build emits 'rejected' (it landed with the operator hooks); otherwise the panel says "not reported"
  // until one arrives.
  const collector = new Collector(node, { rejectedEvent: opts.rejectedEvent ?? typeof node.dropSender === 'function' });
  const hasHook = (name: keyof AdminHooks) => name in node && node[name] !== undefined;
  const metrics = createMetrics(node, collector, { paused: () => (hasHook('paused') ? Boolean(node.paused) : undefined) });
  const backend = opts.backendInfo ? Promise.resolve().then(opts.backendInfo).catch((e) => ({ ok: false, error: (e as Error).message })) : defaultBackendInfo();

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true, return503OnClosing: true });
  const sse = new Set<ServerResponse>();
  new HttpGuard(opts.guard).install(app, (reason) => JSON.stringify({ error: reason }));

  const l1Status = async (): Promise<L1Status> => {
    try {
      return await l1.status();
    } catch (e) {
      return { connected: false, reason: `L1 status source failed: ${(e as Error).message}` };
    }
  };

  const mempoolView = () => {
    const baseFee = node.nextBlockEnv().baseFee;
    const senders: { sender: Address; count: number; firstNonce: bigint; lastNonce: bigint; headTip: bigint; headFeeCap: bigint; maxFeeCap: bigint }[] = [];
    const buckets = FEE_BUCKETS_GWEI.map((lo, i) => ({ label: i + 1 < FEE_BUCKETS_GWEI.length ? `${lo}–${FEE_BUCKETS_GWEI[i + 1]}` : `≥${lo}`, lo, count: 0 }));
    let underpriced = 0;
    let total = 0;
    for (const s of node.pool.senders()) {
      const q = node.pool.queue(s);
      if (q.length === 0) continue;
      let maxCap = 0n;
      for (const e of q) {
        total++;
        const cap = feeCap(e.tx.exec);
        if (cap > maxCap) maxCap = cap;
        const tip = effectiveTip(e.tx.exec, baseFee);
        if (tip < 0n) {
          underpriced++;
          continue;
        }
        const gwei = Number(tip) / 1e9;
        let b = 0;
        while (b + 1 < FEE_BUCKETS_GWEI.length && gwei >= FEE_BUCKETS_GWEI[b + 1]) b++;
        buckets[b].count++;
      }
      senders.push({ sender: s, count: q.length, firstNonce: q[0].tx.exec.nonce, lastNonce: q[q.length - 1].tx.exec.nonce, headTip: tipCap(q[0].tx.exec), headFeeCap: feeCap(q[0].tx.exec), maxFeeCap: maxCap });
    }
    senders.sort((a, b) => b.count - a.count || (a.sender < b.sender ? -1 : 1));
    return { size: node.pool.size, total, senderCount: senders.length, senders: senders.slice(0, 25), feeBuckets: buckets, belowBaseFee: underpriced, baseFee, limits: node.pool.limits };
  };

  const snapshot = async () => {
    const head = node.head().header;
    const env = node.nextBlockEnv();
    const rates = collector.rates(10);
    const blocks = collector.blocks.slice(-120);
    const totals = { blocks: 0, txs: 0, rounds: 0, executions: 0, conflicts: 0, reExecutions: 0, dropped: 0, execMs: 0, commitMs: 0, rootMs: 0, buildMs: 0, persistMs: 0, totalMs: 0 };
    for (const b of blocks) {
      const s = b.stats;
      if (!s) continue;
      totals.blocks++;
      totals.txs += s.txs;
      totals.rounds += s.rounds;
      totals.executions += s.executions;
      totals.conflicts += s.conflicts;
      totals.reExecutions += s.reExecutions;
      totals.dropped += s.dropped;
      totals.execMs += s.execMs;
      totals.commitMs += s.commitMs;
      totals.rootMs += s.rootMs;
      totals.buildMs += s.buildMs;
      totals.persistMs += s.persistMs;
      totals.totalMs += s.totalMs;
    }
    return {
      now: Date.now(),
      chainId: node.chainId,
      head: { number: head.number, hash: head.hash, timestamp: head.timestamp, txs: node.head().txHashes.length, gasUsed: head.gasUsed, gasLimit: head.gasLimit, baseFee: head.baseFeePerGas, stateRoot: head.stateRoot },
      next: { gasLimit: env.gasLimit, baseFee: env.baseFee },
      rates,
      control: {
        paused: hasHook('paused') ? Boolean(node.paused) : null,
        blockTimeMs: hasHook('blockTimeMs') ? node.blockTimeMs : null,
        capabilities: { pause: hasHook('pause') && hasHook('resume'), blockTime: hasHook('setBlockTime'), gasLimit: hasHook('setGasLimit'), drain: hasHook('dropSender'), batch: typeof l1.postBatchNow === 'function' },
      },
      series: collector.samples.slice(-300),
      blocks,
      scheduler: { totals, hotKeys: collector.hotKeys(), hotKeysSupported: collector.hotKeysSupported },
      executor: { name: node.executor.name, backend: await backend },
      mempool: mempoolView(),
      rejected: { supported: collector.rejectedSupported, byReason: Object.fromEntries(collector.rejectedByReason), recent: collector.rejectedRecent.slice(0, 20) },
      l1: await l1Status(),
    };
  };

  const broadcast = (event: string, data: string) => {
    for (const res of sse) {
      if (res.writableLength > 4 * 1024 * 1024) {
        res.end();
        sse.delete(res);
        continue;
      }
      res.write(`event: ${event}\ndata: ${data}\n\n`);
    }
  };
  const offSample = collector.onSample(() => {
    if (sse.size === 0) return;
    void snapshot().then((s) => broadcast('snapshot', toJson(s)), (e) => log.error({ err: e }, 'console snapshot failed'));
  });
  const offBlock = collector.onBlockRecord((b) => {
    if (sse.size > 0) broadcast('block', toJson(b));
  });

  // Bound to loopback: answer only requests addressed to a loopback name (DNS-rebinding guard).
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host);
  if (loopback) {
    app.addHook('onRequest', async (req, reply) => {
      const h = String(req.headers.host ?? '').toLowerCase();
      const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0];
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(name)) return reply.code(403).send({ error: `host ${h} not allowed: the console answers on loopback names only` });
    });
  }

  // ---- pages and read-only API ----
  app.get('/', async (_req, reply) => {
    reply.header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'");
    reply.header('x-frame-options', 'DENY');
    return reply.type('text/html; charset=utf-8').send(CONSOLE_PAGE);
  });
  app.get('/healthz', async () => ({ ok: true, head: node.blockNumber().toString() }));
  app.get('/api/snapshot', async (_req, reply) => reply.type('application/json').send(toJson(await snapshot())));
  app.get('/api/stream', async (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 2000\n\n`);
    sse.add(res);
    req.raw.on('close', () => sse.delete(res));
    try {
      res.write(`event: snapshot\ndata: ${toJson(await snapshot())}\n\n`);
    } catch (e) {
      log.error({ err: e }, 'console snapshot failed');
    }
  });
  const explorerNode = node as unknown as ExplorerNode;
  const notFound = (reply: FastifyReply, message: string) => reply.code(404).type('application/json').send(toJson({ error: message }));
  app.get<{ Querystring: { q?: string } }>('/api/search', async (req, reply) => reply.type('application/json').send(toJson(await search(explorerNode, String(req.query.q ?? '').slice(0, 200)))));
  app.get<{ Params: { id: string } }>('/api/block/:id', async (req, reply) => {
    const id = req.params.id.toLowerCase();
    const key = /^\d{1,20}$/.test(id) ? BigInt(id) : /^0x[0-9a-f]{64}$/.test(id) ? (id as Hex) : null;
    if (key === null) return reply.code(400).send({ error: 'block number or 0x-hash expected' });
    const b = await blockDetail(explorerNode, key);
    return b ? reply.type('application/json').send(toJson(b)) : notFound(reply, 'no such block');
  });
  app.get<{ Params: { hash: string } }>('/api/tx/:hash', async (req, reply) => {
    const h = req.params.hash.toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(h)) return reply.code(400).send({ error: '0x + 64 hex expected' });
    const t = await txDetail(explorerNode, h as Hex);
    return t ? reply.type('application/json').send(toJson(t)) : notFound(reply, 'no such transaction');
  });
  app.get<{ Params: { address: string } }>('/api/address/:address', async (req, reply) => {
    const a = req.params.address.toLowerCase();
    if (!/^0x[0-9a-f]{40}$/.test(a)) return reply.code(400).send({ error: '0x + 40 hex expected' });
    return reply.type('application/json').send(toJson(await addressDetail(explorerNode, a as Address)));
  });
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));

  // ---- admin API ----
  const authorized = (req: FastifyRequest): boolean => {
    const h = req.headers.authorization;
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
    const given = createHash('sha256').update(h.slice(7).trim()).digest();
    return timingSafeEqual(given, tokenDigest);
  };
  type Outcome = { status: number; body: Record<string, unknown> };
  const admin = <B>(path: string, action: string, handler: (body: B) => Promise<Outcome>) => {
    // Authentication runs before the body is parsed: a refused caller gets 401 whatever it sent.
    const onRequest = async (req: FastifyRequest, reply: FastifyReply) => {
      if (authorized(req)) return;
      metrics.adminActions.inc({ action, result: 'unauthorized' });
      log.warn({ action, remote: req.ip, userAgent: req.headers['user-agent'], result: 'unauthorized', hasAuthHeader: req.headers.authorization !== undefined }, 'admin action refused');
      return reply.code(401).header('www-authenticate', 'Bearer realm="sequencer-console"').send({ error: 'missing or invalid bearer token' });
    };
    app.post<{ Body: B }>(path, { onRequest }, async (req, reply) => {
      const base = { action, remote: req.ip, userAgent: req.headers['user-agent'] };
      let out: Outcome;
      try {
        out = await handler((req.body ?? {}) as B);
      } catch (e) {
        out = { status: 500, body: { error: (e as Error).message } };
      }
      const result = out.status < 300 ? 'ok' : out.status === 501 ? 'unsupported' : out.status === 503 ? 'unavailable' : out.status < 500 ? 'rejected' : 'error';
      metrics.adminActions.inc({ action, result });
      const entry = { ...base, params: req.body ?? null, result, status: out.status, response: out.body };
      if (out.status < 300) log.info(JSON.parse(toJson(entry)), `admin action: ${action}`);
      else log.warn(JSON.parse(toJson(entry)), `admin action failed: ${action}`);
      return reply.code(out.status).type('application/json').send(toJson(out.body));
    });
  };
  const unsupported = (what: string): Outcome => ({ status: 501, body: { error: `not supported by this node: ${what}` } });
  app.get('/admin/session', async (req, reply) => {
    if (!authorized(req)) return reply.code(401).header('www-authenticate', 'Bearer realm="sequencer-console"').send({ error: 'missing or invalid bearer token' });
    return { ok: true };
  });
  admin('/admin/pause', 'pause', async () => {
    if (!hasHook('pause')) return unsupported('pause');
    await node.pause!();
    return { status: 200, body: { paused: true, head: node.blockNumber() } };
  });
  admin('/admin/resume', 'resume', async () => {
    if (!hasHook('resume')) return unsupported('resume');
    await node.resume!();
    return { status: 200, body: { paused: false, head: node.blockNumber() } };
  });
  admin<{ ms?: unknown }>('/admin/block-time', 'set-block-time', async (b) => {
    const ms = Number(b.ms);
    if (!Number.isInteger(ms) || ms < 10 || ms > 60_000) return { status: 400, body: { error: 'ms must be an integer in [10, 60000]' } };
    if (!hasHook('setBlockTime')) return unsupported('setBlockTime');
    const before = node.blockTimeMs;
    node.setBlockTime!(ms);
    return { status: 200, body: { blockTimeMs: ms, previous: before } };
  });
  admin<{ gasLimit?: unknown }>('/admin/gas-limit', 'set-gas-limit', async (b) => {
    let gas: bigint;
    try {
      gas = BigInt(String(b.gasLimit));
    } catch {
      return { status: 400, body: { error: 'gasLimit must be an integer' } };
    }
    if (gas < 21_000n || gas > 1_000_000_000n) return { status: 400, body: { error: 'gasLimit must be in [21000, 1000000000]' } };
    if (!hasHook('setGasLimit')) return unsupported('setGasLimit');
    const before = node.nextBlockEnv().gasLimit;
    node.setGasLimit!(gas);
    return { status: 200, body: { gasLimit: gas, previous: before, nextBlockGasLimit: node.nextBlockEnv().gasLimit } };
  });
  admin('/admin/batch/post', 'force-batch-post', async () => {
    if (typeof l1.postBatchNow !== 'function') return { status: 503, body: { error: NOT_CONNECTED } };
    const r = await l1.postBatchNow();
    return { status: 200, body: r as unknown as Record<string, unknown> };
  });
  admin<{ sender?: unknown }>('/admin/mempool/drain', 'drain-sender', async (b) => {
    const s = String(b.sender ?? '').toLowerCase();
    if (!/^0x[0-9a-f]{40}$/.test(s)) return { status: 400, body: { error: 'sender must be an address (0x + 40 hex)' } };
    if (!hasHook('dropSender')) return unsupported('dropSender');
    const removed = await node.dropSender!(s as Address);
    return { status: 200, body: { sender: s, removed: removed.length, hashes: removed } };
  });

  const address = await app.listen({ host, port: opts.port ?? 8546 });
  const url = address.replace('[::1]', 'localhost');
  log.info({ url, tokenFile, l1: l1 === disconnectedL1 ? 'not connected' : 'connected' }, 'operator console listening');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) log.warn({ host }, 'operator console (and its admin API) is reachable beyond localhost: keep the token secret, put TLS in front');
  return {
    url,
    token,
    tokenFile,
    setL1Source(source) {
      l1 = source;
    },
    async close() {
      offSample();
      offBlock();
      for (const res of sse) res.end();
      sse.clear();
      collector.close();
      metrics.close();
      await app.close();
    },
  };
}
