// The fuzzer against the official targets (test/fuzz/targets/src, see its README): within a bounded budget
// it breaks exactly the known-broken checks of each vulnerable target, each reproducer it writes fails under
// `forge test` for that check, and the correct targets raise no alarm. Runs on a copy of the sources, so
// reproducers never land in the repository.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { forgeProject, forgeTest, fuzzCli, ROOT } from './support/forge-project.js';

interface Target {
  contract: string;
  /** Checks that must break (exactly these). */
  broken: string[];
  maxExecs: number;
}

const TARGETS: Target[] = [
  { contract: 'Overflow', broken: ['echidna_balance_le_supply'], maxExecs: 1_000_000 },
  { contract: 'AccessControl', broken: ['echidna_owner_unchanged', 'echidna_only_owner_withdraws'], maxExecs: 1_000_000 },
  { contract: 'Reentrancy', broken: ['echidna_bank_solvent', 'echidna_attacker_no_profit'], maxExecs: 1_000_000 },
  { contract: 'MagicValue', broken: ['echidna_vault_closed'], maxExecs: 1_000_000 },
  { contract: 'MultiStep', broken: ['echidna_no_early_claim'], maxExecs: 3_000_000 },
  // Its property holds, so the campaign runs its whole (small) budget.
  { contract: 'Assertion', broken: ['assert_buy'], maxExecs: 100_000 },
  { contract: 'Correct', broken: [], maxExecs: 200_000 },
  { contract: 'CorrectAmm', broken: [], maxExecs: 100_000 },
];
const SEED = '1';

let project: string;
before(() => {
  const src = join(ROOT, 'test/fuzz/targets/src');
  project = forgeProject('fuzz-targets-', Object.fromEntries(readdirSync(src).map((f) => [f, readFileSync(join(src, f), 'utf8')])));
});
after(() => rmSync(project, { recursive: true, force: true }));

interface JsonCheck {
  name: string;
  status: string;
  reproducer?: { path?: string };
}

test('fuzz targets: each known bug found and reproduced under forge, the correct targets stay clean', { timeout: 300_000 }, () => {
  const reproducers: string[] = [];
  for (const t of TARGETS) {
    const r = fuzzCli(['--project', project, '--contract', t.contract, '--seed', SEED, '--max-execs', String(t.maxExecs), '--json'], 180_000);
    assert.equal(r.status, t.broken.length > 0 ? 1 : 0, `${t.contract}: exit status\n${r.stderr.slice(-3000)}`);
    const checks = (JSON.parse(r.stdout) as { checks: JsonCheck[] }).checks;
    const broken = checks.filter((c) => c.status === 'broken');
    assert.deepEqual(broken.map((c) => c.name).sort(), [...t.broken].sort(), `${t.contract}: broken checks`);
    for (const c of broken) {
      assert.ok(c.reproducer?.path?.endsWith(`FuzzRepro_${t.contract}_${c.name}.t.sol`), `${t.contract}.${c.name}: reproducer written`);
      reproducers.push(`FuzzRepro_${t.contract}_${c.name}`);
    }
  }
  const run = forgeTest(project, '--match-contract', 'FuzzRepro_');
  for (const contract of reproducers) {
    assert.ok(run.output.includes(`test/${contract}.t.sol:${contract}`), `${contract} ran under forge:\n${run.output.slice(-3000)}`);
  }
  const outcomes = [...run.results.entries()];
  assert.equal(outcomes.length, reproducers.length, `one forge test per reproducer:\n${run.output.slice(-3000)}`);
  for (const [name, result] of outcomes) {
    assert.equal(result.passed, false, `${name} fails under forge`);
    assert.match(result.reason, name.startsWith('test_assert_') ? /^assertion failure: Panic\(0x01\)$/ : new RegExp(`^${name.slice(5)}\\(\\) is broken$`));
  }
});
