// Sender-recovery throughput: the native batch (kernels/crypto/secp256k1.h on the CPU backend's threads)
// against @noble/curves and the `secp256k1` npm package's native binding (libsecp256k1), one thread and
// all threads. Every path recovers the same seeded signatures and is checked against the expected address.
//   npx tsx bench/ecrecover.ts [--count N] [--json]
// The native single-thread figure runs in a child process with EVM_THREADS=1 (the backend reads it once).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { seededRandom } from '../test/support/seeded-random.js';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);

interface Corpus {
  hashes: Uint8Array;
  sigs: Uint8Array; // r s recid
  addrs: Uint8Array;
}

function corpus(count: number): Corpus {
  const rand = seededRandom(0xbe4c);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  const keys = Array.from({ length: 16 }, () => secp256k1.utils.randomSecretKey(bytes(48)));
  const hashes = new Uint8Array(32 * count), sigs = new Uint8Array(65 * count), addrs = new Uint8Array(20 * count);
  for (let i = 0; i < count; i++) {
    const k = keys[i % keys.length];
    const h = bytes(32);
    const rec = secp256k1.sign(h, k, { prehash: false, format: 'recovered' }); // recid r s
    hashes.set(h, 32 * i);
    sigs.set(rec.subarray(1, 65), 65 * i);
    sigs[65 * i + 64] = rec[0];
    addrs.set(keccak_256(secp256k1.getPublicKey(k, false).subarray(1)).subarray(12), 20 * i);
  }
  return { hashes, sigs, addrs };
}

type Lib = 'noble' | 'libsecp256k1';

// Recovers items [from, to) with a JS-side library; returns how many matched the expected address.
function recoverJs(lib: Lib, c: Corpus, from: number, to: number): number {
  const sec = lib === 'libsecp256k1' ? require('secp256k1/bindings') : null;
  let good = 0;
  const sig65 = new Uint8Array(65);
  for (let i = from; i < to; i++) {
    const h = c.hashes.subarray(32 * i, 32 * i + 32);
    const s = c.sigs.subarray(65 * i, 65 * i + 65);
    let pub: Uint8Array;
    if (sec) {
      pub = sec.ecdsaRecover(s.subarray(0, 64), s[64], h, false);
    } else {
      sig65[0] = s[64];
      sig65.set(s.subarray(0, 64), 1);
      pub = secp256k1.recoverPublicKey(sig65, h, { prehash: false });
      pub = secp256k1.Point.fromBytes(pub).toBytes(false);
    }
    const a = keccak_256(pub.subarray(1)).subarray(12);
    if (Buffer.compare(Buffer.from(a), Buffer.from(c.addrs.subarray(20 * i, 20 * i + 20))) === 0) good++;
  }
  return good;
}

