// The cost of comparison logging per fuzz call: the native runner runs the same generated sequences of a
// no-bug target (Correct, CorrectAmm) with RunOptions.comparisons off and on, and the process CPU time
// (every thread: the EVM threads, the host's collection and dedup, JS decoding) is divided by the calls.
// Each repeat generates new sequences (its own seed) so the session's dedup reports fresh pairs as in a
// campaign; off and on run the same sequences. Prints one JSON object.
//   tsx bench/fuzz/cmp-cost.ts [--targets Correct,CorrectAmm] [--runs 256] [--depth 100] [--repeats 5] [--mode both|off|on]
import { loadavg } from 'node:os';
import { buildForgeProject, findArtifact } from '../../sequencer/fuzz/artifacts.js';
import { deploySnapshot } from '../../sequencer/fuzz/snapshot.js';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { createRunner } from '../../sequencer/fuzz/create-runner.js';
import { fuzzTargets } from '../../sequencer/fuzz/targets.js';
import { buildDictionary } from '../../sequencer/fuzz/dictionary.js';
import { CallGenerator } from '../../sequencer/fuzz/generate.js';
import { Rng } from '../../sequencer/fuzz/rng.js';
import type { FuzzCall, SequenceRunner } from '../../sequencer/fuzz/types.js';
import { FUZZ_TARGETS_PROJECT } from './workload.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** CPU µs per call of one runner call over these sequences (all threads of the process). */
async function cpuMicrosPerCall(runner: SequenceRunner, seqs: FuzzCall[][], comparisons: boolean): Promise<number> {
  const calls = seqs.reduce((n, s) => n + s.length, 0);
  const t0 = process.cpuUsage();
  await runner.run(seqs, { coverage: true, comparisons });
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / calls;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const targetNames = arg('--targets', 'Correct,CorrectAmm').split(',');
  // off / on alone: for counting instructions of the whole process (perf stat) with one setting.
  const mode = arg('--mode', 'both');
  const [runs, depth, repeats] = [Number(arg('--runs', '256')), Number(arg('--depth', '100')), Number(arg('--repeats', '5'))];
  const artifacts = buildForgeProject(FUZZ_TARGETS_PROJECT);
  const load = [loadavg()[0]];
  const sections = [];
  for (const name of targetNames) {
    const snapshot = await deploySnapshot({ executor: await createExecutor('reference'), artifacts, target: findArtifact(artifacts, name) });
    const targets = fuzzTargets(snapshot);
    const runner = await createRunner('native', snapshot, targets.properties);
    const dict = buildDictionary(snapshot);
    const batch = (seed: number): FuzzCall[][] => {
      const gen = new CallGenerator(targets, dict, snapshot.senders, new Rng(seed));
      return Array.from({ length: runs }, () => gen.sequence(depth));
    };
    await runner.run(batch(999), { coverage: true, comparisons: true }); // warm-up: threads, buffers, code
    const off: number[] = [];
    const on: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const seqs = batch(r + 1);
      if (mode !== 'on') off.push(await cpuMicrosPerCall(runner, seqs, false));
      if (mode !== 'off') on.push(await cpuMicrosPerCall(runner, seqs, true));
      load.push(loadavg()[0]);
    }
    sections.push({
      target: name,
      calls: runs * depth,
      offMicrosPerCall: off.map((x) => +x.toFixed(3)),
      onMicrosPerCall: on.map((x) => +x.toFixed(3)),
      // The minimum is the repeat least disturbed by other processes on a shared machine.
      costMicrosPerCallMin: +(Math.min(...on) - Math.min(...off)).toFixed(3),
      costMicrosPerCallMedian: +(median(on) - median(off)).toFixed(3),
    });
  }
  console.log(JSON.stringify({ description: 'CPU µs per fuzz call, comparison logging off vs on (native runner, all threads)', runs, depth, repeats, evmThreads: process.env.EVM_THREADS ?? 'default', loadavg1: load.map((x) => +x.toFixed(2)), sections }, null, 1));
}

await main();
