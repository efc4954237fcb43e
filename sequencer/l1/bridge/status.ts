// A withdrawal's stage, read from L2 (where and when it was initiated) and from the Rollup contract (posted
// batches, proof record, finalization), with the same rules the contract applies.
import type { Hex } from '../../primitives/types.js';
import type { BridgeClients } from './clients.js';
import { locateWithdrawal, type LocatedWithdrawal, type WithdrawalRef } from './locate.js';
import { RollupView } from './rollup-view.js';
import { pollUntil } from './wait.js';

export type WithdrawalStage =
  /** On L2; no posted batch carries its block yet. */
  | { stage: 'initiated'; lastPostedL2Block: bigint }
  /** A posted batch carries it: it can be proven against `batchIndex`. */
  | { stage: 'in-posted-batch'; batchIndex: bigint; batchRoot: Hex; postedAt: bigint }
  /** Proven; the challenge window runs until `finalizableAt` (L1 unix seconds). */
  | { stage: 'proven'; batchIndex: bigint; provenAt: bigint; finalizableAt: bigint }
  | { stage: 'finalizable'; batchIndex: bigint; provenAt: bigint; finalizableAt: bigint }
  | { stage: 'finalized' }
  /**
   * The batch that carried it (and that it was proven against, when `proven`) was rolled back by the guardian:
   * it has to be proven again against a batch posted since (`reprovableIn`, once there is one).
   */
  | { stage: 'rolled-back'; batchIndex: bigint; proven: boolean; reprovableIn?: bigint };

export type WithdrawalStatus = LocatedWithdrawal & WithdrawalStage & { l1Time: bigint };

export async function withdrawalStatus(c: BridgeClients, ref: WithdrawalRef | LocatedWithdrawal, view = new RollupView(c)): Promise<WithdrawalStatus> {
  const w = 'hash' in ref ? ref : await locateWithdrawal(c, ref);
  const l1Time = await view.now();
  const at = (s: WithdrawalStage): WithdrawalStatus => ({ ...w, ...s, l1Time });
  if (await view.isFinalized(w.hash)) return at({ stage: 'finalized' });
  const proof = await view.proofRecord(w.hash);
  if (proof) {
    const batch = await view.stillPosted(proof);
    if (!batch) return at({ stage: 'rolled-back', batchIndex: proof.batchIndex, proven: true, reprovableIn: (await view.firstBatchCarrying(w.l2Block))?.index });
    const finalizableAt = (batch.postedAt > proof.provenAt ? batch.postedAt : proof.provenAt) + (await view.challengeWindow());
    return at({ stage: l1Time >= finalizableAt ? 'finalizable' : 'proven', batchIndex: proof.batchIndex, provenAt: proof.provenAt, finalizableAt });
  }
  const carrying = await view.firstBatchCarrying(w.l2Block);
  if (carrying) return at({ stage: 'in-posted-batch', batchIndex: carrying.index, batchRoot: carrying.stateRoot, postedAt: carrying.postedAt });
  const rolledBack = await view.rolledBackPostingsOf(w.l2Block);
  if (rolledBack.length > 0) return at({ stage: 'rolled-back', batchIndex: rolledBack[rolledBack.length - 1]!, proven: false });
  return at({ stage: 'initiated', lastPostedL2Block: await view.reader.lastL2Block() });
}

/** Polls the status until `done(status)` holds (e.g. a batch posted, the window passed). */
export async function waitForStatus(c: BridgeClients, w: LocatedWithdrawal, what: string, done: (s: WithdrawalStatus) => boolean, timeoutMs: number): Promise<WithdrawalStatus> {
  const view = new RollupView(c);
  return pollUntil(
    `withdrawal ${w.hash} ${what}`,
    async () => {
      const s = await withdrawalStatus(c, w, view);
      return done(s) ? s : undefined;
    },
    timeoutMs,
    500,
  );
}

/** Polls the status until its stage is one of `stages`. */
export async function waitForStage<S extends WithdrawalStatus['stage']>(c: BridgeClients, w: LocatedWithdrawal, stages: readonly S[], timeoutMs: number): Promise<WithdrawalStatus & { stage: S }> {
  const s = await waitForStatus(c, w, `to reach stage ${stages.join(' or ')}`, (x) => (stages as readonly string[]).includes(x.stage), timeoutMs);
  return s as WithdrawalStatus & { stage: S };
}

/** Whether `prove` has a batch to prove against (or nothing left to prove). */
export function provable(s: WithdrawalStatus): boolean {
  return s.stage === 'rolled-back' ? s.reprovableIn !== undefined : s.stage !== 'initiated';
}
