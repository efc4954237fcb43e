// Seeded random signed transactions of every type the node takes (legacy with and without EIP-155, EIP-2930,
// EIP-1559, EIP-4844 without blobs, EIP-7702), encoded and signed here with RLP and @noble/curves, so the
// decoders under test share no code with the generator. Used by the ingress differential test and bench.
import { RLP } from '@ethereumjs/rlp';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { seededRandom } from './seeded-random.js';

type Field = Uint8Array | Field[];

export interface TxSpec {
  type: 0 | 1 | 2 | 3 | 4;
  /** null: a legacy transaction without EIP-155. */
  chainId: bigint | null;
  nonce: bigint;
  /** gasPrice (types 0, 1) or maxFeePerGas. */
  feeCap: bigint;
  tip: bigint;
  gas: bigint;
  to: Uint8Array | null;
  value: bigint;
  data: Uint8Array;
  accessList: [Uint8Array, Uint8Array[]][];
  maxFeePerBlobGas: bigint;
  blobHashes: Uint8Array[];
  /** [chainId, address, nonce, yParity, r, s], already encoded. */
  auths: Uint8Array[][];
}

export interface SignedTx {
  raw: Uint8Array;
  sender: string;
  spec: TxSpec;
}

/** Minimal big-endian bytes of an unsigned integer (zero: empty). */
export function enc(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array(0);
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function unsignedFields(t: TxSpec): Field[] {
  const to = t.to ?? new Uint8Array(0);
  const access: Field[] = t.accessList.map(([a, keys]) => [a, keys]);
  switch (t.type) {
    case 0:
      return [enc(t.nonce), enc(t.feeCap), enc(t.gas), to, enc(t.value), t.data];
    case 1:
      return [enc(t.chainId!), enc(t.nonce), enc(t.feeCap), enc(t.gas), to, enc(t.value), t.data, access];
    case 2:
      return [enc(t.chainId!), enc(t.nonce), enc(t.tip), enc(t.feeCap), enc(t.gas), to, enc(t.value), t.data, access];
    case 3:
      return [enc(t.chainId!), enc(t.nonce), enc(t.tip), enc(t.feeCap), enc(t.gas), to, enc(t.value), t.data, access, enc(t.maxFeePerBlobGas), t.blobHashes];
    case 4:
      return [enc(t.chainId!), enc(t.nonce), enc(t.tip), enc(t.feeCap), enc(t.gas), to, enc(t.value), t.data, access, t.auths];
  }
}

/** The signed encoding of `t` under `key`, with its sender. */
export function signSpec(t: TxSpec, key: Uint8Array): SignedTx {
  const fields = unsignedFields(t);
  const typed = (body: Field[]) => Uint8Array.from([t.type, ...RLP.encode(body as never)]);
  const payload = t.type === 0 ? RLP.encode((t.chainId === null ? fields : [...fields, enc(t.chainId), new Uint8Array(0), new Uint8Array(0)]) as never) : typed(fields);
  const sig = secp256k1.sign(keccak_256(payload), key, { prehash: false, format: 'recovered' });
  const recid = BigInt(sig[0]);
  const strip = (b: Uint8Array) => enc(BigInt(`0x${Buffer.from(b).toString('hex')}`));
  const [r, s] = [strip(sig.subarray(1, 33)), strip(sig.subarray(33, 65))];
  const v = t.type !== 0 ? recid : t.chainId === null ? 27n + recid : t.chainId * 2n + 35n + recid;
  const raw = t.type === 0 ? RLP.encode([...fields, enc(v), r, s] as never) : typed([...fields, enc(v), r, s]);
  const sender = `0x${Buffer.from(keccak_256(secp256k1.getPublicKey(key, false).subarray(1)).subarray(12)).toString('hex')}`;
  return { raw, sender, spec: t };
}

/** Gas that covers any intrinsic cost and calldata floor of `t` (an upper bound, not the exact figure). */
function ampleGas(t: Omit<TxSpec, 'gas'>): bigint {
  const keys = t.accessList.reduce((n, [, k]) => n + k.length, 0);
  return 60_000n + 64n * BigInt(t.data.length) + 2400n * BigInt(t.accessList.length) + 1900n * BigInt(keys) + 25_000n * BigInt(t.auths.length);
}

export interface RandomTxOptions {
  chainId: bigint;
  /** Share of transactions whose gas is drawn below the ample figure (hits intrinsic and floor limits). Default 0. */
  tightGas?: number;
  /** Types to draw from; default all. */
  types?: TxSpec['type'][];
}

/** `count` random signed transactions from `seed`, signed by 8 seeded keys. */
export function randomSignedTxs(seed: number, count: number, opts: RandomTxOptions): SignedTx[] {
  const rand = seededRandom(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => (rand() < 0.3 ? 0 : int(256)));
  const big = (bits: number) => (bits === 0 ? 0n : BigInt(`0x${Buffer.from(bytes(Math.ceil(bits / 8))).toString('hex') || '0'}`) >> BigInt(Math.ceil(bits / 8) * 8 - bits));
  const keys = Array.from({ length: 8 }, () => secp256k1.utils.randomSecretKey(Uint8Array.from({ length: 48 }, () => int(256))));
  const types = opts.types ?? [0, 1, 2, 3, 4];
  const out: SignedTx[] = [];
  for (let i = 0; i < count; i++) {
    const type = types[int(types.length)];
    const create = (type <= 2 && rand() < 0.15);
    const dataLen = [0, 0, 4, 36, 68, 200, 1000, 5000][int(8)];
    const accessList: [Uint8Array, Uint8Array[]][] = type === 0 || rand() < 0.5 ? [] : Array.from({ length: 1 + int(3) }, () => [bytes(20), Array.from({ length: int(3) }, () => bytes(32))]);
    const authTuple = () => [enc(rand() < 0.5 ? opts.chainId : 0n), bytes(20), enc(big(int(64))), enc(BigInt(int(2))), enc(big(256)), enc(big(255))];
    const tip = big([0, 8, 32, 64][int(4)]);
    const partial = {
      type,
      chainId: type === 0 && rand() < 0.2 ? null : opts.chainId,
      nonce: big([0, 8, 32, 63][int(4)]),
      feeCap: tip + big([8, 32, 64, 128][int(4)]),
      tip,
      to: create ? null : bytes(20),
      value: big([0, 8, 64, 200][int(4)]),
      data: bytes(dataLen),
      accessList,
      maxFeePerBlobGas: type === 3 ? 1n + big(40) : 0n,
      blobHashes: type === 3 ? Array.from({ length: 1 + int(6) }, () => Uint8Array.from([1, ...bytes(31)])) : [],
      auths: type === 4 ? Array.from({ length: 1 + int(3) }, authTuple) : [],
    } satisfies Omit<TxSpec, 'gas'>;
    const ample = ampleGas(partial);
    const gas = rand() < (opts.tightGas ?? 0) ? 21_000n + BigInt(int(Number(ample - 21_000n))) : ample;
    out.push(signSpec({ ...partial, gas }, keys[int(keys.length)]));
  }
  return out;
}
