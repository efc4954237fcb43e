// The forge side of the fuzzing benchmark: forge's own invariant fuzzing (`forge test`, offline) on a forge
// project whose matched contract holds ONE invariant_* test (forge runs one campaign of runs x depth calls
// per invariant function). The project is built first (not timed), then `forge test --json` is timed and
// its per-test result read: runs, calls, reverts and the test's own duration (the campaign; setUp included,
// compilation-cache check and process start-up not). The wall time of the whole `forge test` process is
// measured too; `seconds` is the test's duration when forge reports one, else the suite's, else the wall.
//
//   tsx bench/fuzz/forge-baseline.ts [--project DIR] [--match REGEX] [--runs N] [--depth N] [--seed N]
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The forge binary itself: node_modules/.bin/forge exits 0 even when forge fails. */
export const FORGE_BIN = join(ROOT, 'node_modules/@foundry-rs/forge-linux-amd64/bin/forge');
/** The benchmark's forge project (invariant tests over test/fuzz/targets/src). */
export const FORGE_BENCH_PROJECT = join(ROOT, 'bench/fuzz/forge');

export interface ForgeInvariantOptions {
  /** Forge project folder (forge runs with it as the working directory: the solc path is relative to it). */
  project: string;
  /** --match-contract regex; it must select exactly one invariant test. */
  match: string;
  runs: number;
  depth: number;
  /** --fuzz-seed, for a reproducible campaign (default: forge picks one). */
  seed?: number;
  /** Kill forge after this long (default 600 s). */
  timeoutMs?: number;
  /** Build into DIR/out and DIR/cache instead of the project's own (tests running side by side). */
  buildDir?: string;
}

export interface ForgeInvariantResult {
  /** Calls forge made (runs x depth when nothing broke), reverted ones included. */
  calls: number;
  reverts: number;
  runs: number;
  /** The time calls/s is computed from (see timeSource). */
  seconds: number;
  callsPerSecond: number;
  forgeVersion: string;
  /** Where `seconds` comes from: forge's duration of the invariant test, of its suite, or the process wall time. */
  timeSource: 'test' | 'suite' | 'wall';
  testSeconds: number | null;
  suiteSeconds: number | null;
  /** The whole `forge test` process: start-up, compilation-cache check, setUp, campaign, output. */
  wallSeconds: number;
  /** CPU time (user + system, every thread) of that whole process: moves less than wall time on a loaded machine. */
  cpuSeconds: number;
  /** The contract:function measured, e.g. test/Invariants.t.sol:CorrectInvariants invariant_properties(). */
  test: string;
  depth: number;
  /** Calls and reverts per target function, from forge's metrics. */
  selectors: Record<string, { calls: number; reverts: number }>;
}

interface ForgeJsonTest {
  status: string;
  reason: string | null;
  duration?: string;
  kind?: { Invariant?: { runs: number; calls: number; reverts: number; metrics?: Record<string, { calls: number; reverts: number }> } };
}
type ForgeJson = Record<string, { duration?: string; test_results: Record<string, ForgeJsonTest> }>;

/** Forge's durations: "1s 23ms 456µs 789ns", "402ms 619µs 651ns", "2m 3s ...". */
export function parseForgeDuration(s: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, µs: 1e-6, us: 1e-6, ns: 1e-9 };
  let total = 0;
  let seen = false;
  for (const m of s.matchAll(/([\d.]+)\s*(h|ms|m|s|µs|us|ns)/g)) {
    total += Number(m[1]) * units[m[2]!]!;
    seen = true;
  }
  if (!seen) throw new Error(`unparsable forge duration: ${s}`);
  return total;
}

/** "1.7.1 (4072e48)" from `forge --version` ("forge Version: 1.7.1", "Commit SHA: 4072e48..."). */
export function forgeVersion(): string {
  const out = execFileSync(FORGE_BIN, ['--version'], { encoding: 'utf8' });
  const v = /Version:\s*(\S+)/.exec(out)?.[1];
  const sha = /Commit SHA:\s*([0-9a-f]{7})/.exec(out)?.[1];
  return v ? `${v}${sha ? ` (${sha})` : ''}` : out.trim().split('\n')[0]!;
}

/** Reads forge's --json test output: the single invariant test the match selected. */
export function parseForgeInvariantJson(stdout: string): Omit<ForgeInvariantResult, 'seconds' | 'callsPerSecond' | 'forgeVersion' | 'timeSource' | 'wallSeconds' | 'cpuSeconds' | 'depth'> {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`forge printed no JSON: ${stdout.trim().slice(0, 500)}`);
  const json = JSON.parse(stdout.slice(start)) as ForgeJson;
  const found: { suite: string; name: string; t: ForgeJsonTest; suiteDuration?: string }[] = [];
  for (const [suite, s] of Object.entries(json)) {
    for (const [name, t] of Object.entries(s.test_results)) if (t.kind?.Invariant) found.push({ suite, name, t, suiteDuration: s.duration });
  }
  if (found.length !== 1) {
    throw new Error(`the match must select exactly one invariant test, got ${found.length}${found.length ? `: ${found.map((f) => `${f.suite} ${f.name}`).join(', ')}` : ''}`);
  }
  const { suite, name, t, suiteDuration } = found[0]!;
  if (t.status !== 'Success') throw new Error(`${suite} ${name} did not pass (${t.status}: ${t.reason ?? 'no reason'}): a broken or reverting invariant ends the campaign early, so its calls/s is not comparable`);
  const inv = t.kind!.Invariant!;
  const selectors: Record<string, { calls: number; reverts: number }> = {};
  for (const [k, v] of Object.entries(inv.metrics ?? {})) selectors[k.replace(/^.*:/, '')] = { calls: v.calls, reverts: v.reverts };
  return {
    calls: inv.calls,
    reverts: inv.reverts,
    runs: inv.runs,
    testSeconds: t.duration ? parseForgeDuration(t.duration) : null,
    suiteSeconds: suiteDuration ? parseForgeDuration(suiteDuration) : null,
    test: `${suite} ${name}`,
    selectors,
  };
}

