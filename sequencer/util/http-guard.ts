// Browser-facing guards shared by the JSON-RPC server and the operator console (geth's --http.vhosts and
// --http.corsdomain / --ws.origins): a web page must not be able to drive a local node.
//  - Host allow-list: a DNS-rebinding page reaches 127.0.0.1 under its own name; a Host that is neither an
//    IP literal (rebinding needs a name, as geth reasons) nor an allowed name is refused with 403.
//  - Origin allow-list: CORS is off unless origins are given; a request (HTTP or WebSocket upgrade) that
//    carries a browser Origin not on the list (and not the server's own origin) is refused with 403 before it
//    is executed, since a "simple" cross-site POST would otherwise run even though the page cannot read the answer.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface HttpGuardOptions {
  /** Host names accepted (geth --http.vhosts); '*' accepts any. Default: localhost, 127.0.0.1. */
  vhosts?: readonly string[];
  /** Origins allowed to call from a browser (exact 'scheme://host[:port]'); '*' allows any. Default: none. */
  corsOrigins?: readonly string[];
}

export const DEFAULT_VHOSTS: readonly string[] = ['localhost', '127.0.0.1'];

/** Why a request was refused (body of the 403), or undefined when it may go on. */
export type GuardVerdict = { refuse: string } | { allowOrigin?: string };

/** The host name of a Host header without its port ('[::1]:8545' -> '::1'). */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export class HttpGuard {
  private readonly vhosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(opts: HttpGuardOptions = {}) {
    this.vhosts = new Set((opts.vhosts ?? DEFAULT_VHOSTS).map((h) => h.trim().toLowerCase()).filter(Boolean));
    this.origins = new Set((opts.corsOrigins ?? []).map((o) => o.trim().toLowerCase().replace(/\/$/, '')).filter(Boolean));
  }

  get corsEnabled(): boolean {
    return this.origins.size > 0;
  }

  check(host: string | undefined, origin: string | undefined): GuardVerdict {
    if (host !== undefined && host !== '' && !this.vhosts.has('*')) {
      const name = hostName(host);
      if (isIP(name) === 0 && !this.vhosts.has(name)) return { refuse: `invalid host specified: ${name} (allowed: --vhosts ${[...this.vhosts].join(',')})` };
    }
    if (origin === undefined) return {};
    const o = origin.trim().toLowerCase();
    // Same origin: a page this server served itself (the console's), which browsers still send Origin with.
    if (host !== undefined && (o === `http://${host.trim().toLowerCase()}` || o === `https://${host.trim().toLowerCase()}`)) return {};
    if (this.origins.has('*')) return { allowOrigin: '*' };
    if (this.origins.has(o)) return { allowOrigin: origin };
    return { refuse: `origin not allowed: ${origin} (allow it with --cors)` };
  }

  /** Installs the checks on every route of `app` (WebSocket upgrades included), and CORS preflight. */
  install(app: FastifyInstance, refusedBody: (reason: string) => string): void {
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const v = this.check(req.headers.host, header(req.headers.origin));
      if ('refuse' in v) {
        const body = refusedBody(v.refuse);
        if (String(req.headers.upgrade).toLowerCase() !== 'websocket') return reply.code(403).type('application/json').send(body);
        // A refused WebSocket upgrade is answered on the raw socket and closed: the upgrade machinery
        // would otherwise keep it (and server close would wait on it).
        reply.hijack();
        req.raw.socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        return;
      }
      if (v.allowOrigin !== undefined) {
        reply.header('access-control-allow-origin', v.allowOrigin);
        reply.header('vary', 'Origin');
      }
    });
    if (!this.corsEnabled) return;
    app.options('*', async (_req, reply) =>
      reply
        .header('access-control-allow-methods', 'POST, GET, OPTIONS')
        .header('access-control-allow-headers', 'content-type, authorization')
        .header('access-control-max-age', '86400')
        .code(204)
        .send(),
    );
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
