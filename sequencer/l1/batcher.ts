// The batcher: groups sealed L2 blocks into batches, compresses them, posts them to the Rollup contract as
// calldata or blobs, waits for inclusion, re-prices stuck transactions, and survives L1 outages and its own
// crashes without posting a batch twice or losing one:
//  - a batch is written to the store before anything is signed; a signed attempt (nonce, raw bytes) is
//    written before it is broadcast; replacements reuse the nonce, so at most one attempt can ever land;
//  - on every step the contract is the judge: a batch whose index is below nextBatchIndex() is on L1, and
//    it is confirmed only if the on-chain root and data commitment are ours (else it reports and waits);
//  - a new nonce is taken only once the old one is consumed by none of our attempts (then none can land), or
//    when L1 lost the transactions before it (a gap no one else fills); the contract accepts each batch index
//    once, so even a stale attempt that lands later cannot post a batch twice;
//  - a batch is confirmed only `confirmations` L1 blocks deep; when L1 loses batches (a reorg, a guardian
//    rollback, an L1 node restarted from an older state) the lost ones go back to the queue and are re-posted;
//  - it never stops for good: every failure is reported (status, log) and retried with a growing back-off.
import {
  commitmentToVersionedHash,
  concat,
  decodeErrorResult,
  encodeFunctionData,
  keccak256,
  type Hex as VHex,
  type PublicClient,
  type TransactionSerializable,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../primitives/types.js';
import { encodeBatch, type Compression } from './batch-codec.js';
import type { BatchRow, BatchStore, DaMode } from './batch-store.js';
import { BLOB_CAPACITY, MAX_BLOBS_PER_TX, dataToBlobs, kzg } from './blobs.js';
import { RollupReader, publicClientFor } from './l1-client.js';
import type { SealedBatchSource } from './types.js';

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface BatcherOptions {
  l1Url: string;
  rollup: Address;
  sequencerKey: Hex;
  l2ChainId: bigint;
  source: SealedBatchSource;
  store: BatchStore;
  da?: DaMode;
  compression?: Compression;
  maxBlocksPerBatch?: number;
  /** Wait for this many unbatched blocks before building a batch (default 1) ... */
  minBlocksPerBatch?: number;
  /** ... unless the oldest unbatched block's timestamp is this old (default 0: no waiting). */
  maxBatchDelayMs?: number;
  /**
   * Max encoded batch size; default 120 kB for calldata, 6 blobs for blobs. In calldata mode a single block
   * larger than this goes in blobs (see blockBytesLimit()).
   */
  maxBatchBytes?: number;
  /** L1 blocks on top of a batch's block before it counts as confirmed (default 0: once included). */
  confirmations?: number;
  /** Longest wait between retries after consecutive failures (default 30 s). */
  maxBackoffMs?: number;
  /** Batches built ahead of L1 confirmation. */
  maxUnconfirmed?: number;
  /** Re-price a transaction not mined after this long. */
  bumpAfterMs?: number;
  /** Minimum increase per replacement (the L1 mempool wants >= 10%). */
  feeBumpPercent?: bigint;
  pollIntervalMs?: number;
  log?: LogFn;
  /** Test hooks around broadcasting (crash tests stop the process inside them). */
  hooks?: { beforeBroadcast?(batchIndex: number, txHash: Hex): Promise<void> | void; afterBroadcast?(batchIndex: number, txHash: Hex): Promise<void> | void };
}

/**
 * A condition the batcher cannot clear by itself (L1 holds a batch that is not ours, a batch would revert):
 * reported at error level and retried with back-off until L1 or the operator clears it.
 */
export class BatcherBlockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatcherBlockedError';
  }
}

export interface BatcherStatus {
  running: boolean;
  lastError?: string;
  /** Set while a BatcherBlockedError repeats: what needs attention. */
  blocked?: string;
  /** Consecutive failed steps (0 when the last step succeeded). */
  failures: number;
}

/** A 6-blob batch: the largest any batch carries. */
const BLOB_BATCH_BYTES = MAX_BLOBS_PER_TX * BLOB_CAPACITY;
/** Room for a block's header fields and the batch envelope around its transactions. */
const BLOCK_ENVELOPE_BYTES = 4096;

