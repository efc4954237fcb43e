// execution-apis additions over JSON-RPC: eth_simulateV1 (blocks of calls with state and block overrides,
// validation, geth's error codes) on the node's executor — the same request on the reference and the native
// executor gives the same blocks —, eth_config (EIP-7910), and blockTimestamp on transactions and logs.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { encodeFunctionData, parseEther, type Hex } from 'viem';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import type { Executor } from '../../sequencer/executor/types.js';
import { devAccounts } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { bytesToHex } from '../../sequencer/primitives/types.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import * as schema from '../support/rpc-schema.js';
import { compileSolidity } from '../support/solidity.js';

const DEV = devAccounts(3);
const [counter] = compileSolidity({
  'Counter.sol': `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Counter {
  uint256 public n;
  event Bumped(uint256 indexed n);
  function bump() external returns (uint256) { n += 1; emit Bumped(n); return n; }
  function fail() external pure { revert("nope"); }
}`,
});
const COUNTER = '0x00000000000000000000000000000000000c0de1';
const FRESH = '0x00000000000000000000000000000000000f4e54';
const bump = encodeFunctionData({ abi: counter.abi, functionName: 'bump' });
const fail = encodeFunctionData({ abi: counter.abi, functionName: 'fail' });

async function rpc(url: string, method: string, params: unknown[] = []): Promise<{ result?: any; error?: { code: number; message: string; data?: unknown } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return (await res.json()) as { result?: any; error?: { code: number; message: string } };
}

/** Two blocks: a fresh account funded by override sends ETH; then a contract put in place by override is called. */
const simulation = {
  blockStateCalls: [
    {
      stateOverrides: { [FRESH]: { balance: `0x${parseEther('1').toString(16)}` } },
      calls: [{ from: FRESH, to: DEV[1].address, value: `0x${parseEther('0.25').toString(16)}` }],
    },
    {
      blockOverrides: { feeRecipient: DEV[2].address },
      stateOverrides: { [COUNTER]: { code: bytesToHex(counter.deployedBytecode) } },
      calls: [
        { from: DEV[0].address, to: COUNTER, input: bump },
        { from: DEV[0].address, to: COUNTER, input: bump },
        { from: DEV[0].address, to: COUNTER, input: fail },
      ],
    },
  ],
};

