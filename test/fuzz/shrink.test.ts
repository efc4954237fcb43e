// The shrinker on a hand-made failing sequence: noise calls, other senders, ETH and time jumps around the two
// calls that matter must all go, and the range argument must come down to the smallest value that still
// fails (1001 for `a > 1000`); for an assertion, the culprit call stays the same function. Deterministic and
// within its budget.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Address } from '../../sequencer/primitives/types.js';
import { Encoder, encodeCall, type AbiValue } from '../../sequencer/fuzz/abi.js';
import { campaignChecks, findFailure, type Check, type Failure } from '../../sequencer/fuzz/checks.js';
import { describeCall } from '../../sequencer/fuzz/describe.js';
import { dictionaryOf } from '../../sequencer/fuzz/dictionary.js';
import { CallGenerator } from '../../sequencer/fuzz/generate.js';
import { Rng } from '../../sequencer/fuzz/rng.js';
import { shrink, smaller, type ShrinkContext } from '../../sequencer/fuzz/shrink.js';
import type { FuzzCall } from '../../sequencer/fuzz/types.js';
import { fuzzSetup, STEPS_SOURCE, type FuzzSetup } from './support/fuzz-setup.js';

let setup: FuzzSetup;
let ctx: ShrinkContext;
before(async () => {
  setup = await fuzzSetup(STEPS_SOURCE, 'Steps');
  const { snapshot, targets } = setup;
  ctx = { runner: await setup.runner(), targets, gen: new CallGenerator(targets, dictionaryOf([], snapshot.senders), snapshot.senders, new Rng(1)), senders: snapshot.senders };
});

function call(name: string, args: AbiValue[], sender: Address, extra: Partial<FuzzCall> = {}): FuzzCall {
  const fn = setup.targets.functions.find((f) => f.codec.name === name)!;
  return { sender, target: fn.address, value: 0n, data: encodeCall(new Encoder(), fn.codec, args), timeDelta: 0n, blockDelta: 0n, ...extra };
}

function noisy(): FuzzCall[] {
  const [a, b, c] = setup.snapshot.senders as [Address, Address, Address];
  return [
    call('deposit', [], b, { value: 10n ** 18n, timeDelta: 3600n, blockDelta: 2n }),
    call('poke', [99n], c),
    call('setStep', [5n], a, { timeDelta: 100n }),
    call('withdraw', [10n ** 17n], b),
    call('setStep', [0x1337n], c, { blockDelta: 7n }),
    call('poke', [3n], a, { timeDelta: 86400n }),
    call('deposit', [], c, { value: 12345n }),
    call('setStep', [1999n], b, { timeDelta: 500n, blockDelta: 1n }),
    call('poke', [7n], c, { timeDelta: 9n }),
    call('withdraw', [1n], a),
    call('setStep', [1500n], a),
  ];
}

async function failureOf(check: Check, seq: FuzzCall[]): Promise<Failure> {
  const [result] = await ctx.runner.run([seq], { coverage: false });
  const failure = findFailure(check, seq, result!);
  assert.ok(failure, `the hand-made sequence breaks ${check.name}`);
  return failure;
}

const checks = (): Check[] => campaignChecks(setup.targets.properties, setup.targets.functions, false);

test('shrink: a property failure comes down to its two calls, first sender, no ETH or jumps, smallest failing argument', async () => {
  const check = checks().find((c) => c.name === 'echidna_step')!;
  const failure = await failureOf(check, noisy());
  assert.equal(failure.calls.length, 8, 'the failure is the prefix up to the breaking call');
  const first = await shrink(ctx, failure, 5000);
  const sender = setup.snapshot.senders[0];
  assert.deepEqual(
    first.failure.calls.map((c) => describeCall(setup.targets, c)),
    [`Steps.setStep(a=4919)  from ${sender}`, `Steps.setStep(a=1001)  from ${sender}`],
  );
  assert.ok(first.runs > 0 && first.runs <= 5000);
  const again = await shrink(ctx, failure, 5000);
  assert.deepEqual(again, first, 'shrinking is deterministic');
});

test('shrink: an assertion failure keeps its culprit function; a zero budget changes nothing', async () => {
  const check = checks().find((c) => c.name === 'assert_poke')!;
  const failure = await failureOf(check, noisy());
  assert.equal(failure.calls.length, 9);
  const { failure: shrunk } = await shrink(ctx, failure, 5000);
  assert.deepEqual(
    shrunk.calls.map((c) => describeCall(setup.targets, c).replace(/ {2}from .*/, '')),
    ['Steps.setStep(a=4919)', 'Steps.setStep(a=1001)', 'Steps.poke(v=7)'],
  );
  assert.equal(shrunk.culprit, failure.culprit);
  const none = await shrink(ctx, failure, 0);
  assert.deepEqual(none, { failure, runs: 0 });
});

test('shrink: smaller() steps toward 0 and toward n, never up, nothing below 0', () => {
  assert.deepEqual(smaller(0n), []);
  assert.deepEqual(smaller(1n), [0n]);
  const s = smaller(1999n);
  assert.equal(s[0], 0n);
  assert.ok(s.includes(1998n) && s.includes(999n) && s.every((v) => v >= 0n && v < 1999n));
});
