// The block builder: headers of the block's fork (via @ethereumjs/block, so the encoding and hash are the
// reference's), receipts with cumulative gas and logs, transactions/receipts tries, logs bloom, EIP-1559 base
// fee, EIP-4844 blob gas fields, empty withdrawals, zero parent beacon block root (no beacon chain on this
// L2) and, from Prague, the EIP-7685 requests hash of the empty request list (an L2 has no EL requests).
// Each header is built and parsed with the Common of its own fork (the chain's schedule at its timestamp).
import { createBlockHeader, createBlockHeaderFromRLP, type BlockHeader } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { orderedTrieRoot } from './ordered-trie.js';
import { BloomHasher } from './receipt-rlp.js';
import { receiptsRoot } from './receipts-root.js';
import { RLP } from '@ethereumjs/rlp';
import { KECCAK256_RLP, bytesToBigInt } from '@ethereumjs/util';
import { createHash } from 'node:crypto';
import { commonFor } from '../chain/common.js';
import { forkScheduleOf } from '../chain/config.js';
import { forkAt } from '../chain/forks.js';
import type { BlockEnv, ExecTx, Log } from '../executor/types.js';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../primitives/types.js';
import type { IncludedTx } from '../scheduler/scheduler.js';
import type { StoredBlock, StoredReceipt, StoredTx } from '../store/store.js';
import type { BlockHeaderView } from '../node/types.js';

