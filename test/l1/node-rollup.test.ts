// The whole rollup loop through the real SequencerNode (native executor): L2 transactions sealed by the node
// are batched to the rollup contract on anvil (calldata and blobs), the contract's roots equal the node's
// headers, an L1 deposit arrives on L2 through the deposit watcher, and a verifier started from scratch
// re-derives the node's state root from L1 data alone.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createWalletClient, http, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { devGenesis } from '../../sequencer/genesis/dev.js';
import { Batcher, BatchStore, DepositWatcher, RollupReader, Verifier, messagePasserGenesis, publicClientFor, startLocalL1 } from '../../sequencer/l1/index.js';
import type { DaMode } from '../../sequencer/l1/batch-store.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { hexToU8, type Hex } from '../../sequencer/primitives/types.js';
import { freePort } from '../../sequencer/util/port.js';

// anvil's dev keys #2 and #3: funded on L1 by anvil and on L2 by the dev genesis.
const L2_USER_KEY: Hex = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const L1_DEPOSITOR_KEY: Hex = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6';
const RECIPIENT: Hex = '0x00000000000000000000000000000000000d0d0d';

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function rollupLoop(da: DaMode): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `node-rollup-${da}-`));
  const [address, account] = messagePasserGenesis();
  const genesis = devGenesis({ extraAlloc: new Map([[address, { balance: 0n, ...account }]]) });
  const executor = await createExecutor('native');
  const node = await SequencerNode.open({ dataDir: dir, genesis, sealMode: 'on-demand', executor });
  const l1 = await startLocalL1({ port: await freePort(), genesisStateRoot: node.head().header.stateRoot, l2ChainId: node.chainId });
  const store = new BatchStore(join(dir, 'batches.sqlite'));
  await store.init();
  const rollup = l1.deployment.address;
  const batcher = new Batcher({ l1Url: l1.anvil.url, rollup, sequencerKey: l1.sequencerKey, l2ChainId: node.chainId, source: node.batchSource(), store, da, pollIntervalMs: 100, log: () => {} });
  const watcher = new DepositWatcher({ l1Url: l1.anvil.url, rollup, deployBlock: l1.deployment.deployBlock, sink: node.depositSink(), pollIntervalMs: 100, log: () => {} });
  batcher.start();
  watcher.start();
  try {
    // L2 transactions, sealed by the node.
    const user = privateKeyToAccount(L2_USER_KEY);
    for (let nonce = 0; nonce < 3; nonce++) {
      const raw = await user.signTransaction({ chainId: Number(node.chainId), type: 'eip1559', nonce, to: RECIPIENT, value: 1000n + BigInt(nonce), gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
      await node.submitRawTransaction(hexToU8(raw));
    }
    assert.ok(await node.sealBlock());

    // An ETH deposit on L1 arrives on L2 at the start of the next block.
    const l1Client = publicClientFor(l1.anvil.url);
    const reader = new RollupReader(l1Client, rollup, l1.deployment.deployBlock);
    const depositor = createWalletClient({ account: privateKeyToAccount(L1_DEPOSITOR_KEY), transport: http(l1.anvil.url) });
    const hash = await depositor.writeContract({ address: rollup, abi: reader.abi, functionName: 'depositETH', args: [RECIPIENT], value: parseEther('2'), chain: null });
    assert.equal((await l1Client.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status, 'success');
    await until('deposit delivered to the node', async () => node.pendingQueueItems().length > 0);
    assert.ok(await node.sealBlock());
    assert.equal(node.getState().getAccount(RECIPIENT)!.balance, parseEther('2') + 1000n + 1001n + 1002n);

    // Every sealed block is batched; the contract's last root is the node's head state root.
    const head = node.head().header;
    await until('batches posted up to the head', async () => (await reader.lastL2Block()) === head.number);
    assert.equal(await reader.lastStateRoot(), head.stateRoot);
    const last = await reader.batch((await reader.nextBatchIndex()) - 1n);
    assert.equal(last.daKind, da === 'blobs' ? 1 : 0, `batches carry their data as ${da}`);

    // A verifier from scratch derives the same chain from L1 alone.
    const verifier = new Verifier({ l1Url: l1.anvil.url, rollup, deployBlock: l1.deployment.deployBlock, l2ChainId: node.chainId, genesis: genesis.alloc, log: () => {} });
    const report = await verifier.sync();
    assert.ok(report.ok, JSON.stringify(report.firstBad, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    assert.equal(report.stateRoot, head.stateRoot);
    assert.equal(report.l2Head, head.number);
  } finally {
    await watcher.stop();
    await batcher.stop();
    await store.close();
    await node.close();
    await executor.close?.();
    await l1.stop();
  }
}

describe('the rollup loop through the real node', () => {
  it('calldata batches: roots on L1 equal the node, a deposit arrives, a verifier re-derives the chain', { timeout: 180_000 }, () => rollupLoop('calldata'));
  it('blob batches: the same with EIP-4844 blobs', { timeout: 180_000 }, () => rollupLoop('blobs'));
});