// The worker: plain JS (Node 20 workers do not take tsx), the same loop as recoverJs.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
(async () => {
  const { lib, c, from, to, root } = workerData;
  const req = createRequire(root + '/package.json');
  const { secp256k1 } = await import(req.resolve('@noble/curves/secp256k1.js'));
  const { keccak_256 } = await import(req.resolve('@noble/hashes/sha3.js'));
  const sec = lib === 'libsecp256k1' ? req('secp256k1/bindings') : null;
  let good = 0;
  const sig65 = new Uint8Array(65);
  const start = performance.now();
  for (let i = from; i < to; i++) {
    const h = c.hashes.subarray(32 * i, 32 * i + 32);
    const s = c.sigs.subarray(65 * i, 65 * i + 65);
    let pub;
    if (sec) pub = sec.ecdsaRecover(s.subarray(0, 64), s[64], h, false);
    else {
      sig65[0] = s[64];
      sig65.set(s.subarray(0, 64), 1);
      pub = secp256k1.Point.fromBytes(secp256k1.recoverPublicKey(sig65, h, { prehash: false })).toBytes(false);
    }
    const a = keccak_256(pub.subarray(1)).subarray(12);
    if (Buffer.compare(Buffer.from(a), Buffer.from(c.addrs.subarray(20 * i, 20 * i + 20))) === 0) good++;
  }
  parentPort.postMessage({ good, seconds: (performance.now() - start) / 1000 });
})();
`;

async function allThreadsJs(lib: Lib, c: Corpus, threads: number): Promise<{ seconds: number; good: number }> {
  const n = c.hashes.length / 32;
  const per = Math.ceil(n / threads);
  // Timed inside the workers (module loading excluded): the slowest worker's loop is the wall time.
  const results = await Promise.all(
    Array.from({ length: threads }, (_, t) =>
      new Promise<{ good: number; seconds: number }>((resolve, reject) => {
        const w = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { lib, c, from: t * per, to: Math.min(n, (t + 1) * per), root: fileURLToPath(new URL('..', import.meta.url)) },
        });
        w.once('message', (m: { good: number; seconds: number }) => resolve(m));
        w.once('error', reject);
      }),
    ),
  );
  return { seconds: Math.max(...results.map((r) => r.seconds)), good: results.reduce((a, r) => a + r.good, 0) };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

function nativeRun(c: Corpus): { seconds: number; cpu: number; good: number; threads: number; kind: string } {
  const addon = loadAddon();
  const n = c.hashes.length / 32;
  addon.recoverSendersBatchSync(c.hashes.subarray(0, 32 * 64), c.sigs.subarray(0, 65 * 64)); // warm up
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const res = addon.recoverSendersBatchSync(c.hashes, c.sigs);
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(cpu0);
  let good = 0;
  for (let i = 0; i < n; i++)
    if (res.ok[i] && Buffer.compare(res.addresses.subarray(20 * i, 20 * i + 20), Buffer.from(c.addrs.subarray(20 * i, 20 * i + 20))) === 0) good++;
  const info = addon.backendInfo();
  return { seconds, cpu, good, threads: info.threads, kind: info.kind };
}

async function main() {
  const args = process.argv.slice(2);
  const count = Number(args[args.indexOf('--count') + 1] || 0) || 2000;
  if (args.includes('--native-child')) {
    process.stdout.write(JSON.stringify(nativeRun(corpus(count))));
    return;
  }
  const json = args.includes('--json');
  const c = corpus(count);
  const threads = cpus().length;
  // perSecond / usPerItem: wall clock. cpuUsPerItem: process CPU time per item, summed over threads (what
  // a loaded machine distorts least; for the multi-threaded native row it shows the parallel overhead).
  const rows: { name: string; threads: number; perSecond: number; usPerItem: number; cpuUsPerItem: number | null; good: number }[] = [];
  const add = (name: string, t: number, seconds: number, good: number, n: number, cpu: number | null = null) =>
    rows.push({
      name,
      threads: t,
      perSecond: Math.round(n / seconds),
      usPerItem: +((seconds * 1e6) / n).toFixed(1),
      cpuUsPerItem: cpu === null ? null : +((cpu * 1e6) / n).toFixed(1),
      good,
    });

  const child = (env: NodeJS.ProcessEnv) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--native-child', '--count', String(count)], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as ReturnType<typeof nativeRun>;
  };
  const one = child({ EVM_THREADS: '1', EVM_BACKEND: 'cpu' });
  add('native kernel (CPU backend)', one.threads, one.seconds, one.good, count, one.cpu);
  const all = child({});
  add(`native kernel (${all.kind} backend)`, all.threads, all.seconds, all.good, count, all.kind === 'cpu' ? all.cpu : null);

  for (const lib of ['libsecp256k1', 'noble'] as Lib[]) {
    const n = lib === 'noble' ? Math.min(count, 500) : count;
    recoverJs(lib, c, 0, Math.min(n, 20)); // warm up
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const good = recoverJs(lib, c, 0, n);
    const cpu = cpuSeconds(cpu0);
    add(lib === 'noble' ? '@noble/curves' : 'secp256k1 npm (libsecp256k1 binding)', 1, (performance.now() - start) / 1000, good, n, cpu);
    const sub = lib === 'noble' ? { ...c, hashes: c.hashes.subarray(0, 32 * n), sigs: c.sigs.subarray(0, 65 * n), addrs: c.addrs.subarray(0, 20 * n) } : c;
    const par = await allThreadsJs(lib, sub, threads);
    add(lib === 'noble' ? '@noble/curves (worker_threads)' : 'secp256k1 npm (worker_threads)', threads, par.seconds, par.good, n);
  }
  if (json) {
    process.stdout.write(JSON.stringify({ workload: 'ecrecover', count, cpus: threads, results: rows }, null, 2) + '\n');
  } else {
    console.log(`sender recovery (recover + keccak address), ${count} signatures, ${threads} CPUs`);
    for (const r of rows)
      console.log(
        `${r.name.padEnd(42)} threads ${String(r.threads).padStart(2)}  ${String(r.perSecond).padStart(7)}/s  ` +
          `${String(r.usPerItem).padStart(8)} us/item wall  ${r.cpuUsPerItem === null ? '       -' : String(r.cpuUsPerItem).padStart(8)} us/item CPU  correct ${r.good}`,
      );
  }
}

await main();
