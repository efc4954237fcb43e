// Ingress on the native addon: one call decodes and checks a whole batch of raw transactions and recovers
// their senders (kernels/tx/tx_decode.h, native/ingress/tx_decode_binding.cc); this file turns the addon's
// fixed-size records into the mempool's plain IngressTx values and its statuses into IngressErrors. No
// @ethereumjs object is made per transaction. The reference decoder (decode.ts) gives the same verdicts,
// senders and hashes (test/ingress/native-decode.test.ts).
import { RLP } from '@ethereumjs/rlp';
import { forkScheduleOf, TX_GAS_LIMIT_CAP } from '../chain/config.js';
import { FORK_IDS, latestFork } from '../chain/forks.js';
import type { AccessListItem, ExecTx } from '../executor/types.js';
import type { NativeAddon, TxDecodeConfig } from '../native/addon.js';
import { packBytes } from '../primitives/packed-bytes.js';
import { toAddress, toWord, type Address, type Hex } from '../primitives/types.js';
import { signedChainId } from './chain-id.js';
import { authorizations, DEFAULT_MAX_TX_SIZE, type DecodeOptions, type IngressTx } from './decode.js';
import { IngressError, type IngressErrorCode } from './errors.js';

/** The part of the addon this decoder uses. */
export type NativeTxDecodeAddon = Pick<NativeAddon, 'decodeTransactions' | 'decodeTransactionsSync' | 'txRecordSize'>;

// Record layout of native/ingress/tx_decode_binding.cc (namespace rec): little-endian integers, big-endian words.
const REC = {
  STATUS: 0, TYPE: 1, HAS_TO: 2,
  DATA_OFF: 4, DATA_LEN: 8, ACCESS_START: 12, ACCESS_END: 16, AUTH_START: 20, AUTH_END: 24, BLOBS_START: 28, BLOBS_END: 32,
  N_ACCESS: 36, N_ACCESS_KEYS: 40, N_AUTH: 44, N_BLOBS: 48,
  NONCE: 56, GAS_LIMIT: 64, INTRINSIC_GAS: 72, FLOOR_GAS: 80,
  TO: 88, SENDER: 108, HASH: 128, CHAIN_ID: 160, VALUE: 192, FEE_CAP: 224, TIP: 256, BLOB_FEE: 288, V: 320, R: 352, S: 384,
  SIZE: 416,
} as const;

// kern::tx::Status, in order (kernels/tx/tx_decode.h).
const STATUS = [
  'OK', 'EMPTY', 'BLOB_REFUSED', 'OVERSIZED', 'UNPROTECTED', 'SIGNED_FOR_OTHER', 'BAD_RLP', 'UNKNOWN_TYPE', 'FIELD_COUNT',
  'LEADING_ZERO', 'BAD_TO', 'VALUE_TOO_LARGE', 'SIG_TOO_LARGE', 'GAS_TOO_LARGE', 'NONCE_TOO_LARGE', 'GAS_CAP',
  'INITCODE_TOO_LARGE', 'LEGACY_V', 'CHAIN_MISMATCH', 'TYPE_NOT_ACTIVE', 'BAD_ACCESS_LIST', 'BAD_AUTH_LIST', 'FEE_PRODUCT',
  'TIP_ABOVE_CAP', 'BAD_Y_PARITY', 'HIGH_S', 'NO_TO', 'BAD_BLOB_HASH', 'TOO_MANY_BLOBS', 'NO_BLOBS', 'NOT_SIGNED',
  'NOT_CANONICAL', 'R_S_RANGE', 'INTRINSIC_GAS', 'FLOOR_GAS', 'BAD_SIGNATURE',
] as const;
type Status = (typeof STATUS)[number];

/** The addon's config for these decode options (the chain's newest fork unless one is named). */
export function nativeDecodeConfig(opts: DecodeOptions): TxDecodeConfig {
  return {
    chainId: opts.chainId,
    fork: FORK_IDS[opts.fork ?? latestFork(forkScheduleOf(opts.chainId))],
    maxTxSize: opts.maxTxSize ?? DEFAULT_MAX_TX_SIZE,
    allowUnprotected: opts.allowUnprotected === true,
    limitInitCode: opts.limitInitCode !== false,
    allowBlobTxs: opts.allowBlobTxs === true,
  };
}

