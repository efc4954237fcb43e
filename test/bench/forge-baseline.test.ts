// The forge invariant-fuzzing baseline (bench/fuzz/forge-baseline.ts): a tiny campaign on the benchmark
// project, and the parsing of forge's JSON output and durations.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FORGE_BENCH_PROJECT, measureForgeInvariant, parseForgeDuration, parseForgeInvariantJson } from '../../bench/fuzz/forge-baseline.js';

// Its own out/cache: the fuzz bench smoke test builds the same project and may run at the same time.
const buildDir = mkdtempSync(join(tmpdir(), 'forge-baseline-'));
after(() => rmSync(buildDir, { recursive: true, force: true }));

describe('forge invariant baseline', () => {
  it('parses forge durations', () => {
    assert.ok(Math.abs(parseForgeDuration('402ms 619µs 651ns') - 0.402619651) < 1e-12);
    assert.ok(Math.abs(parseForgeDuration('1m 2s 3ms') - 62.003) < 1e-9);
    assert.throws(() => parseForgeDuration('soon'));
  });

  it('reads exactly one passing invariant test from forge --json', () => {
    const inv = (status: string) => ({ status, reason: status === 'Success' ? null : 'x', duration: '10ms', kind: { Invariant: { runs: 2, calls: 20, reverts: 3, metrics: { 'src/A.sol:A.f': { calls: 20, reverts: 3, discards: 0 } } } } });
    const one = { 'test/I.t.sol:I': { duration: '12ms', test_results: { 'invariant_p()': inv('Success') } } };
    const r = parseForgeInvariantJson(`noise\n${JSON.stringify(one)}`);
    assert.deepEqual({ calls: r.calls, reverts: r.reverts, runs: r.runs, testSeconds: r.testSeconds, suiteSeconds: r.suiteSeconds }, { calls: 20, reverts: 3, runs: 2, testSeconds: 0.01, suiteSeconds: 0.012 });
    assert.deepEqual(r.selectors, { 'A.f': { calls: 20, reverts: 3 } });
    assert.throws(() => parseForgeInvariantJson(JSON.stringify({ 'test/I.t.sol:I': { test_results: { 'invariant_p()': inv('Failure') } } })), /did not pass/);
    assert.throws(() => parseForgeInvariantJson(JSON.stringify({ 'test/I.t.sol:I': { test_results: { 'invariant_p()': inv('Success'), 'invariant_q()': inv('Success') } } })), /exactly one/);
    assert.throws(() => parseForgeInvariantJson(JSON.stringify({})), /exactly one/);
  });

  it('measures a 4 x 25 campaign on Correct: runs x depth calls, calls/s from forge\'s own test time', { timeout: 120_000 }, async () => {
    const r = await measureForgeInvariant({ project: FORGE_BENCH_PROJECT, match: '^CorrectInvariants$', runs: 4, depth: 25, seed: 1, buildDir });
    assert.equal(r.runs, 4);
    assert.equal(r.calls, 100, 'FOUNDRY_INVARIANT_RUNS x FOUNDRY_INVARIANT_DEPTH calls');
    assert.ok(r.reverts >= 0 && r.reverts <= r.calls);
    assert.equal(r.timeSource, 'test');
    assert.ok(r.seconds > 0 && r.seconds === r.testSeconds && r.wallSeconds >= r.seconds);
    assert.ok(r.cpuSeconds > 0 && r.cpuSeconds < 4 * r.wallSeconds, `forge CPU time ${r.cpuSeconds} s (bash times)`);
    assert.ok(Math.abs(r.callsPerSecond - r.calls / r.seconds) < 1e-9);
    assert.match(r.forgeVersion, /^\d+\.\d+\.\d+/);
    assert.match(r.test, /CorrectInvariants invariant_properties\(\)/);
    // Only the target's state-changing functions are called (targetContracts), view ones are not.
    assert.deepEqual(Object.keys(r.selectors).sort(), ['Correct.approve', 'Correct.burn', 'Correct.mint', 'Correct.transfer', 'Correct.transferFrom']);
  });

  it('rejects a match with no invariant test', { timeout: 60_000 }, async () => {
    await assert.rejects(measureForgeInvariant({ project: FORGE_BENCH_PROJECT, match: '^NoSuchContract$', runs: 1, depth: 1, buildDir }), /no test in .* matches --match-contract \^NoSuchContract\$/);
  });
});
