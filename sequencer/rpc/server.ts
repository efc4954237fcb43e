// The JSON-RPC transport: HTTP POST (single and batch; http-post.ts, ahead of fastify, any content type) and
// WebSocket on the same port (fastify).
// startRpcServer() is what the CLI calls; tests call it with port 0.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import { Dispatcher, errorResponse, stringify, type Connection } from './dispatch.js';
import { ErrorCode, RpcError, invalidRequest } from './errors.js';
import { resolveLimits, type RpcLimits } from './limits.js';
import { createRpcContext, type RpcContext } from './context.js';
import { DevSigner } from './dev-signer.js';
import type { DevAccount } from '../genesis/dev.js';
import { allMethods } from './methods/index.js';
import type { Methods } from './methods/types.js';
import type { RpcNode } from './node-api.js';
import type { SequencerNode } from '../node/node.js';
import { adaptSequencerNode, isSequencerNode } from './node-adapter.js';
import { HttpGuard, type HttpGuardOptions } from '../util/http-guard.js';
import { jsonRpcPostHandler } from './http-post.js';

/** The part of a `ws` WebSocket this server uses (ws ships no type declarations here). */
interface WsSocket {
  readonly readyState: number;
  readonly OPEN: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', fn: (raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): void;
  on(event: 'close', fn: () => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}

export interface StartRpcServerOptions {
  /** The sequencer node (or any RpcNode implementation, e.g. a test double). */
  node: SequencerNode | RpcNode;
  host?: string;
  port?: number;
  limits?: Partial<RpcLimits>;
  /** A pino-compatible logger, or false (default) for none. */
  logger?: boolean | object;
  /** Keys the RPC signs with (eth_accounts, eth_sendTransaction, ...): the dev chain's accounts; none elsewhere. */
  devAccounts?: readonly DevAccount[];
  /** Host and Origin allow-lists (default: localhost / 127.0.0.1 / IP literals, no browser origin). */
  guard?: HttpGuardOptions;
  /** Handlers served in place of the built-in ones of the same name (a replica forwards the writes it cannot serve). */
  methodOverrides?: Methods;
}

export interface RpcServer {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
  /** For tests and the console: the method names served. */
  readonly methods: string[];
}

export async function startRpcServer(opts: StartRpcServerOptions): Promise<RpcServer> {
  const limits = resolveLimits(opts.limits);
  const host = opts.host ?? '127.0.0.1';
  const node = isSequencerNode(opts.node) ? adaptSequencerNode(opts.node) : opts.node;
  const ctx = createRpcContext(node, limits, opts.devAccounts && opts.devAccounts.length > 0 ? new DevSigner(opts.devAccounts) : undefined);
  const guard = new HttpGuard(opts.guard);
  const refusal = (reason: string) => stringify(errorResponse(null, invalidRequest(reason)));
  let closed = false;
  // POST / is answered before fastify (http-post.ts); the dispatcher it calls is made below.
  let takePost: (req: IncomingMessage, res: ServerResponse) => boolean = () => false;
  const app: FastifyInstance = Fastify({
    bodyLimit: limits.maxBodyBytes,
    logger: (opts.logger ?? false) as boolean,
    // JSON-RPC errors are answered with HTTP 200 like geth; fastify's own 4xx are mapped below.
    return503OnClosing: true,
    forceCloseConnections: true,
    serverFactory: (fastifyHandler, o: FastifyServerOptions) => {
      const server = createServer((req, res) => {
        if (!takePost(req, res)) fastifyHandler(req, res);
      });
      // What fastify sets on the server it makes itself.
      server.keepAliveTimeout = o.keepAliveTimeout ?? 72_000;
      server.requestTimeout = o.requestTimeout ?? 0;
      server.setTimeout(o.connectionTimeout ?? 0);
      return server;
    },
  });
  const dispatcher = new Dispatcher<RpcContext>(
    ctx,
    {
      maxBatchSize: limits.maxBatchSize,
      maxBatchResponseBytes: limits.maxBatchResponseBytes,
      batchConcurrency: limits.batchConcurrency,
      maxHeavyPerConnection: limits.maxHeavyPerConnection,
      maxHeavyGlobal: limits.maxHeavyGlobal,
    },
    app.log,
  ).register({ ...allMethods, ...opts.methodOverrides });

  app.setErrorHandler((err: { code?: string; statusCode?: number; message: string }, _req, reply) => {
    const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413;
    const rpcErr = tooLarge
      ? new RpcError(ErrorCode.INVALID_REQUEST, `request body too large: limit ${limits.maxBodyBytes} bytes`)
      : err.statusCode !== undefined && err.statusCode < 500
        ? invalidRequest(`invalid request: ${err.message}`)
        : new RpcError(ErrorCode.INTERNAL, 'internal error');
    void reply
      .code(tooLarge ? 413 : (err.statusCode ?? 500) < 500 ? 400 : 500)
      .type('application/json')
      .send(stringify(errorResponse(null, rpcErr)));
  });

  // fastify's own routes (CORS preflight, GET) take any content type and leave the body alone, instead of
  // fastify's JSON parser answering 400 to an empty application/json body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: limits.maxBodyBytes }, (_req, body, done) => done(null, body));

  guard.install(app, refusal);
  takePost = jsonRpcPostHandler({
    guard,
    maxBodyBytes: limits.maxBodyBytes,
    handle: (body, client) => dispatcher.handleText(body, undefined, client),
    errorBody: refusal,
    closing: () => closed,
  });

  await app.register(websocket, {
    options: { maxPayload: limits.maxBodyBytes, perMessageDeflate: false },
  });

  const sockets = new Set<WsSocket>();
  let nextConnId = 1;

  app.route({
    method: 'GET',
    url: '/',
    handler: async (_req, reply) => reply.code(405).type('application/json').send(stringify(errorResponse(null, invalidRequest('use POST for JSON-RPC over HTTP, or a WebSocket upgrade')))),
    wsHandler: (rawSocket) => {
      const socket = rawSocket as unknown as WsSocket;
      if (sockets.size >= limits.maxWsConnections) {
        socket.close(1013, 'too many connections');
        return;
      }
      sockets.add(socket);
      const cleanups: (() => void)[] = [];
      const sendText = (text: string) => {
        if (socket.readyState !== socket.OPEN) return;
        // A client that does not read its notifications is dropped rather than buffered without bound.
        if (socket.bufferedAmount > limits.maxWsBufferedBytes) {
          socket.terminate();
          return;
        }
        socket.send(text);
      };
      const conn: Connection = {
        id: nextConnId++,
        send: (message) => sendText(stringify(message)),
        sendText: (text) => sendText(text),
        onClose: (fn) => void cleanups.push(fn),
        subscriptions: new Map(),
      };
      // Messages are answered in arrival order per connection, like geth's per-connection handling.
      let queue: Promise<void> = Promise.resolve();
      socket.on('message', (raw, isBinary) => {
        const text = Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as Buffer).toString('utf8');
        void isBinary;
        queue = queue.then(async () => {
          try {
            const res = await dispatcher.handleText(text, conn);
            if (res !== undefined) conn.sendText(res);
          } catch (e) {
            app.log.error(e);
          }
        });
      });
      socket.on('close', () => {
        sockets.delete(socket);
        for (const unsub of conn.subscriptions.values()) unsub();
        conn.subscriptions.clear();
        for (const fn of cleanups) fn();
      });
      socket.on('error', () => socket.terminate());
    },
  });

  // Health check for load balancers and scripts.
  app.get('/health', async () => ({ ok: true }));

  const address = await app.listen({ host, port: opts.port ?? 8545 });
  const port = new URL(address).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}`,
    methods: dispatcher.methodNames,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.terminate();
      ctx.close();
      await app.close();
    },
  };
}
