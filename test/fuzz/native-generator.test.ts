// Native call generation (native/evm/fuzz_generate.*, sequencer/fuzz/native-generator.ts) against its
// reference, the JS CallGenerator: from the same random stream it writes the same calls byte for byte (every
// ABI shape, payable values, time jumps, a dictionary that learns between sequences) and leaves the stream
// where the JS generator would; a campaign is the same with either; a malformed layout is a clear error.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseAbi, type AbiFunction } from 'viem';
import { loadAddon } from '../../sequencer/native/addon.js';
import { bytesToHex, type Address } from '../../sequencer/primitives/types.js';
import { functionCodec, readBigWord } from '../../sequencer/fuzz/abi.js';
import { inputToState } from '../../sequencer/fuzz/cmp-feedback.js';
import { runCampaign, type CampaignOptions, type CampaignResult } from '../../sequencer/fuzz/campaign.js';
import { dictionaryOf, interestingValues, setLearntValues } from '../../sequencer/fuzz/dictionary.js';
import { CallGenerator } from '../../sequencer/fuzz/generate.js';
import { NativeFreshSequences } from '../../sequencer/fuzz/native-generator.js';
import { Rng } from '../../sequencer/fuzz/rng.js';
import type { FuzzFunction, FuzzTargets } from '../../sequencer/fuzz/targets.js';
import { callsOf, type FuzzCall, type SequenceRunner } from '../../sequencer/fuzz/types.js';
import { fuzzSetup, STEPS_SOURCE, type FuzzSetup } from './support/fuzz-setup.js';

const ABI = parseAbi([
  'function words(uint8 a, int16 b, uint256 c, int256 d, address e, bool f, bytes4 g, bytes32 h, uint24 i, int136 j)',
  'function dynamic(bytes data, string s, uint256[] xs, int8[3] fixed, bytes1 one)',
  'function nested((uint256 amount, address to)[] orders, (bytes, string)[2] pairs, uint64[][] grid)',
  'function mixed(address who, (uint256[] xs, bool ok, (int32, bytes) inner) t, string[] names, bytes32[2][] pairs)',
  'function statics((uint8, int64)[2] pairs, (bool, bytes8) one) payable',
  'function none()',
]) as readonly AbiFunction[];
const SENDERS: Address[] = ['0x0000000000000000000000000000000000010000', '0x0000000000000000000000000000000000020000', '0x0000000000000000000000000000000000030000'];
const TARGET: Address = '0x00000000000000000000000000000000000000aa';

function targets(): FuzzTargets {
  const functions: FuzzFunction[] = ABI.map((f) => ({ contract: 'T', address: TARGET, codec: functionCodec(f), payable: f.stateMutability === 'payable' }));
  functions.push({ contract: 'T', address: TARGET, codec: { name: 'receive', signature: 'receive()', selector: new Uint8Array(0), params: [], paramNames: [] }, payable: true });
  return { functions, properties: [], lookup: () => undefined };
}

const shown = (calls: readonly FuzzCall[]): unknown[] => calls.map((c) => [c.sender, c.target, c.value, bytesToHex(c.data), c.timeDelta, c.blockDelta]);

test('native generation: the same calls as the JS generator from the same stream, and the stream left where it would be', () => {
  const addon = loadAddon();
  const t = targets();
  for (const seed of [1, 2, 3, 77, 2 ** 40 + 5]) {
    const dictJs = dictionaryOf([...interestingValues(), 0xdeadbeefn, 1n << 200n], [...SENDERS, TARGET]);
    const dictNative = dictionaryOf([...interestingValues(), 0xdeadbeefn, 1n << 200n], [...SENDERS, TARGET]);
    const rngJs = new Rng(seed);
    const rngNative = new Rng(seed);
    const js = new CallGenerator(t, dictJs, SENDERS, rngJs);
    const native = new NativeFreshSequences(addon, t, dictNative, SENDERS, rngNative);
    let calls = 0;
    for (let s = 0; s < 40; s++) {
      if (s === 20) {
        // The dictionary learns mid-campaign (comparison feedback): the native side picks up the new words.
        for (const d of [dictJs, dictNative]) setLearntValues(d, [0x1337n, (1n << 255n) + 12345n]);
      }
      const depth = 1 + ((s * 7) % 30);
      const expected = js.sequence(depth);
      const got = native.sequence(depth);
      assert.equal(got.length, depth);
      assert.deepEqual(shown(got.calls), shown(expected), `seed ${seed}, sequence ${s}`);
      for (let k = 0; k < depth; k++) assert.equal(bytesToHex(got.data(k)), bytesToHex(expected[k]!.data));
      assert.equal(rngNative.u32(), rngJs.u32(), `seed ${seed}, sequence ${s}: the stream continues alike`);
      calls += depth;
    }
    assert.ok(calls > 500);
  }
});