describe('eth_simulateV1, eth_config, blockTimestamp', { timeout: 120_000 }, () => {
  const nodes: SequencerNode[] = [];
  const servers: RpcServer[] = [];
  let native: Executor;
  let url: string;
  let nativeUrl: string;
  before(async () => {
    native = await createExecutor('native');
    for (const executor of [undefined, native]) {
      const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand', executor });
      nodes.push(node);
      servers.push(await startRpcServer({ node, port: 0, devAccounts: DEV }));
    }
    [url, nativeUrl] = servers.map((s) => s.url);
  });
  after(async () => {
    for (const s of servers) await s.close();
    for (const n of nodes) await n.close();
    await native?.close?.();
  });

  it('simulates blocks of calls with overrides; state carries over; the chain is untouched', async () => {
    const { result, error } = await rpc(url, 'eth_simulateV1', [simulation, 'latest']);
    assert.equal(error, undefined, JSON.stringify(error));
    schema.validate(schema.simulateResult, result, 'eth_simulateV1');
    const genesis = (await rpc(url, 'eth_getBlockByNumber', ['0x0', false])).result;
    const [a, b] = result;
    assert.equal(a.number, '0x1');
    assert.equal(a.parentHash, genesis.hash);
    assert.equal(BigInt(a.timestamp), BigInt(genesis.timestamp) + 12n);
    assert.equal(b.parentHash, a.hash);
    assert.equal(b.miner, DEV[2].address);
    assert.deepEqual(a.calls.map((c: any) => [c.status, c.gasUsed]), [['0x1', '0x5208']]);
    assert.equal(a.transactions.length, 1);
    const [one, two, reverted] = b.calls;
    assert.equal(BigInt(one.returnData), 1n);
    assert.equal(BigInt(two.returnData), 2n, 'the second call sees the first one');
    assert.equal(two.logs[0].topics[1], `0x${'2'.padStart(64, '0')}`);
    assert.equal(two.logs[0].logIndex, '0x1', 'log index counts across the block');
    assert.equal(two.logs[0].transactionHash, b.transactions[1]);
    assert.equal(two.logs[0].blockHash, b.hash);
    assert.equal(two.logs[0].blockTimestamp, b.timestamp);
    assert.equal(reverted.status, '0x0');
    assert.deepEqual(reverted.error.code, 3);
    assert.equal(reverted.error.message, 'execution reverted: nope');
    assert.equal(BigInt(b.gasUsed), BigInt(one.gasUsed) + BigInt(two.gasUsed) + BigInt(reverted.gasUsed));
    // Nothing happened to the chain.
    assert.equal((await rpc(url, 'eth_getBalance', [FRESH, 'latest'])).result, '0x0');
    assert.equal((await rpc(url, 'eth_getCode', [COUNTER, 'latest'])).result, '0x');
    assert.equal((await rpc(url, 'eth_blockNumber')).result, '0x0');
  });

  it('the native executor gives the same simulated blocks as the reference executor', async () => {
    const ref = await rpc(url, 'eth_simulateV1', [simulation, 'latest']);
    const nat = await rpc(nativeUrl, 'eth_simulateV1', [simulation, 'latest']);
    assert.equal(nat.error, undefined, JSON.stringify(nat.error));
    assert.deepEqual(nat.result, ref.result);
  });

  it('block number gaps are filled with empty blocks; bad order, validation and limits give geth codes', async () => {
    const gap = await rpc(url, 'eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { number: '0x4' }, calls: [] }] }]);
    assert.deepEqual(gap.result.map((x: any) => x.number), ['0x1', '0x2', '0x3', '0x4']);
    const order = await rpc(url, 'eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { number: '0x3' } }, { blockOverrides: { number: '0x2' } }] }]);
    assert.equal(order.error?.code, -38020);
    const time = await rpc(url, 'eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { time: '0x0' } }] }]);
    assert.equal(time.error?.code, -38021);
    const nonce = await rpc(url, 'eth_simulateV1', [{ validation: true, blockStateCalls: [{ calls: [{ from: DEV[0].address, to: DEV[1].address, nonce: '0x5' }] }] }]);
    assert.equal(nonce.error?.code, -38011);
    assert.match(nonce.error!.message, /blockStateCalls\[0\]\.calls\[0\]: nonce too high/);
    const funds = await rpc(url, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [{ from: FRESH, to: DEV[1].address, value: '0x1' }] }] }]);
    assert.equal(funds.error?.code, -38014);
    const tooMany = await rpc(url, 'eth_simulateV1', [{ blockStateCalls: Array.from({ length: 257 }, () => ({})) }]);
    assert.equal(tooMany.error?.code, -38026);
    const transfers = await rpc(url, 'eth_simulateV1', [{ traceTransfers: true, blockStateCalls: [] }]);
    assert.equal(transfers.error?.code, -32602);
    assert.match(transfers.error!.message, /traceTransfers is not supported/);
  });

  it('eth_config describes the running fork (EIP-7910)', async () => {
    const { result } = await rpc(url, 'eth_config');
    schema.validate(schema.ethConfig, result, 'eth_config');
    assert.equal(result.current.chainId, '0xa455');
    assert.equal(result.current.activationTime, 0);
    assert.deepEqual(result.current.blobSchedule, { target: 3, max: 6, baseFeeUpdateFraction: 3338477 });
    assert.equal(result.current.precompiles.ECREC, '0x0000000000000000000000000000000000000001');
    assert.equal(result.current.precompiles.KZG_POINT_EVALUATION, '0x000000000000000000000000000000000000000a');
    assert.equal(result.next, null);
  });

  it('blockTimestamp on mined transactions (by hash, in full blocks), receipt logs and eth_getLogs', async () => {
    const node = nodes[0];
    const deploy = await rpc(url, 'eth_sendTransaction', [{ from: DEV[0].address, input: bytesToHex(counter.bytecode) }]);
    await node.sealBlock();
    const address = (await rpc(url, 'eth_getTransactionReceipt', [deploy.result])).result.contractAddress as Hex;
    const call = await rpc(url, 'eth_sendTransaction', [{ from: DEV[0].address, to: address, input: bump }]);
    const pending = (await rpc(url, 'eth_getTransactionByHash', [call.result])).result;
    schema.validate(schema.transactionInfo(false), pending, 'pending tx');
    assert.equal(pending.blockTimestamp, null);
    const sealed = await node.sealBlock();
    const timestamp = `0x${sealed!.header.timestamp.toString(16)}`;
    const tx = (await rpc(url, 'eth_getTransactionByHash', [call.result])).result;
    schema.validate(schema.transactionInfo(true), tx, 'eth_getTransactionByHash');
    assert.equal(tx.blockTimestamp, timestamp);
    const block = (await rpc(url, 'eth_getBlockByNumber', [tx.blockNumber, true])).result;
    schema.validate(schema.block(true), block, 'eth_getBlockByNumber');
    assert.equal(block.transactions[0].blockTimestamp, timestamp);
    const byIndex = (await rpc(url, 'eth_getTransactionByBlockNumberAndIndex', [tx.blockNumber, '0x0'])).result;
    assert.equal(byIndex.blockTimestamp, timestamp);
    const receipt = (await rpc(url, 'eth_getTransactionReceipt', [call.result])).result;
    schema.validate(schema.receipt, receipt, 'eth_getTransactionReceipt');
    assert.equal(receipt.logs[0].blockTimestamp, timestamp);
    const logs = (await rpc(url, 'eth_getLogs', [{ address, fromBlock: '0x0', toBlock: 'latest' }])).result;
    schema.validate(schema.array(schema.log), logs, 'eth_getLogs');
    assert.equal(logs[0].blockTimestamp, timestamp);
    const blockReceipts = (await rpc(url, 'eth_getBlockReceipts', [tx.blockNumber])).result;
    assert.equal(blockReceipts[0].logs[0].blockTimestamp, timestamp);
  });
});
