// The campaign's modes on small targets of their own (test/fuzz/targets/src, exploits in ../test):
//  - optimization: echidna_opt_product() is maximized (signed: the best is (-128) * (-128), not 127 * 127)
//    and the reported calls, shrunk to the two that matter, replayed on the reference executor, return that
//    best; a hand-made noisy best sequence shrinks to those two calls;
//  - assertions per function: each function's Panic(0x01) is its own check, shrunk to its own sequence,
//    and the functions without one pass;
//  - targetContracts()/targetSenders(): the campaign calls the two listed contracts (never the harness)
//    from the listed sender only, and breaks the property that needs both contracts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { runCampaign, type CampaignOptions } from '../../sequencer/fuzz/campaign.js';
import { describeCall, describeCallData } from '../../sequencer/fuzz/describe.js';
import { textSummary } from '../../sequencer/fuzz/report.js';
import { SerialSequenceRunner } from '../../sequencer/fuzz/serial-runner.js';
import { Encoder, encodeCall } from '../../sequencer/fuzz/abi.js';
import { dictionaryOf } from '../../sequencer/fuzz/dictionary.js';
import { CallGenerator } from '../../sequencer/fuzz/generate.js';
import { Optimizations } from '../../sequencer/fuzz/optimize.js';
import { Rng } from '../../sequencer/fuzz/rng.js';
import type { FuzzCall } from '../../sequencer/fuzz/types.js';
import type { Address } from '../../sequencer/primitives/types.js';
import { fuzzSetup } from './support/fuzz-setup.js';

const OPTIONS: CampaignOptions = { seed: 1, maxExecs: 60_000, timeoutSeconds: 0, depth: 20, batch: 256, checkArithmetic: false, cmpFeedback: true, stopOnFail: false, shrinkLimit: 2000 };

function targetSource(contract: string): string {
  return readFileSync(fileURLToPath(new URL(`./targets/src/${contract}.sol`, import.meta.url)), 'utf8');
}

test('optimization mode: the best int256 value and the calls that reach it', { timeout: 120_000 }, async () => {
  const setup = await fuzzSetup(targetSource('Optimize'), 'Optimize');
  assert.deepEqual(setup.targets.properties.map((p) => [p.name, p.optimize]), [['echidna_opt_product', true]]);
  const r = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), OPTIONS);
  assert.ok(r.executions >= OPTIONS.maxExecs, 'an optimization campaign runs its whole budget');
  assert.deepEqual(r.outcomes.filter((o) => o.failure !== undefined), [], 'no check broken');
  const [opt] = r.optimizations;
  assert.equal(opt?.name, 'echidna_opt_product');
  assert.equal(opt.best, 16384n, `best ${opt.best} after ${opt.calls.map((c) => describeCallData(setup.targets, c)).join(', ')}`);
  assert.ok(opt.foundAfter !== undefined && opt.foundAfter <= r.executions);
  const replay = new SerialSequenceRunner(await createExecutor('reference'), setup.snapshot, setup.targets.properties);
  const [again] = await replay.run([opt.calls]);
  assert.deepEqual(again!.optimized, [{ property: 0, value: 16384n }], 'the reported calls reach the best on the reference EVM');
  assert.equal(again!.propertyFailedAt[0], opt.calls.length, 'reached by the last reported call');
  assert.deepEqual(opt.calls.map((c) => describeCallData(setup.targets, c)).sort(), ['Optimize.setA(v=-128)', 'Optimize.setB(v=-128)'], 'shrunk to the two calls that matter');
  assert.ok(opt.originalLength! >= 2 && opt.shrinkRuns! > 0, `shrunk from ${opt.originalLength} calls in ${opt.shrinkRuns} runs`);
  const text = textSummary({ contract: 'Optimize', result: r, targets: setup.targets, reproducers: new Map() });
  assert.match(text, new RegExp(`optimum echidna_opt_product\\(\\) = 16384, found after \\d+ calls, shrunk from ${opt.originalLength} to 2 calls`));
});

