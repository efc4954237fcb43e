// `npm run bench -- rpc-ingress [--json] [--txs N] [--repeat R] [--out DIR]` (issue #13): the server CPU of one
// eth_sendRawTransaction per HTTP request (1,000 concurrent senders, each on its own kept-alive connection, as
// the e2e bench's per-request mode), split by layer. The same signed transfers go to three server processes,
// each the project's JSON-RPC server over one more layer of the sequencer:
//   http     a node double that answers with the transaction's hash: HTTP, JSON, dispatch (transport);
//   ingress  the SequencerNode without sealing: + native decode and sender recovery, validation, pool, the
//            mempool's group commit on disk;
//   sealing  the e2e bench's server (interval sealing, native executor), measured until the pool is empty:
//            + block production (execute, root, build, persist).
// Each figure is the server process's CPU time (all threads, /proc) per transaction, measured from outside;
// the layers run interleaved R times and the median is reported, with the load average (a shared machine).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchTsChild, processCpuMs, rpc, sendPerRequest, type Launched } from './e2e.js';
import { makeWorkload, seqGenesisJson } from './workloads.js';
import { walkBenchFlags } from './bench-flags.js';

const LAYERS = ['http', 'ingress', 'sealing'] as const;
type Layer = (typeof LAYERS)[number];

interface Args {
  json: boolean;
  txs: number;
  repeat: number;
  out: string;
}

const USAGE = 'usage: npm run bench -- rpc-ingress [--json] [--txs N] [--repeat R] [--out DIR]';

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, txs: 5000, repeat: 3, out: 'bench/results' };
  walkBenchFlags(argv, USAGE, (flag, value) => {
    if (flag === '--json') a.json = true;
    else if (flag === '--txs') a.txs = value.positiveInt();
    else if (flag === '--repeat') a.repeat = value.positiveInt();
    else if (flag === '--out') a.out = value.text();
    else return false;
    return true;
  });
  return a;
}

interface Run {
  layer: Layer;
  serverCpuUsPerTx: number;
  requestsPerSec: number;
  rejected: number;
  loadavg1: number;
}

async function launch(layer: Layer, genesisFile: string, dataDir: string): Promise<Launched> {
  if (layer === 'sealing') return launchTsChild('bench/servers/seq-server.ts', ['--genesis', genesisFile, '--data', dataDir, '--block-time', '250', '--executor', 'native']);
  return launchTsChild('bench/servers/rpc-layer-server.ts', ['--layer', layer, '--genesis', genesisFile, '--data', dataDir]);
}

/** Waits until the server's pool is empty (every accepted transaction mined). */
async function drained(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const r = (await rpc(url, { jsonrpc: '2.0', id: 1, method: 'txpool_status', params: [] })) as { result: { pending: string; queued: string } };
    if (BigInt(r.result.pending) + BigInt(r.result.queued) === 0n) return;
    if (performance.now() > deadline) throw new Error(`pool not empty after ${timeoutMs} ms: ${JSON.stringify(r.result)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function runLayer(layer: Layer, rawHex: string[], senders: number, genesisFile: string, dir: string): Promise<Run> {
  const dataDir = mkdtempSync(join(dir, `${layer}-`));
  const srv = await launch(layer, genesisFile, dataDir);
  try {
    let rejected = 0;
    let firstRejection: string | undefined;
    const cpu0 = processCpuMs(srv.proc.pid);
    const t0 = performance.now();
    await sendPerRequest(srv.url, rawHex, senders, () => {}, (_i, r) => {
      const err = (r as { error?: { message: string } }).error;
      if (err) {
        rejected++;
        firstRejection ??= err.message;
      }
    });
    const sentMs = performance.now() - t0;
    if (layer === 'sealing') await drained(srv.url, 120_000);
    const cpu1 = processCpuMs(srv.proc.pid);
    if (cpu0 === null || cpu1 === null) throw new Error('server CPU time not readable from /proc');
    if (rejected > 0) throw new Error(`${layer}: ${rejected} of ${rawHex.length} transactions refused (first: ${firstRejection})`);
    return { layer, serverCpuUsPerTx: ((cpu1 - cpu0) * 1000) / rawHex.length, requestsPerSec: (rawHex.length / sentMs) * 1000, rejected, loadavg1: loadavg()[0] };
  } finally {
    await srv.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function rpcIngressMain(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  log(`[rpc-ingress] signing ${args.txs} transfers`);
  const w = makeWorkload('transfers', args.txs, 1);
  const rawHex = w.raws.map((r) => `0x${Buffer.from(r).toString('hex')}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-rpc-ingress-'));
  try {
    const genesisFile = join(dir, 'genesis.json');
    writeFileSync(genesisFile, JSON.stringify(seqGenesisJson(w.genesis)));
    const runs: Run[] = [];
    for (let r = 0; r < args.repeat; r++) {
      for (const layer of LAYERS) {
        log(`[rpc-ingress] round ${r + 1}/${args.repeat}: ${layer}`);
        runs.push(await runLayer(layer, rawHex, w.senders.length, genesisFile, dir));
      }
    }
    const of = (l: Layer) => median(runs.filter((x) => x.layer === l).map((x) => x.serverCpuUsPerTx));
    const layers = LAYERS.map((l) => ({ layer: l, serverCpuUsPerTx: of(l), requestsPerSec: median(runs.filter((x) => x.layer === l).map((x) => x.requestsPerSec)) }));
    const result = {
      bench: 'rpc-ingress',
      txs: args.txs,
      senders: w.senders.length,
      machine: { cores: cpus().length, loadavg: loadavg() },
      layers,
      // What each layer adds, server CPU µs per transaction (medians of the layers' runs).
      split: { transport: of('http'), ingressAndMempool: of('ingress') - of('http'), blockProduction: of('sealing') - of('ingress') },
      runs,
    };
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'rpc-ingress.json'), JSON.stringify(result, null, 2));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    console.log(`one eth_sendRawTransaction per HTTP request, ${result.senders} senders, ${args.txs} transfers, median of ${args.repeat} (load ${loadavg()[0].toFixed(1)})`);
    for (const l of layers) console.log(`  ${l.layer.padEnd(8)} server CPU ${l.serverCpuUsPerTx.toFixed(0).padStart(5)} µs/tx, ${l.requestsPerSec.toFixed(0)} requests/s`);
    const s = result.split;
    console.log(`  split: transport ${s.transport.toFixed(0)}, ingress + mempool ${s.ingressAndMempool.toFixed(0)}, block production ${s.blockProduction.toFixed(0)} µs/tx`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
