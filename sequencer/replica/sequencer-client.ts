// The replica's line to the sequencer: JSON-RPC over HTTP for the writes it forwards and for the sequencer's
// head (eth_syncing's highestBlock). The sequencer's own errors come back unchanged (code, message, data);
// a sequencer that cannot be reached is one clear -32000 error naming it, so a wallet knows the write did
// not happen and why.
import { ErrorCode, RpcError } from '../rpc/errors.js';

/** How long a forwarded request may take before it counts as the sequencer being unavailable. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** The sequencer could not be asked (down, unreachable, timed out, or answered something that is not JSON-RPC). */
export class SequencerUnavailableError extends RpcError {
  constructor(url: string, method: string, cause: string) {
    super(ErrorCode.SERVER, `sequencer unavailable: ${method} could not be forwarded to ${url} (${cause}); reads on this replica still work`, { sequencer: url, method, reason: cause });
    this.name = 'SequencerUnavailableError';
  }
}

interface JsonRpcReply {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** How a call ended: answered (with a result or the sequencer's own error), or not answered at all. */
export type CallOutcome = 'ok' | 'error' | 'unavailable';

export interface SequencerClientOptions {
  timeoutMs?: number;
  /** Told of every call's outcome (metrics). */
  observe?: (method: string, outcome: CallOutcome) => void;
}

export class SequencerClient {
  private nextId = 1;

  constructor(
    readonly url: string,
    private readonly opts: SequencerClientOptions = {},
  ) {}

  /** One JSON-RPC call; rejects with the sequencer's RpcError, or SequencerUnavailableError. */
  async call(method: string, params: unknown[]): Promise<unknown> {
    try {
      const result = await this.request(method, params);
      this.opts.observe?.(method, 'ok');
      return result;
    } catch (e) {
      this.opts.observe?.(method, e instanceof SequencerUnavailableError ? 'unavailable' : 'error');
      throw e;
    }
  }

  private async request(method: string, params: unknown[]): Promise<unknown> {
    let reply: JsonRpcReply;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      reply = (await res.json()) as JsonRpcReply;
    } catch (e) {
      throw new SequencerUnavailableError(this.url, method, describe(e));
    }
    if (reply === null || typeof reply !== 'object' || (!('result' in reply) && !('error' in reply))) {
      throw new SequencerUnavailableError(this.url, method, 'the answer is not a JSON-RPC response');
    }
    if (reply.error) throw new RpcError(reply.error.code, reply.error.message, reply.error.data);
    return reply.result;
  }

  /** The sequencer's head block number. */
  async blockNumber(): Promise<bigint> {
    const r = await this.call('eth_blockNumber', []);
    if (typeof r !== 'string' || !/^0x[0-9a-f]+$/i.test(r)) throw new SequencerUnavailableError(this.url, 'eth_blockNumber', `unexpected answer ${JSON.stringify(r)}`);
    return BigInt(r);
  }
}

/** fetch's errors hide the socket error in `cause`. */
function describe(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
