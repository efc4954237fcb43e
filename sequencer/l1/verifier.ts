// Verifier mode: derives the L2 chain from L1 data alone (batch data from calldata or blobs, plus the L1
// queue), re-executes it with the reference executor on a WorldState built from the genesis allocation, and
// checks every posted root (each block's claimed root and each batch's posted root). A mismatch is reported
// loudly and stops derivation (later batches build on a state this verifier rejects).
import { concat, decodeFunctionData, keccak256, type Hex as VHex } from 'viem';
import { ReferenceExecutor } from '../executor/reference/reference-executor.js';
import type { Executor } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import { WorldState, type GenesisAccount } from '../state/world-state.js';
import { BatchDecodeError, decodeBatch } from './batch-codec.js';
import { blobsToData } from './blobs.js';
import type { LogFn } from './batcher.js';
import { RollupReader, publicClientFor, type BatchSubmittedEvent } from './l1-client.js';
import { applyL2Block, InvalidL2BlockError } from './l2-chain.js';
import { ZERO_ACCUMULATOR, checkQueueChain } from './queue.js';
import type { L1QueueItem, SealedL2Block } from './types.js';

/** Where blob contents come from: anvil's anvil_getBlobByHash here; a beacon node's blob sidecars on a real L1. */
export interface BlobSource {
  getBlob(versionedHash: Hex): Promise<Hex>;
}

export class AnvilBlobSource implements BlobSource {
  constructor(private readonly url: string) {}
  async getBlob(versionedHash: Hex): Promise<Hex> {
    const r = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_getBlobByHash', params: [versionedHash] }),
    });
    const j = (await r.json()) as { result?: Hex | null; error?: { message: string } };
    if (j.error || !j.result) throw new Error(`blob ${versionedHash} not available: ${j.error?.message ?? 'not found'}`);
    return j.result;
  }
}

export interface VerifierOptions {
  l1Url: string;
  rollup: Address;
  deployBlock: bigint;
  l2ChainId: bigint;
  genesis: Iterable<[Address, GenesisAccount]>;
  executor?: Executor;
  blobSource?: BlobSource;
  log?: LogFn;
}

export interface BatchVerdict {
  batchIndex: bigint;
  ok: boolean;
  postedRoot: Hex;
  derivedRoot?: Hex;
  blocks: string;
  /** What went wrong (root mismatch, bad data, invalid block ...). */
  error?: string;
}

export interface VerifierReport {
  ok: boolean;
  batches: BatchVerdict[];
  /** The first batch that failed, if any. */
  firstBad?: BatchVerdict;
  l2Head: bigint;
  stateRoot: Hex;
}

const defaultLog: LogFn = (level, msg, fields) => console.error(JSON.stringify({ level, component: 'verifier', msg, ...fields }));

interface Snapshot {
  state: WorldState;
  l2Head: bigint;
  queueCursor: bigint;
  recentHashes: Hex[];
}

/** Snapshots kept (one per batch, before it) so a guardian rollback can be followed. */
const MAX_SNAPSHOTS = 256;

export class Verifier {
  readonly reader: RollupReader;
  private _state: WorldState;
  private readonly executor: Executor;
  private readonly blobs: BlobSource;
  private readonly log: LogFn;
  private nextBatch = 0n;
  private l2Head = 0n;
  private queueCursor = 0n;
  private recentHashes: Hex[] = [];
  private queue: L1QueueItem[] = [];
  private scannedTo: bigint;
  private failed?: BatchVerdict;
  /** The L1 transaction of each batch verified (or failed), to notice when L1 replaced it. */
  private readonly checkedTx = new Map<bigint, Hex>();
  private readonly snapshots = new Map<bigint, Snapshot>();
  verdicts: BatchVerdict[] = [];

  /** The derived L2 state (after the last verified batch). */
  get state(): WorldState {
    return this._state;
  }

  constructor(private readonly opts: VerifierOptions) {
    this.reader = new RollupReader(publicClientFor(opts.l1Url), opts.rollup, opts.deployBlock);
    this._state = WorldState.fromAlloc(opts.genesis);
    this.executor = opts.executor ?? new ReferenceExecutor();
    this.blobs = opts.blobSource ?? new AnvilBlobSource(opts.l1Url);
    this.log = opts.log ?? defaultLog;
    this.scannedTo = opts.deployBlock - 1n;
  }