/** Decodes, checks and recovers a batch on the addon, off the event loop. One result per input, in order. */
export async function decodeAndRecoverBatchNative(raws: readonly Uint8Array[], opts: DecodeOptions, addon: NativeTxDecodeAddon): Promise<(IngressTx | IngressError)[]> {
  if (raws.length === 0) return [];
  const { data, offsets } = packBytes(raws);
  const records = await addon.decodeTransactions(data, offsets, nativeDecodeConfig(opts));
  return raws.map((raw, i) => fromRecord(records, i * REC.SIZE, raw, opts));
}

/**
 * Stored transactions (mined, or acknowledged into the pool) with their known senders, decoded in one
 * synchronous addon call without sender recovery. The rules are the loosest the node could have accepted
 * under (any size, unprotected, blob, unlimited init code) at the chain's newest fork; null where the decoder
 * still refuses one (e.g. a transaction of an older fork below a newer fork's floor): the caller decodes that
 * one with the reference decoder.
 */
export function decodeStoredNative(rows: readonly { raw: Uint8Array; sender: Address }[], chainId: bigint, addon: Pick<NativeAddon, 'decodeTransactionsSync'>): (IngressTx | null)[] {
  if (rows.length === 0) return [];
  const { data, offsets } = packBytes(rows.map((r) => r.raw));
  const opts: DecodeOptions = { chainId, maxTxSize: 0xffffffff, allowUnprotected: true, limitInitCode: false, allowBlobTxs: true };
  const records = addon.decodeTransactionsSync(data, offsets, { ...nativeDecodeConfig(opts), recoverSenders: false });
  return rows.map((r, i) => {
    const t = fromRecord(records, i * REC.SIZE, r.raw, opts);
    if (t instanceof IngressError) return null;
    t.exec.from = r.sender;
    // Intrinsic gas is an ingress figure; stored transactions carry none (as the reference's txFromStored).
    t.intrinsicGas = 0n;
    return t;
  });
}

function fromRecord(rec: Buffer, at: number, raw: Uint8Array, opts: DecodeOptions): IngressTx | IngressError {
  const status = STATUS[rec[at + REC.STATUS]];
  if (status === undefined) return new IngressError('MALFORMED', `malformed transaction: unknown decoder status ${rec[at + REC.STATUS]}`);
  if (status !== 'OK') return errorOf(status, rec, at, raw, opts);
  const type = rec[at + REC.TYPE] as ExecTx['type'];
  const u32 = (o: number) => rec.readUInt32LE(at + o);
  const span = (start: number, end: number) => raw.subarray(u32(start), u32(end));
  const feeCap = word(rec, at + REC.FEE_CAP);
  const exec: ExecTx = {
    hash: hex(rec, at + REC.HASH, 32),
    type,
    from: hex(rec, at + REC.SENDER, 20),
    to: rec[at + REC.HAS_TO] === 1 ? hex(rec, at + REC.TO, 20) : null,
    nonce: rec.readBigUInt64LE(at + REC.NONCE),
    gasLimit: rec.readBigUInt64LE(at + REC.GAS_LIMIT),
    value: word(rec, at + REC.VALUE),
    data: raw.subarray(u32(REC.DATA_OFF), u32(REC.DATA_OFF) + u32(REC.DATA_LEN)),
    gasPrice: type <= 1 ? feeCap : undefined,
    maxFeePerGas: type >= 2 ? feeCap : undefined,
    maxPriorityFeePerGas: type >= 2 ? word(rec, at + REC.TIP) : undefined,
    accessList: type !== 0 && u32(REC.N_ACCESS) > 0 ? accessList(span(REC.ACCESS_START, REC.ACCESS_END)) : [],
    maxFeePerBlobGas: type === 3 ? word(rec, at + REC.BLOB_FEE) : undefined,
    blobVersionedHashes: type === 3 ? (RLP.decode(span(REC.BLOBS_START, REC.BLOBS_END)) as Uint8Array[]).map((h) => toWord(h)) : undefined,
    authorizationList: type === 4 ? authorizations(RLP.decode(span(REC.AUTH_START, REC.AUTH_END)) as Uint8Array[][]) : undefined,
    chainId: type !== 0 ? word(rec, at + REC.CHAIN_ID) : undefined,
  };
  return {
    exec,
    raw,
    intrinsicGas: rec.readBigUInt64LE(at + REC.INTRINSIC_GAS),
    v: word(rec, at + REC.V),
    r: word(rec, at + REC.R),
    s: word(rec, at + REC.S),
  };
}

