// The campaign is a function of its seed: two runs with the same seed and budget break the same checks after
// the same number of calls and shrink them to the same sequences, with the same corpus and coverage; another
// seed takes another path. And it finds what it should: a magic value then a range (property), then an
// assertion behind that state.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { bytesToHex } from '../../sequencer/primitives/types.js';
import { runCampaign, type CampaignOptions, type CampaignResult } from '../../sequencer/fuzz/campaign.js';
import { describeCallData } from '../../sequencer/fuzz/describe.js';
import { fuzzSetup, STEPS_SOURCE, type FuzzSetup } from './support/fuzz-setup.js';

let setup: FuzzSetup;
before(async () => {
  setup = await fuzzSetup(STEPS_SOURCE, 'Steps');
});

const OPTIONS: Omit<CampaignOptions, 'seed'> = {
  maxExecs: 150_000,
  timeoutSeconds: 0,
  depth: 30,
  batch: 256,
  checkArithmetic: false,
  cmpFeedback: true,
  stopOnFail: false,
  shrinkLimit: 2000,
};

async function campaign(seed: number): Promise<CampaignResult> {
  return runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, seed });
}

/** Everything a run decides, without its timings. */
function fingerprint(r: CampaignResult): unknown {
  return {
    executions: r.executions,
    corpus: r.corpus,
    coverage: r.coverage,
    outcomes: r.outcomes.map((o) => ({
      check: o.check.name,
      foundAfter: o.foundAfter,
      originalLength: o.originalLength,
      shrinkRuns: o.shrinkRuns,
      calls: o.failure?.calls.map((c) => [c.sender, c.target, c.value, bytesToHex(c.data), c.timeDelta, c.blockDelta]),
    })),
  };
}

test('campaign: the same seed gives the same run; another seed another run', { timeout: 120_000 }, async () => {
  const a = await campaign(42);
  const b = await campaign(42);
  assert.deepEqual(fingerprint(b), fingerprint(a));
  const c = await campaign(43);
  assert.notDeepEqual(fingerprint(c), fingerprint(a));
});

test('campaign: finds the two-step property and the assertion behind it, shrunk to their shortest sequences', { timeout: 120_000 }, async () => {
  const r = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, maxExecs: 300_000, seed: 5 });
  const broken = new Map(r.outcomes.filter((o) => o.failure !== undefined).map((o) => [o.check.name, o.failure!.calls.map((c) => describeCallData(setup.targets, c))]));
  assert.deepEqual([...broken.keys()].sort(), ['assert_poke', 'echidna_step']);
  assert.deepEqual(broken.get('echidna_step'), ['Steps.setStep(a=4919)', 'Steps.setStep(a=1001)']);
  assert.deepEqual(broken.get('assert_poke'), ['Steps.setStep(a=4919)', 'Steps.setStep(a=1001)', 'Steps.poke(v=7)']);
  assert.ok(r.coverage > 0 && r.corpus > 0, 'the native runner reports coverage and the corpus grows');
});
