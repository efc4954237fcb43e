// EIP-7702 end to end over JSON-RPC on a SequencerNode running the native executor at Osaka: viem
// signAuthorization + a type-4 transaction delegating a funded EOA to a batch-executor contract, calls through
// the delegation (batched transfers, a foreign caller refused), the transaction's authorizationList over RPC,
// a tuple that must be skipped (wrong nonce), clearing the delegation, and the sealed blocks replayed by
// @ethereumjs/vm (runBlock) to the same state roots.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, pad, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { hexToU8, type Address } from '../../sequencer/primitives/types.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { SerialOracle } from '../sequencer/oracle.js';

const CHAIN_ID = 42069;
// Batch executor: only the account itself may call it (CALLER == ADDRESS); calldata is a list of
// (to, value) word pairs, each sent with CALL(gas, to, value, 0, 0, 0, 0).
const BATCH_CODE: Hex = '0x3330146009575f5ffd5b5f5b803611156027575f5f5f5f846020013585355af150604001600b565b00';
const BATCH: Address = '0x00000000000000000000000000000000ba7c4000';

let dir: string;
let node: SequencerNode;
let server: RpcServer;
const genesis = devGenesis({ extraAlloc: new Map([[BATCH, { balance: 0n, code: hexToU8(BATCH_CODE) }]]) });
const [alice, bob, carol] = devAccounts(3);
const aliceAcct = privateKeyToAccount(alice.privateKey);
const bobAcct = privateKeyToAccount(bob.privateKey);

async function rpc(method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

const batchData = (calls: [Address, bigint][]): Hex => concat(calls.flatMap(([to, v]) => [pad(to), pad(toHex(v))]));

async function sendAndSeal(raw: Hex): Promise<any> {
  const hash = await rpc('eth_sendRawTransaction', [raw]);
  await node.sealBlock(true);
  const receipt = await rpc('eth_getTransactionReceipt', [hash]);
  assert.ok(receipt, `receipt of ${hash}`);
  return { hash, receipt };
}

async function nonceOf(a: Address): Promise<number> {
  return Number(await rpc('eth_getTransactionCount', [a, 'latest']));
}

async function balanceOf(a: Address): Promise<bigint> {
  return BigInt(await rpc('eth_getBalance', [a, 'latest']));
}

const fees = { maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1_000_000n };

describe('EIP-7702 set-code transactions over JSON-RPC (native executor, Osaka)', { timeout: 120_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seq-7702-'));
    node = await SequencerNode.open({ dataDir: dir, genesis, sealMode: 'on-demand', executor: new NativeExecutor() });
    server = await startRpcServer({ node, port: 0 });
  });
  after(async () => {
    await server?.close();
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delegates a funded EOA to the batch executor and batches two transfers through it', async () => {
    const nonce = await nonceOf(alice.address);
    // Self-sponsored: the transaction bumps the nonce first, so the authorization signs nonce + 1.
    const auth = await aliceAcct.signAuthorization({ address: BATCH, chainId: CHAIN_ID, nonce: nonce + 1 });
    const [bob0, carol0] = [await balanceOf(bob.address), await balanceOf(carol.address)];
    const raw = await aliceAcct.signTransaction({
      type: 'eip7702',
      chainId: CHAIN_ID,
      nonce,
      to: alice.address,
      gas: 200_000n,
      ...fees,
      authorizationList: [auth],
      data: batchData([[bob.address, 1000n], [carol.address, 2000n]]),
    });
    const { hash, receipt } = await sendAndSeal(raw);
    assert.equal(receipt.status, '0x1');
    assert.equal(receipt.type, '0x4');
    assert.equal(await rpc('eth_getCode', [alice.address, 'latest']), `0xef0100${BATCH.slice(2)}`);
    assert.equal(await nonceOf(alice.address), nonce + 2);
    assert.equal(await balanceOf(bob.address), bob0 + 1000n);
    assert.equal(await balanceOf(carol.address), carol0 + 2000n);
    const tx = await rpc('eth_getTransactionByHash', [hash]);
    assert.equal(tx.type, '0x4');
    assert.deepEqual(tx.authorizationList, [
      { chainId: toHex(CHAIN_ID), address: BATCH, nonce: toHex(nonce + 1), yParity: toHex(auth.yParity!), r: toHex(BigInt(auth.r)), s: toHex(BigInt(auth.s)) },
    ]);
  });

  it('runs the delegate for plain transactions to the EOA; a foreign caller is refused by the contract', async () => {
    const carol0 = await balanceOf(carol.address);
    const raw = await aliceAcct.signTransaction({ type: 'eip1559', chainId: CHAIN_ID, nonce: await nonceOf(alice.address), to: alice.address, gas: 100_000n, ...fees, data: batchData([[carol.address, 7n]]) });
    const { receipt } = await sendAndSeal(raw);
    assert.equal(receipt.status, '0x1');
    assert.equal(await balanceOf(carol.address), carol0 + 7n);
    const call = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ from: bob.address, to: alice.address, data: batchData([[bob.address, 1n]]) }, 'latest'] }),
    }).then((r) => r.json());
    assert.equal(call.error?.code, 3, JSON.stringify(call)); // execution reverted
  });

  it('skips a tuple with a stale nonce (the transaction still runs) and clears the delegation with the zero address', async () => {
    const nonce = await nonceOf(alice.address);
    // Sponsored by bob: alice signs her current nonce, but a stale one (nonce - 1) goes first and is skipped.
    const stale = await aliceAcct.signAuthorization({ address: bob.address, chainId: CHAIN_ID, nonce: nonce - 1 });
    const clear = await aliceAcct.signAuthorization({ address: '0x0000000000000000000000000000000000000000', chainId: 0, nonce });
    const raw = await bobAcct.signTransaction({ type: 'eip7702', chainId: CHAIN_ID, nonce: await nonceOf(bob.address), to: carol.address, value: 1n, gas: 100_000n, ...fees, authorizationList: [stale, clear] });
    const { receipt } = await sendAndSeal(raw);
    assert.equal(receipt.status, '0x1');
    assert.equal(await rpc('eth_getCode', [alice.address, 'latest']), '0x');
    assert.equal(await nonceOf(alice.address), nonce + 1);
  });

  it('a malformed set-code transaction (no authorizations) is refused at the door', async () => {
    const raw = await aliceAcct.signTransaction({ type: 'eip7702', chainId: CHAIN_ID, nonce: await nonceOf(alice.address), to: bob.address, gas: 100_000n, ...fees, authorizationList: [] } as never);
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }) }).then((r) => r.json());
    assert.ok(res.error, JSON.stringify(res));
    assert.match(res.error.message, /authorization list|EIP-7702/i);
  });

  it('the sealed blocks replay in @ethereumjs/vm to the same roots (serial equivalence)', async () => {
    const oracle = await SerialOracle.create(genesis);
    const head = node.blockNumber();
    for (let n = 1n; n <= head; n++) await oracle.replay(node, n);
    assert.equal(await oracle.stateRoot(), node.head().header.stateRoot);
  });
});
