// Invariant 3 (conformance): the native executor alone — no fallback — passes every Cancun case of
// ethereum/tests GeneralStateTests, slow folders included (20,171 cases at the pinned commit).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const TESTS = join(import.meta.dirname, '../../../shared/ethereum-tests/GeneralStateTests');

it('native executor: every GeneralStateTests Cancun case passes', { timeout: 40 * 60_000 }, async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'test/conformance/statetest-cli.ts', '--executor', 'native', '--jobs', '2', TESTS], {
    maxBuffer: 256 << 20,
  }).catch((e: { stdout: string; code: number }) => ({ stdout: `${e.stdout}\n(exit ${e.code})` }));
  const last = stdout.trim().split('\n').at(-1)!;
  assert.match(last, /^\d+ passed, 0 failed$/, stdout.slice(-4000));
  assert.ok(Number(last.split(' ')[0]) >= 20_171, last);
});
