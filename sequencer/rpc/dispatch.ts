// JSON-RPC 2.0 dispatch, transport-independent: validates the envelope, routes to the method table,
// maps thrown errors to error objects, runs batches with bounded concurrency under a running response-size
// budget, and heavy methods under the work limiter's caps. Both HTTP and WebSocket use it.
import { nextTurn } from './turns.js';
import { ErrorCode, RpcError, internalError, invalidRequest, methodNotFound, parseError } from './errors.js';
import { HEAVY_METHODS, WorkLimiter } from './work-limiter.js';

export type JsonValue = unknown;
export type Id = string | number | null;

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: Id;
  result?: JsonValue;
  error?: { code: number; message: string; data?: unknown };
}

/** Per-request context: the transport fills `connection` for WebSocket clients (subscriptions). */
export interface CallContext<C> {
  ctx: C;
  connection?: Connection;
}

/** A WebSocket connection as subscription methods see it. */
export interface Connection {
  readonly id: number;
  send(message: unknown): void;
  /** Sends an already serialized message. */
  sendText(text: string): void;
  /** Registered cleanups run when the connection closes. */
  onClose(fn: () => void): void;
  readonly subscriptions: Map<string, () => void>;
}

export type Handler<C> = (params: unknown[], call: CallContext<C>) => Promise<JsonValue> | JsonValue;

export interface DispatchLimits {
  maxBatchSize: number;
  /**
   * Serialized size of one batch's responses, bytes (geth: 25 MB): once the responses so far pass it, the
   * rest of the batch is not run and answers -32003.
   */
  maxBatchResponseBytes?: number;
  /** Items of one batch in flight at once (default 4). */
  batchConcurrency?: number;
  /** Heavy requests in flight per client connection and server-wide (work-limiter.ts; default: no caps). */
  maxHeavyPerConnection?: number;
  maxHeavyGlobal?: number;
}

export interface Logger {
  error(obj: unknown, msg?: string): void;
}

export class Dispatcher<C> {
  private readonly methods = new Map<string, Handler<C>>();
  private readonly limiter?: WorkLimiter;

  constructor(
    private readonly ctx: C,
    private readonly limits: DispatchLimits,
    private readonly log?: Logger,
  ) {
    if (limits.maxHeavyPerConnection !== undefined || limits.maxHeavyGlobal !== undefined) {
      this.limiter = new WorkLimiter({ perConnection: limits.maxHeavyPerConnection ?? Infinity, global: limits.maxHeavyGlobal ?? Infinity });
    }
  }

  register(table: Record<string, Handler<C>>): this {
    for (const [name, fn] of Object.entries(table)) this.methods.set(name, fn);
    return this;
  }

  has(method: string): boolean {
    return this.methods.has(method);
  }

  get methodNames(): string[] {
    return [...this.methods.keys()].sort();
  }

