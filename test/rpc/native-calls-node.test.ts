// eth_call / eth_createAccessList / debug traces over a real SequencerNode sealing with the native executor:
// historical calls at every kept block (native mirrors of past states), geth's access list from the native
// read set, and traces (still on @ethereumjs/vm) that agree with what the native EVM did.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFunctionResult, encodeAbiParameters, encodeFunctionData, getContractAddress, keccak256, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { hexToU8, type Address } from '../../sequencer/primitives/types.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { compileErc20 } from '../e2e/erc20.js';

const CHAIN_ID = 42069;
const [alice, bob] = devAccounts(2);
const account = privateKeyToAccount(alice.privateKey);
const TOKEN = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
/** Forwards its calldata to TOKEN with CALL and returns the first 32 bytes of the answer (or reverts with it). */
const PROXY: Address = '0x000000000000000000000000000000000000beef';
const PROXY_CODE = `0x365f5f3760205f365f5f73${TOKEN.slice(2)}5af11560295760205ff35b60205ffd` as Hex;
const BALANCES_SLOT = 3n;
const TRANSFERS = 12;

let node: SequencerNode;
let server: RpcServer;
let nonce = 0;
const erc20 = compileErc20();

async function rpc(method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return res.json();
}

async function send(to: Address | undefined, data: Hex, gas = 200_000n): Promise<Hex> {
  const raw = await account.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', to, data, nonce: nonce++, gas, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n });
  const hash = await node.submitRawTransaction(hexToU8(raw));
  await node.sealBlock();
  return hash;
}

const balanceOf = (who: Address): Hex => encodeFunctionData({ abi: erc20.abi, functionName: 'balanceOf', args: [who] });
const transfer = (to: Address, value: bigint): Hex => encodeFunctionData({ abi: erc20.abi, functionName: 'transfer', args: [to, value] });
const balanceSlot = (who: Address): Hex => keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [who, BALANCES_SLOT]));

describe('native calls over a node sealing with the native executor', { timeout: 120_000 }, () => {
  /** bob's token balance after each block. */
  const bobAt = new Map<bigint, bigint>();

  before(async () => {
    node = await SequencerNode.open({
      dataDir: ':memory:',
      genesis: devGenesis({ extraAlloc: new Map([[PROXY, { balance: 0n, code: hexToU8(PROXY_CODE) }]]) }),
      executor: await createExecutor('native'),
      sealMode: 'on-demand',
    });
    server = await startRpcServer({ node, port: 0 });
    const deploy = (erc20.bytecode + encodeAbiParameters([{ type: 'uint256' }], [10n ** 24n]).slice(2)) as Hex;
    await send(undefined, deploy, 2_000_000n);
    bobAt.set(node.blockNumber(), 0n);
    for (let i = 1; i <= TRANSFERS; i++) {
      await send(TOKEN, transfer(bob.address, BigInt(i)));
      bobAt.set(node.blockNumber(), (bobAt.get(node.blockNumber() - 1n) ?? 0n) + BigInt(i));
    }
  });
  after(async () => {
    await server?.close();
    await node?.close();
  });

  it('eth_call at every past block sees that block’s state (newest first, then again from the cache)', async () => {
    const blocks = [...bobAt.keys()].sort((a, b) => (a < b ? 1 : -1));
    for (const round of [1, 2]) {
      for (const n of blocks) {
        const r = await rpc('eth_call', [{ to: TOKEN, data: balanceOf(bob.address) }, toHex(n)]);
        assert.equal(BigInt(r.result), bobAt.get(n), `round ${round}, block ${n}: ${JSON.stringify(r)}`);
      }
    }
    // Before the token existed: no code, empty answer.
    assert.equal((await rpc('eth_call', [{ to: TOKEN, data: balanceOf(bob.address) }, '0x0'])).result, '0x');
  });

  it('eth_createAccessList lists the token and the two balance slots a proxied transfer reads (not from, to, precompiles)', async () => {
    await send(TOKEN, transfer(PROXY, 1000n));
    const r = (await rpc('eth_createAccessList', [{ from: alice.address, to: PROXY, data: transfer(bob.address, 5n) }, 'latest'])).result;
    assert.deepEqual(r.accessList, [{ address: TOKEN, storageKeys: [balanceSlot(PROXY), balanceSlot(bob.address)].sort() }]);
    const withList = BigInt(r.gasUsed);
    const without = BigInt((await rpc('eth_estimateGas', [{ from: alice.address, to: PROXY, data: transfer(bob.address, 5n) }, 'latest'])).result);
    assert.ok(withList < without, `gas with the list ${withList}, estimate without ${without}`);
    // A given list is kept (geth), even for an account the call never touches.
    const extra: Address = '0x00000000000000000000000000000000000c0ffe';
    const r2 = (await rpc('eth_createAccessList', [{ from: alice.address, to: PROXY, data: transfer(bob.address, 5n), accessList: [{ address: extra, storageKeys: [] }] }, 'latest'])).result;
    assert.deepEqual(r2.accessList.map((i: { address: string }) => i.address), [extra, TOKEN].sort());
  });

  it('debug traces (reference EVM) agree with the native execution: gas, status, return value', async () => {
    const ok = await send(TOKEN, transfer(bob.address, 1n));
    const receipt = await rpc('eth_getTransactionReceipt', [ok]);
    const trace = (await rpc('debug_traceTransaction', [ok, { disableStack: true }])).result;
    assert.equal(trace.failed, false);
    assert.equal(BigInt(trace.gas), BigInt(receipt.result.gasUsed));
    assert.equal(decodeFunctionResult({ abi: erc20.abi, functionName: 'transfer', data: trace.returnValue }), true);

    // A reverting transfer (more than alice holds), included with a fixed gas limit.
    const bad = await send(TOKEN, transfer(bob.address, 10n ** 30n), 100_000n);
    const badReceipt = (await rpc('eth_getTransactionReceipt', [bad])).result;
    assert.equal(badReceipt.status, '0x0');
    const badTrace = (await rpc('debug_traceTransaction', [bad, { disableStack: true }])).result;
    assert.equal(badTrace.failed, true);
    assert.equal(BigInt(badTrace.gas), BigInt(badReceipt.gasUsed));
    // The same call on the native EVM at the parent block reverts with the same bytes.
    const call = await rpc('eth_call', [{ from: alice.address, to: TOKEN, data: transfer(bob.address, 10n ** 30n), gas: '0x186a0' }, toHex(BigInt(badReceipt.blockNumber) - 1n)]);
    assert.equal(call.error.code, 3);
    assert.equal(call.error.data, badTrace.returnValue);

    // debug_traceCall and eth_call of the same message: same return value; callTracer gas = the native gas.
    const args = { from: alice.address, to: PROXY, data: balanceOf(bob.address) };
    const tracedRes = await rpc("debug_traceCall", [args, "latest", { disableStack: true }]);
    const traced = tracedRes.result;
    assert.ok(traced, JSON.stringify(tracedRes));
    const called = await rpc('eth_call', [args, 'latest']);
    assert.equal(traced.failed, false);
    assert.equal(traced.returnValue, called.result);
    const created = (await rpc('eth_createAccessList', [{ ...args, accessList: [] }, 'latest'])).result;
    const callTrace = (await rpc('debug_traceCall', [{ ...args, accessList: created.accessList }, 'latest', { tracer: 'callTracer' }])).result;
    assert.equal(BigInt(callTrace.gasUsed), BigInt(created.gasUsed), 'gas used with the same access list');
  });
});
