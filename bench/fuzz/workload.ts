// `npm run bench -- fuzz`: our fuzzer's campaign against forge's invariant fuzzing on the same target and
// the same amount of work (runs sequences x depth calls; every property checked after every call), on the
// no-bug targets (test/fuzz/targets/src/Correct.sol, CorrectAmm.sol) so every campaign runs its full length.
//  - ours: runCampaign (sequencer/fuzz/campaign.ts) on the native sequence runner, in a child process
//    (all threads, and EVM_THREADS=1); the time is the campaign's fuzzing phase (after build and deploy);
//  - forge: measureForgeInvariant (bench/fuzz/forge-baseline.ts); the time is forge's own test duration.
// Columns are measured or unavailable with a reason, never both; ratios are quotients of the same run's
// calls/s. `tsx bench/fuzz/workload.ts --child ...` is the child side (prints one `RESULT {json}` line).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FORGE_BENCH_PROJECT, forgeVersion, measureForgeInvariant } from './forge-baseline.js';
import { runResultChild } from '../child.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FUZZ_TARGETS_PROJECT = join(ROOT, 'test/fuzz/targets');
/** The targets with an invariant contract in bench/fuzz/forge (`<Target>Invariants`). */
export const FUZZ_BENCH_TARGETS = ['Correct', 'CorrectAmm'] as const;
export const FUZZ_GOAL = 10;

export interface FuzzSize {
  runs: number;
  depth: number;
}

export interface FuzzBenchOptions {
  targets: string[];
  sizes: FuzzSize[];
  seed: number;
  /** Sequences per runner call in our campaign. */
  batch: number;
  /** false: our columns are skipped (--no-native). */
  native: boolean;
}

export interface FuzzColumn {
  name: string;
  available: boolean;
  reason?: string;
  calls?: number;
  reverts?: number;
  seconds?: number;
  callsPerSecond?: number;
  extra?: Record<string, unknown>;
}

export interface FuzzRatio {
  name: string;
  value: number | null;
  of: string;
}

export interface FuzzSection {
  target: string;
  runs: number;
  depth: number;
  columns: FuzzColumn[];
  ratios: FuzzRatio[];
  /** ours (all threads) / forge >= FUZZ_GOAL; null when either side is unavailable. */
  goalMet: boolean | null;
}

export interface FuzzBenchResult {
  description: string;
  goal: string;
  forgeVersion: string;
  options: FuzzBenchOptions;
  sections: FuzzSection[];
}

/** "256x100,64x500" -> sizes. */
export function parseFuzzSizes(s: string): FuzzSize[] {
  return s.split(',').map((p) => {
    const m = /^(\d+)x(\d+)$/.exec(p.trim());
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`bad fuzz size ${p} (want RUNSxDEPTH, e.g. 256x100)`);
    return { runs: Number(m[1]), depth: Number(m[2]) };
  });
}

// ---- our side (child process) ---------------------------------------------------------------------

interface OursResult {
  available: boolean;
  reason?: string;
  calls?: number;
  reverts?: number;
  seconds?: number;
  backend?: string;
  coverage?: number;
  corpus?: number;
  setupSeconds?: number;
  /** CPU time of the whole process (every thread) during the campaign: robust on a shared machine. */
  cpuSeconds?: number;
  /**
   * CPU time of the main thread alone (generation, mutation, encoding, result decoding, comparison feedback,
   * corpus and its share of GC); the rest of cpuSeconds is the EVM threads and V8's background threads.
   * Linux only (/proc/thread-self).
   */
  mainThreadCpuSeconds?: number;
  /** Checks the campaign broke: on a no-bug target any is a false alarm. */
  broken?: string[];
}