  /**
   * Handles a raw request body (text). Returns the serialized response (an object, or an array for a
   * batch), or undefined when nothing is to be sent (only notifications). `client` names the client for the
   * per-connection caps (the HTTP socket; a WebSocket's connection by default).
   */
  async handleText(text: string, connection?: Connection, client: object = connection ?? {}): Promise<string | undefined> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return stringify(errorResponse(null, parseError((e as Error).message)));
    }
    if (Array.isArray(body)) {
      if (body.length === 0) return stringify(errorResponse(null, invalidRequest('empty batch')));
      if (body.length > this.limits.maxBatchSize) {
        return stringify(errorResponse(null, new RpcError(ErrorCode.INVALID_REQUEST, `batch too large: ${body.length} requests, limit ${this.limits.maxBatchSize}`)));
      }
      const parts = await this.runBatch(body, connection, client);
      return parts.length === 0 ? undefined : `[${parts.join(',')}]`;
    }
    const r = await this.handleOne(body, connection, client);
    return r === undefined ? undefined : responseText(r);
  }

  /**
   * Light items (point reads, submissions) all start at once, in request order: a batch of nonce-ordered
   * transactions reaches the pool in order. Heavy items (HEAVY_METHODS) run a few at a time, in order, each
   * on its own turn of the event loop (other clients' requests, timers and block production run between).
   * Each response is serialized as it completes (that is what the budget counts, and what is sent: no
   * second pass over a large batch). Once the responses so far pass the size budget, the heavy items not
   * yet started are not run: they answer -32003, as geth does.
   */
  private async runBatch(body: unknown[], connection: Connection | undefined, client: object): Promise<string[]> {
    const out: (string | undefined)[] = new Array(body.length);
    const cap = this.limits.maxBatchResponseBytes ?? Infinity;
    let size = 0;
    const tooLarge = (id: Id) => stringify(errorResponse(id, new RpcError(ErrorCode.RESPONSE_TOO_LARGE, 'batch response too large')));
    const finish = (i: number, r: JsonRpcResponse | undefined) => {
      if (r === undefined) return;
      const text = responseText(r);
      if (size <= cap) size += text.length;
      out[i] = size > cap ? tooLarge(r.id) : text;
    };
    const heavy: number[] = [];
    const light: Promise<void>[] = [];
    body.forEach((req, i) => {
      if (HEAVY_METHODS.has(methodOf(req))) heavy.push(i);
      else light.push(this.handleOne(req, connection, client).then((r) => finish(i, r)));
    });
    let next = 0;
    const worker = async () => {
      while (next < heavy.length) {
        const i = heavy[next++];
        if (size > cap) {
          if (!isNotification(body[i])) out[i] = tooLarge(idOf(body[i]));
          continue;
        }
        await nextTurn();
        finish(i, await this.handleOne(body[i], connection, client));
      }
    };
    const workers = Math.min(this.limits.batchConcurrency ?? 4, heavy.length);
    await Promise.all([...light, ...Array.from({ length: workers }, worker)]);
    return out.filter((r): r is string => r !== undefined);
  }

  async handleOne(req: unknown, connection?: Connection, client: object = connection ?? {}): Promise<JsonRpcResponse | undefined> {
    if (typeof req !== 'object' || req === null || Array.isArray(req)) return errorResponse(null, invalidRequest());
    const r = req as Record<string, unknown>;
    const idValid = r.id === undefined || r.id === null || typeof r.id === 'string' || (typeof r.id === 'number' && Number.isFinite(r.id));
    const id: Id = idValid ? ((r.id ?? null) as Id) : null;
    if (!idValid) return errorResponse(null, invalidRequest('invalid request id'));
    if (r.jsonrpc !== '2.0') return errorResponse(id, invalidRequest('invalid request: jsonrpc must be "2.0"'));
    if (typeof r.method !== 'string') return errorResponse(id, invalidRequest('invalid request: method must be a string'));
    const isNotification = r.id === undefined;
    let params: unknown[];
    if (r.params === undefined || r.params === null) params = [];
    else if (Array.isArray(r.params)) params = r.params;
    else return errorResponse(id, new RpcError(ErrorCode.INVALID_PARAMS, 'invalid argument: params must be an array'));
    // Trailing nulls mean "omitted" (geth does the same for optional arguments).
    while (params.length > 0 && params[params.length - 1] === null) params = params.slice(0, -1);

    const handler = this.methods.get(r.method);
    let response: JsonRpcResponse;
    if (handler === undefined) {
      response = errorResponse(id, methodNotFound(r.method));
    } else {
      try {
        const call = () => Promise.resolve(handler(params, { ctx: this.ctx, connection }));
        const result = this.limiter !== undefined && HEAVY_METHODS.has(r.method) ? await this.limiter.run(client, call) : await call();
        response = { jsonrpc: '2.0', id, result: result === undefined ? null : result };
      } catch (e) {
        response = errorResponse(id, this.toRpcError(e, r.method));
      }
    }
    return isNotification ? undefined : response;
  }

  private toRpcError(e: unknown, method: string): RpcError {
    if (e instanceof RpcError) return e;
    this.log?.error({ err: e, method }, 'internal error in JSON-RPC handler');
    return internalError(e instanceof Error ? e.message : String(e));
  }
}

function isNotification(req: unknown): boolean {
  return typeof req === 'object' && req !== null && !Array.isArray(req) && (req as { id?: unknown }).id === undefined && (req as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

function methodOf(req: unknown): string {
  const m = typeof req === 'object' && req !== null ? (req as { method?: unknown }).method : undefined;
  return typeof m === 'string' ? m : '';
}

/** A request's id when it is a valid one (for error responses to items that did not run). */
function idOf(req: unknown): Id {
  const id = typeof req === 'object' && req !== null ? (req as { id?: unknown }).id : undefined;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

export function errorResponse(id: Id, err: RpcError): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: err.toJSON() };
}

/**
 * A response as JSON text. A string result (a hash, a quantity: the hot methods' answers) is written
 * directly; anything else goes through stringify()'s per-value replacer.
 */
export function responseText(r: JsonRpcResponse): string {
  if (typeof r.result === 'string' && r.error === undefined) return `{"jsonrpc":"2.0","id":${JSON.stringify(r.id)},"result":${JSON.stringify(r.result)}}`;
  return stringify(r);
}

/** JSON with bigints as 0x-hex quantities (handlers should already format, this is a safety net). */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v instanceof Uint8Array ? `0x${Buffer.from(v).toString('hex')}` : v));
}