export const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`;

/** EIP-7685: sha256 of the concatenated per-type request hashes; for no requests, sha256(""). */
export const EMPTY_REQUESTS_HASH: Uint8Array = new Uint8Array(createHash('sha256').digest());

/** The Common of the fork a block at `timestamp` runs under, on `common`'s chain. */
export function commonAt(common: Common, timestamp: bigint): Common {
  const chainId = common.chainId();
  return commonFor(chainId, forkAt(forkScheduleOf(chainId), timestamp));
}

/** Fields of the header a fork adds (Prague: requestsHash). */
function forkFields(common: Common): { requestsHash?: Uint8Array } {
  return common.gteHardfork('prague') ? { requestsHash: EMPTY_REQUESTS_HASH } : {};
}

export function headerFromRlp(rlp: Uint8Array, common: Common): BlockHeader {
  const timestamp = bytesToBigInt((RLP.decode(rlp) as Uint8Array[])[11]);
  return createBlockHeaderFromRLP(rlp, { common: commonAt(common, timestamp), setHardfork: false, skipConsensusFormatValidation: true });
}

/** The genesis header for a state root. */
export function genesisHeader(chainCommon: Common, g: { gasLimit: bigint; baseFeePerGas: bigint; timestamp: bigint; coinbase: Address; extraData: Hex; stateRoot: Hex }): BlockHeader {
  const common = commonAt(chainCommon, g.timestamp);
  return createBlockHeader(
    {
      number: 0n,
      parentHash: new Uint8Array(32),
      coinbase: hexToU8(g.coinbase),
      stateRoot: hexToU8(g.stateRoot),
      gasLimit: g.gasLimit,
      gasUsed: 0n,
      timestamp: g.timestamp,
      extraData: hexToU8(g.extraData),
      difficulty: 0n,
      baseFeePerGas: g.baseFeePerGas,
      withdrawalsRoot: KECCAK256_RLP,
      blobGasUsed: 0n,
      excessBlobGas: 0n,
      parentBeaconBlockRoot: new Uint8Array(32),
      ...forkFields(common),
    },
    { common, setHardfork: false, skipConsensusFormatValidation: true },
  );
}

/**
 * prevRandao of a block: there is no beacon chain, so it is chained from the parent's (keccak(parent mixHash ||
 * number)). Not from the parent's hash, which needs the parent's state root: the next block executes before
 * that root is known (pipelined production).
 */
export function prevRandaoFor(parentMixHash: Hex, number: bigint): Hex {
  const buf = new Uint8Array(40);
  buf.set(hexToU8(parentMixHash), 0);
  new DataView(buf.buffer).setBigUint64(32, number);
  return bytesToHex(keccak256(buf)) as Hex;
}

/**
 * The environment of the child of `parent` (only its number, timestamp, gas, fee and mixHash fields are read,
 * so a header whose roots are not final yet will do). Timestamps never go backwards (several blocks may share
 * one second).
 */
export function childEnv(common: Common, parent: BlockHeader, coinbase: Address, recentBlockHashes: Hex[], nowMs = Date.now()): BlockEnv {
  const now = BigInt(Math.floor(nowMs / 1000));
  const number = parent.number + 1n;
  return {
    chainId: common.chainId(),
    number,
    timestamp: now > parent.timestamp ? now : parent.timestamp,
    coinbase,
    gasLimit: parent.gasLimit,
    baseFee: parent.calcNextBaseFee(),
    prevRandao: prevRandaoFor(bytesToHex(parent.mixHash) as Hex, number),
    excessBlobGas: parent.calcNextExcessBlobGas(parent.common),
    recentBlockHashes,
  };
}

/** Price per gas the sender paid. */
export function effectiveGasPrice(tx: ExecTx, baseFee: bigint): bigint {
  if (tx.maxFeePerGas === undefined) return tx.gasPrice ?? 0n;
  const tip = tx.maxPriorityFeePerGas ?? 0n;
  const room = tx.maxFeePerGas - baseFee;
  return baseFee + (tip < room ? tip : room);
}

/** The 2048-bit logs bloom (yellow paper M3:2048) of some logs. */
export function logsBloom(logs: readonly Log[], into: Uint8Array = new Uint8Array(256)): Uint8Array {
  return new BloomHasher().bloom(logs, into);
}

export interface BuiltBlock {
  header: BlockHeader;
  hash: Hex;
  stored: StoredBlock;
  txs: StoredTx[];
  receipts: StoredReceipt[];
}

/** Builds the sealed block from the scheduled transactions and the post-state root. */
export async function buildBlock(args: {
  common: Common;
  parentHash: Hex;
  env: BlockEnv;
  included: readonly IncludedTx[];
  stateRoot: Hex;
  blobGasUsed: bigint;
  extraData?: Hex;
}): Promise<BuiltBlock> {
  const { env, included } = args;
  const common = commonAt(args.common, env.timestamp);
  const receiptTrie = receiptsRoot(included.map(({ entry, outcome, cumulativeGasUsed }) => ({ type: entry.tx.exec.type, success: outcome.status === 'success', cumulativeGasUsed, logs: outcome.logs })));
  const gasUsed = included.length === 0 ? 0n : included[included.length - 1].cumulativeGasUsed;
  const rawTxs = included.map((t) => t.entry.tx.raw);
  const header = createBlockHeader(
    {
      parentHash: hexToU8(args.parentHash),
      coinbase: hexToU8(env.coinbase),
      stateRoot: hexToU8(args.stateRoot),
      transactionsTrie: orderedTrieRoot(rawTxs),
      receiptTrie: receiptTrie.root,
      logsBloom: receiptTrie.logsBloom,
      difficulty: 0n,
      number: env.number,
      gasLimit: env.gasLimit,
      gasUsed,
      timestamp: env.timestamp,
      extraData: hexToU8(args.extraData ?? '0x'),
      mixHash: hexToU8(env.prevRandao),
      nonce: new Uint8Array(8),
      baseFeePerGas: env.baseFee,
      withdrawalsRoot: KECCAK256_RLP,
      blobGasUsed: args.blobGasUsed,
      excessBlobGas: env.excessBlobGas,
      parentBeaconBlockRoot: new Uint8Array(32),
      ...forkFields(common),
    },
    { common, setHardfork: false, skipConsensusFormatValidation: true },
  );
  const hash = bytesToHex(header.hash()) as Hex;
  const headerRlp = header.serialize();
  const size = blockSize(headerRlp, rawTxs);
  let logIndex = 0;
  const receipts: StoredReceipt[] = included.map(({ entry, outcome, cumulativeGasUsed }, i) => ({
    txHash: entry.tx.exec.hash,
    blockNumber: env.number,
    blockHash: hash,
    index: i,
    status: outcome.status === 'success' ? 1 : 0,
    gasUsed: outcome.gasUsed,
    cumulativeGasUsed,
    effectiveGasPrice: effectiveGasPrice(entry.tx.exec, env.baseFee),
    blobGasUsed: outcome.blobGasUsed,
    contractAddress: outcome.createdAddress ?? null,
    logs: outcome.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data, logIndex: logIndex++ })),
  }));
  const txs: StoredTx[] = included.map(({ entry }, i) => ({
    hash: entry.tx.exec.hash,
    blockNumber: env.number,
    blockHash: hash,
    index: i,
    sender: entry.tx.exec.from,
    raw: entry.tx.raw,
  }));
  return { header, hash, stored: { number: env.number, hash, header: headerRlp, size }, txs, receipts };
}

/** Bytes of an RLP string or list of `len` payload bytes with its length prefix. */
function rlpItemSize(len: number): number {
  if (len <= 55) return 1 + len;
  let n = 0;
  for (let x = len; x > 0; x = Math.floor(x / 256)) n++;
  return 1 + n + len;
}

/**
 * Size of rlp([header, txs, uncles = [], withdrawals = []]) from the header's RLP and the raw transactions,
 * without encoding the block: a legacy transaction is its own RLP list, a typed one an RLP string.
 */
export function blockSize(headerRlp: Uint8Array, rawTxs: readonly Uint8Array[]): number {
  let txs = 0;
  for (const raw of rawTxs) txs += raw[0] >= 0xc0 ? raw.length : rlpItemSize(raw.length);
  return rlpItemSize(headerRlp.length + rlpItemSize(txs) + 2);
}

export function headerView(header: BlockHeader, size: number): BlockHeaderView {
  const h = (b: Uint8Array | undefined): Hex => bytesToHex(b ?? new Uint8Array(32)) as Hex;
  return {
    number: header.number,
    hash: h(header.hash()),
    parentHash: h(header.parentHash),
    uncleHash: h(header.uncleHash),
    coinbase: toAddress(header.coinbase.toString()),
    stateRoot: h(header.stateRoot),
    transactionsRoot: h(header.transactionsTrie),
    receiptsRoot: h(header.receiptTrie),
    logsBloom: h(header.logsBloom),
    difficulty: header.difficulty,
    gasLimit: header.gasLimit,
    gasUsed: header.gasUsed,
    timestamp: header.timestamp,
    extraData: h(header.extraData),
    mixHash: h(header.mixHash),
    nonce: h(header.nonce),
    baseFeePerGas: header.baseFeePerGas ?? 0n,
    withdrawalsRoot: h(header.withdrawalsRoot),
    blobGasUsed: header.blobGasUsed ?? 0n,
    excessBlobGas: header.excessBlobGas ?? 0n,
    parentBeaconBlockRoot: h(header.parentBeaconBlockRoot),
    size,
  };
}

