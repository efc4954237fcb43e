// `npm run bench -- WORKLOAD [--json] [--txs N]`: WORKLOAD is transfers | erc20 | amm | mixed | hot | all | sweep | fuzz.
// For each workload, on the same pre-signed transactions:
//  1. execution only (senders known, state in memory): native executor all threads vs one thread (child
//     processes, EVM_THREADS=1), our scheduler on the reference executor, and @ethereumjs/vm sequential runTx;
//  2. end to end (JSON-RPC batches -> sealed, persisted blocks): our sequencer vs anvil vs a sequential
//     @ethereumjs/vm sequencer: tx/s, p50/p99 submit-to-receipt latency, peak RSS;
//  3. scheduler statistics and a stage breakdown naming the bottleneck.
// `fuzz` (not part of `all`) compares our fuzzer's campaign with forge's invariant fuzzing (bench/fuzz/).
// `bls-precompiles` (not part of `all`): the EIP-2537 precompiles native vs @noble/curves (bench/bls-precompiles.ts).
// `ingress` (not part of `all`): raw transaction decode + sender recovery, native vs @ethereumjs/tx (bench/ingress.ts).
// `reads` (not part of `all`): reads per second from the sequencer vs one and two RPC replicas, and write
// throughput on SQLite vs PostgreSQL (bench/reads.ts).
// `stateroot` (not part of `all`) times the state root of 5,000-tx blocks, native trie vs @ethereumjs/mpt,
// and the native trie's bulk load, block roots and memory at 10k..1M accounts (bench/stateroot/).
// `scale` (not part of `all`): our node's throughput, state-root time, start/restart time and memory with
// 10k..1M funded accounts in the genesis (bench/scale/).
// Anything that cannot run is reported as unavailable with the reason, never as a number.
// Results: JSON on stdout with --json, and bench/results/<name>-<time>.{json,svg}.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { anvilBinary } from '../sequencer/l1/anvil.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { compileContracts } from './contracts.js';
import { runE2E, type E2EResult, type SendMode, type ServerKind } from './e2e.js';
import { ejsSequentialExec } from './ejs.js';
import { batchEnv, firstRound, ingressStages, runPipeline, type IngressStages, type PipelineResult, type Unavailable } from './pipeline.js';
import { ReferenceExecutor } from '../sequencer/executor/reference/reference-executor.js';
import { WorldState } from '../sequencer/state/world-state.js';
import { renderSvg, type Panel } from './plot.js';
import { makeWorkload, sweepWorkload, WORKLOADS, type Workload, type WorkloadName } from './workloads.js';
import { FUZZ_BENCH_TARGETS, parseFuzzSizes, runFuzzBench, type FuzzBenchResult, type FuzzSize } from './fuzz/workload.js';
import { runResultChild } from './child.js';
import { blsPrecompilesMain } from './bls-precompiles.js';
import { ingressBenchMain } from './ingress.js';
import { blockBuildMain } from './block-build.js';
import { readsMain } from './reads.js';
import { rpcIngressMain } from './rpc-ingress.js';
import { printStateRoot, runStateRootBench, stateRootPanels, type StateRootResult } from './stateroot/workload.js';
import { printScale, runScaleBench, scalePanels, type ScaleResult } from './scale/workload.js';
import { walkBenchFlags } from './bench-flags.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Args {
  workload: WorkloadName | 'all' | 'sweep' | 'fuzz' | 'stateroot' | 'scale';
  json: boolean;
  txs: number;
  /** --txs was given (stateroot's and scale's default is 5,000 transactions, not 1,000). */
  txsGiven: boolean;
  sweepTxs: number;
  seed: number;
  e2e: ServerKind[];
  /** Also run end to end with one tx per HTTP request from every sender concurrently. */
  e2ePerRequest: boolean;
  native: boolean;
  blockTimeMs: number;
  budgetS: number;
  out: string;
  fuzzTargets: string[];
  fuzzSizes: FuzzSize[];
  fuzzBatch: number;
  scales: number[];
  referenceScales: number[];
  /** scale: account counts whose node is also restarted (default: the largest scale). */
  restartScales?: number[];
}