async function oursChildMain(argv: string[]): Promise<OursResult> {
  const arg = (k: string): string => {
    const i = argv.indexOf(k);
    if (i < 0 || argv[i + 1] === undefined) throw new Error(`child: ${k} missing`);
    return argv[i + 1]!;
  };
  const [target, runs, depth, seed, batch] = [arg('--target'), Number(arg('--runs')), Number(arg('--depth')), Number(arg('--seed')), Number(arg('--batch'))];
  const { buildForgeProject, findArtifact } = await import('../../sequencer/fuzz/artifacts.js');
  const { deploySnapshot } = await import('../../sequencer/fuzz/snapshot.js');
  const { createExecutor } = await import('../../sequencer/executor/create-executor.js');
  const { createRunner } = await import('../../sequencer/fuzz/create-runner.js');
  const { fuzzTargets } = await import('../../sequencer/fuzz/targets.js');
  const { runCampaign } = await import('../../sequencer/fuzz/campaign.js');
  const t0 = performance.now();
  const artifacts = buildForgeProject(FUZZ_TARGETS_PROJECT);
  const snapshot = await deploySnapshot({ executor: await createExecutor('reference'), artifacts, target: findArtifact(artifacts, target) });
  const targets = fuzzTargets(snapshot);
  const inner = await createRunner('native', snapshot, targets.properties);
  let reverts = 0;
  const runner: typeof inner = {
    backend: inner.backend,
    coveredEdges: () => inner.coveredEdges(),
    // The campaign generates fresh sequences through the runner's own generator, as `npm run fuzz` does.
    freshSequences: inner.freshSequences?.bind(inner),
    run: async (seqs, o) => {
      const res = await inner.run(seqs, o);
      for (const r of res) reverts += r.failedCalls;
      return res;
    },
  };
  const setupSeconds = (performance.now() - t0) / 1000;
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuSeconds();
  const r = await runCampaign(snapshot, targets, runner, { seed, maxExecs: runs * depth, timeoutSeconds: 0, depth, batch, checkArithmetic: false, cmpFeedback: true, stopOnFail: false, shrinkLimit: 0 });
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuSeconds();
  return {
    available: true,
    calls: r.executions,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainThreadCpuSeconds: main0 === undefined || main1 === undefined ? undefined : main1 - main0,
    reverts,
    seconds: r.seconds,
    backend: r.backend,
    coverage: r.coverage,
    corpus: r.corpus,
    setupSeconds,
    broken: r.outcomes.filter((o) => o.failure !== undefined).map((o) => o.check.name),
  };
}

/** The V8 setting `npm run fuzz` runs with (package.json): the campaign's child runs as the fuzzer does. */
const FUZZ_NODE_OPTIONS = '--max-semi-space-size=64';

/** utime + stime of the calling thread from /proc/thread-self/stat (clock ticks at USER_HZ = 100). */
function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function oursChild(target: string, size: FuzzSize, o: FuzzBenchOptions, env: NodeJS.ProcessEnv): Promise<OursResult> {
  const args = ['--child', '--target', target, '--runs', String(size.runs), '--depth', String(size.depth), '--seed', String(o.seed), '--batch', String(o.batch)];
  const nodeOptions = [process.env.NODE_OPTIONS, FUZZ_NODE_OPTIONS].filter((x) => x).join(' ');
  return runResultChild<OursResult>('bench/fuzz/workload.ts', args, { ...env, NODE_OPTIONS: nodeOptions }, 'fuzz child');
}

function oursColumn(name: string, r: OursResult): FuzzColumn {
  if (!r.available) return { name, available: false, reason: r.reason ?? 'unavailable' };
  return {
    name,
    available: true,
    calls: r.calls,
    reverts: r.reverts,
    seconds: r.seconds,
    callsPerSecond: r.calls! / r.seconds!,
    extra: {
      backend: r.backend,
      coverage: r.coverage,
      corpus: r.corpus,
      setupSeconds: r.setupSeconds,
      cpuSeconds: r.cpuSeconds,
      cpuMicrosPerCall: (r.cpuSeconds! * 1e6) / r.calls!,
      mainThreadCpuMicrosPerCall: r.mainThreadCpuSeconds === undefined ? null : (r.mainThreadCpuSeconds * 1e6) / r.calls!,
      falseAlarms: r.broken,
      timeSource: 'campaign fuzzing phase (after build, deploy and runner setup)',
    },
  };
}

// ---- both sides -----------------------------------------------------------------------------------

function ratio(name: string, a: FuzzColumn, b: FuzzColumn): FuzzRatio {
  if (!a.available || !b.available || !a.callsPerSecond || !b.callsPerSecond) {
    return { name, value: null, of: `${a.name} / ${b.name}: unavailable (${!a.available || !a.callsPerSecond ? a.name : b.name} not measured)` };
  }
  return { name, value: a.callsPerSecond / b.callsPerSecond, of: `${a.name} ${a.callsPerSecond.toFixed(0)} calls/s / ${b.name} ${b.callsPerSecond.toFixed(0)} calls/s` };
}

