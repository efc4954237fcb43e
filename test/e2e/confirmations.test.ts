// Steady blocks (issue #14): on an otherwise idle chain the node makes an empty block every idleBlockMs, so
// clients that wait for confirmations resolve — ethers v6 over a WebSocketProvider (tx.wait() and wait(2),
// which hung without idle blocks: its 250 ms request cache saw the receipt as null and no later block made it
// look again), viem waitForTransactionReceipt({ confirmations: 2 }) and `cast send --confirmations 2`,
// 20 times in a row each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ethers } from 'ethers';
import { createPublicClient, createWalletClient, defineChain, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';

const ROUNDS = 20;
const IDLE_BLOCK_MS = 100;
const CAST = fileURLToPath(new URL('../../node_modules/@foundry-rs/cast-linux-amd64/bin/cast', import.meta.url));
const [ethersUser, viemUser, castUser] = devAccounts(3);
const RECIPIENT = '0x00000000000000000000000000000000000c0f12';

describe('confirmations on an idle chain (idle blocks)', { timeout: 300_000 }, () => {
  let dir: string;
  let node: SequencerNode;
  let server: RpcServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seq-confirm-'));
    node = await SequencerNode.open({ dataDir: dir, genesis: devGenesis(), sealMode: 'interval', blockTimeMs: 20, idleBlockMs: IDLE_BLOCK_MS });
    server = await startRpcServer({ node, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the chain moves on its own while idle, with empty blocks', async () => {
    const from = node.blockNumber();
    await new Promise((r) => setTimeout(r, IDLE_BLOCK_MS * 5));
    const to = node.blockNumber();
    assert.ok(to - from >= 2n, `idle blocks: ${from} -> ${to}`);
    assert.equal((await node.getBlockByNumber(to))!.txHashes.length, 0);
  });

  it(`ethers v6 WebSocketProvider: tx.wait() and tx.wait(2) resolve, ${ROUNDS} times each`, async () => {
    const provider = new ethers.WebSocketProvider(server.wsUrl);
    try {
      const wallet = new ethers.Wallet(ethersUser.privateKey, provider);
      // Nonces kept here: ethers caches identical requests for 250 ms, so a getTransactionCount right after a
      // fast wait() answers the previous (stale) count.
      let nonce = await provider.getTransactionCount(ethersUser.address, 'pending');
      for (const confirms of [1, 2]) {
        for (let i = 0; i < ROUNDS; i++) {
          const tx = await wallet.sendTransaction({ to: RECIPIENT, value: 1n, nonce: nonce++ });
          const receipt = await tx.wait(confirms);
          assert.equal(receipt?.status, 1);
          assert.ok(node.blockNumber() >= BigInt(receipt!.blockNumber) + BigInt(confirms - 1), `${confirms} confirmations`);
        }
      }
    } finally {
      await provider.destroy();
    }
  });

  it(`viem waitForTransactionReceipt({ confirmations: 2 }) resolves, ${ROUNDS} times`, async () => {
    const chain = defineChain({ id: Number(node.chainId), name: 'seq', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [server.url] } } });
    const wallet = createWalletClient({ chain, transport: http(server.url), account: privateKeyToAccount(viemUser.privateKey) });
    const pub = createPublicClient({ chain, transport: http(server.url) });
    for (let i = 0; i < ROUNDS; i++) {
      const hash = await wallet.sendTransaction({ to: RECIPIENT, value: 1n });
      const receipt = await pub.waitForTransactionReceipt({ hash, confirmations: 2, pollingInterval: 50 });
      assert.equal(receipt.status, 'success');
      assert.ok(node.blockNumber() >= receipt.blockNumber + 1n);
    }
  });

  it(`cast send --confirmations 2 resolves, ${ROUNDS} times`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { stdout } = await promisify(execFile)(CAST, ['send', '--json', '--rpc-url', server.url, '--private-key', castUser.privateKey, '--confirmations', '2', '--timeout', '30', RECIPIENT, '--value', '1'], { timeout: 60_000 });
      const receipt = JSON.parse(stdout) as { status: string; blockNumber: string; transactionHash: string };
      assert.equal(receipt.status, '0x1');
      // cast 1.7.1 counts the including block as one of the two (it returned with the head at that block).
      assert.ok(node.blockNumber() >= BigInt(receipt.blockNumber), `cast: head ${node.blockNumber()}, receipt block ${receipt.blockNumber}`);
      assert.equal((await node.getReceipt(receipt.transactionHash as `0x${string}`))?.status, 1);
    }
  });
});
