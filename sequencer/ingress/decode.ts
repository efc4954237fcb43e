// Stateless ingress: raw bytes -> decoded, size/chain/signature/intrinsic-gas checked transaction, ready for
// batched sender recovery. Uses @ethereumjs/tx for the wire format (legacy, EIP-2930, EIP-1559, EIP-4844,
// EIP-7702) at the newest fork of the chain's schedule. EIP-7702 authorities are recovered by the kernels
// when the transaction executes (a tuple with a bad signature is skipped there, as the EIP says).
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { bytesToBigInt, bytesToHex } from '@ethereumjs/util';
import type { Common } from '@ethereumjs/common';
import { commonFor } from '../chain/common.js';
import { TX_GAS_LIMIT_CAP, forkScheduleOf } from '../chain/config.js';
import { forkAtLeast, latestFork, type ForkName } from '../chain/forks.js';
import type { Authorization, ExecTx } from '../executor/types.js';
import { toAddress, toWord, type Address, type Hex } from '../primitives/types.js';
import type { TxView } from '../node/types.js';
import { signedChainId } from './chain-id.js';
import { IngressError } from './errors.js';
import type { RecoveryInput, SenderRecoverer } from './recover.js';

/** geth's txMaxSize: 4 slots of 32 KiB. */
export const DEFAULT_MAX_TX_SIZE = 128 * 1024;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SECP256K1_HALF_N = SECP256K1_N / 2n;
const MAX_INITCODE_SIZE = 49152;
const UINT256_MAX = (1n << 256n) - 1n;

export interface DecodeOptions {
  chainId: bigint;
  /** The rules to decode by; default the newest fork of the chain's schedule. */
  fork?: ForkName;
  maxTxSize?: number;
  /**
   * Accept legacy transactions without EIP-155 chain id (v = 27/28): replayable on every chain, so refused by
   * default as geth does over RPC (`--allow-unprotected-txs` turns it on, e.g. for deterministic deployers).
   */
  allowUnprotected?: boolean;
  /** Enforce the EIP-3860 init code limit (Cancun). Default true. */
  limitInitCode?: boolean;
  /**
   * Accept EIP-4844 (type 3) transactions. Default false: like other rollups, this L2 takes no blob
   * transactions (blob data belongs on L1). The decoder itself reads them either way (canonical form).
   */
  allowBlobTxs?: boolean;
}

// Canonical type-3 transactions need no KZG math to decode, but @ethereumjs/tx insists on a kzg object:
// give the decoder's Common one that refuses to work (network-wrapper forms with blobs are refused anyway).
const refuse = (): never => {
  throw new Error('KZG is not available to the ingress decoder');
};
const STUB_KZG = { loadTrustedSetup: refuse, blobToKzgCommitment: refuse, computeBlobProof: refuse, verifyProof: refuse, verifyBlobProofBatch: refuse, computeCells: refuse, computeCellsAndProofs: refuse, recoverCellsAndProofs: refuse, verifyCellKzgProofBatch: refuse };
const decodeCommons = new Map<string, Common>();
function decodeCommon(chainId: bigint, fork: ForkName = latestFork(forkScheduleOf(chainId))): Common {
  const key = `${chainId}:${fork}`;
  let c = decodeCommons.get(key);
  if (!c) {
    c = commonFor(chainId, fork);
    if (c.customCrypto.kzg === undefined) {
      c = c.copy();
      (c as unknown as { customCrypto: Record<string, unknown> }).customCrypto = { ...c.customCrypto, kzg: STUB_KZG };
    }
    decodeCommons.set(key, c);
  }
  return c;
}

/** A transaction after stateless checks, before sender recovery. */
export interface DecodedTx {
  tx: TypedTransaction;
  raw: Uint8Array;
  hash: Hex;
  intrinsicGas: bigint;
  recovery: RecoveryInput;
}

/** A transaction with its sender: what the mempool holds. */
export interface IngressTx {
  exec: ExecTx;
  raw: Uint8Array;
  intrinsicGas: bigint;
  v: bigint;
  r: bigint;
  s: bigint;
}

