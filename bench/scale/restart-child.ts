// Restart of a node over a data dir that scale-child.ts left (a fresh process, so its memory is the
// restarted node's alone): SequencerNode.open reloads the state from the store, re-computes its root and
// checks it against the head block's. Prints `RESULT <json>`.
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Hex } from '../../sequencer/primitives/types.js';
import { peakRssMiB } from '../e2e.js';
import { benchGenesis } from '../workloads.js';

export interface RestartPoint {
  /** SequencerNode.open until it can serve and seal: state loaded, root re-computed and checked. */
  openMs: number;
  rssMiB: number;
  peakRssMiB: number | null;
  head: { number: string; stateRoot: Hex };
}

const i = process.argv.indexOf('--data');
if (i < 0 || i + 1 >= process.argv.length) throw new Error('missing --data');
const executor = await createExecutor('native');
const t0 = performance.now();
// The genesis alloc is not read on a restart (the state comes from the store); the chain parameters are.
const node = await SequencerNode.open({ dataDir: process.argv[i + 1], genesis: benchGenesis(new Map()), sealMode: 'on-demand', executor });
const openMs = performance.now() - t0;
const head = node.head().header;
const point: RestartPoint = {
  openMs,
  rssMiB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
  peakRssMiB: peakRssMiB(process.pid),
  head: { number: head.number.toString(), stateRoot: head.stateRoot },
};
await node.close();
await executor.close?.();
console.log(`RESULT ${JSON.stringify(point)}`);
