// Ingress throughput (issue #13, "ingress at wire speed"): raw signed transactions -> checked, decoded
// transactions with their senders, in batches of 1, 100 and 1,000, three ways on the same seeded bytes:
//   reference-inline    @ethereumjs/tx decode + libsecp256k1 (`secp256k1` npm binding) on the calling thread
//   reference-addon     @ethereumjs/tx decode + the addon's recoverSendersBatch (the node's path before this)
//   native              the addon's decodeTransactions: decode, checks, hashes and recovery in one call
// Every path's senders are checked against the signer before anything is timed. tx/s is wall time over
// repeated batches (at least --min-txs transactions per cell); ratios are native / reference of this run.
//   npm run bench -- ingress [--json] [--min-txs N] [--batches 1,100,1000] [--out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAndRecoverBatch, type DecodeOptions, type IngressTx } from '../sequencer/ingress/decode.js';
import type { IngressError } from '../sequencer/ingress/errors.js';
import { decodeAndRecoverBatchNative } from '../sequencer/ingress/native-decode.js';
import { InlineSenderRecoverer, NativeAddonSenderRecoverer, type SenderRecoverer } from '../sequencer/ingress/recover.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { randomSignedTxs, type SignedTx } from '../test/support/random-txs.js';
import { walkBenchFlags } from './bench-flags.js';

interface Options {
  json: boolean;
  minTxs: number;
  batches: number[];
  out: string;
}

const USAGE = 'usage: npm run bench -- ingress [--json] [--min-txs N] [--batches 1,100,1000] [--out DIR]';
const CHAIN_ID = 42069n;

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, minTxs: 3000, batches: [1, 100, 1000], out: fileURLToPath(new URL('./results', import.meta.url)) };
  walkBenchFlags(argv, USAGE, (flag, value) => {
    if (flag === '--json') o.json = true;
    else if (flag === '--min-txs') o.minTxs = value.positiveInt();
    else if (flag === '--batches') o.batches = value.text().split(',').map(Number);
    else if (flag === '--out') o.out = value.text();
    else return false;
    return true;
  });
  if (o.batches.some((b) => !Number.isInteger(b) || b < 1)) throw new Error(`--batches: positive integers\n${USAGE}`);
  return o;
}

type Decode = (raws: Uint8Array[]) => Promise<(IngressTx | IngressError)[]>;

interface Cell {
  path: string;
  batch: number;
  txs: number;
  ms: number;
  txPerSec: number;
  /** Process CPU time (all threads: the addon's pool included) per transaction; steadier than wall time on a shared machine. */
  cpuUsPerTx: number;
}

/** Decodes batches of `batch` from the corpus, round robin, until at least `minTxs` are done. */
async function time(path: string, decode: Decode, corpus: SignedTx[], batch: number, minTxs: number): Promise<Cell> {
  const batches: Uint8Array[][] = [];
  for (let i = 0; i + batch <= corpus.length; i += batch) batches.push(corpus.slice(i, i + batch).map((t) => t.raw));
  await decode(batches[0]); // warm-up (JIT, Common setup)
  let txs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; txs < minTxs; k++) {
    await decode(batches[k % batches.length]);
    txs += batch;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { path, batch, txs, ms: +ms.toFixed(1), txPerSec: Math.round((txs * 1000) / ms), cpuUsPerTx: +((cpu.user + cpu.system) / txs).toFixed(1) };
}

async function checkSenders(path: string, decode: Decode, corpus: SignedTx[]): Promise<void> {
  const got = await decode(corpus.map((t) => t.raw));
  got.forEach((r, i) => {
    if (!('exec' in r) || r.exec.from !== corpus[i].sender) throw new Error(`${path}: transaction ${i} decoded to ${'exec' in r ? r.exec.from : r.message}, signed by ${corpus[i].sender}`);
  });
}