// forge runs under bash, whose `times` builtin then reports the CPU time its child used (the last stderr
// line); a timeout's SIGTERM reaches bash, which passes it on to forge.
const TIMED = 'trap \'kill $pid 2>/dev/null\' TERM; "$0" "$@" & pid=$!; wait $pid; code=$?; times >&2; exit $code';

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; cpuSeconds: number | null }> {
  return new Promise((done) => {
    execFile('bash', ['-c', TIMED, FORGE_BIN, ...args], { cwd, env, maxBuffer: 256 * 2 ** 20, timeout: timeoutMs, killSignal: 'SIGTERM' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0;
      const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stderr);
      const cpuSeconds = m ? 60 * Number(m[1]) + Number(m[2]) + 60 * Number(m[3]) + Number(m[4]) : null;
      done({ code, stdout, stderr: m ? stderr.slice(0, m.index) : stderr, cpuSeconds });
    });
  });
}

/** Builds the project (not timed), then times forge's invariant campaign on the matched contract. */
export async function measureForgeInvariant(opts: ForgeInvariantOptions): Promise<ForgeInvariantResult> {
  const project = resolve(opts.project);
  if (!existsSync(FORGE_BIN)) throw new Error(`forge not found at ${FORGE_BIN} (npm install)`);
  if (!existsSync(join(project, 'foundry.toml'))) throw new Error(`${project} is not a forge project (no foundry.toml)`);
  for (const [k, v] of [['runs', opts.runs], ['depth', opts.depth]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive integer (got ${v})`);
  }
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const version = forgeVersion();
  const dirs = opts.buildDir === undefined ? [] : ['--out', join(resolve(opts.buildDir), 'out'), '--cache-path', join(resolve(opts.buildDir), 'cache')];
  const build = await run(['build', '--offline', ...dirs], project, process.env, timeoutMs);
  if (build.code !== 0) throw new Error(`forge build failed in ${project}:\n${build.stdout}${build.stderr}`.slice(0, 4000));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FOUNDRY_INVARIANT_RUNS: String(opts.runs),
    FOUNDRY_INVARIANT_DEPTH: String(opts.depth),
    FOUNDRY_INVARIANT_FAIL_ON_REVERT: 'false',
    NO_COLOR: '1',
  };
  const args = ['test', '--offline', '--json', ...dirs, '--match-contract', opts.match];
  if (opts.seed !== undefined) args.push('--fuzz-seed', String(opts.seed));
  const t0 = performance.now();
  const r = await run(args, project, env, timeoutMs);
  const wallSeconds = (performance.now() - t0) / 1000;
  if (r.code === null) throw new Error(`forge test was killed (timeout ${timeoutMs} ms?)`);
  if (r.cpuSeconds === null) throw new Error(`forge test: no CPU time reported by bash's times:\n${r.stderr.slice(-1000)}`);
  if (/No tests found/.test(r.stdout)) throw new Error(`no test in ${project} matches --match-contract ${opts.match}`);
  let parsed: ReturnType<typeof parseForgeInvariantJson>;
  try {
    parsed = parseForgeInvariantJson(r.stdout);
  } catch (e) {
    throw new Error(`forge test (exit ${r.code}) in ${project}: ${(e as Error).message}\n${r.stderr.slice(-2000)}`);
  }
  const timeSource = parsed.testSeconds !== null ? 'test' : parsed.suiteSeconds !== null ? 'suite' : 'wall';
  const seconds = parsed.testSeconds ?? parsed.suiteSeconds ?? wallSeconds;
  return { ...parsed, seconds, callsPerSecond: parsed.calls / seconds, forgeVersion: version, timeSource, wallSeconds, cpuSeconds: r.cpuSeconds, depth: opts.depth };
}

async function main(): Promise<void> {
  const a = { project: FORGE_BENCH_PROJECT, match: '^CorrectInvariants$', runs: 256, depth: 100, seed: undefined as number | undefined };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const v = argv[++i];
    if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
    switch (argv[i - 1]) {
      case '--project': a.project = v; break;
      case '--match': a.match = v; break;
      case '--runs': a.runs = Number(v); break;
      case '--depth': a.depth = Number(v); break;
      case '--seed': a.seed = Number(v); break;
      default: throw new Error(`unknown argument ${argv[i - 1]} (--project DIR --match REGEX --runs N --depth N --seed N)`);
    }
  }
  const r = await measureForgeInvariant(a);
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
