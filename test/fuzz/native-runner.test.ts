// The native sequence runner against the oracle: the same random call sequences, run natively (one EVM
// instance per sequence, state committed between calls inside the instance) and call by call through the
// reference executor (@ethereumjs/vm) with a WorldState commit after each call, must agree on every call's
// status, gas and output, on every property check and on the ETH-leak oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFunctionData, type Abi } from 'viem';
import { compileSolidity } from '../support/solidity.js';
import { seededRandom } from '../support/seeded-random.js';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { deploySnapshot, DEFAULT_SENDERS } from '../../sequencer/fuzz/snapshot.js';
import { NativeSequenceRunner } from '../../sequencer/fuzz/native-runner.js';
import { SerialSequenceRunner } from '../../sequencer/fuzz/serial-runner.js';
import { findArtifact } from '../../sequencer/fuzz/artifacts.js';
import { hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';
import type { CallResult, FuzzCall, PropertyCall, SequenceResult } from '../../sequencer/fuzz/types.js';
import { loadAddon } from '../../sequencer/native/addon.js';

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Child {
  constructor() payable {}
  function boom(address payable to) external { selfdestruct(to); }
  receive() external payable {}
}
contract Diff {
  constructor() payable {}
  mapping(address => uint256) public bal;
  uint256 public total;
  uint256 public counter;
  uint256 public lastTime;
  Child public child;
  uint256[] public arr;
  function deposit() external payable { bal[msg.sender] += msg.value; total += msg.value; }
  function withdraw(uint256 amt) external { require(bal[msg.sender] >= amt, "low"); bal[msg.sender] -= amt; total -= amt; payable(msg.sender).transfer(amt); }
  function leak(uint256 amt) external { payable(msg.sender).transfer(amt % (address(this).balance + 1)); }
  function bump(uint256 x) external { unchecked { counter += x; } if (x == 7) revert("seven"); if (x == 13) assert(false); }
  function tick() external { require(block.timestamp > lastTime, "same time"); lastTime = block.timestamp; counter += block.number; }
  function spawn() external payable { child = new Child{value: msg.value}(); }
  function killChild() external { if (address(child) != address(0)) child.boom(payable(msg.sender)); }
  function spawnAndKill() external payable { Child c = new Child{value: msg.value}(); c.boom(payable(msg.sender)); }
  function tstoreIt(uint256 v) external { assembly { tstore(0, v) } }
  function saveTransient() external { uint256 r; assembly { r := tload(0) } counter = r; }
  function push(uint256 v) external { arr.push(v); }
  function pop() external { arr.pop(); }
  function clear(address a) external { total -= bal[a]; delete bal[a]; }
  function setTwice(uint256 v) external { counter = v; counter = v + 1; counter = v; }
  function hashIt(uint256 v) external { counter = uint256(sha256(abi.encode(v))) % 100; }
  function echidna_total() external view returns (bool) { return total <= 3 ether; }
  function echidna_counter() external view returns (bool) { return counter != 42; }
  function echidna_time() external view returns (bool) { return block.timestamp < 1 + 3 days; }
  function echidna_reverts() external view returns (bool) { require(arr.length < 3, "long"); return true; }
  function echidna_child_poor() external view returns (bool) { return address(child).balance < 2 ether; }
  function echidna_opt_counter() external view returns (int256) { return int256(counter) - 50; }
}
`;

const FUNCS = ['deposit', 'withdraw', 'leak', 'bump', 'tick', 'spawn', 'killChild', 'spawnAndKill', 'tstoreIt', 'saveTransient', 'push', 'pop', 'clear', 'setTwice', 'hashIt'] as const;

function randomSequences(abi: Abi, target: Address, seed: number, count: number): FuzzCall[][] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const small = (): bigint => pick([0n, 1n, 7n, 13n, 41n, 42n, 10n ** 18n, BigInt(Math.floor(rnd() * 1000))]);
  const seqs: FuzzCall[][] = [];
  for (let s = 0; s < count; s++) {
    const seq: FuzzCall[] = [];
    const len = 1 + Math.floor(rnd() * 12);
    for (let k = 0; k < len; k++) {
      const fn = pick(FUNCS);
      const entry = abi.find((f) => f.type === 'function' && f.name === fn);
      assert(entry !== undefined && entry.type === 'function');
      const args = entry.inputs.map((i) => (i.type === 'address' ? pick(DEFAULT_SENDERS) : small()));
      const payable = entry.stateMutability === 'payable';
      seq.push({
        sender: pick(DEFAULT_SENDERS),
        target,
        value: payable && rnd() < 0.7 ? pick([1n, 10n ** 18n, 2n * 10n ** 18n]) : 0n,
        data: hexToU8(encodeFunctionData({ abi, functionName: fn, args } as Parameters<typeof encodeFunctionData>[0])),
        timeDelta: rnd() < 0.3 ? BigInt(Math.floor(rnd() * 2 * 86400)) : 0n,
        blockDelta: rnd() < 0.3 ? BigInt(Math.floor(rnd() * 5)) : 0n,
      });
    }
    seqs.push(seq);
  }
  return seqs;
}

test('native sequences equal call-by-call reference execution (statuses, gas, outputs, properties, ETH leaks)', { timeout: 240_000 }, async () => {
  const artifacts = compileSolidity({ 'Diff.sol': SOURCE });
  const executor = await createExecutor('native');
  // The contract starts with ETH that is not the senders': paying it out is an ETH leak.
  const snapshot = await deploySnapshot({ executor, artifacts, target: findArtifact(artifacts, 'Diff'), deployValue: 5n * 10n ** 18n });
  const abi = snapshot.target.abi;
  // Properties read different slots, another account (the child's balance) and the block time; the
  // optimization target's best value (signed: below zero while the counter is under 50) must agree too.
  const properties: PropertyCall[] = ['echidna_total', 'echidna_counter', 'echidna_time', 'echidna_reverts', 'echidna_child_poor', 'echidna_opt_counter'].map((name) => ({
    name,
    target: snapshot.target.address,
    data: hexToU8(encodeFunctionData({ abi, functionName: name } as Parameters<typeof encodeFunctionData>[0]) as Hex),
    ...(name.startsWith('echidna_opt_') ? { optimize: true } : {}),
  }));
  const native = await NativeSequenceRunner.create(snapshot, properties);
  const oracle = new SerialSequenceRunner(await createExecutor('reference'), snapshot, properties);
  const seqs = randomSequences(abi, snapshot.target.address, 90210, 120);
  const [got, want] = [await native.run(seqs), await oracle.run(seqs)];
  let calls = 0;
  const seen = { revert: 0, panic: 0, broken: 0, leak: 0, selfDestruct: 0, negativeBest: 0 };
  for (const [i, seq] of seqs.entries()) {
    const g = got[i]!;
    const w = want[i]!;
    for (const [k, call] of seq.entries()) {
      const where = `sequence ${i} call ${k} (${Buffer.from(call.data.subarray(0, 4)).toString('hex')})`;
      assert.equal(g.calls[k]!.status, w.calls[k]!.status, `${where}: status`);
      assert.equal(g.calls[k]!.gasUsed, w.calls[k]!.gasUsed, `${where}: gas`);
      assert.deepEqual(Buffer.from(g.calls[k]!.output), Buffer.from(w.calls[k]!.output), `${where}: output`);
      // The oracle sees a self-destruct only when it deletes the account (created in the same call).
      if (w.calls[k]!.selfDestructed) assert.ok(g.calls[k]!.selfDestructed, `${where}: self-destruct`);
      if (g.calls[k]!.selfDestructed) seen.selfDestruct++;
      if (w.calls[k]!.status === 'revert') seen.revert++;
      if (Buffer.from(w.calls[k]!.output.subarray(0, 4)).toString('hex') === '4e487b71') seen.panic++;
      calls++;
    }
    assert.deepEqual(g.propertyFailedAt, w.propertyFailedAt, `sequence ${i}: property checks`);
    assert.deepEqual(g.optimized, w.optimized, `sequence ${i}: optimization values`);
    assert.equal(g.failedCalls, w.failedCalls, `sequence ${i}: failed calls`);
    assert.equal(g.ethLeakAt, w.ethLeakAt, `sequence ${i}: ETH leak`);
    if (w.propertyFailedAt.some((p, k) => p >= 0 && properties[k]!.optimize !== true)) seen.broken++;
    if (w.optimized.some((o) => o.value < 0n)) seen.negativeBest++;
    if (w.ethLeakAt >= 0) seen.leak++;
  }
  // The sequences must actually exercise what is compared.
  assert.ok(seen.revert > 20 && seen.panic > 3 && seen.broken > 10 && seen.leak > 3 && seen.selfDestruct > 3 && seen.negativeBest > 0, JSON.stringify(seen));
  assert.ok(calls > 500);
  assert.ok(native.coveredEdges() > 20, `coverage edges: ${native.coveredEdges()}`);

  // The device path's logic on the CPU: device-sized instances without device precompiles hand sequences
  // (here: those calling sha256) back to the host, and the results do not change.
  const addon = loadAddon();
  const before = addon.evmInfo().handedBack;
  process.env.EVM_SIMULATE_DEVICE = '1';
  try {
    const simulated = await native.run(seqs, { coverage: false });
    assert.deepEqual(simulated.map(strip), got.map(strip));
  } finally {
    delete process.env.EVM_SIMULATE_DEVICE;
  }
  const handedBack = addon.evmInfo().handedBack - before;
  assert.ok(handedBack > 0 && handedBack < seqs.length, `handed back ${handedBack} of ${seqs.length}`);
});

const plain = (c: CallResult) => ({ status: c.status, error: c.error, gasUsed: c.gasUsed, output: Buffer.from(c.output), selfDestructed: c.selfDestructed });
const strip = (r: SequenceResult) => ({ ...r, calls: r.calls.map(plain), newCoverage: 0 });

test('coverage: a sequence reaching new branches reports them once; rerunning adds nothing; unmerged runs leave the map alone', async () => {
  const artifacts = compileSolidity({ 'Diff.sol': SOURCE });
  const snapshot = await deploySnapshot({ executor: await createExecutor('native'), artifacts, target: findArtifact(artifacts, 'Diff') });
  const runner = await NativeSequenceRunner.create(snapshot, []);
  const seqs = randomSequences(snapshot.target.abi, snapshot.target.address, 7, 16);
  const [probe] = await runner.run(seqs, { coverage: false });
  assert.equal(probe!.newCoverage, 0);
  assert.equal(runner.coveredEdges(), 0);
  const first = await runner.run(seqs);
  const total = runner.coveredEdges();
  assert.equal(first.reduce((s, r) => s + r.newCoverage, 0), total);
  assert.ok(total > 10);
  const again = await runner.run(seqs);
  assert.equal(again.reduce((s, r) => s + r.newCoverage, 0), 0);
  assert.equal(runner.coveredEdges(), total);
});

test('overlapping runs execute and merge in the order they were made, a failed one in between included', async () => {
  const artifacts = compileSolidity({ 'Diff.sol': SOURCE });
  const snapshot = await deploySnapshot({ executor: await createExecutor('native'), artifacts, target: findArtifact(artifacts, 'Diff') });
  const runner = await NativeSequenceRunner.create(snapshot, []);
  const session = (runner as unknown as { session: object }).session;
  const seqs = randomSequences(snapshot.target.abi, snapshot.target.address, 7, 16);
  // A long run first, then a bad program, then a short run reaching the same branches: the short one would
  // finish first, but the long one was made first and takes the credit for every edge.
  const long = runner.run(Array.from({ length: 24 }, () => seqs).flat());
  const bad = loadAddon().evmFuzzRun(session, new Uint8Array([0, 0, 0, 0, 9]), true, false);
  const short = runner.run(seqs.slice(0, 4));
  const [longResults, badResult, shortResults] = await Promise.allSettled([long, bad, short]);
  assert.equal(badResult.status, 'rejected');
  assert.ok(longResults.status === 'fulfilled' && shortResults.status === 'fulfilled');
  const credited = (rs: SequenceResult[]) => rs.reduce((s, r) => s + r.newCoverage, 0);
  assert.equal(credited(longResults.value), runner.coveredEdges());
  assert.equal(credited(shortResults.value), 0);
});

test('bad programs are refused with a clear error', async () => {
  const artifacts = compileSolidity({ 'Diff.sol': SOURCE });
  const snapshot = await deploySnapshot({ executor: await createExecutor('native'), artifacts, target: findArtifact(artifacts, 'Diff') });
  const runner = await NativeSequenceRunner.create(snapshot, []);
  const addon = loadAddon();
  const session = (runner as unknown as { session: object }).session;
  await assert.rejects(addon.evmFuzzRun(session, new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0]), true, false), /truncated/);
  await assert.rejects(addon.evmFuzzRun(session, new Uint8Array([0, 0, 0, 0, 9]), true, false), /trailing/);
  assert.throws(() => addon.evmFuzzRun({}, new Uint8Array(4), true, false), /evmFuzzRun/);
});
