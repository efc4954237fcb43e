// Where a fuzz call's CPU time goes: runs one bench campaign child (workload.ts --child, as `npm run bench --
// fuzz` runs it) under `perf record -g` and sorts the samples of the fuzzing phase (the span in which the EVM
// threads ran) by thread and call chain into CPU µs per call. Prints one JSON object.
//   tsx bench/fuzz/cpu-split.ts [--target CorrectAmm] [--runs 1024] [--depth 100] [--seed 1] [--hz 2000]
// EVM_ADDON=path/evm_native.node profiles another build of the addon. Needs perf (linux-perf) and a
// perf_event_paranoid that lets a user profile its own processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

interface Sample {
  tid: number;
  time: number;
  /** Symbols of the call chain, innermost first. */
  frames: string[];
  dso: string;
}

/** `perf script` output with call chains: a header line per sample, then one indented line per frame. */
function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  let cur: Sample | undefined;
  for (const line of text.split('\n')) {
    if (line === '') {
      cur = undefined;
      continue;
    }
    if (cur === undefined) {
      const m = /^\s*(\d+)\s+([\d.]+):/.exec(line);
      if (m === null) continue;
      cur = { tid: Number(m[1]), time: Number(m[2]), frames: [], dso: '' };
      out.push(cur);
      continue;
    }
    const f = /^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)$/.exec(line);
    if (f === null) continue;
    if (cur.frames.length === 0) cur.dso = f[2]!;
    cur.frames.push(f[1]!);
  }
  return out;
}

const has = (s: Sample, re: RegExp): boolean => s.frames.some((f) => re.test(f));

/** The native side, by the outermost kernel phase on the chain. */
function nativePart(s: Sample): string {
  if (has(s, /native::evm::generate_sequence/)) return 'main thread: native call generation (fuzz_generate: fresh sequences as program bytes)';
  if (has(s, /kern::evm::check_point/)) return 'native: property checks (check_point: views run and rolled back, ETH-leak sum)';
  if (has(s, /kern::evm::execute_tx/)) return 'native: the fuzz calls (execute_tx: interpretation, gas, coverage and comparison logging)';
  if (has(s, /kern::evm::run_sequence/)) return 'native: per-call bookkeeping (run_sequence: commit_tx, stale properties, call results)';
  if (has(s, /native::evm::run_one/)) return 'native: instance setup and collection (ctx_init, bitmaps, comparison log)';
  if (has(s, /native::evm::(fuzz_run|decode_program)/)) return 'native: program decode, result write, coverage and comparison merge';
  return 'native: other';
}

/** The JS main thread, by the first JS function or V8 part found from the innermost frame out. */
function mainPart(s: Sample): string {
  for (const f of s.frames) {
    if (/Scavenge|MarkCompact|Heap::|GCTracer|Sweeper|ConcurrentMarking/.test(f)) return 'main thread: GC';
    if (/generate\.ts|abi\.ts|mutate\.ts|rng\.ts|dictionary\.ts|abi-values\.ts/.test(f)) return 'main thread: generation and mutation';
    if (/native-runner\.ts|encode\.ts/.test(f)) return 'main thread: program encoding and result decoding';
    if (/cmp-feedback\.ts/.test(f)) return 'main thread: comparison feedback';
    if (/campaign\.ts|corpus\.ts|checks\.ts|optimize\.ts/.test(f)) return 'main thread: campaign, corpus and checks';
    if (/compiler::|Compile|Builtins_Interpreter/.test(f)) return 'main thread: V8 compilation and interpreter';
  }
  return 'main thread: other (runtime, kernel, libuv)';
}

/** Threads other than the main one and the EVM's: V8's platform workers and libuv's. */
function otherPart(s: Sample): string {
  if (has(s, /compiler::|OptimizingCompileDispatcher|Maglev|wasm::/)) return 'V8 threads: compilation';
  if (has(s, /Scavenge|Marking|Sweeper|Heap::|Evacuat|MemoryAllocator/)) return 'V8 threads: GC';
  return 'other threads (kernel, libuv)';
}

function main(): void {
  const target = arg('--target', 'CorrectAmm');
  const [runs, depth, seed, hz] = [Number(arg('--runs', '1024')), Number(arg('--depth', '100')), Number(arg('--seed', '1')), Number(arg('--hz', '2000'))];
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-cpu-split-'));
  const data = join(dir, 'perf.data');
  try {
    const load0 = loadavg()[0]!;
    const child = ['--perf-basic-prof', '--import', 'tsx', 'bench/fuzz/workload.ts', '--child', '--target', target, '--runs', String(runs), '--depth', String(depth), '--seed', String(seed), '--batch', '256'];
    const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-semi-space-size=64'].filter((x) => x).join(' ') };
    const rec = spawnSync('perf', ['record', '-F', String(hz), '-g', '-o', data, '--', process.execPath, ...child], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (rec.error !== undefined || rec.status !== 0) throw new Error(`perf record failed (${rec.error?.message ?? `exit ${rec.status}`}): ${rec.stderr.slice(-2000)}`);
    const line = rec.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (line === undefined) throw new Error(`the campaign child printed no RESULT line: ${rec.stderr.slice(-2000)}`);
    const result = JSON.parse(line.slice('RESULT '.length)) as { calls: number; cpuSeconds: number; mainThreadCpuSeconds?: number };
    const script = spawnSync('perf', ['script', '-i', data, '-F', 'tid,time,ip,sym,dso'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (script.status !== 0) throw new Error(`perf script failed: ${script.stderr.slice(-2000)}`);
    const samples = parseSamples(script.stdout);
    if (samples.length === 0) throw new Error('perf recorded no samples');
    const mainTid = samples[0]!.tid; // the process's first thread is node's main thread
    // The fuzzing phase: from the first to the last sample of the EVM's sequence runner.
    const evmTimes = samples.filter((s) => has(s, /kern::evm::run_sequence|native::evm::run_one/)).map((s) => s.time);
    if (evmTimes.length === 0) throw new Error('no sample ran the native sequence runner (is the addon built?)');
    const [from, to] = [Math.min(...evmTimes), Math.max(...evmTimes)];
    const parts = new Map<string, number>();
    let total = 0;
    for (const s of samples) {
      if (s.time < from || s.time > to) continue;
      total++;
      const part = s.dso.includes('evm_native') || has(s, /native::evm::|kern::evm::/) ? nativePart(s) : s.tid === mainTid ? mainPart(s) : otherPart(s);
      parts.set(part, (parts.get(part) ?? 0) + 1);
    }
    const perCall = (n: number): number => +(((n / hz) * 1e6) / result.calls).toFixed(3);
    console.log(
      JSON.stringify(
        {
          description: 'CPU µs per fuzz call by part (perf samples of the fuzzing phase, every thread)',
          target,
          runs,
          depth,
          seed,
          addon: process.env.EVM_ADDON ?? 'build',
          evmThreads: process.env.EVM_THREADS ?? 'default',
          calls: result.calls,
          campaignCpuMicrosPerCall: +((result.cpuSeconds * 1e6) / result.calls).toFixed(3),
          sampledMicrosPerCall: perCall(total),
          windowSeconds: +(to - from).toFixed(3),
          parts: Object.fromEntries([...parts].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, perCall(n)])),
          loadavg1: [+load0.toFixed(2), +loadavg()[0]!.toFixed(2)],
        },
        null,
        1,
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