const USAGE = `usage: npm run bench -- <transfers|erc20|amm|mixed|hot|all|sweep|fuzz|bls-precompiles|ingress|stateroot|scale|reads> [--json] [--txs N] [--sweep-txs N]
  [--seed N] [--e2e ours,anvil,ejs|none] [--e2e-per-request] [--no-native] [--block-time MS] [--budget-s S] [--out DIR]
  [--fuzz-targets ${FUZZ_BENCH_TARGETS.join(',')}] [--fuzz-sizes 256x100,64x500] [--fuzz-batch N]
  [--scales 10000,100000,1000000] [--reference-scales 10000] [--restart-scales 1000000]`;

const counts = (v: string): number[] => v.split(',').filter((x) => x !== '').map(Number);

function parseArgs(argv: string[]): Args {
  const a: Args = { workload: 'all', json: false, txs: 1000, txsGiven: false, sweepTxs: 0, seed: 1, e2e: ['ours', 'anvil', 'ejs'], e2ePerRequest: false, native: true, blockTimeMs: 250, budgetS: 540, out: join(root, 'bench/results'), fuzzTargets: [...FUZZ_BENCH_TARGETS], fuzzSizes: parseFuzzSizes('256x100,64x500'), fuzzBatch: 256, scales: [10_000, 100_000, 1_000_000], referenceScales: [10_000] };
  let wl: string | undefined;
  walkBenchFlags(argv, USAGE, (x, value) => {
    const val = value.text;
    if (x === '--json') a.json = true;
    else if (x === '--txs') {
      a.txs = Number(val());
      a.txsGiven = true;
    }
    else if (x === '--sweep-txs') a.sweepTxs = Number(val());
    else if (x === '--seed') a.seed = Number(val());
    else if (x === '--e2e') {
      const v = val();
      a.e2e = v === 'none' ? [] : (v.split(',') as ServerKind[]);
    }
    else if (x === '--e2e-per-request') a.e2ePerRequest = true;
    else if (x === '--no-native') a.native = false;
    else if (x === '--block-time') a.blockTimeMs = Number(val());
    else if (x === '--budget-s') a.budgetS = Number(val());
    else if (x === '--out') a.out = val();
    else if (x === '--fuzz-targets') a.fuzzTargets = val().split(',');
    else if (x === '--fuzz-sizes') a.fuzzSizes = parseFuzzSizes(val());
    else if (x === '--fuzz-batch') a.fuzzBatch = Number(val());
    else if (x === '--scales') a.scales = counts(val());
    else if (x === '--reference-scales') a.referenceScales = counts(val());
    else if (x === '--restart-scales') a.restartScales = counts(val());
    else if (x === '--help' || x === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (!x.startsWith('--') && wl === undefined) wl = x;
    else return false;
    return true;
  });
  if (wl !== undefined) {
    if (![...WORKLOADS, 'all', 'sweep', 'fuzz', 'stateroot', 'scale'].includes(wl)) throw new Error(`unknown workload ${wl}\n${USAGE}`);
    a.workload = wl as Args['workload'];
  }
  if (!Number.isInteger(a.txs) || a.txs < 1) throw new Error(`--txs must be a positive integer\n${USAGE}`);
  for (const n of [...a.scales, ...a.referenceScales, ...(a.restartScales ?? [])]) if (!Number.isInteger(n) || n < 1) throw new Error(`--scales/--reference-scales/--restart-scales: positive account counts\n${USAGE}`);
  if (a.scales.length === 0) throw new Error(`--scales needs at least one account count\n${USAGE}`);
  if (!Number.isInteger(a.fuzzBatch) || a.fuzzBatch < 1) throw new Error(`--fuzz-batch must be a positive integer\n${USAGE}`);
  if (a.sweepTxs === 0) a.sweepTxs = Math.max(1, Math.round(a.txs / 2));
  for (const k of a.e2e) if (!['ours', 'anvil', 'ejs'].includes(k)) throw new Error(`unknown e2e server ${k}\n${USAGE}`);
  return a;
}

// ---- measurements -------------------------------------------------------------------------------------

export interface ExecColumn {
  name: string;
  available: boolean;
  reason?: string;
  txs?: number;
  /** Execution time only (ms): no decode, no recovery, no state root. */
  ms?: number;
  txPerSec?: number;
  mgasPerSec?: number;
  gasUsed?: string;
  extra?: Record<string, unknown>;
}

interface Ratio {
  name: string;
  value: number | null;
  /** The two measured columns it is computed from (or why it is null). */
  of: string;
}

function ratio(name: string, a: { available: boolean; txPerSec?: number; name?: string; server?: string }, b: { available: boolean; txPerSec?: number; name?: string; server?: string }): Ratio {
  const an = a.name ?? a.server ?? '?';
  const bn = b.name ?? b.server ?? '?';
  if (!a.available || !b.available || !a.txPerSec || !b.txPerSec) return { name, value: null, of: `${an} / ${bn}: unavailable (${!a.available ? an : bn} not measured)` };
  return { name, value: a.txPerSec / b.txPerSec, of: `${an} ${a.txPerSec.toFixed(1)} tx/s / ${bn} ${b.txPerSec.toFixed(1)} tx/s` };
}

function column(name: string, txs: number, ms: number, gas: bigint, extra?: Record<string, unknown>): ExecColumn {
  return { name, available: true, txs, ms, txPerSec: (txs / ms) * 1000, mgasPerSec: Number(gas) / ms / 1000, gasUsed: gas.toString(), extra };
}

interface BatchRun {
  available: boolean;
  reason?: string;
  txs?: number;
  rejected?: number;
  coldMs?: number;
  ms?: number;
  /** Process CPU time (all threads) per transaction of a warm batch. */
  cpuUsPerTx?: number;
  gasUsed?: string;
}
type ChildResult = ((PipelineResult & { backend?: unknown; executorPhases?: unknown }) | (Unavailable & { backend?: unknown })) & { batch?: BatchRun };

function batchColumn(name: string, b: BatchRun | undefined, why: string): ExecColumn {
  if (!b || !b.available) return { name, available: false, reason: b?.reason ?? why };
  return column(name, b.txs!, b.ms!, BigInt(b.gasUsed!), { coldMs: b.coldMs, rejected: b.rejected, cpuUsPerTx: b.cpuUsPerTx });
}

/** The reference executor on the same one-batch measurement as the native child's (warm: second call). */
async function referenceBatch(w: Workload): Promise<BatchRun> {
  const txs = await firstRound(w);
  const world = WorldState.fromAlloc(w.genesis.alloc);
  const ex = new ReferenceExecutor();
  const t0 = performance.now();
  await ex.executeBatch(world, txs, batchEnv(w));
  const t1 = performance.now();
  const b = await ex.executeBatch(world, txs, batchEnv(w));
  const t2 = performance.now();
  const gas = b.reduce((g, o) => g + (o.kind === 'executed' ? o.gasUsed : 0n), 0n);
  return { available: true, txs: txs.length, rejected: b.filter((o) => o.kind === 'rejected').length, coldMs: t1 - t0, ms: t2 - t1, gasUsed: gas.toString() };
}

function nativeChild(args: string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return runResultChild<ChildResult>('bench/native-child.ts', args, env, 'native child');
}

function pipelineColumn(name: string, r: (PipelineResult | Unavailable) & { backend?: unknown; executorPhases?: unknown }): ExecColumn {
  if (!r.available) return { name, available: false, reason: r.reason, extra: r.backend ? { backend: r.backend } : undefined };
  const s = r.scheduler;
  // Execution only: the scheduler's rounds (executor calls + validation + overlay commits), not root/build/persist.
  return column(name, s.txs, s.execMs + s.scheduleMs, BigInt(s.gasUsed), { executorMs: s.execMs, scheduleMs: s.scheduleMs, rounds: s.rounds, conflictRate: s.conflictRate, backend: r.backend, executorPhases: r.executorPhases });
}

async function execSection(w: Workload, args: Args, childArgs: string[], dataDir: string) {
  const ejs = await ejsSequentialExec(w.genesis, w.raws, w.from);
  const ejsCol: ExecColumn =
    ejs.failed === w.raws.length
      ? { name: 'ethereumjs-sequential', available: false, reason: 'every runTx failed' }
      : column('ethereumjs-sequential', ejs.executed, ejs.execMs, ejs.gasUsed, { commitRootMs: ejs.commitRootMs, failed: ejs.failed });
  const pipeline = await runPipeline(w, { dataDir });
  const refCol = pipelineColumn('scheduler+reference', pipeline);
  let nativeAll: ExecColumn;
  let nativeOne: ExecColumn;
  let batchAll: ExecColumn;
  let batchOne: ExecColumn;
  if (!args.native) {
    nativeAll = { name: 'native-all-threads', available: false, reason: 'skipped (--no-native)' };
    nativeOne = { name: 'native-1-thread', available: false, reason: 'skipped (--no-native)' };
    batchAll = { name: 'native-batch-all-threads', available: false, reason: 'skipped (--no-native)' };
    batchOne = { name: 'native-batch-1-thread', available: false, reason: 'skipped (--no-native)' };
  } else {
    const all = await nativeChild(childArgs, {});
    nativeAll = pipelineColumn('native-all-threads', all);
    batchAll = batchColumn('native-batch-all-threads', all.batch, all.available ? 'no batch result' : all.reason);
    if (nativeAll.available || batchAll.available) {
      const one = await nativeChild(childArgs, { EVM_THREADS: '1' });
      nativeOne = pipelineColumn('native-1-thread', one);
      batchOne = batchColumn('native-batch-1-thread', one.batch, one.available ? 'no batch result' : one.reason);
    } else {
      nativeOne = { name: 'native-1-thread', available: false, reason: `not run: ${nativeAll.reason}` };
      batchOne = { name: 'native-batch-1-thread', available: false, reason: `not run: ${batchAll.reason}` };
    }
  }
  const refBatch = batchColumn('reference-batch', await referenceBatch(w).catch((e) => ({ available: false, reason: (e as Error).message })), '');
  const gasCheck = (c: ExecColumn) => (c.available && refBatch.available ? c.gasUsed === refBatch.gasUsed : null);
  const batch = {
    description: "one Executor.executeBatch over each sender's first tx against the genesis state (no validation, no commit); warm second call",
    /** Total gas of the native batches equals the reference executor's (null: not comparable). */
    gasMatchesReference: { allThreads: gasCheck(batchAll), oneThread: gasCheck(batchOne) },
    columns: [batchAll, batchOne, refBatch],
    ratios: [
      ratio('native batch all threads / reference batch', batchAll, refBatch),
      ratio('native batch all threads / native batch 1 thread', batchAll, batchOne),
      ratio('native batch 1 thread / reference batch', batchOne, refBatch),
    ],
  };
  const columns = [nativeAll, nativeOne, refCol, ejsCol];
  const ratios = [
    ratio('native all threads / ethereumjs sequential', nativeAll, ejsCol),
    ratio('native all threads / native 1 thread', nativeAll, nativeOne),
    ratio('native 1 thread / ethereumjs sequential', nativeOne, ejsCol),
    ratio('scheduler+reference / ethereumjs sequential', refCol, ejsCol),
  ];
  return { columns, ratios, pipeline, batch };
}

function stageBreakdown(stages: IngressStages, p: PipelineResult | Unavailable) {
  if (!p.available) return { available: false, reason: p.reason };
  // The node decodes and recovers on the addon when it has decodeTransactions, else with @ethereumjs/tx + libsecp256k1.
  const nativeDecode = 'ms' in stages.nativeDecode ? stages.nativeDecode.ms : undefined;
  const decodeMs = nativeDecode ?? stages.decodeMs;
  const recoverMs = nativeDecode === undefined ? (stages.recover[0]?.ms ?? 0) : 0;
  const s = p.scheduler;
  const parts: [string, number][] = [
    ...(nativeDecode === undefined ? ([['decode', decodeMs], ['recover', recoverMs]] as [string, number][]) : ([['decode + recover (native batch)', decodeMs]] as [string, number][])),
    ['ingress validate + mempool persist', Math.max(0, p.ingressMs - decodeMs - recoverMs)],
    ['schedule (pick, validate, overlay)', s.scheduleMs],
    ['execute', s.execMs],
    ['commit', s.commitMs],
    ['state root', s.rootMs],
    ['block build (tries, receipts)', s.buildMs],
    ['persist block', s.persistMs],
  ];
  const rest = p.ingressMs - decodeMs - recoverMs;
  const total = parts.reduce((a, [, v]) => a + v, 0);
  const rows = parts.map(([stage, ms]) => ({ stage, ms, share: total ? ms / total : 0 }));
  const top = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    available: true,
    note: 'in-process pipeline on the reference executor, SQLite on disk; decode and recover timed alone on the same txs',
    ingressMs: p.ingressMs,
    ...(rest < 0 ? { ingressNote: `decode + recover timed alone (${Math.round(decodeMs + recoverMs)} ms) exceeded the node's whole ingress (${Math.round(p.ingressMs)} ms): noise; the remainder is shown as 0` } : {}),
    totalMs: total,
    stages: rows,
    bottleneck: { stage: top.stage, share: top.share },
    recoverers: [...stages.recover, stages.nativeRecover, stages.nativeDecode],
  };
}

