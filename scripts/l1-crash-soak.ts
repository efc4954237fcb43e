// Crash soak of the whole rollup (issue #18): `npm start` under transfer load, its whole process group
// (node + bundled anvil) SIGKILLed N times (default 5) at random points; after the last restart the load stops
// and L1 must agree with L2: every batch index posted exactly once on the surviving L1, every posted root
// equal to the L2 header's, batches up to the L2 head. Prints one JSON line per kill and a summary.
//   node --import tsx scripts/l1-crash-soak.ts [--kills N]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkL1AgreesWithL2, killGroup, l2Head, pickPorts, startRollupNode, stopGracefully, transferLoad, waitFor } from '../test/support/rollup-node.js';

const CHAIN_ID = 42069;

async function main(): Promise<void> {
  const i = process.argv.indexOf('--kills');
  const kills = i > 0 ? Number(process.argv[i + 1]) : 5;
  const dataDir = mkdtempSync(join(tmpdir(), 'l1-crash-soak-'));
  const ports = await pickPorts();
  let node = await startRollupNode(dataDir, ports);
  let load = transferLoad(node.url, CHAIN_ID);
  let acked = 0;
  try {
    for (let k = 1; k <= kills; k++) {
      await waitFor('a confirmed batch in this run', async () => node.output().includes('batch confirmed on L1'), 120_000);
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 4_000)); // anywhere in the batch cycle
      const head = await l2Head(node.url);
      acked += await load.stop();
      await killGroup(node);
      node = await startRollupNode(dataDir, ports);
      const a = await checkL1AgreesWithL2(dataDir, node);
      console.log(JSON.stringify({ kill: k, l2HeadAtKill: head.toString(), l1Batches: a.batches, l1LastL2Block: a.lastL2Block.toString() }));
      load = transferLoad(node.url, CHAIN_ID);
    }
    await waitFor('batching after the last restart', async () => node.output().includes('batch confirmed on L1'), 120_000);
    acked += await load.stop();
    const head = await l2Head(node.url);
    const a = await waitFor('L1 to reach the L2 head', async () => {
      const x = await checkL1AgreesWithL2(dataDir, node);
      return x.lastL2Block >= head && x;
    }, 180_000);
    const blocked = (node.output().match(/batcher blocked/g) ?? []).length;
    console.log(JSON.stringify({ ok: true, kills, acknowledgedTxs: acked, l2Head: head.toString(), l1Batches: a.batches, batcherBlockedLogLines: blocked }));
  } finally {
    await load.stop();
    await stopGracefully(node);
  }
}

main().catch((e) => {
  console.error(JSON.stringify({ ok: false, error: (e as Error).message }));
  process.exit(1);
});
