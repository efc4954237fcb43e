// `npm run bench -- bls-precompiles [--json] [--seed N] [--min-ms MS] [--cases a,b] [--out DIR]`: the EIP-2537 precompiles
// (0x0b..0x11) per call on this CPU, one thread: native (kernels/precompiles through runPrecompileAt, as the
// EVM calls them) against @noble/curves behind the same byte interface (@ethereumjs/evm's NobleBLS, which
// @ethereumjs/vm runs at Prague). Same seeded inputs for both; every output is checked equal before timing.
// Reports µs per call (process CPU time, robust on a shared machine, and wall time) and noble / native.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NobleBLS } from '@ethereumjs/evm';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { walkBenchFlags } from './bench-flags.js';

interface Options {
  json: boolean;
  seed: number;
  minMs: number;
  /** Case names to run (all when empty). */
  cases: string[];
  out: string;
}

interface Case {
  name: string;
  id: number;
  input: Buffer;
  noble: (input: Buffer) => Uint8Array;
}

interface Timing {
  cpuUs: number;
  wallUs: number;
  calls: number;
}

export interface BlsCaseResult {
  name: string;
  precompile: string;
  inputBytes: number;
  gas: string;
  native: Timing;
  noble: Timing;
  /** noble CPU µs / native CPU µs: how many times faster native is. */
  speedup: number;
}

const USAGE = 'usage: npm run bench -- bls-precompiles [--json] [--seed N] [--min-ms MS] [--cases a,b] [--out DIR]';
const root = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, seed: 1, minMs: 300, cases: [], out: join(root, 'bench/results') };
  walkBenchFlags(argv, USAGE, (flag, value) => {
    if (flag === '--json') o.json = true;
    else if (flag === '--seed') o.seed = Number(value.text());
    else if (flag === '--min-ms') o.minMs = value.positiveNumber();
    else if (flag === '--cases') o.cases = value.text().split(',');
    else if (flag === '--out') o.out = value.text();
    else return false;
    return true;
  });
  return o;
}

// Calls fn until minMs of CPU time passed (at least 2 calls, after one warm-up call).
function time(fn: () => unknown, minMs: number): Timing {
  fn();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let calls = 0;
  let cpuUs = 0;
  do {
    fn();
    calls++;
    const c = process.cpuUsage(c0);
    cpuUs = c.user + c.system;
  } while (cpuUs < minMs * 1000 || calls < 2);
  return { cpuUs: cpuUs / calls, wallUs: Number(process.hrtime.bigint() - t0) / 1e3 / calls, calls };
}

function makeCases(seed: number): Case[] {
  const rand = seededRandom(seed);
  const R = bls.fields.Fr.ORDER;
  const P = bls.fields.Fp.ORDER;
  const big = (bytes: number) => {
    let v = 0n;
    for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(Math.floor(rand() * 256));
    return v;
  };
  const scalar = () => 1n + (big(32) % (R - 1n));
  const fp = (v: bigint) => Buffer.from(v.toString(16).padStart(128, '0'), 'hex');
  const g1 = () => {
    const a = bls.G1.Point.BASE.multiply(scalar()).toAffine();
    return Buffer.concat([fp(a.x), fp(a.y)]);
  };
  const g2Base = bls.G2.Point.BASE.multiply(scalar());
  let g2Next = g2Base;
  const g2 = () => {
    g2Next = g2Next.add(g2Base);  // distinct G2 points without a scalar multiplication each
    const a = g2Next.toAffine();
    return Buffer.concat([fp(a.x.c0), fp(a.x.c1), fp(a.y.c0), fp(a.y.c1)]);
  };
  const s32 = () => Buffer.from(big(32).toString(16).padStart(64, '0'), 'hex');
  const nb = new NobleBLS();
  const msm = (k: number, point: () => Buffer) => Buffer.concat(Array.from({ length: k }, () => Buffer.concat([point(), s32()])));
  // e(aG1, bG2) e(-ab G1, G2) = 1: a pairing check that holds (the common case on chain).
  const a = scalar(), b = scalar();
  const enc1 = (p: typeof bls.G1.Point.BASE) => {
    const x = p.toAffine();
    return Buffer.concat([fp(x.x), fp(x.y)]);
  };
  const enc2 = (p: typeof bls.G2.Point.BASE) => {
    const x = p.toAffine();
    return Buffer.concat([fp(x.x.c0), fp(x.x.c1), fp(x.y.c0), fp(x.y.c1)]);
  };
  const pairing2 = Buffer.concat([
    enc1(bls.G1.Point.BASE.multiply(a)), enc2(bls.G2.Point.BASE.multiply(b)),
    enc1(bls.G1.Point.BASE.multiply((a * b) % R).negate()), enc2(bls.G2.Point.BASE),
  ]);
  return [
    { name: 'g1add', id: 0x0b, input: Buffer.concat([g1(), g1()]), noble: (i) => nb.addG1(i) },
    { name: 'g2add', id: 0x0d, input: Buffer.concat([g2(), g2()]), noble: (i) => nb.addG2(i) },
    { name: 'g1msm-1', id: 0x0c, input: msm(1, g1), noble: (i) => nb.msmG1(i) },
    { name: 'g1msm-16', id: 0x0c, input: msm(16, g1), noble: (i) => nb.msmG1(i) },
    { name: 'g1msm-128', id: 0x0c, input: msm(128, g1), noble: (i) => nb.msmG1(i) },
    { name: 'g2msm-1', id: 0x0e, input: msm(1, g2), noble: (i) => nb.msmG2(i) },
    { name: 'g2msm-16', id: 0x0e, input: msm(16, g2), noble: (i) => nb.msmG2(i) },
    { name: 'g2msm-128', id: 0x0e, input: msm(128, g2), noble: (i) => nb.msmG2(i) },
    { name: 'pairing-2', id: 0x0f, input: pairing2, noble: (i) => nb.pairingCheck(i) },
    { name: 'map-fp-to-g1', id: 0x10, input: fp(big(56) % P), noble: (i) => nb.mapFPtoG1(i) },
    { name: 'map-fp2-to-g2', id: 0x11, input: Buffer.concat([fp(big(56) % P), fp(big(56) % P)]), noble: (i) => nb.mapFP2toG2(i) },
  ];
}

