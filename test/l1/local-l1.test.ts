// startLocalL1: anvil + Rollup deployed for a genesis root, in one call (the node's local default).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { privateKeyToAccount } from 'viem/accounts';
import { startLocalL1, ANVIL_DEV_KEY_0 } from '../../sequencer/l1/local-l1.js';
import { RollupReader, publicClientFor } from '../../sequencer/l1/l1-client.js';
import { freePort } from '../../sequencer/util/port.js';
import { PortInUseError } from '../../sequencer/util/port.js';

test('startLocalL1 deploys the Rollup for the genesis root; a busy port is a clear error', { timeout: 60_000 }, async () => {
  const root = `0x${'12'.repeat(32)}` as const;
  const l1 = await startLocalL1({ port: await freePort(), genesisStateRoot: root, l2ChainId: 901n });
  try {
    const r = new RollupReader(publicClientFor(l1.anvil.url), l1.deployment.address);
    assert.equal(await r.genesisStateRoot(), root);
    assert.equal(await r.lastStateRoot(), root);
    assert.equal(await r.nextBatchIndex(), 0n);
    const seq = (await r.client.readContract({ address: l1.deployment.address, abi: r.abi, functionName: 'sequencer' })) as string;
    assert.equal(seq.toLowerCase(), privateKeyToAccount(ANVIL_DEV_KEY_0).address.toLowerCase());
    await assert.rejects(startLocalL1({ port: Number(new URL(l1.anvil.url).port), genesisStateRoot: root, l2ChainId: 901n }), PortInUseError);
  } finally {
    await l1.stop();
  }
});