function classify(message: string): IngressError {
  const m = message.toLowerCase();
  if (m.includes('chain id') || m.includes('chainid') || m.includes('eip155')) return new IngressError('WRONG_CHAIN_ID', `invalid chain id: ${message}`);
  if (/\b(v|r|s|signature|yparity|y-parity)\b/.test(m) && !m.includes('leading zero')) return new IngressError('INVALID_SIGNATURE', `invalid signature: ${message}`);
  if (m.includes('gaslimit') && m.includes('too low')) return new IngressError('INTRINSIC_GAS_TOO_LOW', `intrinsic gas too low: ${message}`);
  if (m.includes('initcode')) return new IngressError('INITCODE_TOO_LARGE', `max initcode size exceeded: ${message}`);
  if (m.includes('maxfeepergas cannot be less than maxpriorityfeepergas')) return new IngressError('FEE_CAP_TOO_LOW', `max priority fee per gas higher than max fee per gas: ${message}`);
  if (/at least one blob|versioned hash|blob gas|blobs per tx/.test(m)) return new IngressError('BLOB_INVALID', `invalid blob transaction: ${message}`);
  if (m.includes('eip-7825')) {
    const gas = /gas limit (\d+)/i.exec(message)?.[1] ?? 'above the cap';
    return new IngressError('GAS_LIMIT_EXCEEDED', `transaction gas limit ${gas} exceeds the per-transaction cap ${TX_GAS_LIMIT_CAP} (EIP-7825)`);
  }
  return new IngressError('MALFORMED', `malformed transaction: ${message}`);
}

/** Decodes and checks one raw transaction without state; throws IngressError. */
export function decodeRawTransaction(raw: Uint8Array, opts: DecodeOptions): DecodedTx {
  const maxSize = opts.maxTxSize ?? DEFAULT_MAX_TX_SIZE;
  if (raw.length === 0) throw new IngressError('MALFORMED', 'malformed transaction: empty input');
  // Policy before size: a blob transaction with its blobs is far over the size limit, but size is not why it is refused.
  if (raw[0] === 3 && opts.allowBlobTxs !== true) throw new IngressError('BLOB_INVALID', 'blob transactions are not accepted on this chain');
  if (raw.length > maxSize) throw new IngressError('OVERSIZED', `oversized data: transaction size ${raw.length}, limit ${maxSize}`);
  const signedFor = signedChainId(raw);
  if (signedFor === 'unprotected' && opts.allowUnprotected !== true) {
    throw new IngressError('UNPROTECTED', 'only replay-protected (EIP-155) transactions allowed over RPC: this legacy transaction has no chain id (start the node with --allow-unprotected-txs to accept it)');
  }
  if (typeof signedFor === 'bigint' && signedFor !== opts.chainId) {
    throw new IngressError('WRONG_CHAIN_ID', `invalid chain id: transaction is signed for chain ${signedFor}, this chain is ${opts.chainId}`);
  }
  const fork = opts.fork ?? latestFork(forkScheduleOf(opts.chainId));
  const common = decodeCommon(opts.chainId, fork);
  let tx: TypedTransaction;
  try {
    tx = createTxFromRLP(raw, { common, allowUnlimitedInitCodeSize: opts.limitInitCode === false });
  } catch (e) {
    throw classify((e as Error).message);
  }
  if (!tx.isSigned()) throw new IngressError('INVALID_SIGNATURE', 'invalid signature: transaction is not signed (v, r or s is zero)');
  // Canonical encoding: re-serialising must give the same bytes (no trailing data, no non-minimal lengths).
  const hash = bytesToHex(tx.hash()) as Hex;
  const again = tx.serialize();
  if (again.length !== raw.length || !again.every((b, i) => b === raw[i])) throw new IngressError('MALFORMED', 'malformed transaction: non-canonical encoding');
  const t = tx as TypedTransaction & Record<string, unknown>;
  const txChainId = t.chainId as bigint | undefined;
  if (tx.type !== 0 && txChainId !== opts.chainId) {
    throw new IngressError('WRONG_CHAIN_ID', `invalid chain id: got ${txChainId}, want ${opts.chainId}`);
  }
  const { v, r, s } = tx as { v: bigint; r: bigint; s: bigint };
  if (r === 0n || s === 0n || r >= SECP256K1_N || s >= SECP256K1_N) throw new IngressError('INVALID_SIGNATURE', 'invalid signature: r or s out of range');
  if (s > SECP256K1_HALF_N) throw new IngressError('INVALID_SIGNATURE', 'invalid signature: s above secp256k1n/2 (EIP-2)');
  let recId: number;
  if (tx.type === 0) {
    if (v === 27n || v === 28n) recId = Number(v - 27n);
    else {
      const base = opts.chainId * 2n + 35n;
      if (v !== base && v !== base + 1n) throw new IngressError('WRONG_CHAIN_ID', `invalid chain id: legacy v ${v} does not match chain ${opts.chainId}`);
      recId = Number(v - base);
    }
  } else {
    if (v !== 0n && v !== 1n) throw new IngressError('INVALID_SIGNATURE', `invalid signature: yParity ${v}`);
    recId = Number(v);
  }
  // Value ranges that RLP alone allows (the VM would otherwise overflow).
  const feeCap = (t.maxFeePerGas as bigint | undefined) ?? (t.gasPrice as bigint);
  const tip = t.maxPriorityFeePerGas as bigint | undefined;
  if (tip !== undefined && tip > feeCap) throw new IngressError('FEE_CAP_TOO_LOW', `max priority fee per gas higher than max fee per gas: tip ${tip}, fee cap ${feeCap}`);
  if (tx.gasLimit * feeCap > UINT256_MAX) throw new IngressError('MALFORMED', 'malformed transaction: gas limit * fee cap overflows 256 bits');
  if (tx.nonce >= (1n << 64n) - 1n) throw new IngressError('MALFORMED', 'malformed transaction: nonce exceeds 2^64-2 (EIP-2681)');
  if (tx.to === undefined && opts.limitInitCode !== false && tx.data.length > MAX_INITCODE_SIZE) {
    throw new IngressError('INITCODE_TOO_LARGE', `max initcode size exceeded: ${tx.data.length} > ${MAX_INITCODE_SIZE}`);
  }
  // @ethereumjs/tx lets an empty byte string stand for an empty access list or key list; RLP says list.
  const accessList = t.accessList as unknown;
  if (tx.type !== 0 && (!Array.isArray(accessList) || accessList.some((item) => !Array.isArray((item as unknown[])[1])))) {
    throw new IngressError('MALFORMED', 'malformed transaction: access list items must be [20-byte address, [32-byte keys]]');
  }
  if (tx.type === 3) {
    const hashes = (t.blobVersionedHashes as unknown[] | undefined) ?? [];
    if (hashes.length === 0) throw new IngressError('BLOB_INVALID', 'blob transaction without blobs');
    if (tx.to === undefined) throw new IngressError('BLOB_INVALID', 'blob transaction cannot create a contract');
  }
  if (tx.type === 4) {
    const auths = (t.authorizationList as unknown[] | undefined) ?? [];
    if (auths.length === 0) throw new IngressError('MALFORMED', 'malformed transaction: set-code (EIP-7702) transaction with an empty authorization list');
    if (tx.to === undefined) throw new IngressError('MALFORMED', 'malformed transaction: set-code (EIP-7702) transaction cannot create a contract');
  }
  if (forkAtLeast(fork, 'Osaka') && tx.gasLimit > TX_GAS_LIMIT_CAP) {
    throw new IngressError('GAS_LIMIT_EXCEEDED', `transaction gas limit ${tx.gasLimit} exceeds the per-transaction cap ${TX_GAS_LIMIT_CAP} (EIP-7825)`);
  }
  const intrinsicGas = tx.getIntrinsicGas();
  if (tx.gasLimit < intrinsicGas) throw new IngressError('INTRINSIC_GAS_TOO_LOW', `intrinsic gas too low: have ${tx.gasLimit}, want ${intrinsicGas}`);
  // EIP-7623 (Prague): the execution would fail a transaction that cannot pay the calldata floor, so it is
  // refused here as geth's pool does, not acknowledged and then never mined.
  const floor = forkAtLeast(fork, 'Prague') ? calldataFloorGas(tx.data) : 0n;
  if (tx.gasLimit < floor) throw new IngressError('INTRINSIC_GAS_TOO_LOW', `insufficient gas for floor data gas cost: have ${tx.gasLimit}, want ${floor}`);
  const sig64 = new Uint8Array(64);
  sig64.set(bigToBytes32(r), 0);
  sig64.set(bigToBytes32(s), 32);
  return { tx, raw, hash, intrinsicGas, recovery: { msgHash: tx.getHashedMessageToSign(), sig64, recId } };
}

