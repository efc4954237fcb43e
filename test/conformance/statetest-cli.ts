// `npm run statetest -- [--executor reference|native] [--fork Cancun|Prague|Osaka] [--jobs N] [--verbose] PATH...`
// Runs GeneralStateTests files or folders at one fork (default: the newest fork the selected files have post
// states for), prints pass/fail per folder, lists the failures with their reason, and ends with
// `N passed, N failed`. Exit code 1 when anything fails.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FORKS, isForkName, type ForkName } from '../../sequencer/chain/forks.js';
import { EXECUTOR_NAMES, type ExecutorName } from '../../sequencer/executor/create-executor.js';
import { newestFork, postForks } from './state-test-format.js';
import type { CaseResult } from './state-test-runner.js';

interface Options {
  executor: ExecutorName;
  fork?: ForkName;
  jobs: number;
  verbose: boolean;
  paths: string[];
}

const USAGE = `usage: npm run statetest -- [--executor reference|native] [--fork ${FORKS.join('|')}] [--jobs N] [--verbose] PATH...`;

function parseArgs(argv: string[]): Options {
  const opts: Options = { executor: 'reference', jobs: 2, verbose: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--executor') {
      const v = argv[++i] as ExecutorName;
      if (!EXECUTOR_NAMES.includes(v)) fail(`--executor must be one of ${EXECUTOR_NAMES.join(', ')}, got ${v}`);
      opts.executor = v;
    } else if (a === '--fork') {
      const v = argv[++i];
      if (v === undefined || !isForkName(v)) fail(`--fork must be one of ${FORKS.join(', ')}, got ${v}`);
      opts.fork = v;
    } else if (a === '--jobs') {
      opts.jobs = Number(argv[++i]);
      if (!Number.isInteger(opts.jobs) || opts.jobs < 1) fail('--jobs must be a positive integer');
    } else if (a === '--verbose') opts.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (opts.paths.length === 0) fail('no PATH given');
  return opts;
}

function fail(msg: string): never {
  console.error(`statetest: ${msg}\n${USAGE}`);
  process.exit(2);
}

function collect(path: string, out: string[]): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    fail(`no such file or folder: ${path}`);
  }
  if (st.isDirectory()) {
    for (const e of readdirSync(path).sort()) collect(join(path, e), out);
  } else if (path.endsWith('.json')) out.push(path);
}

/** Hands files to `jobs` worker threads, one at a time, and gathers their case results. */
async function runFiles(files: string[], opts: Options, fork: ForkName): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let next = 0;
  const bootstrap = new URL('../../sequencer/util/ts-worker.mjs', import.meta.url);
  const entry = new URL('./statetest-worker.ts', import.meta.url).href;
  const runWorker = () =>
    new Promise<void>((done, reject) => {
      const w = new Worker(bootstrap, { workerData: { entry, executor: opts.executor, fork } });
      const feed = () => {
        if (next < files.length) w.postMessage(files[next++]);
        else void w.terminate().then(() => done());
      };
      w.on('message', (m: { results: CaseResult[] }) => {
        results.push(...m.results);
        if (opts.verbose) for (const r of m.results) console.log(`${r.pass ? 'ok  ' : 'FAIL'} ${r.file} ${r.label}`);
        feed();
      });
      w.on('error', reject);
      w.on('online', feed);
    });
  await Promise.all(Array.from({ length: Math.min(opts.jobs, files.length) }, runWorker));
  return results;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const files: string[] = [];
  for (const p of opts.paths) collect(resolve(p), files);
  if (files.length === 0) fail(`no .json test files under ${opts.paths.join(' ')}`);
  const started = Date.now();
  const fork = opts.fork ?? newestFork(files.flatMap((f) => [...postForks(f)]));
  if (fork === undefined) fail(`no post states for ${FORKS.join(', ')} in ${opts.paths.join(' ')}`);
  const results = await runFiles(files, opts, fork);

  const byFolder = new Map<string, { passed: number; failed: number }>();
  for (const r of results) {
    const folder = relative(process.cwd(), dirname(r.file)) || '.';
    const f = byFolder.get(folder) ?? { passed: 0, failed: 0 };
    r.pass ? f.passed++ : f.failed++;
    byFolder.set(folder, f);
  }
  console.log(`executor: ${opts.executor}, fork: ${fork}, ${files.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [folder, f] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${f.failed === 0 ? 'PASS' : 'FAIL'} ${folder}: ${f.passed} passed, ${f.failed} failed`);
  }
  const failures = results.filter((r) => !r.pass);
  if (failures.length > 0) {
    console.log('\nfailures:');
    for (const r of failures) console.log(`  ${relative(process.cwd(), r.file)} ${r.label}: ${r.reason}`);
  }
  const passed = results.length - failures.length;
  console.log(`\n${passed} passed, ${failures.length} failed`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
