// The Rollup contract's withdrawal-related state as the bridge reads it: which posted batch carries an L2
// block, a withdrawal's proof record, its finalization, the challenge window and L1's clock.
import { RollupReader, type OnChainBatch } from '../l1-client.js';
import type { Hex } from '../../primitives/types.js';
import type { BridgeClients } from './clients.js';

export interface PostedBatch extends OnChainBatch {
  index: bigint;
}

export interface ProofRecord {
  stateRoot: Hex;
  batchIndex: bigint;
  provenAt: bigint;
}

export class RollupView {
  readonly reader: RollupReader;
  private windowMemo?: Promise<bigint>;

  constructor(private readonly c: BridgeClients) {
    this.reader = new RollupReader(c.l1, c.rollup, c.l1FromBlock);
  }

  private read<T>(functionName: string, args: unknown[] = []): Promise<T> {
    return this.c.l1.readContract({ address: this.c.rollup, abi: this.reader.abi, functionName, args }) as Promise<T>;
  }

  async batch(index: bigint): Promise<PostedBatch> {
    return { index, ...(await this.reader.batch(index)) };
  }

  /** The first posted batch whose range reaches `l2Block` (every later one carries it too), if any. */
  async firstBatchCarrying(l2Block: bigint): Promise<PostedBatch | undefined> {
    const n = await this.reader.nextBatchIndex();
    if (n === 0n || (await this.batch(n - 1n)).lastBlock < l2Block) return undefined;
    // Batches hold contiguous, increasing block ranges: binary search on lastBlock.
    let lo = 0n;
    let hi = n - 1n;
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      if ((await this.batch(mid)).lastBlock >= l2Block) hi = mid;
      else lo = mid + 1n;
    }
    return this.batch(lo);
  }

  async proofRecord(withdrawalHash: Hex): Promise<ProofRecord | undefined> {
    const [stateRoot, batchIndex, provenAt] = await this.read<[Hex, bigint | number, bigint | number]>('provenWithdrawals', [withdrawalHash]);
    return BigInt(provenAt) === 0n ? undefined : { stateRoot, batchIndex: BigInt(batchIndex), provenAt: BigInt(provenAt) };
  }

  isFinalized(withdrawalHash: Hex): Promise<boolean> {
    return this.read('finalizedWithdrawals', [withdrawalHash]);
  }

  /** The batch a proof was made against, when its root is still the posted one (the contract's _rootStillPosted). */
  async stillPosted(p: ProofRecord): Promise<PostedBatch | undefined> {
    if (p.batchIndex >= (await this.reader.nextBatchIndex())) return undefined;
    const b = await this.batch(p.batchIndex);
    return b.stateRoot === p.stateRoot ? b : undefined;
  }

  challengeWindow(): Promise<bigint> {
    this.windowMemo ??= this.read<bigint>('challengeWindow');
    return this.windowMemo;
  }

  /** L1's clock: the latest block's timestamp (the next block's is later, never earlier). */
  async now(): Promise<bigint> {
    return (await this.c.l1.getBlock({ blockTag: 'latest' })).timestamp;
  }

  /** Batch postings (BatchSubmitted) that carried `l2Block` and are no longer on L1 (rolled back). */
  async rolledBackPostingsOf(l2Block: bigint): Promise<bigint[]> {
    // Rollbacks are rare: without a BatchesRolledBack event there is nothing to look for.
    const event = this.reader.abi.find((x) => x.type === 'event' && x.name === 'BatchesRolledBack');
    const rollbacks = await this.c.l1.getLogs({ address: this.c.rollup, event: event as never, fromBlock: this.c.l1FromBlock });
    if (rollbacks.length === 0) return [];
    // Events first, the batch count after: a batch posted in between is then never mistaken for a lost one.
    const events = await this.reader.batchEvents(this.c.l1FromBlock);
    const n = await this.reader.nextBatchIndex();
    const out: bigint[] = [];
    for (const e of events) {
      if (e.firstBlock > l2Block || e.lastBlock < l2Block) continue;
      if (e.batchIndex >= n || (await this.batch(e.batchIndex)).stateRoot !== e.newStateRoot) out.push(e.batchIndex);
    }
    return out;
  }
}
