// Call generation and mutation: only the code under test is called (no views, properties or harness
// plumbing), senders are the fuzz senders, only payable functions get ETH, time/block jumps stay in bounds,
// calldata always decodes; mutants never write into their parents; and generation is fast enough that the
// native runner, not JS, sets the pace (≥ 200k calls per CPU second, with the harness's dynamic types).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { bytesToHex } from '../../sequencer/primitives/types.js';
import { decodeCall } from '../../sequencer/fuzz/abi.js';
import { Corpus } from '../../sequencer/fuzz/corpus.js';
import { buildDictionary } from '../../sequencer/fuzz/dictionary.js';
import { CallGenerator, MAX_BLOCK_DELTA, MAX_TIME_DELTA } from '../../sequencer/fuzz/generate.js';
import { Mutator } from '../../sequencer/fuzz/mutate.js';
import { Rng } from '../../sequencer/fuzz/rng.js';
import type { FuzzCall, SequenceResult } from '../../sequencer/fuzz/types.js';
import { fuzzSetup, type FuzzSetup } from './support/fuzz-setup.js';

const HARNESS = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Harness {
  uint256 public x;
  bytes public blob;
  function setUp() external { x = 1; }
  function failed() external returns (bool) { x = 2; return false; }
  function IS_TEST() external returns (bool) { x = 3; return true; }
  function testSomething(uint256 a) external { x = a; }
  function viewer() external view returns (uint256) { return x; }
  function purer(uint256 a) external pure returns (uint256) { return a; }
  function echidna_ok() external view returns (bool) { return true; }
  function invariant_ok() external view returns (bool) { return true; }
  function set(uint8 a, int256 b, address who, bytes4 tag) external { x = uint256(a) + uint256(b) + uint160(who) + uint32(tag); }
  struct Pair { uint64 a; bool b; }
  function store(bytes calldata data, string calldata s, uint256[] calldata xs, Pair[2] calldata pairs) external { blob = data; x = bytes(s).length + xs.length + pairs[0].a; }
  function pay() external payable { x = msg.value; }
  receive() external payable {}
}
`;

let setup: FuzzSetup;
before(async () => {
  setup = await fuzzSetup(HARNESS, 'Harness');
});

function generator(seed: number): CallGenerator {
  return new CallGenerator(setup.targets, buildDictionary(setup.snapshot), setup.snapshot.senders, new Rng(seed));
}

test('generate: only state-changing functions of the code under test; properties found', () => {
  assert.deepEqual(setup.targets.functions.map((f) => f.codec.signature).sort(), [
    'pay()',
    'receive()',
    'set(uint8,int256,address,bytes4)',
    'store(bytes,string,uint256[],(uint64,bool)[2])',
  ]);
  assert.deepEqual(setup.targets.properties.map((p) => p.name).sort(), ['echidna_ok', 'invariant_ok']);
});

test('generate: senders, ETH only to payable functions, jumps in bounds, calldata that decodes', () => {
  const gen = generator(3);
  const calls = Array.from({ length: 200 }, () => gen.sequence(50)).flat();
  const senders = new Set(setup.snapshot.senders);
  const called = new Set<string>();
  let paid = 0;
  let jumps = 0;
  for (const c of calls) {
    const fn = setup.targets.lookup(c.target, c.data);
    assert.ok(fn, `calldata ${bytesToHex(c.data)} selects a callable function`);
    called.add(fn.codec.signature);
    assert.ok(senders.has(c.sender));
    assert.ok(c.value === 0n || fn.payable, `${fn.codec.signature} is not payable but got ${c.value} wei`);
    if (c.value > 0n) paid++;
    assert.ok(c.timeDelta >= 0n && c.timeDelta <= BigInt(MAX_TIME_DELTA) && c.blockDelta >= 0n && c.blockDelta <= BigInt(MAX_BLOCK_DELTA));
    if (c.timeDelta > 0n) jumps++;
    assert.equal(decodeCall(fn.codec, c.data).length, fn.codec.params.length);
  }
  assert.equal(called.size, setup.targets.functions.length, 'every function is called');
  assert.ok(paid > 100 && jumps > 100, `some calls carry ETH (${paid}) and time jumps (${jumps})`);
});

test('generate: mutants leave their parents untouched, stay within the depth and decode', () => {
  const gen = generator(5);
  const rng = new Rng(6);
  const corpus = new Corpus();
  const ok = (calls: FuzzCall[]): SequenceResult => ({ calls: calls.map(() => ({ status: 'success', gasUsed: 0n, output: new Uint8Array(0), selfDestructed: false })), failedCalls: 0, tripwires: 0, propertyFailedAt: [], optimized: [], ethLeakAt: -1, newCoverage: 1, closerComparisons: 0, comparisons: [] });
  for (let i = 0; i < 10; i++) {
    const seq = gen.sequence(20);
    corpus.offer(seq, ok(seq));
  }
  const parents = Array.from({ length: 10 }, () => corpus.pick(rng));
  const show = (calls: readonly FuzzCall[]): string => calls.map((c) => `${c.sender}${c.value}${bytesToHex(c.data)}${c.timeDelta}${c.blockDelta}`).join('|');
  const frozen = parents.map((p) => show(p.calls));
  const mutator = new Mutator(gen, setup.targets, buildDictionary(setup.snapshot), rng, 20);
  for (let i = 0; i < 3000; i++) {
    const mutant = mutator.mutate(parents[i % parents.length]!, parents[(i * 7) % parents.length]!.calls);
    assert.ok(mutant.length >= 1 && mutant.length <= 20);
    for (const c of mutant) decodeCall(setup.targets.lookup(c.target, c.data)!.codec, c.data);
  }
  assert.deepEqual(parents.map((p) => show(p.calls)), frozen);
});

test('generate: at least 200k calls per CPU second', () => {
  const gen = generator(9);
  gen.sequence(50_000); // warm up the JIT
  let calls = 0;
  // CPU time, not wall time: the other test files running beside this one must not make it fail.
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < 500) {
    for (let i = 0; i < 256; i++) calls += gen.sequence(50).length;
  }
  const used = process.cpuUsage(cpu);
  const rate = calls / ((used.user + used.system) / 1e6);
  assert.ok(rate >= 200_000, `generated ${Math.round(rate)} calls per CPU second`);
});