function accessList(encoded: Uint8Array): AccessListItem[] {
  return (RLP.decode(encoded) as [Uint8Array, Uint8Array[]][]).map(([address, keys]) => ({ address: toAddress(address), storageKeys: keys.map((k) => toWord(k)) }));
}

function hex(rec: Buffer, at: number, len: number): Hex {
  return `0x${rec.toString('hex', at, at + len)}`;
}

/** A 32-byte big-endian word; most are small, so the top 24 bytes are checked before building a big number. */
function word(rec: Buffer, at: number): bigint {
  for (let i = 0; i < 24; i++) if (rec[at + i] !== 0) return BigInt(`0x${rec.toString('hex', at, at + 32)}`);
  return rec.readBigUInt64BE(at + 24);
}

const MESSAGES: Record<Exclude<Status, 'OK'>, [IngressErrorCode, (f: ErrorFields) => string]> = {
  EMPTY: ['MALFORMED', () => 'malformed transaction: empty input'],
  BLOB_REFUSED: ['BLOB_INVALID', () => 'blob transactions are not accepted on this chain'],
  OVERSIZED: ['OVERSIZED', (f) => `oversized data: transaction size ${f.raw.length}, limit ${f.opts.maxTxSize ?? DEFAULT_MAX_TX_SIZE}`],
  UNPROTECTED: ['UNPROTECTED', () => 'only replay-protected (EIP-155) transactions allowed over RPC: this legacy transaction has no chain id (start the node with --allow-unprotected-txs to accept it)'],
  SIGNED_FOR_OTHER: ['WRONG_CHAIN_ID', (f) => `invalid chain id: transaction is signed for chain ${signedChainId(f.raw)}, this chain is ${f.opts.chainId}`],
  BAD_RLP: ['MALFORMED', () => 'malformed transaction: rlp: not canonical, or a list where a byte string belongs'],
  UNKNOWN_TYPE: ['MALFORMED', (f) => `malformed transaction: unknown transaction type ${f.raw[0]}`],
  FIELD_COUNT: ['MALFORMED', (f) => `malformed transaction: rlp: wrong number of fields for a type-${f.type} transaction`],
  LEADING_ZERO: ['MALFORMED', () => 'malformed transaction: an integer field has leading zero bytes'],
  BAD_TO: ['MALFORMED', () => 'malformed transaction: `to` must be empty or 20 bytes'],
  VALUE_TOO_LARGE: ['MALFORMED', () => 'malformed transaction: value or fee exceeds 2^256-1'],
  SIG_TOO_LARGE: ['INVALID_SIGNATURE', () => 'invalid signature: r or s exceeds 2^256-1'],
  GAS_TOO_LARGE: ['MALFORMED', () => 'malformed transaction: gas limit exceeds 2^64-1'],
  NONCE_TOO_LARGE: ['MALFORMED', () => 'malformed transaction: nonce exceeds 2^64-2 (EIP-2681)'],
  GAS_CAP: ['GAS_LIMIT_EXCEEDED', (f) => `transaction gas limit ${f.gasLimit} exceeds the per-transaction cap ${TX_GAS_LIMIT_CAP} (EIP-7825)`],
  INITCODE_TOO_LARGE: ['INITCODE_TOO_LARGE', (f) => `max initcode size exceeded: ${f.dataLength} > 49152`],
  LEGACY_V: ['INVALID_SIGNATURE', (f) => `invalid signature: legacy v ${f.v} is neither 27/28 nor EIP-155 (>= 37)`],
  CHAIN_MISMATCH: ['WRONG_CHAIN_ID', (f) => `invalid chain id: transaction does not name chain ${f.opts.chainId}`],
  TYPE_NOT_ACTIVE: ['MALFORMED', () => 'malformed transaction: set-code (EIP-7702) transactions are not active at this fork'],
  BAD_ACCESS_LIST: ['MALFORMED', () => 'malformed transaction: access list items must be [20-byte address, [32-byte keys]]'],
  BAD_AUTH_LIST: ['MALFORMED', () => 'malformed transaction: set-code (EIP-7702) authorization list empty or malformed'],
  FEE_PRODUCT: ['MALFORMED', () => 'malformed transaction: gas limit * fee cap overflows 256 bits'],
  TIP_ABOVE_CAP: ['FEE_CAP_TOO_LOW', (f) => `max priority fee per gas higher than max fee per gas: tip ${f.tip}, fee cap ${f.feeCap}`],
  BAD_Y_PARITY: ['INVALID_SIGNATURE', (f) => `invalid signature: yParity ${f.v}`],
  HIGH_S: ['INVALID_SIGNATURE', () => 'invalid signature: s above secp256k1n/2 (EIP-2)'],
  NO_TO: ['MALFORMED', (f) => `malformed transaction: a type-${f.type} transaction cannot create a contract`],
  BAD_BLOB_HASH: ['BLOB_INVALID', () => 'invalid blob transaction: versioned hashes must be 32 bytes starting with 0x01'],
  TOO_MANY_BLOBS: ['BLOB_INVALID', () => 'invalid blob transaction: more blobs than one transaction may carry at this fork'],
  NO_BLOBS: ['BLOB_INVALID', () => 'blob transaction without blobs'],
  NOT_SIGNED: ['INVALID_SIGNATURE', () => 'invalid signature: transaction is not signed (v, r or s is zero)'],
  NOT_CANONICAL: ['MALFORMED', () => 'malformed transaction: non-canonical encoding'],
  R_S_RANGE: ['INVALID_SIGNATURE', () => 'invalid signature: r or s out of range'],
  INTRINSIC_GAS: ['INTRINSIC_GAS_TOO_LOW', (f) => `intrinsic gas too low: have ${f.gasLimit}, want ${f.intrinsicGas}`],
  FLOOR_GAS: ['INTRINSIC_GAS_TOO_LOW', (f) => `insufficient gas for floor data gas cost: have ${f.gasLimit}, want ${f.floorGas}`],
  BAD_SIGNATURE: ['INVALID_SIGNATURE', () => 'invalid signature: sender recovery failed'],
};