async function runWorkload(name: WorkloadName, args: Args, deadline: number, log: (s: string) => void) {
  const t0 = performance.now();
  log(`[${name}] generating ${args.txs} signed txs`);
  const w = makeWorkload(name, args.txs, args.seed);
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  try {
    log(`[${name}] ingress stages`);
    const stages = await ingressStages(w);
    log(`[${name}] execution only`);
    const exec = await execSection(w, args, ['--workload', name, '--txs', String(args.txs), '--seed', String(args.seed)], join(dir, 'pipeline'));
    // Our sequencer runs on the native executor once that executes this workload, else on the reference one.
    const oursExecutor = exec.columns.find((c) => c.name === 'native-all-threads')?.available ? 'native' : 'reference';
    const endToEnd = async (mode: SendMode) => {
      const servers: (E2EResult | (Unavailable & { server: ServerKind }))[] = [];
      for (const k of args.e2e) {
        if (performance.now() > deadline) {
          servers.push({ server: k, available: false, reason: `skipped: time budget (--budget-s ${args.budgetS}) spent` });
          continue;
        }
        log(`[${name}] end to end (${mode}): ${k}`);
        const r = await runE2E(k, w, { blockTimeMs: args.blockTimeMs, oursExecutor, mode });
        servers.push(r.available ? r : { ...r, server: k });
      }
      const find = (k: ServerKind) => servers.find((r) => r.server === k) ?? { server: k, available: false };
      return { mode, servers, ratios: [ratio('ours / anvil', find('ours'), find('anvil')), ratio('ours / ethereumjs sequencer', find('ours'), find('ejs'))] };
    };
    const batched = await endToEnd('batched');
    return {
      workload: name,
      txs: w.raws.length,
      senders: w.senders.length,
      execution: { columns: exec.columns, ratios: exec.ratios },
      executorBatch: exec.batch,
      endToEnd: { servers: batched.servers, ratios: batched.ratios },
      ...(args.e2ePerRequest ? { endToEndPerRequest: await endToEnd('per-request') } : {}),
      scheduler: exec.pipeline.available ? exec.pipeline.scheduler : { available: false, reason: exec.pipeline.reason },
      stageBreakdown: stageBreakdown(stages, exec.pipeline),
      wallS: (performance.now() - t0) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSweep(args: Args, log: (s: string) => void) {
  const points = [];
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    log(`[sweep] conflict share ${p * 100}%`);
    const w = sweepWorkload(p, args.sweepTxs, args.seed);
    const exec = await execSection(w, args, ['--sweep', String(p), '--txs', String(args.sweepTxs), '--seed', String(args.seed)], ':memory:');
    points.push({
      conflictShare: p,
      txs: w.raws.length,
      execution: { columns: exec.columns, ratios: exec.ratios },
      executorBatch: exec.batch,
      scheduler: exec.pipeline.available ? exec.pipeline.scheduler : { available: false, reason: exec.pipeline.reason },
    });
  }
  return { description: 'share p of txs increment one hot slot (BenchCounter.hit), the rest their own slot (bump)', points };
}

// ---- machine ------------------------------------------------------------------------------------------

function machine() {
  const c = cpus();
  let addon: unknown;
  try {
    addon = loadAddon().backendInfo();
  } catch (e) {
    addon = { available: false, reason: (e as Error).message };
  }
  let anvil = 'unavailable';
  try {
    anvil = spawnSync(anvilBinary(), ['--version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  } catch {
    // keep 'unavailable'
  }
  let solc = 'unavailable';
  try {
    solc = compileContracts().solcVersion;
  } catch (e) {
    solc = `unavailable: ${(e as Error).message}`;
  }
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
    loadAvgAtStart: loadavg().map((x) => +x.toFixed(2)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    addon,
    anvil,
    solc,
  };
}

// ---- output -------------------------------------------------------------------------------------------

type WorkloadResult = Awaited<ReturnType<typeof runWorkload>>;
type SweepResult = Awaited<ReturnType<typeof runSweep>>;

function plot(name: string, m: ReturnType<typeof machine>, workloads: WorkloadResult[], sweep?: SweepResult, fuzz?: FuzzBenchResult, stateroot?: StateRootResult, scale?: ScaleResult): string {
  const panels: Panel[] = [...(stateroot ? stateRootPanels(stateroot) : []), ...(scale ? scalePanels(scale) : [])];
  if (fuzz) {
    const names = ['ours-native', 'ours-native-1-thread', 'forge'];
    panels.push({
      title: 'Fuzzing: our campaign vs forge invariant fuzzing (same target, runs x depth)',
      unit: 'calls/s',
      groups: fuzz.sections.map((s) => `${s.target} ${s.runs}x${s.depth}`),
      series: names.map((n) => ({ name: n, values: fuzz.sections.map((s) => s.columns.find((c) => c.name === n)?.callsPerSecond ?? null) })),
    });
  }
  const execNames = ['native-all-threads', 'native-1-thread', 'scheduler+reference', 'ethereumjs-sequential'];
  if (workloads.length) {
    panels.push({
      title: 'Execution only',
      unit: 'tx/s',
      groups: workloads.map((w) => w.workload),
      series: execNames.map((n) => ({ name: n, values: workloads.map((w) => w.execution.columns.find((c) => c.name === n)?.txPerSec ?? null) })),
    });
    const batchNames = ['native-batch-all-threads', 'native-batch-1-thread', 'reference-batch'];
    panels.push({
      title: "Executor batch (each sender's first tx, one executeBatch)",
      unit: 'tx/s',
      groups: workloads.map((w) => w.workload),
      series: batchNames.map((n) => ({ name: n, values: workloads.map((w) => w.executorBatch.columns.find((c) => c.name === n)?.txPerSec ?? null) })),
    });
    const servers: ServerKind[] = ['ours', 'anvil', 'ejs'];
    panels.push({
      title: 'End to end (JSON-RPC -> sealed, persisted blocks)',
      unit: 'tx/s',
      groups: workloads.map((w) => w.workload),
      series: servers.map((s) => ({
        name: s === 'ejs' ? 'ethereumjs sequencer' : s === 'ours' ? 'our sequencer' : 'anvil',
        values: workloads.map((w) => {
          const r = w.endToEnd.servers.find((x) => x.server === s);
          return r && r.available ? r.txPerSec : null;
        }),
      })),
    });
    panels.push({
      title: 'End to end p99 submit-to-receipt latency',
      unit: 'ms',
      groups: workloads.map((w) => w.workload),
      series: servers.map((s) => ({
        name: s,
        values: workloads.map((w) => {
          const r = w.endToEnd.servers.find((x) => x.server === s);
          return r && r.available ? r.latencyMs.p99 : null;
        }),
      })),
    });
  }
  if (sweep) {
    panels.push({
      title: 'Conflict sweep, execution only',
      unit: 'tx/s',
      groups: sweep.points.map((p) => `${p.conflictShare * 100}% conflicting`),
      series: execNames.map((n) => ({ name: n, values: sweep.points.map((p) => p.execution.columns.find((c) => c.name === n)?.txPerSec ?? null) })),
    });
    panels.push({
      title: 'Conflict sweep, scheduler',
      unit: 'rounds per block / conflict rate x100',
      groups: sweep.points.map((p) => `${p.conflictShare * 100}% conflicting`),
      series: [
        { name: 'rounds per block', values: sweep.points.map((p) => ('roundsPerBlock' in p.scheduler ? p.scheduler.roundsPerBlock : null)) },
        { name: 'conflict rate x100', values: sweep.points.map((p) => ('conflictRate' in p.scheduler ? p.scheduler.conflictRate * 100 : null)) },
      ],
    });
  }
  return renderSvg(`bench ${name}`, `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}, load ${m.loadAvgAtStart.join('/')}; n/a = unavailable (see JSON)`, panels);
}

const f = (v: number | undefined | null, d = 0) => (v === undefined || v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));

type EndToEndSection = { servers: (E2EResult | (Unavailable & { server: ServerKind }))[]; ratios: { name: string; value: number | null }[] };
function printEndToEnd(title: string, e: EndToEndSection): void {
  console.log(`${title.padEnd(30)} tx/s     p50 ms   p99 ms   peak MiB  server CPU µs/tx  client CPU µs/tx`);
  for (const r of e.servers) {
    if (!r.available) console.log(`  ${r.server.padEnd(26)} unavailable: ${r.reason}`);
    else console.log(`  ${r.server.padEnd(26)} ${f(r.txPerSec).padStart(8)} ${f(r.latencyMs.p50).padStart(8)} ${f(r.latencyMs.p99).padStart(8)} ${f(r.peakRssMiB).padStart(8)} ${f(r.cpu.serverUsPerTx).padStart(17)} ${f(r.cpu.clientUsPerTx).padStart(17)}${r.rejected ? `  (${r.rejected} rejected: ${r.firstRejection})` : ''}${r.included < r.accepted ? ` (${r.included}/${r.accepted} included)` : ''}`);
  }
  for (const r of e.ratios) console.log(`  ratio ${r.name}: ${r.value === null ? 'n/a' : `${r.value.toFixed(2)}x`}`);
}

function printHuman(res: { workloads: WorkloadResult[]; sweep?: SweepResult; fuzz?: FuzzBenchResult; stateroot?: StateRootResult; scale?: ScaleResult }): void {
  if (res.stateroot) printStateRoot(res.stateroot);
  if (res.scale) printScale(res.scale);
  if (res.fuzz) {
    console.log(`\n== fuzz: ${res.fuzz.goal} (forge ${res.fuzz.forgeVersion})`);
    for (const s of res.fuzz.sections) {
      console.log(`${s.target}, ${s.runs} runs x ${s.depth} depth`);
      console.log(`  ${''.padEnd(32)} ${'calls/s'.padStart(9)} ${'seconds'.padStart(9)} ${'reverts'.padStart(8)}`);
      for (const c of s.columns) {
        const backend = c.extra?.backend ? ` (${String(c.extra.backend)})` : '';
        const wall = c.extra?.wallSeconds !== undefined ? `  wall ${f(Number(c.extra.wallSeconds), 2)} s` : '';
        console.log(`  ${(c.name + backend).padEnd(32)} ${c.available ? `${f(c.callsPerSecond).padStart(9)} ${f(c.seconds, 3).padStart(9)} ${`${f((c.reverts! / c.calls!) * 100)}%`.padStart(8)}${wall}` : `unavailable: ${c.reason}`}`);
      }
      for (const r of s.ratios) console.log(`  ratio ${r.name}: ${r.value === null ? 'n/a' : `${r.value.toFixed(2)}x`}`);
      console.log(`  goal met: ${s.goalMet === null ? 'n/a' : s.goalMet ? 'yes' : 'no'}`);
    }
  }
  for (const w of res.workloads) {
    console.log(`\n== ${w.workload}: ${w.txs} txs, ${w.senders} senders (${w.wallS.toFixed(1)} s)`);
    console.log('execution only                 tx/s     Mgas/s   ms');
    for (const c of w.execution.columns) console.log(`  ${c.name.padEnd(26)} ${c.available ? `${f(c.txPerSec).padStart(8)} ${f(c.mgasPerSec, 2).padStart(8)} ${f(c.ms).padStart(7)}` : `unavailable: ${c.reason}`}`);
    for (const r of w.execution.ratios) console.log(`  ratio ${r.name}: ${r.value === null ? 'n/a' : `${r.value.toFixed(2)}x`}`);
    console.log('executor batch (first tx of each sender, one executeBatch, warm)');
    for (const c of w.executorBatch.columns) console.log(`  ${c.name.padEnd(26)} ${c.available ? `${f(c.txPerSec).padStart(8)} ${f(c.mgasPerSec, 2).padStart(8)} ${f(c.ms, 1).padStart(7)}` : `unavailable: ${c.reason}`}`);
    console.log(`  native gas equals reference: all threads ${w.executorBatch.gasMatchesReference.allThreads ?? 'n/a'}, 1 thread ${w.executorBatch.gasMatchesReference.oneThread ?? 'n/a'}`);
    for (const r of w.executorBatch.ratios) console.log(`  ratio ${r.name}: ${r.value === null ? 'n/a' : `${r.value.toFixed(2)}x`}`);
    printEndToEnd('end to end', w.endToEnd);
    if (w.endToEndPerRequest) printEndToEnd('end to end, one tx per request', w.endToEndPerRequest);
    const s = w.scheduler;
    if ('rounds' in s) console.log(`scheduler: ${s.blocks} blocks, ${f(s.roundsPerBlock, 1)} rounds/block, conflict rate ${f(s.conflictRate * 100, 1)}%, re-executed ${f(s.reExecutedShare * 100, 1)}%`);
    const b = w.stageBreakdown;
    if (b.available && 'stages' in b && b.stages) {
      console.log(`stages (${f(b.totalMs)} ms): ${b.stages.map((x) => `${x.stage} ${f(x.share * 100, 1)}%`).join(', ')}`);
      console.log(`bottleneck: ${b.bottleneck!.stage} (${f(b.bottleneck!.share * 100, 1)}%)`);
    }
  }
  if (res.sweep) {
    console.log('\n== conflict sweep (execution only, tx/s)');
    for (const p of res.sweep.points) {
      const cols = [...p.execution.columns, ...p.executorBatch.columns].map((c) => `${c.name} ${c.available ? f(c.txPerSec) : 'n/a'}`).join(', ');
      const s = p.scheduler;
      console.log(`  ${String(p.conflictShare * 100).padStart(3)}%: ${cols}${'rounds' in s ? `; rounds/block ${f(s.roundsPerBlock, 1)}, conflicts ${f(s.conflictRate * 100, 1)}%` : ''}`);
    }
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'bls-precompiles') return blsPrecompilesMain(process.argv.slice(3));
  if (process.argv[2] === 'ingress') return ingressBenchMain(process.argv.slice(3));
  if (process.argv[2] === 'block-build') return blockBuildMain(process.argv.slice(3));
  if (process.argv[2] === 'reads') return readsMain(process.argv.slice(3));
  if (process.argv[2] === 'rpc-ingress') return rpcIngressMain(process.argv.slice(3));
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const started = new Date();
  const deadline = performance.now() + args.budgetS * 1000;
  const m = machine();
  const names: WorkloadName[] = args.workload === 'all' ? [...WORKLOADS] : ['sweep', 'fuzz', 'stateroot', 'scale'].includes(args.workload) ? [] : [args.workload as WorkloadName];
  const workloads: WorkloadResult[] = [];
  for (const n of names) workloads.push(await runWorkload(n, args, deadline, log));
  let sweep: SweepResult | undefined;
  if (args.workload === 'sweep' || args.workload === 'all') {
    if (performance.now() > deadline && args.workload === 'all') log('[sweep] skipped: time budget spent');
    else sweep = await runSweep(args, log);
  }
  const fuzz = args.workload === 'fuzz' ? await runFuzzBench({ targets: args.fuzzTargets, sizes: args.fuzzSizes, seed: args.seed, batch: args.fuzzBatch, native: args.native }, log) : undefined;
  const stateroot = args.workload === 'stateroot' ? await runStateRootBench({ txs: args.txsGiven ? args.txs : 5000, blocks: 3, seed: args.seed, scales: args.scales, referenceScales: args.referenceScales, execScales: args.scales.filter((n) => n <= 100_000) }, log) : undefined;
  const scale = args.workload === 'scale' ? await runScaleBench({ txs: args.txsGiven ? args.txs : 5000, seed: args.seed, scales: args.scales, restartScales: args.restartScales ?? [Math.max(...args.scales)] }, log) : undefined;
  const result = {
    bench: args.workload,
    startedAt: started.toISOString(),
    wallS: (Date.now() - started.getTime()) / 1000,
    options: { txs: args.txs, sweepTxs: args.sweepTxs, seed: args.seed, e2e: args.e2e, e2ePerRequest: args.e2ePerRequest, native: args.native, blockTimeMs: args.blockTimeMs, budgetS: args.budgetS, ...(fuzz ? { fuzzTargets: args.fuzzTargets, fuzzSizes: args.fuzzSizes, fuzzBatch: args.fuzzBatch } : {}) },
    machine: { ...m, loadAvgAtEnd: loadavg().map((x) => +x.toFixed(2)) },
    notes: [
      'one run; the machine may be shared: compare ratios within this run, not absolute times across runs',
      'execution only: senders known, state in memory; ethereumjs-sequential = runTx loop with caches and one checkpoint per batch (commit+root reported apart); scheduler+reference and native = our scheduler rounds (execute + validate + overlay commit), without state root, block build or persistence',
      'end to end latency: batch sent -> block with the tx visible over eth_getBlockByNumber, polled every 20 ms',
    ],
    workloads,
    sweep,
    fuzz,
    stateroot,
    scale,
  };
  mkdirSync(args.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const file = join(args.out, `${args.workload}-${stamp}.json`);
  const svgFile = join(args.out, `${args.workload}-${stamp}.svg`);
  const json = JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
  writeFileSync(file, json);
  writeFileSync(svgFile, plot(args.workload, m, workloads, sweep, fuzz, stateroot, scale));
  if (args.json) process.stdout.write(`${json}\n`);
  else {
    printHuman(result);
    console.log(`\nresults: ${file}\nplot:    ${svgFile}`);
  }
  log(`wrote ${file} and ${svgFile}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error((e as Error).message);
    process.exit(1);
  },
);
