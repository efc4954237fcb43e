// Invariant 3 (conformance): the native executor alone — no fallback — passes every Cancun case of
// ethereum/tests GeneralStateTests, slow folders included (20,171 cases at the pinned commit), and every case
// of the Osaka state tests (execution-spec-tests: 951 Osaka cases, and the 76 Prague cases the same files
// carry).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { SHARED_DIR } from '../support/shared-data.js';

const exec = promisify(execFile);


async function statetest(args: string[]): Promise<string> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'test/conformance/statetest-cli.ts', '--executor', 'native', '--jobs', '2', ...args], {
    maxBuffer: 256 << 20,
  }).catch((e: { stdout: string; code: number }) => ({ stdout: `${e.stdout}\n(exit ${e.code})` }));
  return stdout;
}

function assertAllPassed(stdout: string, atLeast: number): void {
  const last = stdout.trim().split('\n').at(-1)!;
  assert.match(last, /^\d+ passed, 0 failed$/, stdout.slice(-4000));
  assert.ok(Number(last.split(' ')[0]) >= atLeast, last);
}

it('native executor: every Osaka state test case passes (the newest fork of the set is the default)', { timeout: 10 * 60_000 }, async () => {
  const stdout = await statetest([join(SHARED_DIR, 'ethereum-tests-osaka')]);
  assert.match(stdout, /fork: Osaka/);
  assertAllPassed(stdout, 951);
});

it('native executor: the Prague cases of the Osaka state tests pass (--fork Prague)', { timeout: 10 * 60_000 }, async () => {
  assertAllPassed(await statetest(['--fork', 'Prague', join(SHARED_DIR, 'ethereum-tests-osaka')]), 76);
});

it('native executor: every GeneralStateTests Cancun case passes', { timeout: 40 * 60_000 }, async () => {
  assertAllPassed(await statetest([join(SHARED_DIR, 'ethereum-tests/GeneralStateTests')]), 20_171);
});
