// Memory soak (issue #18, item 8): `npm start` under a steady transfer rate for N minutes, the node's RSS
// (and its main malloc heap) sampled from /proc, its JS heap and mempool from the console's /metrics. A
// fixed set of senders pays one recipient, so the accounts do not grow: what RSS does after warm-up is what
// the node retains per transaction. (One part of the state does grow at first on any chain: the EIP-2935
// block-hash contract fills one slot per block until its 8,191-slot ring is full, then overwrites.) Prints
// one JSON line per sample and a summary: RSS after warm-up vs at the end (single samples), and the median
// and the minimum of the first `--window-min` minutes after warm-up vs the last ones (RSS moves by tens of
// MB with the JS heap's collections, so one sample against one sample mostly measures where each fell in a
// GC cycle).
//   node --import tsx scripts/soak.ts [--minutes 30] [--rate 200] [--sample-s 30] [--warmup-min 3] [--window-min 3]
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccounts } from '../sequencer/genesis/dev.js';
import type { Hex } from '../sequencer/primitives/types.js';
import { l2Head, pickPorts, startRollupNode, stopGracefully } from '../test/support/rollup-node.js';

const CHAIN_ID = 42069;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** RSS of the main thread's malloc heap ([heap]): native allocations made on the JS thread, SQLite's caches among them. */
function mainMallocMb(pid: number): number {
  const m = /\[heap\]\n(?:.*\n)*?Rss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** Gauges of the node's own /metrics (prom-client's default process metrics and the mempool size). */
