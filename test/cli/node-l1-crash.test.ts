// The rollup as `npm start` runs it, under transfer load (issue #18, items 2 and 9):
//  - anvil killed alone: the node restarts it, L2 keeps sealing meanwhile, batches resume;
//  - the whole process group (node + anvil) SIGKILLed twice: after each restart L1 and L2 agree (every batch
//    index posted exactly once on the surviving L1, roots equal the L2 headers) and batching goes on.
// scripts/l1-crash-soak.ts runs the second with more kills.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { anvilPid, checkL1AgreesWithL2, killGroup, l2Head, pickPorts, startRollupNode, stopGracefully, transferLoad, waitFor, type RunningNode } from '../support/rollup-node.js';

const CHAIN_ID = 42069;

/** Waits until L1's batches reach the L2 head (load stopped), then checks they agree. */
async function settled(dataDir: string, node: RunningNode) {
  const head = await l2Head(node.url);
  return waitFor('L1 batches to reach the L2 head', async () => {
    const a = await checkL1AgreesWithL2(dataDir, node);
    return a.lastL2Block >= head && a;
  }, 90_000);
}

describe('the rollup survives L1 and whole-group crashes', { timeout: 400_000 }, () => {
  it('anvil killed: restarted by the node, sealing goes on meanwhile, batches resume', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'l1-restart-'));
    const ports = await pickPorts();
    const node = await startRollupNode(dataDir, ports);
    const load = transferLoad(node.url, CHAIN_ID);
    try {
      await waitFor('a first confirmed batch', async () => node.output().includes('batch confirmed on L1'));
      process.kill(anvilPid(ports.l1Port), 'SIGKILL');
      const atKill = await l2Head(node.url);
      await waitFor('anvil restarted', async () => node.output().includes('the local L1 (anvil) is back'), 30_000);
      assert.ok((await l2Head(node.url)) > atKill, 'L2 sealed blocks while its L1 was down');
      assert.equal(node.child.exitCode, null, 'the node is still running');
      await load.stop();
      const agreement = await settled(dataDir, node);
      assert.ok(agreement.batches > 1);
    } finally {
      await load.stop();
      await stopGracefully(node);
    }
  });

  it('SIGKILL of node + anvil twice under load: L1 roots equal L2 headers, each batch posted once, batching goes on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'group-kill-'));
    const ports = await pickPorts();
    let node = await startRollupNode(dataDir, ports);
    let load = transferLoad(node.url, CHAIN_ID);
    try {
      for (let kill = 0; kill < 2; kill++) {
        const seen = (node.output().match(/batch confirmed on L1/g) ?? []).length;
        await waitFor('a batch confirmed in this run', async () => (node.output().match(/batch confirmed on L1/g) ?? []).length > seen + 1);
        await load.stop();
        await killGroup(node);
        node = await startRollupNode(dataDir, ports);
        load = transferLoad(node.url, CHAIN_ID);
      }
      await waitFor('batching after the last restart', async () => node.output().includes('batch confirmed on L1'));
      await load.stop();
      const agreement = await settled(dataDir, node);
      assert.ok(agreement.batches > 2, `batches: ${agreement.batches}`);
      assert.doesNotMatch(node.output(), /batcher blocked/);
    } finally {
      await load.stop();
      await stopGracefully(node);
    }
  });
});
