// A sequence runner over the sequencer's Executor seam: each sequence runs call by call on its own copy of
// the snapshot (a WorldState), committing each call's changes before the next. With the reference executor
// it is the oracle the native runner is compared against; it has no coverage and sees self-destructs only
// as deleted accounts.
import type { Executor, TxOutcome } from '../executor/types.js';
import type { WorldState } from '../state/world-state.js';
import { bytesToHex, type Address } from '../primitives/types.js';
import { callsOf, FuzzError, OUTPUT_CAP, type BatchSequence, type CallResult, type FuzzCall, type PropertyCall, type SequenceResult, type SequenceRunner } from './types.js';
import { blockEnv, fuzzTx, type FuzzSnapshot } from './snapshot.js';
import { callTripwires } from './checks.js';

const ABI_TRUE = (() => {
  const b = new Uint8Array(32);
  b[31] = 1;
  return b;
})();

export function isAbiTrue(output: Uint8Array): boolean {
  return output.length === 32 && output.every((b, i) => b === ABI_TRUE[i]);
}

export class SerialSequenceRunner implements SequenceRunner {
  readonly backend: string;
  private previous: Promise<void> = Promise.resolve();
  constructor(
    private readonly executor: Executor,
    private readonly snapshot: FuzzSnapshot,
    private readonly properties: readonly PropertyCall[],
  ) {
    this.backend = `serial-${executor.name}`;
  }

  coveredEdges(): number {
    return 0;
  }

  /** Overlapping calls run one after another, in the order they were made (the executor is shared). */
  run(sequences: readonly BatchSequence[]): Promise<SequenceResult[]> {
    const results = this.previous.then(async () => {
      const out: SequenceResult[] = [];
      for (const seq of sequences) out.push(await this.runOne(callsOf(seq)));
      return out;
    });
    this.previous = results.then(
      () => undefined,
      () => undefined,
    );
    return results;
  }

  private async runOne(seq: readonly FuzzCall[]): Promise<SequenceResult> {
    const { env, senders, deployer } = this.snapshot;
    const state = this.snapshot.state.clone();
    const initialWealth = wealth(state, senders);
    const propertyFailedAt = this.properties.map(() => -1);
    const best = new Map<number, bigint>();
    let ethLeakAt = -1;
    let number = env.number;
    let timestamp = env.timestamp;
    const check = async (point: number): Promise<void> => {
      const block = blockEnv(env, number, timestamp);
      const txs = this.properties.map((p) => fuzzTx(state, env, deployer, p.target, 0n, p.data));
      const outcomes = txs.length === 0 ? [] : await this.executor.executeBatch(state, txs, block);
      outcomes.forEach((o, i) => {
        const word = o.kind === 'executed' && o.status === 'success' && o.returnData.length === 32 ? o.returnData : undefined;
        if (this.properties[i]!.optimize === true) {
          const value = word === undefined ? undefined : BigInt.asIntN(256, BigInt(bytesToHex(word)));
          if (value !== undefined && (propertyFailedAt[i] === -1 || value > best.get(i)!)) {
            propertyFailedAt[i] = point;
            best.set(i, value);
          }
        } else if ((word === undefined || !isAbiTrue(word)) && propertyFailedAt[i] === -1) {
          propertyFailedAt[i] = point;
        }
      });
      if (ethLeakAt === -1 && wealth(state, senders) > initialWealth) ethLeakAt = point;
    };
    await check(0);
    const calls: CallResult[] = [];
    for (const [k, call] of seq.entries()) {
      number += call.blockDelta;
      timestamp += call.timeDelta;
      const tx = fuzzTx(state, env, call.sender, call.target, call.value, call.data);
      const [o] = await this.executor.executeBatch(state, [tx], blockEnv(env, number, timestamp));
      calls.push(callResult(o, state));
      if (o.kind === 'executed') state.applyChanges(o.changes);
      await check(k + 1);
    }
    let tripwires = 0;
    for (const c of calls) tripwires |= callTripwires(c.status, c.output, c.selfDestructed);
    const failedCalls = calls.filter((c) => c.status !== 'success').length;
    const optimized = [...best].map(([property, value]) => ({ property, value }));
    return { calls, failedCalls, tripwires, propertyFailedAt, optimized, ethLeakAt, newCoverage: 0, closerComparisons: 0, comparisons: [] };
  }
}

function wealth(state: WorldState, senders: readonly Address[]): bigint {
  let sum = 0n;
  for (const s of senders) sum += state.getAccount(s)?.balance ?? 0n;
  return sum;
}

function callResult(o: TxOutcome | undefined, before: WorldState): CallResult {
  if (o === undefined) throw new FuzzError('the executor returned no outcome for a fuzz call');
  if (o.kind === 'rejected') return { status: 'halt', error: `rejected: ${o.error}`, gasUsed: 0n, output: new Uint8Array(0), selfDestructed: false };
  const selfDestructed = o.status === 'success' && o.changes.some((c) => c.deleted && (before.getAccount(c.address)?.code.length ?? 0) > 0);
  return {
    status: o.status,
    error: o.error,
    gasUsed: o.gasUsed,
    output: o.returnData.subarray(0, OUTPUT_CAP),
    selfDestructed,
  };
}