export function runBlsPrecompilesBench(opts: { seed: number; minMs: number; cases: string[] }, log: (s: string) => void): BlsCaseResult[] {
  const addon = loadAddon();
  const all = makeCases(opts.seed);
  for (const n of opts.cases) if (!all.some((c) => c.name === n)) throw new Error(`unknown case ${n} (cases: ${all.map((c) => c.name).join(', ')})\n${USAGE}`);
  const results: BlsCaseResult[] = [];
  for (const c of all.filter((x) => opts.cases.length === 0 || opts.cases.includes(x.name))) {
    const address = Uint8Array.from({ length: 20 }, (_, i) => (i === 19 ? c.id : 0));
    const run = () => addon.runPrecompileAt(address, 'Prague', c.input);
    const first = run();
    const want = Buffer.from(c.noble(c.input)).toString('hex');
    if (!first.ok || first.output.toString('hex') !== want) {
      throw new Error(`bls-precompiles ${c.name}: native ${first.ok ? first.output.toString('hex') : first.error} != noble ${want}`);
    }
    const native = time(run, opts.minMs);
    const noble = time(() => c.noble(c.input), opts.minMs);
    const r: BlsCaseResult = {
      name: c.name,
      precompile: `0x${c.id.toString(16).padStart(2, '0')}`,
      inputBytes: c.input.length,
      gas: first.gasUsed.toString(),
      native,
      noble,
      speedup: +(noble.cpuUs / native.cpuUs).toFixed(2),
    };
    log(`[bls-precompiles] ${c.name}: native ${native.cpuUs.toFixed(1)} µs, noble ${noble.cpuUs.toFixed(1)} µs (x${r.speedup})`);
    results.push(r);
  }
  return results;
}

/** The `bls-precompiles` workload of `npm run bench`: prints a table (or JSON) and writes bench/results/. */
export function blsPrecompilesMain(argv: string[]): void {
  const opts = parseArgs(argv);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const started = new Date();
  const cases = runBlsPrecompilesBench(opts, log);
  const result = {
    bench: 'bls-precompiles',
    startedAt: started.toISOString(),
    options: { seed: opts.seed, minMs: opts.minMs, cases: opts.cases },
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, backend: loadAddon().backendInfo().kind, loadAvgAtEnd: loadavg().map((x) => +x.toFixed(2)) },
    notes: [
      'one thread, µs per call; cpuUs is this process\'s CPU time per call (robust on a shared machine), wallUs wall time',
      'noble = @noble/curves behind the EIP-2537 byte interface of @ethereumjs/evm (NobleBLS); speedup = noble cpuUs / native cpuUs of this run',
    ],
    cases,
  };
  mkdirSync(opts.out, { recursive: true });
  const file = join(opts.out, `bls-precompiles-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = JSON.stringify(result, null, 2);
  writeFileSync(file, json);
  if (opts.json) process.stdout.write(`${json}\n`);
  else {
    console.log(`EIP-2537 precompiles, one thread, ${result.machine.cpu} (µs per call, CPU time)`);
    console.log(`  ${'case'.padEnd(16)} ${'gas'.padStart(9)} ${'native'.padStart(10)} ${'noble'.padStart(11)} ${'speedup'.padStart(8)}`);
    for (const c of cases) {
      console.log(`  ${c.name.padEnd(16)} ${c.gas.padStart(9)} ${c.native.cpuUs.toFixed(1).padStart(10)} ${c.noble.cpuUs.toFixed(1).padStart(11)} ${('x' + c.speedup).padStart(8)}`);
    }
    console.log(`\nresults: ${file}`);
  }
}
