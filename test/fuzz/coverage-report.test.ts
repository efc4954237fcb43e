// `npm run fuzz -- --coverage-report DIR` on a hand-checked contract (test/fuzz/targets/src/LineCount.sol)
// with a corpus written by hand and no fuzzing (--max-execs 0: the report replays the corpus only), so how
// many calls ran each line is known: the LCOV file read back has exactly those counts, and the HTML view,
// rendered in headless chromium, marks each line hit, reverted only, or never reached (screenshot in
// test/artifacts/). Lines of an imported file are found through forge's build-info.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { encodeFunctionData, getContractAddress, parseAbi } from 'viem';
import { CorpusDir } from '../../sequencer/fuzz/corpus-dir.js';
import { DEFAULT_DEPLOYER, DEFAULT_SENDERS } from '../../sequencer/fuzz/snapshot.js';
import type { FuzzCall } from '../../sequencer/fuzz/types.js';
import { hexToU8, toAddress, type Hex } from '../../sequencer/primitives/types.js';
import { forgeProject, fuzzCli, ROOT } from './support/forge-project.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test/artifacts');
const ABI = parseAbi(['function add(uint256)', 'function addTwice(uint256)', 'function never(uint256)', 'function fail(uint256)']);
/** The deployer's first contract. */
const TARGET = toAddress(getContractAddress({ from: DEFAULT_DEPLOYER, nonce: 0n }));

/** A call from the first sender to the target (every target here is the deployer's first contract). */
function callWith(data: Hex): FuzzCall {
  return { sender: DEFAULT_SENDERS[0]!, target: TARGET, value: 0n, timeDelta: 0n, blockDelta: 0n, data: hexToU8(data) };
}

function call(functionName: 'add' | 'addTwice' | 'fail', x: bigint): FuzzCall {
  return callWith(encodeFunctionData({ abi: ABI, functionName, args: [x] }));
}

// The corpus: add(1), add(2), addTwice(3) succeed; add(200), addTwice(0) and fail(5) revert.
const CORPUS = [[call('add', 1n), call('add', 2n), call('addTwice', 3n)], [call('add', 200n), call('addTwice', 0n)], [call('fail', 5n)]];

// Per executable line of LineCount.sol: [calls that ran it and succeeded, calls that ran it and reverted].
// The contract line is the dispatcher (every call); a function's line is its entry and ABI decoding.
const EXPECTED: Record<number, [number, number]> = {
  6: [3, 3], //   contract LineCount {
  10: [2, 1], //  function add(uint256 x) external {
  11: [2, 1], //    require(x < 100, "too big");
  12: [2, 0], //    total += x;
  15: [1, 1], //  function addTwice(uint256 x) external {
  16: [1, 1], //    if (x == 0) {
  17: [0, 1], //      revert("zero");
  19: [1, 0], //    total += 2 * x;
  22: [0, 0], //  function never(uint256 x) external {
  23: [0, 0], //    marks = x + 7;
  26: [0, 1], //  function fail(uint256 x) external {
  27: [0, 1], //    marks = x;
  28: [0, 1], //    revert("always");
};

// A contract whose code comes from two files: source ids other than the artifact's own come from forge's
// build-info.
const BASE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
abstract contract Base {
  uint256 internal count;
  function bump() external {
    count += 1;
  }
}
`;
const CHILD = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
import {Base} from "./Base.sol";
contract Child is Base {
  function reset() external {
    count = 0;
  }
}
`;

let project: string;
before(() => {
  // Without the optimizer every statement keeps its own code (with it, solc shares code between
  // statements, and the shared code counts toward the one line its source map names).
  const sources = { 'LineCount.sol': readFileSync(join(ROOT, 'test/fuzz/targets/src/LineCount.sol'), 'utf8'), 'Base.sol': BASE, 'Child.sol': CHILD };
  project = forgeProject('fuzz-coverage-', sources, 'cancun', false);
  const corpus = new CorpusDir(join(project, 'corpus'));
  for (const seq of CORPUS) corpus.save(seq);
});
after(() => rmSync(project, { recursive: true, force: true }));

