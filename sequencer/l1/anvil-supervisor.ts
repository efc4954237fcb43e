// The bundled L1 kept alive: when anvil exits (crash, OOM kill, an operator's kill), it is started again on
// the same port from its state file, with a growing back-off, while the sequencer keeps sealing; the batcher
// and the deposit watcher see an L1 outage meanwhile and catch up (re-posting whatever the restarted L1 lost).
import { startAnvil, type AnvilHandle, type AnvilOptions } from './anvil.js';
import type { LogFn } from './batcher.js';

export interface SupervisedAnvil {
  readonly url: string;
  /** The anvil process running now. */
  readonly current: AnvilHandle;
  /** How many times anvil was restarted after exiting on its own. */
  readonly restarts: number;
  /** Stops anvil for good (no restart). */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  log?: LogFn;
  /** Longest wait between restart attempts (default 5 s). */
  maxBackoffMs?: number;
}

const defaultLog: LogFn = (level, msg, fields) => console.error(JSON.stringify({ level, component: 'local-l1', msg, ...fields }));

/** Starts anvil (throws like startAnvil when it cannot) and restarts it whenever it exits until stop(). */
export async function superviseAnvil(opts: AnvilOptions, sup: SuperviseOptions = {}): Promise<SupervisedAnvil> {
  const log = sup.log ?? defaultLog;
  let current = await startAnvil(opts);
  let stopped = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;

  const restart = async (): Promise<void> => {
    let wait = 250;
    for (let attempt = 1; !stopped; attempt++) {
      await new Promise((r) => setTimeout(r, wait));
      if (stopped) return;
      try {
        current = await startAnvil(opts);
        restarts++;
        log('warn', 'the local L1 (anvil) is back', { url: current.url, attempt, restarts });
        watch(current);
        return;
      } catch (e) {
        log('error', 'restarting the local L1 (anvil) failed, will retry', { attempt, error: (e as Error).message, retryMs: wait });
        wait = Math.min(wait * 2, sup.maxBackoffMs ?? 5_000);
      }
    }
  };
  const watch = (h: AnvilHandle) =>
    h.process.once('exit', (code, signal) => {
      if (stopped) return;
      log('error', 'the local L1 (anvil) exited: restarting it; sealing goes on, L1 posting waits', { code, signal });
      restarting = restart().finally(() => (restarting = undefined));
    });
  watch(current);

  return {
    url: current.url,
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopped = true;
      await restarting;
      await current.stop();
    },
  };
}
