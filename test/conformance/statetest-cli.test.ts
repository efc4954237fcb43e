import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sharedPath } from '../support/shared-data.js';

const exec = promisify(execFile);
const TESTS = sharedPath('ethereum-tests/GeneralStateTests');

async function statetest(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'test/conformance/statetest-cli.ts', ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

describe('statetest runner (reference executor)', () => {
  it('passes stExample, VMTests arithmetic/bitwise/log and the Cancun MCOPY and transient-storage folders', async () => {
    const { code, stdout } = await statetest(
      '--executor', 'reference',
      join(TESTS, 'stExample'),
      join(TESTS, 'VMTests/vmArithmeticTest'),
      join(TESTS, 'VMTests/vmBitwiseLogicOperation'),
      join(TESTS, 'VMTests/vmLogTest'),
      join(TESTS, 'Cancun/stEIP5656-MCOPY'),
      join(TESTS, 'Cancun/stEIP1153-transientStorage'),
    );
    const last = stdout.trim().split('\n').at(-1)!;
    assert.match(last, /^\d+ passed, 0 failed$/, stdout);
    assert.ok(Number(last.split(' ')[0]) > 400, last);
    assert.match(stdout, /PASS .*vmArithmeticTest: 219 passed, 0 failed/);
    assert.equal(code, 0);
  });

  it('works on any folder in the format, and a wrong expectation fails with its reason and exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statetest-'));
    cpSync(join(TESTS, 'stExample/add11.json'), join(dir, 'add11.json'));
    const tampered = JSON.parse(readFileSync(join(TESTS, 'stExample/add11.json'), 'utf8'));
    const post = (Object.values(tampered)[0] as { post: { Cancun: { hash: string }[] } }).post.Cancun[0];
    post.hash = `0x${'11'.repeat(32)}`;
    writeFileSync(join(dir, 'add11-tampered.json'), JSON.stringify(tampered));
    const { code, stdout } = await statetest(dir);
    assert.equal(code, 1);
    assert.match(stdout, /add11-tampered\.json add11\[0\] .*state root 0x[0-9a-f]{64} != expected 0x(11){32}/);
    assert.match(stdout.trim().split('\n').at(-1)!, /^1 passed, 1 failed$/);
  });

  it('rejects bad arguments with usage and exit code 2', async () => {
    assert.equal((await statetest('--executor', 'quantum', TESTS)).code, 2);
    assert.equal((await statetest('/no/such/path')).code, 2);
  });
});
