// JSON-RPC over HTTP POST answered by node's HTTP server itself, in front of fastify: the path a wallet's
// every request takes (one per transaction). It skips fastify's routing, hooks, content-type parsing and
// reply pipeline, which cost about a fifth of a request's server CPU when each request carries one
// transaction (bench/e2e.ts, per-request mode). Everything else (WebSocket upgrades, GET, OPTIONS, other
// paths) goes on to fastify. The answers are the ones the fastify route gave: the same Host/Origin guard, the
// body limit (413 with a JSON-RPC error), 503 while the server closes, any content type.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpGuard } from '../util/http-guard.js';

export interface JsonRpcPostOptions {
  guard: HttpGuard;
  maxBodyBytes: number;
  /** Runs a request body; resolves to the response text, or undefined when there is none (notifications). */
  handle(body: string, client: object): Promise<string | undefined>;
  /** A serialized JSON-RPC error response (id null) for transport-level refusals. */
  errorBody(reason: string): string;
  /** True once the server started closing: new requests get 503. */
  closing(): boolean;
}

/** The request handler for POST / ; returns false (and does nothing) for any other request. */
export function jsonRpcPostHandler(opts: JsonRpcPostOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const tooLarge = opts.errorBody(`request body too large: limit ${opts.maxBodyBytes} bytes`);
  return (req, res) => {
    if (req.method !== 'POST' || !isRoot(req.url) || req.headers.upgrade !== undefined) return false;
    if (opts.closing()) {
      send(res, 503, opts.errorBody('server is shutting down'), { connection: 'close' });
      return true;
    }
    const verdict = opts.guard.check(req.headers.host, req.headers.origin);
    if ('refuse' in verdict) {
      send(res, 403, opts.errorBody(verdict.refuse));
      return true;
    }
    const cors = verdict.allowOrigin === undefined ? undefined : { 'access-control-allow-origin': verdict.allowOrigin, vary: 'Origin' };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > opts.maxBodyBytes) {
      refuseTooLarge(req, res, tooLarge, cors);
      return true;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > opts.maxBodyBytes) {
        refused = true;
        refuseTooLarge(req, res, tooLarge, cors);
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = parts.length === 1 ? parts[0].toString('utf8') : Buffer.concat(parts, size).toString('utf8');
      // The TCP connection is the client for the per-connection caps (keep-alive requests share it).
      opts.handle(body, req.socket).then(
        (text) => send(res, 200, text ?? '', cors),
        () => send(res, 500, opts.errorBody('internal error'), cors),
      );
    });
    req.on('error', () => res.destroy());
    return true;
  };
}

/** "/" with or without a query string (what the fastify route '/' matched). */
function isRoot(url: string | undefined): boolean {
  return url === '/' || (url !== undefined && url.startsWith('/?'));
}

function send(res: ServerResponse, status: number, text: string, headers?: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** 413, then the connection is closed: the rest of the body is not read. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, body: string, headers?: Record<string, string>): void {
  send(res, 413, body, { ...headers, connection: 'close' });
  req.resume();
}