async function nodeMetrics(consoleUrl: string): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number; pool: number }> {
  const text = await (await fetch(`${consoleUrl}/metrics`)).text();
  const gauge = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!m) throw new Error(`/metrics has no ${name}`);
    return Number(m[1]);
  };
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  return {
    heapUsedMb: mb(gauge('sequencer_process_nodejs_heap_size_used_bytes')),
    heapTotalMb: mb(gauge('sequencer_process_nodejs_heap_size_total_bytes')),
    externalMb: mb(gauge('sequencer_process_nodejs_external_memory_bytes')),
    pool: gauge('sequencer_mempool_transactions'),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const pct = (from: number, to: number) => Number((((to - from) / from) * 100).toFixed(1));

async function main(): Promise<void> {
  const minutes = arg('minutes', 30);
  const rate = arg('rate', 200);
  const sampleMs = arg('sample-s', 30) * 1000;
  const warmupMs = arg('warmup-min', Math.min(3, minutes / 4)) * 60_000;
  const windowMin = arg('window-min', Math.min(3, minutes / 8));
  const dataDir = mkdtempSync(join(tmpdir(), 'soak-'));
  const ports = await pickPorts();
  const node = await startRollupNode(dataDir, ports);
  const consoleUrl = `http://127.0.0.1:${ports.consolePort}`;
  const pid = node.child.pid!;
  const senders = devAccounts(8).map((a) => privateKeyToAccount(a.privateKey as Hex));
  const nonces = senders.map(() => 0);
  let sent = 0;
  let refused = 0;
  const start = Date.now();
  const end = start + minutes * 60_000;
  type Sample = { minute: number; rssMb: number; mainMallocMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number; pool: number; sent: number; l2Head: string };
  const samples: Sample[] = [];
  const sample = async (): Promise<Sample> => ({
    minute: Number(((Date.now() - start) / 60_000).toFixed(2)),
    rssMb: rssMb(pid),
    mainMallocMb: mainMallocMb(pid),
    ...(await nodeMetrics(consoleUrl)),
    sent,
    l2Head: (await l2Head(node.url)).toString(),
  });
  let nextSample = start;
  const perTick = Math.max(1, Math.round(rate / 10));
  try {
    for (let tick = 0; Date.now() < end; tick++) {
      const due = start + tick * 100;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const s = tick % senders.length;
      const batch = [];
      for (let k = 0; k < perTick; k++) {
        const raw = await senders[s].signTransaction({ chainId: CHAIN_ID, type: 'eip1559', nonce: nonces[s]++, to: '0x000000000000000000000000000000000000beef', value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
        batch.push({ jsonrpc: '2.0', id: k, method: 'eth_sendRawTransaction', params: [raw] });
      }
      const res = (await (await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) })).json()) as { error?: unknown }[];
      const bad = res.filter((r) => r.error).length;
      sent += res.length - bad;
      if (bad > 0) {
        refused += bad;
        nonces[s] = Number(BigInt((await (await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionCount', params: [senders[s].address, 'pending'] }) })).json() as { result: string }).result));
      }
      if (Date.now() >= nextSample) {
        const s = await sample();
        samples.push(s);
        console.log(JSON.stringify(s));
        nextSample += sampleMs;
      }
    }
    samples.push(await sample());
    const afterWarmup = samples.find((x) => x.minute * 60_000 >= warmupMs) ?? samples[0];
    const last = samples[samples.length - 1];
    const measured = samples.filter((x) => x.minute >= afterWarmup.minute);
    const peak = Math.max(...measured.map((x) => x.rssMb));
    const firstWindow = measured.filter((x) => x.minute < afterWarmup.minute + windowMin);
    const lastWindow = measured.filter((x) => x.minute > last.minute - windowMin);
    console.log(
      JSON.stringify({
        summary: true,
        minutes,
        targetRate: rate,
        achievedRate: Math.round(sent / ((Date.now() - start) / 1000)),
        txsAcknowledged: sent,
        refused,
        rssAfterWarmupMb: afterWarmup.rssMb,
        rssEndMb: last.rssMb,
        rssPeakAfterWarmupMb: peak,
        growthAfterWarmupPct: pct(afterWarmup.rssMb, last.rssMb),
        retainedBytesPerTx: Math.round(((last.rssMb - afterWarmup.rssMb) * 1024 * 1024) / Math.max(1, last.sent - afterWarmup.sent)),
        windowMin,
        rssMedianFirstWindowMb: median(firstWindow.map((x) => x.rssMb)),
        rssMedianLastWindowMb: median(lastWindow.map((x) => x.rssMb)),
        windowGrowthPct: pct(median(firstWindow.map((x) => x.rssMb)), median(lastWindow.map((x) => x.rssMb))),
        // The floor: RSS just after the heap's collections, where retained memory would show first.
        rssMinFirstWindowMb: Math.min(...firstWindow.map((x) => x.rssMb)),
        rssMinLastWindowMb: Math.min(...lastWindow.map((x) => x.rssMb)),
        floorGrowthPct: pct(Math.min(...firstWindow.map((x) => x.rssMb)), Math.min(...lastWindow.map((x) => x.rssMb))),
        // Where RSS went between the windows: V8's reserved heap, and native memory of the JS thread.
        heapTotalMedianFirstWindowMb: median(firstWindow.map((x) => x.heapTotalMb)),
        heapTotalMedianLastWindowMb: median(lastWindow.map((x) => x.heapTotalMb)),
        mainMallocMedianFirstWindowMb: median(firstWindow.map((x) => x.mainMallocMb)),
        mainMallocMedianLastWindowMb: median(lastWindow.map((x) => x.mainMallocMb)),
        // The low points of the heap's saw-tooth: what the heap keeps live.
        heapUsedMinFirstWindowMb: Math.min(...firstWindow.map((x) => x.heapUsedMb)),
        heapUsedMinLastWindowMb: Math.min(...lastWindow.map((x) => x.heapUsedMb)),
        poolMax: Math.max(...measured.map((x) => x.pool)),
        blocks: Number(last.l2Head),
      }),
    );
  } finally {
    await stopGracefully(node);
  }
}

main().catch((e) => {
  console.error(JSON.stringify({ ok: false, error: (e as Error).message }));
  process.exit(1);
});