export async function ingressBenchMain(argv: string[]): Promise<void> {
  const opts = parseArgs(argv);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const started = new Date();
  const addon = loadAddon();
  const decodeOpts: DecodeOptions = { chainId: CHAIN_ID, allowUnprotected: true, allowBlobTxs: true };
  const reference = (r: SenderRecoverer): Decode => (raws) => decodeAndRecoverBatch(raws, decodeOpts, r);
  const paths: [string, Decode][] = [
    ['reference-inline', reference(new InlineSenderRecoverer())],
    ['reference-addon', reference(new NativeAddonSenderRecoverer(addon))],
    ['native', (raws) => decodeAndRecoverBatchNative(raws, decodeOpts, addon)],
  ];
  const corpora: [string, SignedTx[]][] = [
    ['eip1559-transfers', randomSignedTxs(0x1f, 2000, { chainId: CHAIN_ID, types: [2] })],
    ['all-types', randomSignedTxs(0x2f, 2000, { chainId: CHAIN_ID })],
  ];
  const results = [];
  for (const [corpusName, corpus] of corpora) {
    for (const [path, decode] of paths) await checkSenders(path, decode, corpus);
    const cells: Cell[] = [];
    for (const batch of opts.batches) {
      for (const [path, decode] of paths) {
        const cell = await time(path, decode, corpus, batch, opts.minTxs);
        log(`[ingress] ${corpusName} batch ${batch} ${path}: ${cell.txPerSec} tx/s, ${cell.cpuUsPerTx} µs CPU per tx`);
        cells.push(cell);
      }
    }
    const ratios = opts.batches.map((batch) => {
      const of = (p: string) => cells.find((c) => c.path === p && c.batch === batch)!.txPerSec;
      const cpu = (p: string) => cells.find((c) => c.path === p && c.batch === batch)!.cpuUsPerTx;
      return {
        batch,
        nativeVsReferenceInline: +(of('native') / of('reference-inline')).toFixed(2),
        nativeVsReferenceAddon: +(of('native') / of('reference-addon')).toFixed(2),
        cpuReferenceInlineOverNative: +(cpu('reference-inline') / cpu('native')).toFixed(2),
      };
    });
    results.push({ corpus: corpusName, txsInCorpus: corpus.length, cells, ratios });
  }
  const info = addon.backendInfo();
  const result = {
    bench: 'ingress',
    startedAt: started.toISOString(),
    options: { minTxs: opts.minTxs, batches: opts.batches, chainId: CHAIN_ID.toString() },
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, backend: `${info.kind} (${info.threads} threads)`, loadAvgAtEnd: loadavg().map((x) => +x.toFixed(2)) },
    notes: [
      'decode + checks + sender recovery per transaction, wall time over repeated batches on a warm process; cpuUsPerTx: process CPU time (all threads) per transaction',
      'reference-inline: @ethereumjs/tx + libsecp256k1 on the calling thread; reference-addon: @ethereumjs/tx + addon recoverSendersBatch; native: addon decodeTransactions',
      'eip1559-transfers: 2,000 type-2 transactions; all-types: 2,000 of types 0-4 with calldata up to 5,000 bytes, access lists and authorizations',
    ],
    results,
  };
  mkdirSync(opts.out, { recursive: true });
  const file = join(opts.out, `ingress-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = JSON.stringify(result, null, 2);
  writeFileSync(file, json);
  if (opts.json) process.stdout.write(`${json}\n`);
  else {
    console.log(`Ingress decode + recover, tx/s (CPU µs per tx) (${result.machine.cpu}, ${result.machine.backend}, load ${result.machine.loadAvgAtEnd[0]})`);
    for (const r of results) {
      console.log(`  ${r.corpus}`);
      console.log(`    ${'batch'.padStart(6)} ${paths.map(([p]) => p.padStart(18)).join(' ')} ${'native/ref-inline'.padStart(18)} ${'native/ref-addon'.padStart(17)}`);
      for (const ratio of r.ratios) {
        const row = paths.map(([p]) => {
          const c = r.cells.find((x) => x.path === p && x.batch === ratio.batch)!;
          return `${c.txPerSec} (${c.cpuUsPerTx}µs)`.padStart(18);
        }).join(' ');
        console.log(`    ${String(ratio.batch).padStart(6)} ${row} ${('x' + ratio.nativeVsReferenceInline).padStart(18)} ${('x' + ratio.nativeVsReferenceAddon).padStart(17)}`);
      }
    }
    console.log(`\nresults: ${file}`);
  }
}
