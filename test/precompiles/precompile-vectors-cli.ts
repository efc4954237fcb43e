// `npm run precompile-vectors -- [--fork Cancun|Prague|Osaka] [--address 0x..] [--verbose] PATH...`
// Runs precompile vector files or folders (go-ethereum's `{Input, Expected, Gas}` / `{Input, ExpectedError}`
// format) through the native precompiles, prints per-file counts with the failures, and ends with
// `N passed, N failed`. Exit code 1 when anything fails, 2 on a usage error.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAddon, type PrecompileFork } from '../../sequencer/native/addon.js';
import { runFile, type FileResult } from './precompile-vectors.js';

interface Options {
  fork: PrecompileFork;
  address?: bigint;
  verbose: boolean;
  paths: string[];
}

const USAGE = 'usage: npm run precompile-vectors -- [--fork Cancun|Prague|Osaka] [--address 0x..] [--verbose] PATH...';
const FORKS: readonly PrecompileFork[] = ['Cancun', 'Prague', 'Osaka'];
const SHOWN_FAILURES = 5;  // per file, unless --verbose

function usageError(msg: string): never {
  console.error(`precompile-vectors: ${msg}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  // Osaka: the vector files hold final mainnet rules.
  const opts: Options = { fork: 'Osaka', verbose: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--fork') {
      const v = argv[++i] as PrecompileFork;
      if (!FORKS.includes(v)) usageError(`--fork must be one of ${FORKS.join(', ')}, got ${v}`);
      opts.fork = v;
    } else if (a === '--address') {
      const v = argv[++i] ?? '';
      if (!/^0x[0-9a-fA-F]{1,40}$/.test(v)) usageError(`--address must be a hex address, got ${v}`);
      opts.address = BigInt(v);
    } else if (a === '--verbose') opts.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('--')) usageError(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (opts.paths.length === 0) usageError('no PATH given');
  return opts;
}

function collect(path: string, out: string[]): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    usageError(`no such file or folder: ${path}`);
  }
  if (st.isDirectory()) for (const e of readdirSync(path).sort()) collect(join(path, e), out);
  else if (path.endsWith('.json')) out.push(path);
}

function report(r: FileResult, verbose: boolean): void {
  const failed = r.results.filter((x) => !x.pass);
  const name = relative(process.cwd(), r.file) || r.file;
  console.log(`${name} (0x${r.address.toString(16).padStart(2, '0')}): ${r.results.length - failed.length} passed, ${failed.length} failed`);
  for (const f of verbose ? failed : failed.slice(0, SHOWN_FAILURES)) console.log(`  FAIL ${f.name}: ${f.reason}`);
  if (!verbose && failed.length > SHOWN_FAILURES) console.log(`  ... ${failed.length - SHOWN_FAILURES} more (--verbose lists all)`);
}

const opts = parseArgs(process.argv.slice(2));
const files: string[] = [];
for (const p of opts.paths) collect(p, files);
if (files.length === 0) usageError(`no .json files under ${opts.paths.join(', ')}`);
const addon = loadAddon();
let passed = 0;
let failed = 0;
for (const file of files) {
  let r: FileResult;
  try {
    r = runFile(addon, file, opts.fork, opts.address);
  } catch (e) {
    console.log(`${relative(process.cwd(), file) || file}: FAIL ${(e as Error).message}`);
    failed++;
    continue;
  }
  report(r, opts.verbose);
  for (const x of r.results) x.pass ? passed++ : failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