/**
 * The most transaction bytes one L2 block may carry so that the batcher can always post it (in one batch of
 * 6 blobs, whatever the DA mode): the block builder's cap (SchedulerOptions.maxBlockBytes).
 */
export function blockBytesLimit(): number {
  return BLOB_BATCH_BYTES - BLOCK_ENVELOPE_BYTES;
}

const defaultLog: LogFn = (level, msg, fields) => console.error(JSON.stringify({ level, component: 'batcher', msg, ...fields }));

export class Batcher {
  private readonly pub: PublicClient;
  private readonly reader: RollupReader;
  private readonly account: PrivateKeyAccount;
  private readonly da: DaMode;
  private readonly log: LogFn;
  private readonly maxBatchBytes: number;
  private timer?: NodeJS.Timeout;
  private running = false;
  private ticking?: Promise<void>;
  private l1ChainId?: number;
  private readonly commitments = new Map<number, { commitment: Hex; versionedHashes?: Hex[]; blobs?: Hex[] }>();
  private failures = 0;
  lastError?: string;
  blocked?: BatcherBlockedError;

  constructor(private readonly opts: BatcherOptions) {
    this.pub = publicClientFor(opts.l1Url);
    this.reader = new RollupReader(this.pub, opts.rollup);
    this.account = privateKeyToAccount(opts.sequencerKey as VHex);
    this.da = opts.da ?? 'calldata';
    this.log = opts.log ?? defaultLog;
    this.maxBatchBytes = opts.maxBatchBytes ?? (this.da === 'blobs' ? BLOB_BATCH_BYTES : 120_000);
  }

  get sequencer(): Address {
    return toAddress(this.account.address);
  }

  /** Polls until stopped; failures are logged and retried, waiting longer after each consecutive one. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      if (!this.running) return;
      this.ticking = this.tick().catch(() => {});
      await this.ticking;
      if (this.running) this.timer = setTimeout(loop, this.delayMs());
    };
    void loop();
  }

  /** The poll interval, doubled per consecutive failure up to maxBackoffMs. */
  private delayMs(): number {
    const base = this.opts.pollIntervalMs ?? 500;
    return Math.min(base * 2 ** Math.min(this.failures, 16), Math.max(base, this.opts.maxBackoffMs ?? 30_000));
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
  }

  status(): BatcherStatus {
    return { running: this.running, lastError: this.lastError, blocked: this.blocked?.message, failures: this.failures };
  }

  /**
   * One step: build batches from new sealed blocks (all of them when `force`, else respecting
   * minBlocksPerBatch / maxBatchDelayMs), then move the oldest unconfirmed batch forward.
   */
  async tick(force = false): Promise<void> {
    try {
      await this.build(force);
      await this.advance();
      if (this.failures > 0) this.log('info', 'batcher recovered', { after: this.failures, lastError: this.lastError });
      this.lastError = undefined;
      this.blocked = undefined;
      this.failures = 0;
    } catch (e) {
      const err = e as Error;
      this.lastError = err.message;
      this.failures++;
      const retryMs = this.delayMs();
      if (err instanceof BatcherBlockedError) {
        this.blocked = err;
        this.log('error', `batcher blocked, will retry: ${err.message}`, { failures: this.failures, retryMs });
      } else {
        this.log('warn', `batcher step failed, will retry: ${err.message}`, { failures: this.failures, retryMs });
      }
      throw err;
    }
  }

