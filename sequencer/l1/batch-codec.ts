// The batch data format posted to L1 (calldata or blobs), versioned:
//   byte 0: format version (0); byte 1: compression (0 none, 1 zlib, 2 brotli); then the compressed
//   RLP list [chainId, [block, ...]] with block = [number, timestamp, hash, parentHash, stateRoot, coinbase,
//   gasLimit, baseFee, prevRandao, queueIndexAfter, [rawTx, ...]].
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, bytesToBigInt } from '@ethereumjs/util';
import { brotliCompressSync, brotliDecompressSync, deflateSync, inflateSync, constants as zc } from 'node:zlib';
import { bytesToHex, hexToU8, toAddress, type Hex } from '../primitives/types.js';
import type { SealedL2Block } from './types.js';

export type Compression = 'none' | 'zlib' | 'brotli';
const CODES: Record<Compression, number> = { none: 0, zlib: 1, brotli: 2 };
export const BATCH_FORMAT_VERSION = 0;
/** Upper bound on a decompressed batch, against decompression bombs from L1 data. */
export const MAX_DECOMPRESSED = 64 * 1024 * 1024;

export class BatchDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchDecodeError';
  }
}

export interface DecodedBatch {
  chainId: bigint;
  blocks: SealedL2Block[];
}

const big = (v: bigint) => bigIntToUnpaddedBytes(v);

export function encodeBatch(chainId: bigint, blocks: readonly SealedL2Block[], compression: Compression = 'brotli'): Uint8Array {
  const rlp = RLP.encode([
    big(chainId),
    blocks.map((b) => [
      big(b.number),
      big(b.timestamp),
      hexToU8(b.hash),
      hexToU8(b.parentHash),
      hexToU8(b.stateRoot),
      hexToU8(b.coinbase),
      big(b.gasLimit),
      big(b.baseFee),
      hexToU8(b.prevRandao),
      big(b.queueIndexAfter),
      b.txs.map((t) => hexToU8(t)),
    ]),
  ]);
  const body =
    compression === 'none'
      ? rlp
      : compression === 'zlib'
        ? deflateSync(rlp, { level: 9 })
        : brotliCompressSync(rlp, { params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: rlp.length } });
  const out = new Uint8Array(2 + body.length);
  out[0] = BATCH_FORMAT_VERSION;
  out[1] = CODES[compression];
  out.set(body, 2);
  return out;
}

export function decodeBatch(data: Uint8Array): DecodedBatch {
  if (data.length < 2) throw new BatchDecodeError('batch data shorter than its header');
  if (data[0] !== BATCH_FORMAT_VERSION) throw new BatchDecodeError(`unknown batch format version ${data[0]}`);
  const body = data.subarray(2);
  let rlp: Uint8Array;
  try {
    rlp =
      data[1] === 0
        ? body
        : data[1] === 1
          ? inflateSync(body, { maxOutputLength: MAX_DECOMPRESSED })
          : data[1] === 2
            ? brotliDecompressSync(body, { maxOutputLength: MAX_DECOMPRESSED })
            : (() => {
                throw new BatchDecodeError(`unknown compression ${data[1]}`);
              })();
  } catch (e) {
    if (e instanceof BatchDecodeError) throw e;
    throw new BatchDecodeError(`cannot decompress batch: ${(e as Error).message}`);
  }
  let decoded;
  try {
    decoded = RLP.decode(rlp) as unknown;
  } catch (e) {
    throw new BatchDecodeError(`batch RLP: ${(e as Error).message}`);
  }
  const asBytes = (v: unknown, what: string): Uint8Array => {
    if (!(v instanceof Uint8Array)) throw new BatchDecodeError(`${what}: expected bytes`);
    return v;
  };
  const word = (v: unknown, what: string): Hex => {
    const b = asBytes(v, what);
    if (b.length !== 32) throw new BatchDecodeError(`${what}: expected 32 bytes`);
    return bytesToHex(b) as Hex;
  };
  if (!Array.isArray(decoded) || decoded.length !== 2 || !Array.isArray(decoded[1])) throw new BatchDecodeError('batch: expected [chainId, blocks]');
  const blocks = (decoded[1] as unknown[]).map((raw, i): SealedL2Block => {
    if (!Array.isArray(raw) || raw.length !== 11 || !Array.isArray(raw[10])) throw new BatchDecodeError(`block ${i}: expected 11 fields`);
    const n = (j: number, what: string) => bytesToBigInt(asBytes(raw[j], `block ${i} ${what}`));
    const coinbase = asBytes(raw[5], `block ${i} coinbase`);
    if (coinbase.length !== 20) throw new BatchDecodeError(`block ${i} coinbase: expected 20 bytes`);
    return {
      number: n(0, 'number'),
      timestamp: n(1, 'timestamp'),
      hash: word(raw[2], `block ${i} hash`),
      parentHash: word(raw[3], `block ${i} parentHash`),
      stateRoot: word(raw[4], `block ${i} stateRoot`),
      coinbase: toAddress(coinbase),
      gasLimit: n(6, 'gasLimit'),
      baseFee: n(7, 'baseFee'),
      prevRandao: word(raw[8], `block ${i} prevRandao`),
      queueIndexAfter: n(9, 'queueIndexAfter'),
      txs: (raw[10] as unknown[]).map((t, j) => bytesToHex(asBytes(t, `block ${i} tx ${j}`)) as Hex),
    };
  });
  return { chainId: bytesToBigInt(asBytes(decoded[0], 'chainId')), blocks };
}
