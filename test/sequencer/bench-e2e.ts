// End-to-end throughput in interval mode (not a test): pre-signed txs submitted in concurrent batches
// while the node seals every blockTimeMs; measures until the last one is mined.
// Usage: node --import tsx test/sequencer/bench-e2e.ts [high-conflict|conflict-free] [txs] [senders] [blockTimeMs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SequencerNode } from '../../sequencer/node/node.js';
import { seededRandom } from '../support/seeded-random.js';
import { conflictFreeTx, highConflictTx, makeSenders, workloadGenesis } from './workload.js';

const kind = process.argv[2] ?? 'conflict-free';
const total = Number(process.argv[3] ?? 2000);
const senderCount = Number(process.argv[4] ?? 200);
const blockTimeMs = Number(process.argv[5] ?? 250);
const rnd = seededRandom(9);
const senders = makeSenders(senderCount, 9);
const created: `0x${string}`[] = [];
const raws: Uint8Array[] = [];
for (let i = 0; i < total; i++) {
  const idx = i % senderCount;
  raws.push(kind === 'high-conflict' ? highConflictTx(rnd, senders[idx], senders, created).raw : conflictFreeTx(rnd, senders[idx], idx));
}
const dir = mkdtempSync(join(tmpdir(), 'seq-e2e-'));
const node = await SequencerNode.open({ dataDir: dir, genesis: workloadGenesis(senders, { perSenderCounters: kind !== 'high-conflict' }), sealMode: 'interval', blockTimeMs });
let mined = 0;
const done = new Promise<void>((resolve) =>
  node.events.on('block', (b) => {
    mined += b.txHashes.length;
    if (mined >= total) resolve();
  }),
);
const t0 = Date.now();
// Batches of 100 in nonce order (each batch holds consecutive nonces of its senders).
// Concurrent batches, as concurrent RPC clients would send them (ingress keeps arrival order).
const pending: Promise<void>[] = [];
for (let i = 0; i < raws.length; i += 100) {
  pending.push(
    node.submitRawTransactions(raws.slice(i, i + 100)).then((res) => {
      const bad = res.find((r) => 'error' in r);
      if (bad) throw (bad as { error: Error }).error;
    }),
  );
}
await Promise.all(pending);
const ingressMs = Date.now() - t0;
await done;
const ms = Date.now() - t0;
const stats = node.recentStats();
console.log(`${kind}, ${total} txs, ${senderCount} senders, ${blockTimeMs} ms blocks: all accepted in ${ingressMs} ms, all mined in ${ms} ms -> ${Math.round((total / ms) * 1000)} tx/s end to end, ${stats.length} blocks`);
console.log(`txs per block: ${stats.map((s) => s.txs).join(' ')}`);
await node.close();
rmSync(dir, { recursive: true, force: true });
