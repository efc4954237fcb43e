// Comparison feedback: the kernels log what a call compared (operands, the call's index), the session
// reports each pair once, logging changes no result; two compared hashes (also one stored by an earlier call)
// are logged as their input words, on the device path too (simulated);
// input-to-state turns a pair into the argument that flips the comparison; and end to end, the four targets
// whose keys are in no bytecode (a key split across two arguments, a magic value after arithmetic, a
// constructor-stored secret, a constructor-derived pair compared only by hash) are broken within a bounded
// budget with the feedback and not without it, while a correct target raises no alarm.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeFunctionData, type Abi } from 'viem';
import { parseFuzzOptions } from '../../sequencer/cli/fuzz-options.js';
import { runCampaign, type CampaignOptions } from '../../sequencer/fuzz/campaign.js';
import { inputToState, OP_PREIMAGES } from '../../sequencer/fuzz/cmp-feedback.js';
import type { FuzzCall, SequenceRunner } from '../../sequencer/fuzz/types.js';
import { DEFAULT_SENDERS } from '../../sequencer/fuzz/snapshot.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { hexToU8 } from '../../sequencer/primitives/types.js';
import { ROOT } from './support/forge-project.js';
import { fuzzSetup } from './support/fuzz-setup.js';

const targetSource = (name: string): string => readFileSync(join(ROOT, 'test/fuzz/targets/src', `${name}.sol`), 'utf8');
const OP_EQ = 0x14;
const OP_SUB = 0x03;

function callOf(target: string, abi: Abi, fn: string, args: unknown[]): FuzzCall {
  const data = hexToU8(encodeFunctionData({ abi, functionName: fn, args } as Parameters<typeof encodeFunctionData>[0]));
  return { sender: DEFAULT_SENDERS[0]!, target: target as FuzzCall['target'], value: 0n, data, timeDelta: 0n, blockDelta: 0n };
}

test('the kernels log the stored secret an argument was compared with, once per session, without changing results', async () => {
  const setup = await fuzzSetup(targetSource('StoredSecret'), 'StoredSecret');
  const { address, abi } = setup.snapshot.target;
  const guess = 0xabcdef0123456789n;
  const guessCall = (v: bigint): FuzzCall => callOf(address, abi as Abi, 'guess', [`0x${v.toString(16).padStart(64, '0')}`]);
  const seq = [callOf(address, abi as Abi, 'opened', []), guessCall(guess)];
  const runner: SequenceRunner = await setup.runner();
  const [plain] = await runner.run([seq], { coverage: false });
  const [logged] = await runner.run([seq], { comparisons: true });
  assert.deepEqual(plain!.calls.map((c) => [c.status, c.gasUsed]), logged!.calls.map((c) => [c.status, c.gasUsed]), 'logging changes nothing');
  assert.deepEqual(plain!.comparisons, []);
  // solc compares with SUB then ISZERO (or EQ, depending on the optimizer).
  const hit = logged!.comparisons.find((c) => (c.opcode === OP_EQ || c.opcode === OP_SUB) && (c.a === guess || c.b === guess));
  assert.ok(hit, `the guess compared with the secret logged: ${JSON.stringify(logged!.comparisons, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v))}`);
  assert.equal(hit.call, 1, 'tagged with the index of the comparing call');
  // The other operand is the stored secret: guessing it opens the vault.
  const [opened] = await runner.run([[guessCall(hit.a === guess ? hit.b : hit.a)]], { coverage: false });
  assert.deepEqual(opened!.propertyFailedAt, [1], 'the logged operand is the secret');
  assert.ok(logged!.closerComparisons > 0, 'a first EQ at a site is closer than none');
  const [again] = await runner.run([seq], { comparisons: true });
  assert.deepEqual(again!.comparisons, [], 'each pair is reported once');
  assert.equal(again!.closerComparisons, 0);
  const [unmerged] = await runner.run([seq], { coverage: false, comparisons: true });
  assert.deepEqual(unmerged!.comparisons, [], 'shrinking runs report none');
});