  /**
   * Derives and checks every batch on L1 not checked yet; stops at the first bad one. Batches the guardian
   * rolled back (and possibly replaced) are unwound first, so a verifier that reported a bad batch
   * recovers once L1 no longer holds it.
   */
  async sync(): Promise<VerifierReport> {
    if (this.nextBatch === 0n && this.verdicts.length === 0 && this.failed === undefined) {
      const genesis = await this.state.stateRoot();
      const onChain = await this.reader.genesisStateRoot();
      if (genesis !== onChain) {
        this.fail({ batchIndex: -1n, ok: false, postedRoot: onChain, derivedRoot: genesis, blocks: 'genesis', error: 'genesis state root differs from the contract' });
      }
    }
    if (this.failed?.batchIndex === -1n) return this.report();
    const head = await this.reader.client.getBlockNumber({ cacheTime: 0 });
    const onChainNext = await this.reader.nextBatchIndex(head); // the same L1 block as the events
    // The live batch for each index is the latest BatchSubmitted for it (rolled-back ones were replaced).
    const live = new Map<bigint, BatchSubmittedEvent>();
    for (const ev of await this.reader.batchEvents(this.opts.deployBlock, head)) if (ev.batchIndex < onChainNext) live.set(ev.batchIndex, ev);
    // No new L1 block since the last sync: an empty range (eth_getLogs rejects fromBlock > toBlock).
    const newQueue = this.scannedTo + 1n > head ? [] : await this.reader.queueItems(this.scannedTo + 1n, head);
    checkQueueChain(this.queue.at(-1)?.accumulator ?? ZERO_ACCUMULATOR, BigInt(this.queue.length), newQueue);
    this.queue.push(...newQueue);
    this.scannedTo = head;

    // Unwind to the first batch we checked that L1 no longer holds as it was.
    let rewindTo: bigint | undefined;
    for (const [i, tx] of [...this.checkedTx].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      if (live.get(i)?.l1TxHash !== tx) {
        rewindTo = i;
        break;
      }
    }
    if (rewindTo !== undefined) this.rewind(rewindTo);

    if (this.failed === undefined) {
      for (let i = this.nextBatch; i < onChainNext; i++) {
        const ev = live.get(i);
        if (ev === undefined) throw new Error(`verifier: no BatchSubmitted event for live batch ${i}`);
        this.snapshot(i);
        const verdict = await this.verifyBatch(ev);
        this.verdicts.push(verdict);
        this.checkedTx.set(i, ev.l1TxHash);
        if (!verdict.ok) {
          this.fail(verdict);
          break;
        }
        this.log('info', 'batch verified', { batch: ev.batchIndex.toString(), blocks: verdict.blocks, root: verdict.derivedRoot });
        this.nextBatch = i + 1n;
      }
    }
    return this.report();
  }

  private async report(): Promise<VerifierReport> {
    return { ok: this.failed === undefined, batches: [...this.verdicts], firstBad: this.failed, l2Head: this.l2Head, stateRoot: await this.state.stateRoot() };
  }

  private snapshot(i: bigint): void {
    this.snapshots.set(i, { state: this._state.clone(), l2Head: this.l2Head, queueCursor: this.queueCursor, recentHashes: [...this.recentHashes] });
    this.snapshots.delete(i - BigInt(MAX_SNAPSHOTS));
  }

  private rewind(i: bigint): void {
    const snap = this.snapshots.get(i);
    if (snap === undefined) throw new Error(`verifier: L1 replaced batch ${i}, older than the ${MAX_SNAPSHOTS} snapshots kept: restart from genesis`);
    this.log('warn', `L1 no longer holds batch ${i} as verified (rolled back): unwinding`, { batch: i.toString() });
    this._state = snap.state.clone();
    this.l2Head = snap.l2Head;
    this.queueCursor = snap.queueCursor;
    this.recentHashes = [...snap.recentHashes];
    this.nextBatch = i;
    this.failed = undefined;
    this.verdicts = this.verdicts.filter((v) => v.batchIndex < i);
    for (const k of [...this.checkedTx.keys()]) if (k >= i) this.checkedTx.delete(k);
  }

  private fail(v: BatchVerdict): void {
    this.failed = v;
    this.log('error', `!!! L2 STATE MISMATCH: batch ${v.batchIndex} (${v.blocks}): ${v.error}`, {
      batch: v.batchIndex.toString(),
      postedRoot: v.postedRoot,
      derivedRoot: v.derivedRoot,
    });
  }

