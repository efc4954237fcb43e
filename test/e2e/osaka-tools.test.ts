// Osaka end to end with Foundry's own tools against the node's JSON-RPC (native executor, interval sealing):
// `cast send --auth` delegates a funded dev EOA to a counter contract (EIP-7702) and calls run through it;
// a contract using CLZ (EIP-7939) and P256VERIFY (EIP-7951), compiled by solc for Osaka and deployed with
// `forge create`, answers clz of edge values and verifies a P-256 signature (a tampered one fails); the
// sealed blocks replay in @ethereumjs/vm to the same state root.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { p256 } from '@noble/curves/nist.js';
import { createPublicClient, http, pad, toHex, type Abi, type Hex } from 'viem';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import { FORGE_BIN } from '../../sequencer/fuzz/artifacts.js';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Address } from '../../sequencer/primitives/types.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { forgeProject } from '../fuzz/support/forge-project.js';
import { SerialOracle } from '../sequencer/oracle.js';

const CAST = fileURLToPath(new URL('../../node_modules/@foundry-rs/cast-linux-amd64/bin/cast', import.meta.url));
const run = promisify(execFile);

const COUNTER_SOL = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.31;
/// Delegate for an EOA: its storage and events are the EOA's once delegated to.
contract Counter {
  uint256 public count;
  event Bumped(address indexed by, uint256 count);
  function bump(uint256 by) external { count += by; emit Bumped(msg.sender, count); }
}`;

const OSAKA_OPS_SOL = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.31;
contract OsakaOps {
  uint256 public lastClz;
  function clz(uint256 x) external pure returns (uint256 r) { assembly { r := clz(x) } }
  function recordClz(uint256 x) external { uint256 r; assembly { r := clz(x) } lastClz = r; }
  /// EIP-7951: 160 bytes hash || r || s || qx || qy; 32-byte 1 when valid, empty output when not.
  function p256Verify(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy) external view returns (bool ok, bytes memory out) {
    (ok, out) = address(0x100).staticcall(abi.encodePacked(h, r, s, qx, qy));
  }
}`;

const [alice, bob, deployer] = devAccounts(3);
const genesis = devGenesis();

let project: string;
let node: SequencerNode;
let server: RpcServer;

/** Runs cast or forge without blocking the event loop (the RPC server answering it lives in this process). */
async function tool(bin: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(bin, args, { cwd: project, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } });
    return stdout.trim();
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${bin.split('/').pop()} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