test('optimization mode: a noisy best sequence shrinks to the shortest, simplest one reaching the same best', async () => {
  const setup = await fuzzSetup(targetSource('Optimize'), 'Optimize');
  const { targets, snapshot } = setup;
  const [a, b] = snapshot.senders as [Address, Address];
  const call = (name: string, v: bigint, sender: Address, extra: Partial<FuzzCall> = {}): FuzzCall => {
    const fn = targets.functions.find((f) => f.codec.name === name)!;
    return { sender, target: fn.address, value: 0n, data: encodeCall(new Encoder(), fn.codec, [v]), timeDelta: 0n, blockDelta: 0n, ...extra };
  };
  const noisy = [
    call('setC', 5n, b, { timeDelta: 3600n }),
    call('setA', -128n, b),
    call('setB', 7n, a, { blockDelta: 3n }),
    call('setC', 0n, b),
    call('setB', -128n, b, { timeDelta: 60n }),
    call('setC', 9n, a),
  ];
  const runner = await setup.runner();
  const optimizations = new Optimizations(targets.properties);
  const [result] = await runner.run([noisy], { coverage: false });
  assert.ok(optimizations.offer(noisy, result!, noisy.length));
  assert.equal(optimizations.outcomes()[0]!.calls.length, 5, 'the best (16384) is first reached after the fifth call');
  const gen = new CallGenerator(targets, dictionaryOf([], snapshot.senders), snapshot.senders, new Rng(1));
  await optimizations.shrink({ runner, targets, gen, senders: snapshot.senders }, 500);
  const [opt] = optimizations.outcomes();
  assert.equal(opt!.best, 16384n);
  assert.deepEqual(opt!.calls.map((c) => describeCall(targets, c)), [`Optimize.setA(v=-128)  from ${a}`, `Optimize.setB(v=-128)  from ${a}`]);
  assert.ok(opt!.calls.every((c) => c.timeDelta === 0n && c.blockDelta === 0n), 'no jumps');
  assert.equal(opt!.originalLength, 5);
  assert.ok(opt!.shrinkRuns! > 0 && opt!.shrinkRuns! <= 500, `${opt!.shrinkRuns} runs within the budget`);
});

test('assertion checking per function: each failing function is its own check with its own sequence', { timeout: 120_000 }, async () => {
  const setup = await fuzzSetup(targetSource('MultiAssert'), 'MultiAssert');
  const r = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, maxExecs: 100_000 });
  const assertions = r.outcomes.filter((o) => o.check.kind === 'assertion');
  assert.deepEqual(assertions.map((o) => o.check.name).sort(), ['assert_arm', 'assert_fire', 'assert_halve', 'assert_stamp']);
  const broken = new Map(assertions.filter((o) => o.failure !== undefined).map((o) => [o.check.name, o.failure!.calls.map((c) => describeCallData(setup.targets, c))]));
  assert.deepEqual([...broken.keys()].sort(), ['assert_fire', 'assert_stamp']);
  assert.deepEqual(broken.get('assert_fire'), ['MultiAssert.arm(key=659918)', 'MultiAssert.fire(v=3)']);
  assert.deepEqual(broken.get('assert_stamp'), ['MultiAssert.stamp(x=48879)']);
  assert.match(assertions.find((o) => o.check.name === 'assert_stamp')!.check.description, /in MultiAssert\.stamp\(uint16\)/);
});

test('targetContracts() and targetSenders(): the listed contracts, called from the listed sender', { timeout: 120_000 }, async () => {
  const setup = await fuzzSetup(targetSource('MultiTarget'), 'MultiTarget');
  const keeper = '0x000000000000000000000000000000000000beef';
  assert.deepEqual(setup.snapshot.senders.map((s) => s.toLowerCase()), [keeper]);
  assert.deepEqual([...new Set(setup.targets.functions.map((f) => f.contract))].sort(), ['Registry', 'Vault']);
  assert.equal(setup.snapshot.state.getAccount(setup.snapshot.senders[0]!)?.balance, setup.snapshot.senderBalance, 'the listed sender is funded');
  const r = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), OPTIONS);
  const outcome = r.outcomes.find((o) => o.check.name === 'echidna_vault_closed');
  assert.ok(outcome?.failure !== undefined, 'the property needing both contracts breaks');
  assert.deepEqual(
    outcome.failure.calls.map((c) => describeCall(setup.targets, c).toLowerCase()),
    [`registry.register()  from ${keeper}`, `vault.open()  from ${keeper}`],
  );
});
