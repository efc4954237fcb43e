// Per-block stage times under the pipeline. A block's life: execute (scheduler rounds) -> wait for the
// parent's state root -> commit to the world state -> wait for the parent to be durable -> state root ->
// build -> persist -> announce. Its execution overlaps the parent's seal stage (root, build, persist); that
// overlap is reported so the stage sums are not mistaken for wall time.
import type { ScheduleResult } from '../scheduler/scheduler.js';
import type { BlockStats } from '../node/types.js';

/** Wall-clock marks of one block (ms, performance.now()). */
export interface BlockTimeline {
  execStart: number;
  scheduled: number;
  commitStart: number;
  committed: number;
  sealStart: number;
  rooted: number;
  built: number;
  persisted: number;
}

/** A closed interval of wall time. */
export interface Span {
  start: number;
  end: number;
}

export function overlapMs(a: Span, b: Span | undefined): number {
  if (b === undefined) return 0;
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

export function blockStats(number: bigint, sched: ScheduleResult, dropped: number, t: BlockTimeline, parentSeal: Span | undefined): BlockStats {
  const executions = sched.executions;
  const scheduleWall = t.scheduled - t.execStart;
  return {
    number,
    txs: sched.included.length,
    rounds: sched.rounds,
    executions,
    conflicts: sched.conflicts,
    conflictRate: executions === 0 ? 0 : sched.conflicts / executions,
    reExecutions: sched.reExecutions,
    heldForParentHash: sched.held,
    dropped,
    gasUsed: sched.gasUsed,
    execMs: sched.execMs,
    scheduleMs: Math.max(0, scheduleWall - sched.execMs),
    commitWaitMs: t.commitStart - t.scheduled,
    commitMs: t.committed - t.commitStart,
    sealWaitMs: t.sealStart - t.committed,
    rootMs: t.rooted - t.sealStart,
    buildMs: t.built - t.rooted,
    persistMs: t.persisted - t.built,
    overlapMs: overlapMs({ start: t.execStart, end: t.scheduled }, parentSeal),
    totalMs: t.persisted - t.execStart,
    hotKeys: sched.hotKeys,
  };
}