function lcovRecords(text: string): Map<string, { da: Map<number, number>; lf: number; lh: number }> {
  const out = new Map<string, { da: Map<number, number>; lf: number; lh: number }>();
  for (const record of text.split('end_of_record\n').filter((r) => r.trim() !== '')) {
    const lines = record.trim().split('\n');
    const file = lines.find((l) => l.startsWith('SF:'))!.slice(3);
    const da = new Map(lines.filter((l) => l.startsWith('DA:')).map((l) => l.slice(3).split(',').map(Number) as [number, number]));
    const num = (tag: string): number => Number(lines.find((l) => l.startsWith(tag))!.slice(tag.length));
    out.set(file, { da, lf: num('LF:'), lh: num('LH:') });
  }
  return out;
}

test('coverage report: LCOV line counts of a hand-checked contract, and the HTML view in headless chromium', { timeout: 180_000 }, async () => {
  const report = join(project, 'report');
  const r = fuzzCli(['--project', project, '--contract', 'LineCount', '--seed', '1', '--max-execs', '0', '--corpus-dir', join(project, 'corpus'), '--coverage-report', report, '--json']);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const summary = JSON.parse(r.stdout) as { executions: number; replayed: number; coverageReport: { lcov: string; html: string } };
  assert.equal(summary.replayed, 3);
  assert.equal(summary.executions, 6, 'the corpus replay only');
  assert.deepEqual(summary.coverageReport, { lcov: join(report, 'lcov.info'), html: join(report, 'index.html') });

  const records = lcovRecords(readFileSync(summary.coverageReport.lcov, 'utf8'));
  assert.deepEqual([...records.keys()], [join(project, 'src/LineCount.sol')]);
  const rec = records.get(join(project, 'src/LineCount.sol'))!;
  const expected = new Map(Object.entries(EXPECTED).map(([line, [ok, failed]]) => [Number(line), ok + failed]));
  assert.deepEqual(rec.da, expected);
  assert.equal(rec.lf, 13);
  assert.equal(rec.lh, 11);

  if (!existsSync(CHROMIUM)) throw new Error(`headless chromium not found at ${CHROMIUM} (run sudo bash scripts/install-system-deps.sh, or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`file://${summary.coverageReport.html}`);
    const shown = await page.$$eval('pre.source span.line', (spans) =>
      spans.map((s) => ({ line: Number(s.getAttribute('data-line')), cls: s.className, calls: s.querySelector('.calls')!.textContent })),
    );
    for (const [line, [ok, failed]] of Object.entries(EXPECTED)) {
      const state = ok > 0 ? 'hit' : failed > 0 ? 'reverted' : 'missed';
      const s = shown.find((x) => x.line === Number(line))!;
      assert.equal(s.cls, `line ${state}`, `line ${line}`);
      assert.equal(s.calls, `✓ ${ok} ✗ ${failed}`, `line ${line}`);
    }
    assert.equal(shown.filter((s) => s.cls !== 'line').length, 13, 'only executable lines are marked');
    const colour = await page.$eval('span.line.reverted', (s) => getComputedStyle(s).backgroundColor);
    assert.equal(colour, 'rgb(253, 232, 180)', 'the stylesheet applies');
    assert.deepEqual(
      await page.$$eval('table.summary tbody td', (tds) => tds.map((t) => t.textContent)),
      ['src/LineCount.sol', '7', '4', '2', '13'], // hit, reverted only, never reached, executable lines
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'fuzz-coverage.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  assert.ok(existsSync(join(ARTIFACTS, 'fuzz-coverage.png')));
});

test('coverage report: lines of an imported file are mapped through the build-info', { timeout: 120_000 }, () => {
  const abi = parseAbi(['function bump()', 'function reset()']);
  const corpus = new CorpusDir(join(project, 'corpus-child'));
  const bump = callWith(encodeFunctionData({ abi, functionName: 'bump' }));
  corpus.save([bump, bump]);
  const report = join(project, 'report-child');
  const r = fuzzCli(['--project', project, '--contract', 'Child', '--seed', '1', '--max-execs', '0', '--corpus-dir', corpus.dir, '--coverage-report', report, '--json']);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const records = lcovRecords(readFileSync(join(report, 'lcov.info'), 'utf8'));
  assert.deepEqual([...records.keys()], [join(project, 'src/Base.sol'), join(project, 'src/Child.sol')]);
  // Base.sol: bump() and its statement ran in both calls; Child.sol: the dispatcher ran twice, reset() never.
  assert.deepEqual(records.get(join(project, 'src/Base.sol'))!.da, new Map([[5, 2], [6, 2]]));
  assert.deepEqual(records.get(join(project, 'src/Child.sol'))!.da, new Map([[4, 2], [5, 0], [6, 0]]));
});