test('native generation: a sequence larger than the program slab still comes out whole and equal', () => {
  const addon = loadAddon();
  const t = targets();
  const dict = dictionaryOf(interestingValues(), [...SENDERS, TARGET]);
  const js = new CallGenerator(t, dict, SENDERS, new Rng(9));
  const native = new NativeFreshSequences(addon, t, dict, SENDERS, new Rng(9));
  const expected = js.sequence(6000);
  const got = native.sequence(6000);
  assert.ok(got.program.length > 1 << 20, `the sequence (${got.program.length} bytes) outgrew one slab`);
  assert.deepEqual(shown(got.calls), shown(expected));
});

test('native generation: input-to-state candidates of a generated sequence stay program bytes, equal to those of its calls', () => {
  const t = targets();
  const dict = dictionaryOf(interestingValues(), [...SENDERS, TARGET]);
  const native = new NativeFreshSequences(loadAddon(), t, dict, SENDERS, new Rng(5));
  let compared = 0;
  for (let s = 0; s < 30; s++) {
    const seq = native.sequence(12);
    const calls = seq.calls.map((c) => ({ ...c })); // the same calls, as a plain array
    // Comparisons against each call's first argument word (when it has one), as the kernels would log them.
    const comparisons = calls.flatMap((c, call) => (c.data.length >= 36 ? [{ opcode: 0x14, call, a: readBigWord(c.data, 4), b: 0x1337n + BigInt(call) }] : []));
    const fromBytes = inputToState(seq, comparisons);
    const fromCalls = inputToState(calls, comparisons);
    assert.deepEqual(fromBytes.targets, fromCalls.targets);
    assert.equal(fromBytes.candidates.length, fromCalls.candidates.length);
    fromBytes.candidates.forEach((c, i) => {
      assert.ok(!Array.isArray(c), 'a candidate of a generated sequence is generated too');
      assert.deepEqual(shown(callsOf(c)), shown(fromCalls.candidates[i]!));
      compared++;
    });
  }
  assert.ok(compared > 20);
});

test('native generation: a malformed layout or argument is a clear error', () => {
  const addon = loadAddon();
  assert.throws(() => addon.evmFuzzGenerator(new Uint8Array([1, 0, 0])), /native (fuzz generator|EVM): /);
  const t: FuzzTargets = { ...targets(), functions: [] };
  assert.throws(() => new NativeFreshSequences(addon, t, dictionaryOf([], SENDERS), SENDERS, new Rng(1)), /bad function count/);
  const gen = addon.evmFuzzGenerator(configOf());
  assert.throws(() => addon.evmFuzzGenerate(gen, new Uint32Array(3), 1, new Uint8Array(100)), TypeError);
  assert.throws(() => addon.evmFuzzGenerate(gen, new Uint32Array(4), 0, new Uint8Array(100)), RangeError);
  assert.throws(() => addon.evmFuzzGeneratorWords(gen, new Uint8Array(31)), RangeError);
  const state = Uint32Array.of(1, 2, 3, 4);
  assert.equal(addon.evmFuzzGenerate(gen, state, 10, new Uint8Array(50)), -1, 'no room: nothing written');
  assert.deepEqual([...state], [1, 2, 3, 4], 'no room: the stream is not advanced');
});

/** A one-function generator config (function none(), one sender, no address words). */
function configOf(): Uint8Array {
  const b = new Uint8Array(4 + 20 + 1 + 4 + 1 + 4 + 4 + 4 + 20 + 4);
  const v = new DataView(b.buffer);
  v.setUint32(0, 1, true);
  b[24] = 4;
  b.set([1, 2, 3, 4], 25);
  v.setUint32(38, 1, true);
  return b;
}

let setup: FuzzSetup;
before(async () => {
  setup = await fuzzSetup(STEPS_SOURCE, 'Steps');
});

const OPTIONS: CampaignOptions = { seed: 11, maxExecs: 60_000, timeoutSeconds: 0, depth: 30, batch: 256, checkArithmetic: false, cmpFeedback: true, stopOnFail: false, shrinkLimit: 500 };

function fingerprint(r: CampaignResult): unknown {
  return {
    executions: r.executions,
    corpus: r.corpus,
    coverage: r.coverage,
    corpusSequences: r.corpusSequences.map(shown),
    outcomes: r.outcomes.map((o) => ({ check: o.check.name, foundAfter: o.foundAfter, calls: o.failure === undefined ? undefined : shown(o.failure.calls) })),
  };
}

test('native generation: a campaign is the same as with the JS generator (same seed, same everything)', { timeout: 120_000 }, async () => {
  const native = await setup.runner();
  assert.equal(typeof native.freshSequences, 'function', 'the native runner generates natively');
  const withNative = await runCampaign(setup.snapshot, setup.targets, native, OPTIONS);
  const inner = await setup.runner();
  // The same runner without its generator: the campaign falls back to the JS CallGenerator.
  const jsOnly: SequenceRunner = { backend: inner.backend, run: (s, o) => inner.run(s, o), coveredEdges: () => inner.coveredEdges() };
  const withJs = await runCampaign(setup.snapshot, setup.targets, jsOnly, OPTIONS);
  assert.ok(withNative.coverage > 0 && withNative.corpus > 0);
  assert.deepEqual(fingerprint(withNative), fingerprint(withJs));
});