/** EIP-7623's floor: 21000 + 10 per token, a zero byte of calldata one token and any other byte four. */
export function calldataFloorGas(data: Uint8Array): bigint {
  let tokens = 0;
  for (const b of data) tokens += b === 0 ? 1 : 4;
  return 21000n + 10n * BigInt(tokens);
}

function bigToBytes32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && n > 0n; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

/**
 * Decodes a batch and recovers every sender with one recoverBatch call. One result per input:
 * the IngressTx or the IngressError that rejected it.
 */
export async function decodeAndRecoverBatch(raws: readonly Uint8Array[], opts: DecodeOptions, recoverer: SenderRecoverer): Promise<(IngressTx | IngressError)[]> {
  const decoded = raws.map((raw): DecodedTx | IngressError => {
    try {
      return decodeRawTransaction(raw, opts);
    } catch (e) {
      if (e instanceof IngressError) return e;
      return new IngressError('MALFORMED', `malformed transaction: ${(e as Error).message}`);
    }
  });
  const ok = decoded.filter((d): d is DecodedTx => !(d instanceof IngressError));
  const senders = await recoverer.recoverBatch(ok.map((d) => d.recovery));
  const byDecoded = new Map<DecodedTx, Address | null>(ok.map((d, i) => [d, senders[i]]));
  return decoded.map((d) => {
    if (d instanceof IngressError) return d;
    const from = byDecoded.get(d);
    if (!from) return new IngressError('INVALID_SIGNATURE', 'invalid signature: sender recovery failed');
    const exec = execTxFromEthereumJs(d.tx, from);
    if ('decodeError' in exec) return new IngressError('MALFORMED', exec.decodeError);
    const { v, r, s } = d.tx as { v: bigint; r: bigint; s: bigint };
    return { exec, raw: d.raw, intrinsicGas: d.intrinsicGas, v, r, s };
  });
}