async function rpc(method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function forgeCreate(contract: string): Promise<Address> {
  const out = JSON.parse(await tool(FORGE_BIN, ['create', '--offline', '--json', '--broadcast', '--rpc-url', server.url, '--private-key', deployer.privateKey, contract]));
  assert.match(out.deployedTo, /^0x[0-9a-fA-F]{40}$/, JSON.stringify(out));
  return (out.deployedTo as string).toLowerCase() as Address;
}

/** `cast send ... --json`: the mined receipt. */
async function castSend(key: Hex, args: string[]): Promise<any> {
  return JSON.parse(await tool(CAST, ['send', '--json', '--rpc-url', server.url, '--private-key', key, ...args]));
}

describe('Osaka with Foundry tools over JSON-RPC (native executor)', { timeout: 120_000 }, () => {
  before(async () => {
    project = forgeProject('seq-osaka-tools-', { 'Counter.sol': COUNTER_SOL, 'OsakaOps.sol': OSAKA_OPS_SOL }, 'osaka');
    node = await SequencerNode.open({ dataDir: ':memory:', genesis, sealMode: 'interval', blockTimeMs: 50, executor: new NativeExecutor() });
    server = await startRpcServer({ node, port: 0 });
  });
  after(async () => {
    await server?.close();
    await node?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('cast send --auth delegates a funded EOA to a counter; calls through it run in the EOA', async () => {
    const counter = await forgeCreate('src/Counter.sol:Counter');
    const nonce = Number(await rpc('eth_getTransactionCount', [alice.address, 'latest']));
    // Self-sponsored: cast signs the authorization with alice's key for her nonce after this transaction's, and
    // estimates the gas with the signed tuple in eth_estimateGas (25,000 intrinsic gas per tuple, then bump()
    // running through the new delegation).
    const delegation = await castSend(alice.privateKey, ['--auth', counter, alice.address, 'bump(uint256)', '5']);
    assert.equal(delegation.status, '0x1', JSON.stringify(delegation));
    assert.equal(delegation.type, '0x4');
    assert.equal(await rpc('eth_getCode', [alice.address, 'latest']), `0xef0100${counter.slice(2)}`);
    assert.equal(Number(await rpc('eth_getTransactionCount', [alice.address, 'latest'])), nonce + 2);
    const tx = await rpc('eth_getTransactionByHash', [delegation.transactionHash]);
    assert.equal(tx.authorizationList.length, 1);
    assert.equal(tx.authorizationList[0].address.toLowerCase(), counter);
    assert.equal(tx.authorizationList[0].nonce, toHex(nonce + 1));

    // A plain call from bob to alice's address runs the counter's code on alice's storage.
    const call = await castSend(bob.privateKey, [alice.address, 'bump(uint256)', '3']);
    assert.equal(call.status, '0x1', JSON.stringify(call));
    assert.equal(call.type, '0x2');
    const bumped = call.logs.map((l: { address: string; topics: string[] }) => ({ address: l.address.toLowerCase(), by: l.topics[1] }));
    assert.deepEqual(bumped, [{ address: alice.address.toLowerCase(), by: pad(bob.address.toLowerCase() as Hex) }]);
    assert.equal(await tool(CAST, ['call', '--rpc-url', server.url, alice.address, 'count()(uint256)']), '8');
    assert.equal(BigInt(await rpc('eth_getStorageAt', [alice.address, '0x0', 'latest'])), 8n);
    assert.equal(BigInt(await rpc('eth_getStorageAt', [counter, '0x0', 'latest'])), 0n, 'the delegate keeps its own storage untouched');

    // A malformed tuple in a call object is refused as invalid params, naming the field.
    const bad = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_estimateGas', params: [{ from: bob.address, to: alice.address, authorizationList: [{ ...tx.authorizationList[0], r: 'zz' }] }] }),
    }).then((r) => r.json());
    assert.equal(bad.error?.code, -32602, JSON.stringify(bad));
    assert.match(bad.error.message, /authorizationList\[0\]\.r/);
  });

  it('a forge-deployed contract computes CLZ and verifies P-256 signatures through P256VERIFY', async () => {
    const ops = await forgeCreate('src/OsakaOps.sol:OsakaOps');
    const abi = JSON.parse(readFileSync(join(project, 'out/OsakaOps.sol/OsakaOps.json'), 'utf8')).abi as Abi;
    const client = createPublicClient({ transport: http(server.url) });
    const read = (functionName: string, args: unknown[]) => client.readContract({ address: ops, abi, functionName, args });

    const clzOf: [bigint, bigint][] = [
      [0n, 256n],
      [1n, 255n],
      [0xffn, 248n],
      [1n << 128n, 127n],
      [(1n << 255n) - 1n, 1n],
      [1n << 255n, 0n],
      [(1n << 256n) - 1n, 0n],
    ];
    for (const [x, expected] of clzOf) assert.equal(await read('clz', [x]), expected, `clz(${toHex(x)})`);
    // And inside a sealed block, not only eth_call.
    const recorded = await castSend(deployer.privateKey, [ops, 'recordClz(uint256)', '0x0100']);
    assert.equal(recorded.status, '0x1', JSON.stringify(recorded));
    assert.equal(await tool(CAST, ['call', '--rpc-url', server.url, ops, 'lastClz()(uint256)']), '247');

    const secretKey = new Uint8Array(32).fill(0x2a);
    const publicKey = p256.getPublicKey(secretKey, false); // 0x04 || qx || qy
    const hash = new Uint8Array(32).map((_, i) => i * 7 + 1);
    const sig = p256.sign(hash, secretKey, { prehash: false }); // r || s
    const words = (h: Uint8Array, rs: Uint8Array): Hex[] => [toHex(h), toHex(rs.subarray(0, 32)), toHex(rs.subarray(32)), toHex(publicKey.subarray(1, 33)), toHex(publicKey.subarray(33))];
    assert.deepEqual(await read('p256Verify', words(hash, sig)), [true, pad('0x01')]);
    const tamperedHash = hash.slice();
    tamperedHash[31]! ^= 1;
    assert.deepEqual(await read('p256Verify', words(tamperedHash, sig)), [true, '0x'], 'a signature over another hash is refused (empty output)');
    const tamperedSig = sig.slice();
    tamperedSig[40]! ^= 0x80;
    assert.deepEqual(await read('p256Verify', words(hash, tamperedSig)), [true, '0x'], 'a changed s is refused');
  });

  it('the sealed blocks replay in @ethereumjs/vm to the same state root', async () => {
    const oracle = await SerialOracle.create(genesis);
    const head = node.blockNumber();
    for (let n = 1n; n <= head; n++) await oracle.replay(node, n);
    assert.equal(await oracle.stateRoot(), node.head().header.stateRoot);
  });
});
