// JSON-RPC 2.0 error objects with the codes geth uses, so wallets (viem, ethers) classify them the same way.
import { bytesToHex } from '../primitives/types.js';

export const ErrorCode = {
  PARSE: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  /** geth's generic server error: transaction rejection, execution failure, unavailable state. */
  SERVER: -32000,
  /** geth: response exceeds the batch response size limit. */
  RESPONSE_TOO_LARGE: -32003,
  /** geth: resource not found / limit exceeded family. */
  LIMIT_EXCEEDED: -32005,
  /** geth's code for a reverted eth_call / eth_estimateGas, with the revert bytes as data. */
  EXECUTION_REVERTED: 3,
  /** EIP-7966: eth_sendRawTransactionSync timed out before a receipt was available. */
  SYNC_TIMEOUT: 4,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

export const parseError = (detail?: string) => new RpcError(ErrorCode.PARSE, detail ? `parse error: ${detail}` : 'parse error');
export const invalidRequest = (message = 'invalid request') => new RpcError(ErrorCode.INVALID_REQUEST, message);
export const methodNotFound = (method: string) =>
  new RpcError(ErrorCode.METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`);
export const invalidParams = (message: string) => new RpcError(ErrorCode.INVALID_PARAMS, `invalid argument: ${message}`);
export const serverError = (message: string, data?: unknown) => new RpcError(ErrorCode.SERVER, message, data);
export const limitExceeded = (message: string) => new RpcError(ErrorCode.LIMIT_EXCEEDED, message);
export const internalError = (message = 'internal error') => new RpcError(ErrorCode.INTERNAL, message);

/**
 * A reverted call, as geth reports it: code 3, "execution reverted" plus the decoded Error(string) or
 * Panic(uint256) reason, data = the revert bytes (0x-hex).
 */
export function revertError(returnData: Uint8Array): RpcError {
  const reason = decodeRevertReason(returnData);
  return new RpcError(ErrorCode.EXECUTION_REVERTED, reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`, bytesToHex(returnData));
}

const PANIC_REASONS: Record<number, string> = {
  0x00: 'generic panic',
  0x01: 'assert(false)',
  0x11: 'arithmetic underflow or overflow',
  0x12: 'division or modulo by zero',
  0x21: 'enum overflow',
  0x22: 'invalid encoded storage byte array accessed',
  0x31: 'out-of-bounds array access; popping on an empty array',
  0x32: 'out-of-bounds access of an array or bytesN',
  0x41: 'out of memory',
  0x51: 'uninitialized function',
};

/** Error(string) (0x08c379a0) or Panic(uint256) (0x4e487b71) revert payloads; undefined otherwise. */
export function decodeRevertReason(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined;
  const selector = bytesToHex(data.subarray(0, 4));
  const body = data.subarray(4);
  const word = (i: number): bigint | undefined =>
    body.length >= (i + 1) * 32 ? BigInt(bytesToHex(body.subarray(i * 32, (i + 1) * 32))) : undefined;
  if (selector === '0x08c379a0') {
    const offset = word(0);
    if (offset === undefined || offset + 32n > BigInt(body.length)) return undefined;
    const o = Number(offset);
    const len = BigInt(bytesToHex(body.subarray(o, o + 32)));
    if (o + 32 + Number(len) > body.length || len > BigInt(body.length)) return undefined;
    return new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(o + 32, o + 32 + Number(len)));
  }
  if (selector === '0x4e487b71') {
    const code = word(0);
    if (code === undefined) return undefined;
    const known = code < 256n ? PANIC_REASONS[Number(code)] : undefined;
    return `${known ?? 'unknown panic code'}: 0x${code.toString(16)}`;
  }
  return undefined;
}
