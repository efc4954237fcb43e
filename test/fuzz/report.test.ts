// The campaign summary, as text and JSON: every broken check with the seed that finds it, its shrunk sequence
// (decoded) and where its reproducer is; each optimum with its shrunk calls; the corpus replay and the coverage
// report's files when there are.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { CampaignResult } from '../../sequencer/fuzz/campaign.js';
import { campaignChecks } from '../../sequencer/fuzz/checks.js';
import { jsonSummary, progressLine, textSummary, type SummaryInput } from '../../sequencer/fuzz/report.js';
import type { FuzzCall } from '../../sequencer/fuzz/types.js';
import { fuzzSetup, STEPS_SOURCE, type FuzzSetup } from './support/fuzz-setup.js';

let setup: FuzzSetup;
before(async () => {
  setup = await fuzzSetup(STEPS_SOURCE, 'Steps');
});

function summary(): SummaryInput {
  const setStep = setup.targets.functions.find((f) => f.codec.name === 'setStep')!;
  const call = (a: bigint): FuzzCall => ({
    sender: setup.snapshot.senders[1]!,
    target: setStep.address,
    value: 0n,
    timeDelta: a === 1001n ? 60n : 0n,
    blockDelta: 0n,
    data: new Uint8Array([...setStep.codec.selector, ...Buffer.from(a.toString(16).padStart(64, '0'), 'hex')]),
  });
  const checks = campaignChecks(setup.targets.properties, setup.targets.functions, false);
  const step = checks.find((c) => c.name === 'echidna_step')!;
  const calls = [call(0x1337n), call(1001n)];
  const result: CampaignResult = {
    seed: 99,
    backend: 'cpu',
    executions: 12_345,
    seconds: 2,
    shrinkSeconds: 0.5,
    coverage: 40,
    corpus: 9,
    corpusSequences: [],
    replayed: 5,
    replayCoverage: 31,
    outcomes: checks.map((check) => (check === step ? { check, failure: { check, calls }, foundAfter: 4000, originalLength: 17, shrinkRuns: 120 } : { check })),
    optimizations: [{ name: 'echidna_opt_step', best: 2n, calls, foundAfter: 3000, originalLength: 9, shrinkRuns: 40 }],
  };
  return {
    contract: 'Steps',
    result,
    targets: setup.targets,
    reproducers: new Map([['echidna_step', { path: '/p/test/FuzzRepro_Steps_echidna_step.t.sol', source: '// repro' }]]),
    corpusDir: '/p/corpus',
    report: { lcov: '/p/cov/lcov.info', html: '/p/cov/index.html' },
  };
}

test('text summary: per broken check the seed, the shrunk sequence and the reproducer path', () => {
  const text = textSummary(summary());
  const lines = text.split('\n');
  assert.equal(lines[0], 'fuzz Steps on cpu, seed 99');
  assert.ok(lines.includes('  corpus /p/corpus: 5 saved sequences replayed first (coverage 31 edges after them)'));
  assert.ok(lines.includes('  coverage report: /p/cov/index.html (LCOV: /p/cov/lcov.info)'));
  const at = lines.indexOf('  BROKEN  property echidna_step(): found after 4000 calls with seed 99, shrunk from 17 to 2 calls');
  assert.ok(at > 0, text);
  assert.deepEqual(lines.slice(at + 1, at + 4), [
    `      1. Steps.setStep(a=4919)  from ${setup.snapshot.senders[1]}`,
    `      2. Steps.setStep(a=1001)  from ${setup.snapshot.senders[1]}, after +60 s`,
    '      reproducer: /p/test/FuzzRepro_Steps_echidna_step.t.sol',
  ]);
  assert.ok(lines.includes('  passed  property echidna_solvent()'));
  const opt = lines.indexOf('  optimum echidna_opt_step() = 2, found after 3000 calls, shrunk from 9 to 2 calls');
  assert.ok(opt > 0, text);
  assert.equal(lines[opt + 1], `      1. Steps.setStep(a=4919)  from ${setup.snapshot.senders[1]}`);
  // 2 properties, an assertion check for each of the 4 functions, the ETH-leak and self-destruct oracles.
  assert.equal(lines.at(-2), '1 of 8 checks broken (seed 99)');
});

test('text summary: a reproducer with nowhere to go is said to be printed', () => {
  const s = summary();
  const text = textSummary({ ...s, reproducers: new Map([['echidna_step', { source: '// repro' }]]) });
  assert.match(text, /^ {6}reproducer: printed below \(no forge project to write it into\)$/m);
});

test('JSON summary: the same facts, per check', () => {
  const json = JSON.parse(jsonSummary(summary())) as Record<string, unknown> & { checks: Record<string, unknown>[] };
  assert.equal(json.seed, 99);
  assert.equal(json.replayed, 5);
  assert.equal(json.replayCoverage, 31);
  assert.equal(json.corpusDir, '/p/corpus');
  assert.deepEqual(json.coverageReport, { lcov: '/p/cov/lcov.info', html: '/p/cov/index.html' });
  const step = json.checks.find((c) => c.name === 'echidna_step')!;
  assert.equal(step.status, 'broken');
  assert.equal(step.seed, 99);
  assert.deepEqual((step.calls as { decoded: string; timeDelta: string }[]).map((c) => [c.decoded, c.timeDelta]), [['Steps.setStep(a=4919)', '0'], ['Steps.setStep(a=1001)', '60']]);
  assert.deepEqual(step.reproducer, { path: '/p/test/FuzzRepro_Steps_echidna_step.t.sol', source: '// repro' });
  assert.deepEqual(json.checks.find((c) => c.name === 'echidna_solvent'), { name: 'echidna_solvent', kind: 'property', description: 'property echidna_solvent()', status: 'passed' });
  const [opt] = json.optimizations as Record<string, unknown>[];
  assert.deepEqual([opt!.name, opt!.best, opt!.foundAfter, opt!.originalLength, opt!.shrinkRuns, (opt!.calls as unknown[]).length], ['echidna_opt_step', '2', 3000, 9, 40, 2]);
});

test('progress line: calls/s, coverage, corpus and broken checks', () => {
  assert.equal(
    progressLine({ phase: 'fuzzing', executions: 5000, seconds: 2, coverage: 40, corpus: 9, broken: 1, checks: 5 }),
    '[fuzz] 2.0 s  5000 calls  2500 calls/s  coverage 40 edges  corpus 9  broken 1/5',
  );
});