/**
 * Calls per CPU second, ours (all threads, campaign only) over forge's (whole process: its start-up and
 * compilation-cache check count against it): the comparison a loaded machine distorts least.
 */
function cpuRatio(ours: FuzzColumn, forge: FuzzColumn): FuzzRatio {
  const name = 'ours native / forge, calls per CPU second';
  const [o, f] = [ours.extra?.cpuMicrosPerCall, forge.extra?.cpuMicrosPerCall] as (number | undefined)[];
  if (!ours.available || !forge.available || !o || !f) return { name, value: null, of: `unavailable (${!ours.available || !o ? ours.name : forge.name} not measured)` };
  return { name, value: f / o, of: `${forge.name} ${f.toFixed(1)} CPU µs per call / ${ours.name} ${o.toFixed(1)} CPU µs per call` };
}

export async function runFuzzBench(o: FuzzBenchOptions, log: (s: string) => void): Promise<FuzzBenchResult> {
  for (const t of o.targets) {
    if (!(FUZZ_BENCH_TARGETS as readonly string[]).includes(t)) throw new Error(`no forge invariant contract for fuzz target ${t} (have: ${FUZZ_BENCH_TARGETS.join(', ')})`);
  }
  let version = 'unavailable';
  try {
    version = forgeVersion();
  } catch (e) {
    version = `unavailable: ${(e as Error).message}`;
  }
  const sections: FuzzSection[] = [];
  for (const target of o.targets) {
    for (const size of o.sizes) {
      const tag = `[fuzz ${target} ${size.runs}x${size.depth}]`;
      let all: FuzzColumn;
      let one: FuzzColumn;
      if (!o.native) {
        all = { name: 'ours-native', available: false, reason: 'skipped (--no-native)' };
        one = { name: 'ours-native-1-thread', available: false, reason: 'skipped (--no-native)' };
      } else {
        log(`${tag} ours, all threads`);
        all = oursColumn('ours-native', await oursChild(target, size, o, {}));
        if (all.available) {
          log(`${tag} ours, 1 thread`);
          one = oursColumn('ours-native-1-thread', await oursChild(target, size, o, { EVM_THREADS: '1' }));
        } else one = { name: 'ours-native-1-thread', available: false, reason: `not run: ${all.reason}` };
      }
      log(`${tag} forge`);
      let forge: FuzzColumn;
      try {
        const f = await measureForgeInvariant({ project: FORGE_BENCH_PROJECT, match: `^${target}Invariants$`, runs: size.runs, depth: size.depth, seed: o.seed });
        forge = {
          name: 'forge',
          available: true,
          calls: f.calls,
          reverts: f.reverts,
          seconds: f.seconds,
          callsPerSecond: f.callsPerSecond,
          extra: {
            forgeVersion: f.forgeVersion,
            timeSource: `forge's ${f.timeSource} duration`,
            wallSeconds: f.wallSeconds,
            callsPerWallSecond: f.calls / f.wallSeconds,
            cpuSeconds: f.cpuSeconds,
            cpuMicrosPerCall: (f.cpuSeconds * 1e6) / f.calls,
            test: f.test,
            selectors: f.selectors,
          },
        };
      } catch (e) {
        forge = { name: 'forge', available: false, reason: (e as Error).message.slice(0, 1000) };
      }
      const ratios = [ratio('ours native / forge', all, forge), ratio('ours native 1 thread / forge', one, forge), ratio('ours native / ours 1 thread', all, one), cpuRatio(all, forge)];
      sections.push({ target, runs: size.runs, depth: size.depth, columns: [all, one, forge], ratios, goalMet: ratios[0]!.value === null ? null : ratios[0]!.value >= FUZZ_GOAL });
    }
  }
  return {
    description:
      'fuzz calls per second on the same no-bug target and amount of work (runs sequences x depth calls, every property checked after every call; property calls not counted): our campaign on the native sequence runner vs forge invariant fuzzing (one campaign thread)',
    goal: `ours native / forge >= ${FUZZ_GOAL}`,
    forgeVersion: version,
    options: o,
    sections,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href && process.argv.includes('--child')) {
  oursChildMain(process.argv.slice(2)).then(
    (r) => {
      process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (e) => {
      process.stdout.write(`RESULT ${JSON.stringify({ available: false, reason: (e as Error).message.split('\n')[0] })}\n`);
      process.exit(0);
    },
  );
}