test('two compared hashes are logged as their differing input words, which open the vault (their raw operands do not)', async () => {
  const setup = await fuzzSetup(targetSource('HashedPair'), 'HashedPair');
  const { address, abi } = setup.snapshot.target;
  const slot = (i: bigint): bigint => setup.snapshot.state.getStorage(address, `0x${i.toString(16).padStart(64, '0')}`);
  const [keyA, keyB] = [slot(0n), slot(1n)];
  assert.ok(keyA > 0xffffn && keyB > 0xffffn && keyA !== keyB, 'the constructor stored two large words');
  const unlock = (a: bigint, b: bigint): FuzzCall => callOf(address, abi as Abi, 'unlock', [a, b]);
  const guess = unlock(0x1234567n, 0x89abcdefn);
  const runner = await setup.runner();
  const [logged] = await runner.run([[guess]], { comparisons: true });
  const preimages = logged!.comparisons.filter((c) => c.opcode === OP_PREIMAGES);
  const pairs = preimages.map((c) => [c.a, c.b].sort((x, y) => (x < y ? -1 : 1)));
  const sorted = (x: bigint, y: bigint): bigint[] => [x, y].sort((p, q) => (p < q ? -1 : 1));
  assert.deepEqual(pairs.sort((p, q) => (p[0]! < q[0]! ? -1 : 1)), [sorted(0x1234567n, keyA), sorted(0x89abcdefn, keyB)].sort((p, q) => (p[0]! < q[0]! ? -1 : 1)), 'one pair per differing word');
  assert.ok(preimages.every((c) => c.call === 0));
  assert.ok(
    !logged!.comparisons.some((c) => c.opcode !== OP_PREIMAGES && [keyA, keyB].some((k) => c.a === k || c.b === k)),
    'the keys are no operand of any comparison: only the preimages show them',
  );
  // Input-to-state: its first candidate sets both hashed words at once and opens the vault.
  const { candidates, targets } = inputToState([guess], logged!.comparisons);
  assert.ok(targets.includes(keyA) && targets.includes(keyB), 'both keys join the dictionary');
  const results = await runner.run(candidates.slice(0, 3), { coverage: false });
  assert.deepEqual(results.map((r) => r.propertyFailedAt[0]), [1, -1, -1], 'the tuple opens it, one word alone does not');
  // A half-right guess logs the other half only (a new word: the session reports each pair once).
  const [half] = await runner.run([[unlock(keyA, 0x5555555n)]], { comparisons: true });
  assert.deepEqual(half!.comparisons.filter((c) => c.opcode === OP_PREIMAGES).map((c) => sorted(c.a, c.b)), [sorted(0x5555555n, keyB)]);
});

