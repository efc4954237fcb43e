// JSON-RPC 2.0 dispatch, transport-independent: validates the envelope, routes to the method table,
// maps thrown errors to error objects, handles batches with a size cap. Both HTTP and WebSocket use it.
import { ErrorCode, RpcError, internalError, invalidRequest, methodNotFound, parseError } from './errors.js';

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
  /** Registered cleanups run when the connection closes. */
  onClose(fn: () => void): void;
  readonly subscriptions: Map<string, () => void>;
}

export type Handler<C> = (params: unknown[], call: CallContext<C>) => Promise<JsonValue> | JsonValue;

export interface DispatchLimits {
  maxBatchSize: number;
  /** Serialized size of one batch's responses, bytes; responses past it become errors (geth: 25 MB). */
  maxBatchResponseBytes?: number;
}

export interface Logger {
  error(obj: unknown, msg?: string): void;
}

export class Dispatcher<C> {
  private readonly methods = new Map<string, Handler<C>>();

  constructor(
    private readonly ctx: C,
    private readonly limits: DispatchLimits,
    private readonly log?: Logger,
  ) {}

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
   * Handles a raw request body (text). Returns the response to send (object, array), or undefined when
   * nothing is to be sent (only notifications).
   */
  async handleText(text: string, connection?: Connection): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return errorResponse(null, parseError((e as Error).message));
    }
    return this.handleParsed(body, connection);
  }

  async handleParsed(body: unknown, connection?: Connection): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
    if (Array.isArray(body)) {
      if (body.length === 0) return errorResponse(null, invalidRequest('empty batch'));
      if (body.length > this.limits.maxBatchSize) {
        return errorResponse(null, new RpcError(ErrorCode.INVALID_REQUEST, `batch too large: ${body.length} requests, limit ${this.limits.maxBatchSize}`));
      }
      // Requests of a batch run concurrently; responses keep the request order.
      const responses = await Promise.all(body.map((req) => this.handleOne(req, connection)));
      const out = responses.filter((r): r is JsonRpcResponse => r !== undefined);
      const cap = this.limits.maxBatchResponseBytes;
      if (cap !== undefined) {
        let size = 0;
        for (let i = 0; i < out.length; i++) {
          size += stringify(out[i]).length;
          if (size > cap) out[i] = errorResponse(out[i].id, new RpcError(ErrorCode.RESPONSE_TOO_LARGE, 'batch response too large'));
        }
      }
      return out.length === 0 ? undefined : out;
    }
    return this.handleOne(body, connection);
  }

  async handleOne(req: unknown, connection?: Connection): Promise<JsonRpcResponse | undefined> {
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
        const result = await handler(params, { ctx: this.ctx, connection });
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

export function errorResponse(id: Id, err: RpcError): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: err.toJSON() };
}

/** JSON with bigints as 0x-hex quantities (handlers should already format, this is a safety net). */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v instanceof Uint8Array ? `0x${Buffer.from(v).toString('hex')}` : v));
}
