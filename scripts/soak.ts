// Memory soak (issue #18, item 8): `npm start` under a steady transfer rate for N minutes, the node's RSS
// sampled from /proc. A fixed set of senders pays one recipient, so the state does not grow: what RSS does
// after warm-up is what the node retains per transaction. Prints one JSON line per sample and a summary
// (RSS after warm-up vs at the end).
//   node --import tsx scripts/soak.ts [--minutes 30] [--rate 200] [--sample-s 30] [--warmup-min 3]
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

async function main(): Promise<void> {
  const minutes = arg('minutes', 30);
  const rate = arg('rate', 200);
  const sampleMs = arg('sample-s', 30) * 1000;
  const warmupMs = arg('warmup-min', Math.min(3, minutes / 4)) * 60_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'soak-'));
  const node = await startRollupNode(dataDir, await pickPorts());
  const pid = node.child.pid!;
  const senders = devAccounts(8).map((a) => privateKeyToAccount(a.privateKey as Hex));
  const nonces = senders.map(() => 0);
  let sent = 0;
  let refused = 0;
  const start = Date.now();
  const end = start + minutes * 60_000;
  const samples: { minute: number; rssMb: number; sent: number; l2Head: string }[] = [];
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
        const sample = { minute: Number(((Date.now() - start) / 60_000).toFixed(2)), rssMb: rssMb(pid), sent, l2Head: (await l2Head(node.url)).toString() };
        samples.push(sample);
        console.log(JSON.stringify(sample));
        nextSample += sampleMs;
      }
    }
    samples.push({ minute: Number(((Date.now() - start) / 60_000).toFixed(2)), rssMb: rssMb(pid), sent, l2Head: (await l2Head(node.url)).toString() });
    const afterWarmup = samples.find((x) => x.minute * 60_000 >= warmupMs) ?? samples[0];
    const last = samples[samples.length - 1];
    const peak = Math.max(...samples.filter((x) => x.minute >= afterWarmup.minute).map((x) => x.rssMb));
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
        growthAfterWarmupPct: Number((((last.rssMb - afterWarmup.rssMb) / afterWarmup.rssMb) * 100).toFixed(1)),
        retainedBytesPerTx: Math.round(((last.rssMb - afterWarmup.rssMb) * 1024 * 1024) / Math.max(1, last.sent - afterWarmup.sent)),
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