/** Our ExecTx from a decoded @ethereumjs transaction (the sender recovered unless given). */
export function execTxFromEthereumJs(tx: TypedTransaction, sender?: string): ExecTx | { decodeError: string } {
  let from: Address;
  try {
    from = toAddress(sender ?? tx.getSenderAddress().toString());
  } catch (e) {
    return { decodeError: `sender recovery failed: ${(e as Error).message}` };
  }
  const t = tx as TypedTransaction & Record<string, unknown>;
  return {
    hash: bytesToHex(tx.hash()) as Hex,
    type: tx.type as ExecTx['type'],
    from,
    to: tx.to ? toAddress(tx.to.toString()) : null,
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    value: tx.value,
    data: tx.data,
    gasPrice: t.gasPrice as bigint | undefined,
    maxFeePerGas: t.maxFeePerGas as bigint | undefined,
    maxPriorityFeePerGas: t.maxPriorityFeePerGas as bigint | undefined,
    accessList: ((t.accessList as [Uint8Array, Uint8Array[]][] | undefined) ?? []).map(([a, keys]) => ({
      address: toAddress(a),
      storageKeys: keys.map((k) => toWord(k)),
    })),
    maxFeePerBlobGas: t.maxFeePerBlobGas as bigint | undefined,
    // @ethereumjs/tx v10 keeps versioned hashes as 0x-strings.
    blobVersionedHashes: (t.blobVersionedHashes as (Uint8Array | string)[] | undefined)?.map((h) => (typeof h === 'string' ? h.toLowerCase() : bytesToHex(h)) as Hex),
    authorizationList: tx.type === 4 ? authorizations(t.authorizationList as Uint8Array[][]) : undefined,
    chainId: t.chainId as bigint | undefined,
  };
}

/** The EIP-7702 tuples of a decoded set-code transaction ([chainId, address, nonce, yParity, r, s] bytes). */
export function authorizations(list: Uint8Array[][]): Authorization[] {
  return list.map(([chainId, address, nonce, yParity, r, s]) => ({
    chainId: bytesToBigInt(chainId),
    address: toAddress(address),
    nonce: bytesToBigInt(nonce),
    yParity: bytesToBigInt(yParity),
    r: bytesToBigInt(r),
    s: bytesToBigInt(s),
  }));
}

/** Decodes a stored raw transaction whose sender is known (store / mempool reload): no checks. */
export function txFromStored(raw: Uint8Array, from: Address, chainId: bigint): IngressTx {
  const tx = createTxFromRLP(raw, { common: decodeCommon(chainId), allowUnlimitedInitCodeSize: true });
  const exec = execTxFromEthereumJs(tx, from) as ExecTx;
  const { v, r, s } = tx as { v: bigint; r: bigint; s: bigint };
  return { exec, raw, intrinsicGas: 0n, v, r, s };
}

export function txView(t: IngressTx): TxView {
  // Field by field, not a spread: one shape for every view (a spread of transactions from different decoders
  // took V8's generic clone path, ~20 µs per transaction of a block's announcement in the server profile).
  const e = t.exec;
  return {
    hash: e.hash,
    type: e.type,
    from: e.from,
    to: e.to,
    nonce: e.nonce,
    gasLimit: e.gasLimit,
    value: e.value,
    data: e.data,
    gasPrice: e.gasPrice,
    maxFeePerGas: e.maxFeePerGas,
    maxPriorityFeePerGas: e.maxPriorityFeePerGas,
    accessList: e.accessList,
    maxFeePerBlobGas: e.maxFeePerBlobGas,
    blobVersionedHashes: e.blobVersionedHashes,
    authorizationList: e.authorizationList,
    chainId: e.chainId,
    v: t.v,
    r: t.r,
    s: t.s,
    raw: t.raw,
  };
}