  private async batchData(ev: BatchSubmittedEvent): Promise<Uint8Array> {
    const tx = await this.reader.client.getTransaction({ hash: ev.l1TxHash as VHex });
    const call = decodeFunctionData({ abi: this.reader.abi, data: tx.input });
    if (ev.daKind === 0) {
      if (call.functionName !== 'submitBatch') throw new Error(`batch tx ${ev.l1TxHash} is not a direct submitBatch call`);
      const data = (call.args as unknown as [unknown, Hex])[1];
      if (keccak256(data as VHex) !== ev.dataCommitment) throw new Error('calldata does not match the posted commitment');
      return hexBytes(data);
    }
    const hashes = (tx.blobVersionedHashes ?? []) as Hex[];
    if (hashes.length === 0 || keccak256(concat(hashes as VHex[])) !== ev.dataCommitment) throw new Error('blob hashes do not match the posted commitment');
    const blobs = await Promise.all(hashes.map((h) => this.blobs.getBlob(h)));
    return blobsToData(blobs);
  }

  private async verifyBatch(ev: BatchSubmittedEvent): Promise<BatchVerdict> {
    const base = { batchIndex: ev.batchIndex, postedRoot: ev.newStateRoot, blocks: `${ev.firstBlock}..${ev.lastBlock}` };
    let blocks: SealedL2Block[];
    try {
      const decoded = decodeBatch(await this.batchData(ev));
      if (decoded.chainId !== this.opts.l2ChainId) throw new BatchDecodeError(`batch is for chain ${decoded.chainId}`);
      blocks = decoded.blocks;
    } catch (e) {
      return { ...base, ok: false, error: `batch data: ${(e as Error).message}` };
    }
    if (blocks.length === 0 || blocks[0].number !== ev.firstBlock || blocks.at(-1)!.number !== ev.lastBlock) {
      return { ...base, ok: false, error: 'batch data does not cover the posted block range' };
    }
    let derived: Hex | undefined;
    for (const [i, b] of blocks.entries()) {
      if (b.number === 1n && this.recentHashes.length === 0) this.recentHashes = [b.parentHash]; // the genesis hash
      if (b.number !== this.l2Head + 1n || (i > 0 && b.number !== blocks[i - 1].number + 1n)) return { ...base, ok: false, derivedRoot: derived, error: `block ${b.number} out of sequence` };
      if (this.recentHashes.length > 0 && b.parentHash !== this.recentHashes[0]) return { ...base, ok: false, derivedRoot: derived, error: `block ${b.number} parent hash does not link` };
      if (b.queueIndexAfter < this.queueCursor || b.queueIndexAfter > BigInt(this.queue.length)) {
        return { ...base, ok: false, derivedRoot: derived, error: `block ${b.number} consumes queue items up to ${b.queueIndexAfter}, have ${this.queue.length} (cursor ${this.queueCursor})` };
      }
      const items = this.queue.slice(Number(this.queueCursor), Number(b.queueIndexAfter));
      try {
        const applied = await applyL2Block(this.state, this.executor, this.opts.l2ChainId, b, this.recentHashes, items, b.txs);
        derived = applied.stateRoot;
      } catch (e) {
        if (e instanceof InvalidL2BlockError) return { ...base, ok: false, derivedRoot: derived, error: e.message };
        throw e;
      }
      if (derived !== b.stateRoot) return { ...base, ok: false, derivedRoot: derived, error: `block ${b.number}: derived root ${derived} != claimed ${b.stateRoot}` };
      this.queueCursor = b.queueIndexAfter;
      this.l2Head = b.number;
      this.recentHashes.unshift(b.hash);
      if (this.recentHashes.length > 256) this.recentHashes.length = 256;
    }
    if (this.queueCursor !== ev.queueIndexAfter) return { ...base, ok: false, derivedRoot: derived, error: `batch consumed queue to ${this.queueCursor}, posted ${ev.queueIndexAfter}` };
    if (derived !== ev.newStateRoot) return { ...base, ok: false, derivedRoot: derived, error: `derived root ${derived} != posted ${ev.newStateRoot}` };
    return { ...base, ok: true, derivedRoot: derived };
  }
}

function hexBytes(h: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
}
