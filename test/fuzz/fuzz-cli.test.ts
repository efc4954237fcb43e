// `npm run fuzz` end to end on a forge project of its own: a contract with one bug per check (a property, an
// assertion, an ETH leak, a SELFDESTRUCT, an overflow) gets every bug reported, and every reproducer it
// writes FAILS under `forge test` for its reason, and PASSES once the bug is fixed in the source (so it
// tests the bug, not a drift between the fuzzer and forge); a correct contract raises no alarm; bad input
// is a clear error.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { forgeProject, forgeTest, fuzzCli } from './support/forge-project.js';

const PIGGY = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Piggy {
  address public immutable owner;
  uint256 public counter;
  uint8 public small;
  constructor() payable { owner = msg.sender; }
  function bump(uint256 by) external { counter += by % 4; }
  function check(uint256 x) external { require(x < 1000, "too big"); assert(x != 777); }
  function claim(uint64 code) external { if (code == 0xC0FFEE) payable(msg.sender).transfer(1 ether); }
  function kill(uint256 pin) external { if (pin == 0xDEAD) selfdestruct(payable(address(this))); }
  function grow(uint8 by) external { small = by + 200; }
  function echidna_counter_small() external view returns (bool) { return counter < 10; }
  function echidna_owner_fixed() external view returns (bool) { return owner == address(0x30000); }
}
`;

// The same contract with every bug fixed (same functions, same storage, same constructor).
const PIGGY_FIXED = PIGGY.replace('counter += by % 4;', 'counter = (counter + by % 4) % 10;')
  .replace('assert(x != 777);', 'assert(x != 1000);')
  .replace('payable(msg.sender).transfer(1 ether);', 'counter = 0;')
  .replace('selfdestruct(payable(address(this)));', 'counter = 0;')
  .replace('small = by + 200;', 'small = by % 56 + 200;');

const SAFE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Safe {
  mapping(address => uint256) public balanceOf;
  uint256 public total;
  function deposit() external payable { balanceOf[msg.sender] += msg.value; total += msg.value; }
  function withdraw(uint256 amount) external {
    require(balanceOf[msg.sender] >= amount, "balance");
    balanceOf[msg.sender] -= amount;
    total -= amount;
    payable(msg.sender).transfer(amount);
  }
  function echidna_solvent() external view returns (bool) { return address(this).balance == total; }
}
`;

const EXPECTED: Record<string, string> = {
  echidna_counter_small: 'echidna_counter_small() is broken',
  assert_check: 'assertion failure: Panic(0x01)',
  eth_leak: 'ETH leaked to the senders',
  self_destruct: 'SELFDESTRUCT ran',
  arithmetic: 'arithmetic panic',
};

let project: string;
before(() => {
  project = forgeProject('fuzz-cli-', { 'Piggy.sol': PIGGY, 'Safe.sol': SAFE });
});
after(() => rmSync(project, { recursive: true, force: true }));

interface JsonSummary {
  seed: number;
  executions: number;
  checks: { name: string; status: string; calls?: unknown[]; reproducer?: { path?: string; source: string } }[];
}

test('fuzz CLI: every bug of Piggy found; each reproducer fails under forge for its reason and passes once fixed', { timeout: 300_000 }, () => {
  const args = ['--project', project, '--contract', 'Piggy', '--seed', '11', '--max-execs', '150000', '--check-arithmetic', '--deploy-value', '5000000000000000000', '--json'];
  const r = fuzzCli(args);
  assert.equal(r.status, 1, `exit 1 when something is broken\n${r.stderr.slice(-3000)}`);
  assert.match(r.stderr, /\[fuzz\] .*calls\/s/, 'progress lines on stderr');
  const summary = JSON.parse(r.stdout) as JsonSummary;
  assert.equal(summary.seed, 11);
  const broken = summary.checks.filter((c) => c.status === 'broken');
  assert.deepEqual(broken.map((c) => c.name).sort(), Object.keys(EXPECTED).sort());
  // Assertions are checked per function: the functions without an assert pass.
  assert.deepEqual(summary.checks.filter((c) => c.status === 'passed').map((c) => c.name).sort(), ['assert_bump', 'assert_claim', 'assert_grow', 'assert_kill', 'echidna_owner_fixed']);

  for (const c of broken) {
    assert.ok(c.reproducer?.path, `${c.name}: a reproducer was written`);
    assert.equal(readFileSync(c.reproducer.path, 'utf8'), c.reproducer.source);
    assert.ok(c.calls!.length <= 4, `${c.name}: shrunk (${c.calls!.length} calls)`);
  }
  const failing = forgeTest(project);
  assert.notEqual(failing.status, 0, 'forge test fails');
  for (const [check, reason] of Object.entries(EXPECTED)) {
    assert.deepEqual(failing.results.get(`test_${check}`), { passed: false, reason }, `${check}:\n${failing.output.slice(-4000)}`);
  }

  writeFileSync(join(project, 'src/Piggy.sol'), PIGGY_FIXED);
  const fixed = forgeTest(project);
  for (const check of Object.keys(EXPECTED)) {
    assert.deepEqual(fixed.results.get(`test_${check}`), { passed: true, reason: '' }, `${check} passes on the fixed contract:\n${fixed.output.slice(-4000)}`);
  }
  writeFileSync(join(project, 'src/Piggy.sol'), PIGGY);
});

test('fuzz CLI: a correct contract raises no alarm and writes no reproducer', { timeout: 120_000 }, () => {
  const r = fuzzCli(['--project', project, '--contract', 'Safe', '--seed', '3', '--max-execs', '100000']);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  assert.match(r.stdout, /^fuzz Safe on \S+, seed 3$/m);
  assert.match(r.stdout, /^ {2}passed {2}property echidna_solvent\(\)$/m);
  assert.match(r.stdout, /^0 of 5 checks broken \(seed 3\)$/m);
  assert.ok(!readdirSync(join(project, 'test')).some((f) => f.includes('Safe')));
});

test('fuzz CLI: bad input is a clear error (exit 2); the seed is random but printed', { timeout: 120_000 }, () => {
  const unknown = fuzzCli(['--project', project, '--contract', 'Nope']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^fuzz: no compiled contract named Nope \(have: .*Piggy.*Safe/m);
  const badNumber = fuzzCli(['--contract', 'Piggy', '--max-execs', 'lots']);
  assert.equal(badNumber.status, 2);
  assert.match(badNumber.stderr, /^fuzz: --max-execs must be an integer ≥ 0, got lots$/m);
  const noProject = fuzzCli(['--project', join(project, 'missing'), '--contract', 'Piggy']);
  assert.equal(noProject.status, 2);
  assert.match(noProject.stderr, /is not a forge project \(no foundry.toml\)/);
  const random = fuzzCli(['--project', project, '--contract', 'Safe', '--max-execs', '1000', '--no-repro']);
  assert.equal(random.status, 0, random.stderr);
  assert.match(random.stdout, /seed \d+/);
  assert.ok(existsSync(join(project, 'out')));
});