/** The values a refused transaction's message names, read from its record as far as the decoder got. */
interface ErrorFields {
  raw: Uint8Array;
  opts: DecodeOptions;
  type: number;
  gasLimit: bigint;
  intrinsicGas: bigint;
  floorGas: bigint;
  dataLength: number;
  v: bigint;
  tip: bigint;
  feeCap: bigint;
}

function errorOf(status: Exclude<Status, 'OK'>, rec: Buffer, at: number, raw: Uint8Array, opts: DecodeOptions): IngressError {
  const [code, message] = MESSAGES[status];
  const fields: ErrorFields = {
    raw,
    opts,
    type: rec[at + REC.TYPE],
    gasLimit: rec.readBigUInt64LE(at + REC.GAS_LIMIT),
    intrinsicGas: rec.readBigUInt64LE(at + REC.INTRINSIC_GAS),
    floorGas: rec.readBigUInt64LE(at + REC.FLOOR_GAS),
    dataLength: rec.readUInt32LE(at + REC.DATA_LEN),
    v: word(rec, at + REC.V),
    tip: word(rec, at + REC.TIP),
    feeCap: word(rec, at + REC.FEE_CAP),
  };
  return new IngressError(code, message(fields));
}

/** The record size this file reads, checked against the addon's at load (a stale build would misread). */
export const TX_RECORD_SIZE = REC.SIZE;
