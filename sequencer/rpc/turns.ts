// Turns of the event loop for heavy RPC work: every waiter gets its own loop iteration, in arrival order, so
// network I/O (other clients), timers and block production run between any two steps of heavy work.
// (Awaiting setImmediate directly would let every waiter queued in the same iteration run back to back.)

const waiting: (() => void)[] = [];
let scheduled = false;

/** Resolves on a later iteration of the event loop, one waiter per iteration. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(release);
    }
  });
}

function release(): void {
  const resume = waiting.shift();
  // Scheduled from within the check phase, the next release runs on the next iteration, after I/O polling.
  if (waiting.length > 0) setImmediate(release);
  else scheduled = false;
  resume?.();
}