const COMMIT_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Commit {
  bytes32 public commitment;
  bool public opened;
  function commit(uint256 v) external { commitment = keccak256(abi.encode(v, msg.sender)); }
  function reveal(uint256 v) external {
    if (commitment != 0 && keccak256(abi.encode(v, msg.sender)) == commitment) opened = true;
  }
  function echidna_closed() external view returns (bool) { return !opened; }
}
`;

test('a hash stored by an earlier call of the sequence is still known when a later call compares with it', async () => {
  const setup = await fuzzSetup(COMMIT_SOURCE, 'Commit');
  const { address, abi } = setup.snapshot.target;
  const seq = [callOf(address, abi as Abi, 'commit', [0xc0ffee123456n]), callOf(address, abi as Abi, 'reveal', [0xbad0bad0bad0n])];
  const runner = await setup.runner();
  const [logged] = await runner.run([seq], { comparisons: true });
  const pairs = logged!.comparisons.filter((c) => c.opcode === OP_PREIMAGES);
  assert.deepEqual(pairs.map((c) => [c.call, [c.a, c.b].sort((x, y) => (x < y ? -1 : 1))]), [[1, [0xbad0bad0bad0n, 0xc0ffee123456n]]], 'the committed word, tagged with the revealing call (the sender word is equal)');
  const [opened] = await runner.run(inputToState(seq, pairs).candidates, { coverage: false });
  assert.equal(opened!.propertyFailedAt[0], 2, 'reveal(the committed word) opens it');
});

test('the device path (simulated on the CPU: device-sized instances) logs the same comparisons, hashes included', async () => {
  const setup = await fuzzSetup(targetSource('HashedPair'), 'HashedPair');
  const { address, abi } = setup.snapshot.target;
  const seq = [callOf(address, abi as Abi, 'unlock', [0x1234567n, 0x89abcdefn]), callOf(address, abi as Abi, 'unlock', [0x7777777n, 0x89abcdefn])];
  const [host] = await (await setup.runner()).run([seq], { comparisons: true });
  const addon = loadAddon();
  const handedBack = addon.evmInfo().handedBack;
  process.env.EVM_SIMULATE_DEVICE = '1';
  try {
    const [device] = await (await setup.runner()).run([seq], { comparisons: true });
    assert.equal(addon.evmInfo().handedBack, handedBack, 'run as a device thread, not handed back');
    assert.deepEqual(device!.comparisons, host!.comparisons);
  } finally {
    delete process.env.EVM_SIMULATE_DEVICE;
  }
  assert.equal(host!.comparisons.filter((c) => c.opcode === OP_PREIMAGES).length, 3, 'two words, then the new first word of the second call');
});

test('input-to-state: an equal argument is replaced by the other operand; an offset one is shifted by the difference', () => {
  const data = new Uint8Array(4 + 64);
  data.set([0xaa, 0xbb, 0xcc, 0xdd]);
  data[4 + 31] = 0x55;  // word 0: 0x55
  data[4 + 32 + 30] = 0x12;  // word 1: 0x1200
  const call: FuzzCall = { sender: DEFAULT_SENDERS[0]!, target: DEFAULT_SENDERS[1]!, value: 0n, data, timeDelta: 0n, blockDelta: 0n };
  const other = { ...call, data: new Uint8Array(4) };
  const word = (c: FuzzCall, i: number): bigint => BigInt(`0x${Buffer.from(c.data.subarray(4 + 32 * i, 36 + 32 * i)).toString('hex')}`);
  const equal = inputToState([other, call, other], [{ opcode: OP_EQ, call: 1, a: 0x55n, b: 0xdeadbeefn }]);
  // Word 0 is equal to an operand; word 1 is also tried as if 0x55 were word 1 moved by an offset.
  assert.deepEqual(equal.targets, [0xdeadbeefn, 0x1200n + 0xdeadbeefn - 0x55n]);
  assert.equal(equal.candidates[0]!.length, 2, 'the prefix up to the comparing call');
  assert.equal(word(equal.candidates[0]![1]!, 0), 0xdeadbeefn);
  assert.equal(word(equal.candidates[0]![1]!, 1), 0x1200n, 'the other word is kept');
  assert.equal(word(call, 0), 0x55n, 'the parent is not changed');
  // x + 0x100 == K seen as EQ(0x1300, K): word 1 (0x1200) becomes K - 0x100.
  const offset = inputToState([call], [{ opcode: OP_EQ, call: 0, a: 0x1300n, b: 0x999999n }]);
  assert.ok(offset.candidates.some((c) => word(c[0]!, 1) === 0x999999n - 0x100n), 'shifted by the difference');
  const ordering = inputToState([call], [{ opcode: 0x10, call: 0, a: 0x55n, b: 0x1000n }]);
  assert.deepEqual(ordering.targets, [0x1000n, 0x1001n, 0xfffn], 'LT: the bound and both sides of it');
  assert.deepEqual(inputToState([call], [{ opcode: OP_EQ, call: 3, a: 1n, b: 2n }]).candidates, [], 'a call past the sequence');
  // Two hashes' input words: each word on its own, and the whole tuple first.
  const hashed = inputToState([call], [
    { opcode: OP_PREIMAGES, call: 0, a: 0x55n, b: 0xaaaan },
    { opcode: OP_PREIMAGES, call: 0, a: 0xbbbbn, b: 0x1200n },
  ]);
  assert.deepEqual(hashed.candidates.slice(0, 3).map((c) => [word(c[0]!, 0), word(c[0]!, 1)]), [[0xaaaan, 0xbbbbn], [0xaaaan, 0x1200n], [0x55n, 0xbbbbn]]);
});

const OPTIONS: Omit<CampaignOptions, 'seed' | 'cmpFeedback'> = {
  maxExecs: 40_000,
  timeoutSeconds: 0,
  depth: 10,
  batch: 256,
  checkArithmetic: false,
  stopOnFail: false,
  shrinkLimit: 200,
};

for (const contract of ['SplitKey', 'OffsetMagic', 'StoredSecret', 'HashedPair']) {
  test(`${contract}: broken within ${OPTIONS.maxExecs} calls with comparison feedback, not without`, { timeout: 120_000 }, async () => {
    const setup = await fuzzSetup(targetSource(contract), contract);
    const broken = async (cmpFeedback: boolean): Promise<string[]> => {
      const r = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, seed: 7, cmpFeedback });
      return r.outcomes.filter((o) => o.failure !== undefined).map((o) => o.check.name);
    };
    assert.deepEqual(await broken(true), ['echidna_vault_closed'], 'found with the feedback');
    assert.deepEqual(await broken(false), [], 'not found without it');
  });
}

test('Correct: no false alarm with comparison feedback', { timeout: 120_000 }, async () => {
  const setup = await fuzzSetup(targetSource('Correct'), 'Correct');
  const r = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, maxExecs: 20_000, seed: 7, cmpFeedback: true });
  assert.deepEqual(r.outcomes.filter((o) => o.failure !== undefined).map((o) => o.check.name), []);
});

test('--no-cmp-feedback switches it off (on by default)', () => {
  assert.equal(parseFuzzOptions(['--contract', 'X']).cmpFeedback, true);
  assert.equal(parseFuzzOptions(['--contract', 'X', '--no-cmp-feedback']).cmpFeedback, false);
});
