// 256-bit DIV/MOD, MULMOD and MUL cost per operand width (issue #17: AMM math in the fuzzer's EVM time).
//   tsx bench/uint256/ops.ts [--baseline-ref main] [--reps 100] [--repeats 3]
// Compiles ops.cc against this tree's kernels/evm/uint256.h (and, with --baseline-ref, that git revision's
// uint256.h and hd.h) with the addon's flags, runs each build --repeats times and prints thread-CPU ns per
// operation (min over repeats) as JSON, with baseline / current ratios from the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Timings = Record<string, Record<string, number>>;

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** Builds ops.cc against the kernels folder `includeDir` (holding evm/uint256.h and common/hd.h). */
function build(includeDir: string, exe: string): string {
  execFileSync('c++', ['-O3', '-march=native', '-std=c++17', `-I${includeDir}`, join(here, 'ops.cc'), '-o', exe]);
  return exe;
}

/** A kernels folder with `ref`'s uint256.h and hd.h, for the baseline build. */
function kernelsAt(ref: string, out: string): string {
  for (const file of ['evm/uint256.h', 'common/hd.h']) {
    const text = execFileSync('git', ['-C', repo, 'show', `${ref}:kernels/${file}`], { encoding: 'utf8' });
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), text);
  }
  return out;
}

function minOver(runs: Timings[]): Timings {
  const best: Timings = {};
  for (const run of runs)
    for (const [shape, ops] of Object.entries(run)) {
      if (shape === 'sink') continue;
      best[shape] ??= {};
      for (const [op, ns] of Object.entries(ops)) best[shape][op] = Math.min(best[shape][op] ?? Infinity, ns);
    }
  return best;
}

const reps = arg('--reps', '100');
const repeats = Number(arg('--repeats', '3'));
const baselineRef = arg('--baseline-ref', '');
const work = mkdtempSync(join(tmpdir(), 'uint256-ops-'));
const builds: Record<string, string> = { current: build(join(repo, 'kernels'), join(work, 'ops-current')) };
if (baselineRef) builds.baseline = build(kernelsAt(baselineRef, join(work, 'baseline-kernels')), join(work, 'ops-baseline'));

const runs: Record<string, Timings[]> = {};
for (let r = 0; r < repeats; r++) // interleaved so that load changes hit both builds alike
  for (const [name, exe] of Object.entries(builds)) (runs[name] ??= []).push(JSON.parse(execFileSync(exe, [reps], { encoding: 'utf8' })));

const result: Record<string, unknown> = { description: 'thread-CPU ns per operation, min over repeats; shape = dividend bits by divisor/modulus bits', reps: Number(reps), repeats, loadavg1: loadavg()[0] };
const current = minOver(runs.current!);
result.current = current;
if (baselineRef) {
  const baseline = minOver(runs.baseline!);
  result.baseline = { ref: baselineRef, ...baseline };
  const ratios: Timings = {};
  for (const [shape, ops] of Object.entries(current))
    for (const [op, ns] of Object.entries(ops)) (ratios[shape] ??= {})[`${op.replace(/Ns$/, '')}BaselineOverCurrent`] = Number((baseline[shape]![op]! / ns).toFixed(2));
  result.speedup = ratios;
}
console.log(JSON.stringify(result, null, 1));