  /** Ticks until every block sealed now is in a confirmed batch (for tests and shutdown). */
  async flush(timeoutMs = 60_000, onIdle?: () => Promise<void>): Promise<void> {
    const target = await this.opts.source.latestSealedBlockNumber();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.tick(true).catch(() => {});
      const last = await this.opts.store.lastBatch();
      const unconfirmed = await this.opts.store.countUnconfirmed();
      if (unconfirmed === 0 && BigInt(last?.last_block ?? 0) >= target) return;
      if (Date.now() > deadline) throw new Error(`batcher flush timed out (last error: ${this.lastError ?? 'none'})`);
      if (onIdle) await onIdle();
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // ------------------------------------------------------------------ building
  private async build(force: boolean): Promise<void> {
    const { store, source } = this.opts;
    const last = await store.lastBatch();
    let cursor: bigint, prevRoot: Hex, nextIndex: number;
    if (last === undefined) {
      // First start on this store: continue from what L1 has.
      cursor = await this.reader.lastL2Block();
      prevRoot = await this.reader.lastStateRoot();
      nextIndex = Number(await this.reader.nextBatchIndex());
    } else {
      cursor = BigInt(last.last_block);
      prevRoot = last.new_state_root as Hex;
      nextIndex = last.batch_index + 1;
    }
    const latest = await source.latestSealedBlockNumber();
    let unconfirmed = await store.countUnconfirmed();
    const maxBlocks = BigInt(this.opts.maxBlocksPerBatch ?? 100);
    while (cursor < latest && unconfirmed < (this.opts.maxUnconfirmed ?? 8)) {
      const to = latest < cursor + maxBlocks ? latest : cursor + maxBlocks;
      let blocks = await source.getSealedBlocks(cursor + 1n, to);
      if (blocks.length === 0 || blocks[0].number !== cursor + 1n) throw new Error(`source returned no block ${cursor + 1n}`);
      const waitForMore =
        !force &&
        blocks.length < (this.opts.minBlocksPerBatch ?? 1) &&
        Date.now() - Number(blocks[0].timestamp) * 1000 < (this.opts.maxBatchDelayMs ?? 0);
      if (waitForMore) return;
      let data = encodeBatch(this.opts.l2ChainId, blocks, this.opts.compression);
      while (data.length > this.maxBatchBytes && blocks.length > 1) {
        blocks = blocks.slice(0, Math.ceil(blocks.length / 2));
        data = encodeBatch(this.opts.l2ChainId, blocks, this.opts.compression);
      }
      // One block larger than a calldata batch goes in blobs (the block builder keeps blocks within that).
      const da: DaMode = data.length > this.maxBatchBytes && this.da === 'calldata' && data.length <= BLOB_BATCH_BYTES ? 'blobs' : this.da;
      if (data.length > (da === 'blobs' ? Math.max(this.maxBatchBytes, BLOB_BATCH_BYTES) : this.maxBatchBytes)) {
        throw new BatcherBlockedError(`L2 block ${blocks[0].number} alone encodes to ${data.length} bytes, more than one batch carries (${BLOB_BATCH_BYTES} in blobs): the block builder must cap blocks at blockBytesLimit()`);
      }
      const lastBlock = blocks[blocks.length - 1];
      const row: BatchRow = {
        batch_index: nextIndex,
        first_block: Number(blocks[0].number),
        last_block: Number(lastBlock.number),
        prev_state_root: prevRoot,
        new_state_root: lastBlock.stateRoot,
        queue_index_after: Number(lastBlock.queueIndexAfter),
        da,
        data,
        status: 'pending',
        nonce: null,
        created_at: Date.now(),
        confirmed_l1_block: null,
        confirmed_tx_hash: null,
      };
      await store.insertBatch(row);
      this.log('info', 'batch built', { batch: nextIndex, blocks: `${row.first_block}..${row.last_block}`, bytes: data.length, da });
      cursor = lastBlock.number;
      prevRoot = lastBlock.stateRoot;
      nextIndex++;
      unconfirmed++;
    }
  }

  // ------------------------------------------------------------------ posting
  /**
   * Reconciles the queue with L1, then settles the batches L1 holds (confirmed once deep enough) and moves
   * the one at L1's tip forward (one in flight: the contract takes batches in order).
   */
  private async advance(): Promise<void> {
    const { store } = this.opts;
    const onChainNext = Number(await this.reader.nextBatchIndex());
    await this.requeueLost(onChainNext);
    const depth = this.opts.confirmations ?? 0;
    const head = depth > 0 ? await this.pub.getBlockNumber({ cacheTime: 0 }) : 0n;
    for (const b of await store.unconfirmed()) {
      if (b.batch_index < onChainNext) {
        await this.settle(b, head, depth);
        continue;
      }
      if (b.batch_index > onChainNext) {
        // Only reachable when the queue skips an index: nothing to post before it exists.
        throw new BatcherBlockedError(`L1 expects batch ${onChainNext} next but our oldest unposted one is ${b.batch_index}`);
      }
      return this.post(b);
    }
  }

  /** Batches we counted as posted that L1 no longer has go back to the queue, keeping their attempts. */
  private async requeueLost(onChainNext: number): Promise<void> {
    const lost = await this.opts.store.requeueFrom(onChainNext);
    if (lost.length === 0) return;
    for (const i of lost) this.commitments.delete(i);
    this.log('warn', 'L1 lost batches we had counted as posted (reorg, rollback or L1 state loss): re-posting them', {
      batches: `${lost[0]}..${lost[lost.length - 1]}`,
      l1NextBatch: onChainNext,
    });
  }

  /** A batch L1 holds: checks it is ours, and confirms it once `depth` L1 blocks sit on top of it. */
  private async settle(b: BatchRow, head: bigint, depth: number): Promise<void> {
    const oc = await this.reader.batch(BigInt(b.batch_index));
    const { commitment } = this.commitmentOf(b);
    if (oc.stateRoot !== b.new_state_root || oc.dataCommitment !== commitment) {
      throw new BatcherBlockedError(
        `L1 batch ${b.batch_index} is not ours: root ${oc.stateRoot} commitment ${oc.dataCommitment}, ours ${b.new_state_root} ${commitment}`,
      );
    }
    const landed = await this.landedAttempt(b.batch_index);
    if (depth > 0 && landed !== undefined && head - landed.l1Block + 1n < BigInt(depth)) return;
    await this.opts.store.markConfirmed(b.batch_index, landed?.l1Block ?? null, landed?.txHash ?? null);
    this.commitments.delete(b.batch_index);
    this.log('info', 'batch confirmed on L1', { batch: b.batch_index, l1Block: landed?.l1Block.toString(), tx: landed?.txHash, confirmations: depth });
  }

  private async landedAttempt(batchIndex: number): Promise<{ l1Block: bigint; txHash: string } | undefined> {
    for (const a of await this.opts.store.attempts(batchIndex)) {
      const r = await this.pub.getTransactionReceipt({ hash: a.tx_hash as VHex }).catch(() => undefined);
      if (r?.status === 'success') return { l1Block: r.blockNumber, txHash: a.tx_hash };
    }
    return undefined;
  }

  /** The batch at L1's tip: send it, or follow its latest attempt (landed, stuck, lost, nonce taken). */
  private async post(b: BatchRow): Promise<void> {
    const attempts = await this.opts.store.attempts(b.batch_index);
    if (attempts.length === 0) return this.send(b, undefined);
    const last = attempts[attempts.length - 1];
    // Only the latest nonce's attempts can still land; they replace each other.
    for (const a of attempts.filter((x) => x.nonce === last.nonce).reverse()) {
      const receipt = await this.pub.getTransactionReceipt({ hash: a.tx_hash as VHex }).catch(() => undefined);
      if (receipt === undefined) continue;
      if (receipt.status === 'success') {
        // Landed. Either the batch count read before lags behind it (the next tick settles it), or the guardian
        // rolled the batch back after it landed: that spent the nonce, so it goes out again with a new one.
        if (Number(await this.reader.nextBatchIndex()) > b.batch_index) return;
        this.log('warn', 'batch landed but was rolled back on L1, sending it again', { batch: b.batch_index, tx: a.tx_hash });
        return this.send(b, undefined);
      }
      // Reverted (e.g. a stale attempt after L1 lost batches): its nonce is spent; a new one is checked first.
      this.log('warn', 'batch transaction reverted on L1, sending a new one', { batch: b.batch_index, tx: a.tx_hash, reason: await this.revertReason(b) });
      return this.send(b, undefined);
    }
    const mined = await this.pub.getTransactionCount({ address: this.account.address, blockTag: 'latest' });
    // The nonce may have moved because our attempt landed just now: L1 is the judge, re-read it first.
    if (mined !== last.nonce && Number(await this.reader.nextBatchIndex()) > b.batch_index) return;
    if (mined > last.nonce) {
      // Our nonce was used, yet by none of our attempts (no receipt) and the batch is not on L1: none of
      // them can ever land now, so a fresh nonce is safe.
      this.log('warn', 'nonce consumed elsewhere, re-sending with a new nonce', { batch: b.batch_index, nonce: last.nonce });
      return this.send(b, undefined);
    }
    if (mined < last.nonce) {
      // L1 lost transactions of ours below this nonce: it cannot be mined until the gap fills. A new nonce
      // is safe: the contract takes batch `b` once, so the old attempt can at worst revert.
      this.log('warn', 'L1 lost our earlier transactions (nonce gap), re-sending with a new nonce', { batch: b.batch_index, nonce: last.nonce, l1Nonce: mined });
      return this.send(b, undefined);
    }
    if (Date.now() - last.sent_at >= (this.opts.bumpAfterMs ?? 12_000)) return this.send(b, last);
    // Still waiting: make sure L1 knows the transaction (it may have restarted or dropped it).
    const known = await this.pub.getTransaction({ hash: last.tx_hash as VHex }).catch(() => undefined);
    if (known === undefined) {
      this.log('warn', 'L1 does not know our batch transaction, re-broadcasting', { batch: b.batch_index, tx: last.tx_hash });
      await this.broadcast(b.batch_index, last.tx_hash as Hex, bytesToHex(last.raw_tx) as Hex);
    }
  }

  private commitmentOf(b: BatchRow): { commitment: Hex; versionedHashes?: Hex[]; blobs?: Hex[] } {
    let c = this.commitments.get(b.batch_index);
    if (c === undefined) {
      if (b.da === 'calldata') c = { commitment: keccak256(b.data) as Hex };
      else {
        const blobs = dataToBlobs(b.data);
        const k = kzg();
        const versionedHashes = blobs.map((blob) => commitmentToVersionedHash({ commitment: k.blobToKzgCommitment(hexToU8(blob)), to: 'hex' }) as Hex);
        c = { commitment: keccak256(concat(versionedHashes as VHex[])) as Hex, versionedHashes, blobs };
      }
      this.commitments.set(b.batch_index, c);
    }
    return c;
  }

  private header(b: BatchRow) {
    return {
      batchIndex: BigInt(b.batch_index),
      prevStateRoot: b.prev_state_root as VHex,
      newStateRoot: b.new_state_root as VHex,
      firstBlock: BigInt(b.first_block),
      lastBlock: BigInt(b.last_block),
      queueIndexAfter: BigInt(b.queue_index_after),
    };
  }

  private callData(b: BatchRow): VHex {
    return b.da === 'calldata'
      ? encodeFunctionData({ abi: this.reader.abi, functionName: 'submitBatch', args: [this.header(b), bytesToHex(b.data)] })
      : encodeFunctionData({ abi: this.reader.abi, functionName: 'submitBatchBlobs', args: [this.header(b)] });
  }

  /** The contract's reason a batch would revert now, decoded ('' when it would not). */
  private async revertReason(b: BatchRow): Promise<string> {
    // A blob batch is checked through submitBatch with a stand-in payload: eth_call carries no blobs, and
    // every header rule is the same for both entry points.
    const data = b.da === 'calldata' ? this.callData(b) : encodeFunctionData({ abi: this.reader.abi, functionName: 'submitBatch', args: [this.header(b), '0x01'] });
    try {
      await this.pub.call({ account: this.account.address, to: this.opts.rollup, data });
      return '';
    } catch (e) {
      const data = findRevertData(e);
      if (data) {
        try {
          const d = decodeErrorResult({ abi: this.reader.abi, data });
          return `${d.errorName}(${(d.args ?? []).map(String).join(', ')})`;
        } catch {
          return `revert data ${data}`;
        }
      }
      return (e as Error).message.split('\n')[0];
    }
  }

  /** Signs (new nonce, or `prev`'s nonce with bumped fees), records, then broadcasts an attempt. */
  private async send(b: BatchRow, prev: { nonce: number; max_fee_per_gas: string; max_priority_fee_per_gas: string; max_fee_per_blob_gas: string | null } | undefined): Promise<void> {
    if (prev === undefined) {
      const reason = await this.revertReason(b);
      if (reason !== '') throw new BatcherBlockedError(`batch ${b.batch_index} would revert on L1, not sending: ${reason}`);
    }
    this.l1ChainId ??= await this.pub.getChainId();
    const nonce = prev?.nonce ?? (await this.pub.getTransactionCount({ address: this.account.address, blockTag: 'pending' }));
    const fees = await this.pub.estimateFeesPerGas();
    const bump = 100n + (this.opts.feeBumpPercent ?? 25n);
    const atLeast = (cur: bigint, old: string | null | undefined, pct: bigint) => {
      const bumped = old == null ? 0n : (BigInt(old) * pct) / 100n + 1n;
      return cur > bumped ? cur : bumped;
    };
    const maxPriorityFeePerGas = atLeast(fees.maxPriorityFeePerGas, prev?.max_priority_fee_per_gas, bump);
    let maxFeePerGas = atLeast(fees.maxFeePerGas, prev?.max_fee_per_gas, bump);
    if (maxFeePerGas < maxPriorityFeePerGas) maxFeePerGas = maxPriorityFeePerGas;
    const data = this.callData(b);
    // Covers both Cancun calldata pricing (4/16 per zero/non-zero byte) and the Prague floor (EIP-7623:
    // 10/40); unused gas is not charged.
    const calldataGas = BigInt(hexToU8(data).reduce((g, x) => g + (x === 0 ? 10 : 40), 0));
    const base = {
      chainId: this.l1ChainId,
      nonce,
      to: this.opts.rollup as VHex,
      data,
      gas: 21_000n + calldataGas + 300_000n,
      maxFeePerGas,
      maxPriorityFeePerGas,
    };
    let raw: Hex, txHash: Hex, maxFeePerBlobGas: bigint | null = null;
    if (b.da === 'calldata') {
      raw = (await this.account.signTransaction({ ...base, type: 'eip1559' })) as Hex;
      txHash = keccak256(raw as VHex) as Hex;
    } else {
      const c = this.commitmentOf(b);
      const blobFee = (await this.pub.getBlobBaseFee()) * 2n;
      maxFeePerBlobGas = atLeast(blobFee > 1n ? blobFee : 1n, prev?.max_fee_per_blob_gas, 200n); // blob replacements need 2x
      const tx = { ...base, type: 'eip4844', maxFeePerBlobGas, blobVersionedHashes: c.versionedHashes as VHex[] } as TransactionSerializable;
      // Signing is deterministic: the hash is that of the transaction without its sidecar.
      txHash = keccak256(await this.account.signTransaction(tx)) as Hex;
      raw = (await this.account.signTransaction({ ...tx, blobs: c.blobs as VHex[], kzg: kzg() } as TransactionSerializable)) as Hex;
    }
    await this.opts.store.recordAttempt({
      batch_index: b.batch_index,
      nonce,
      tx_hash: txHash,
      raw_tx: hexToU8(raw),
      max_fee_per_gas: maxFeePerGas.toString(),
      max_priority_fee_per_gas: maxPriorityFeePerGas.toString(),
      max_fee_per_blob_gas: maxFeePerBlobGas?.toString() ?? null,
      sent_at: Date.now(),
    });
    this.log('info', prev ? 'batch transaction re-priced' : 'batch transaction signed', {
      batch: b.batch_index,
      nonce,
      tx: txHash,
      maxFeePerGas: maxFeePerGas.toString(),
      maxFeePerBlobGas: maxFeePerBlobGas?.toString(),
    });
    await this.broadcast(b.batch_index, txHash, raw);
  }

  private async broadcast(batchIndex: number, txHash: Hex, raw: Hex): Promise<void> {
    await this.opts.hooks?.beforeBroadcast?.(batchIndex, txHash);
    try {
      await this.pub.sendRawTransaction({ serializedTransaction: raw as VHex });
    } catch (e) {
      const msg = (e as Error).message;
      // Already known / already mined / replaced: the next step reads the outcome from L1.
      if (!/already known|already imported|nonce too low|underpriced|exists/i.test(msg)) throw e;
      this.log('warn', 'broadcast answered', { batch: batchIndex, tx: txHash, answer: msg.split('\n')[0] });
    }
    await this.opts.hooks?.afterBroadcast?.(batchIndex, txHash);
  }
}

function findRevertData(e: unknown): VHex | undefined {
  let cur = e as { data?: unknown; cause?: unknown; walk?: unknown } | undefined;
  for (let i = 0; i < 8 && cur; i++) {
    if (typeof cur.data === 'string' && cur.data.startsWith('0x')) return cur.data as VHex;
    if (cur.data && typeof (cur.data as { data?: unknown }).data === 'string') return (cur.data as { data: VHex }).data;
    cur = cur.cause as typeof cur;
  }
  return undefined;
}
