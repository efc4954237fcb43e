// `npm run precompile-vectors`: every vector of ../shared/precompile-vectors (EIP-2537 bls*.json and
// fail-bls*.json, P256VERIFY, MODEXP at Osaka) passes through the native precompiles; wrong expectations,
// unknown files and bad usage fail.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { sharedPath } from '../support/shared-data.js';

const exec = promisify(execFile);
const VECTORS = sharedPath('precompile-vectors');

async function vectors(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'test/precompiles/precompile-vectors-cli.ts', ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const fp = (v: bigint) => v.toString(16).padStart(128, '0');
const g1 = (p: typeof bls.G1.Point.BASE) => {
  const a = p.toAffine();
  return fp(a.x) + fp(a.y);
};

describe('precompile-vectors runner', () => {
  it('passes every vector of the folder (EIP-2537, P256VERIFY, MODEXP EIP-7883) with output and gas', async () => {
    const files = readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.filter((f) => /^(fail-)?bls/.test(f)).length >= 11, files.join(' '));
    assert.ok(files.includes('p256Verify.json') && files.includes('modexp_eip7883.json'), files.join(' '));
    const total = files.reduce((n, f) => n + (JSON.parse(readFileSync(join(VECTORS, f), 'utf8')) as unknown[]).length, 0);
    const { code, stdout } = await vectors(VECTORS);
    for (const f of files) assert.match(stdout, new RegExp(`${f.replace('.', '\\.')} \\(0x[0-9a-f]+\\): \\d+ passed, 0 failed`), stdout);
    assert.equal(stdout.trim().split('\n').at(-1), `${total} passed, 0 failed`);
    assert.equal(code, 0);
  });

  it('fails wrong outputs, wrong gas, a success where failure is expected and unknown files, with exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'precompile-vectors-'));
    try {
      const G = bls.G1.Point.BASE;
      const input = g1(G) + g1(G.multiply(2n));
      writeFileSync(join(dir, 'blsG1Add.json'), JSON.stringify([
        { Name: 'right', Input: input, Expected: g1(G.multiply(3n)), Gas: 375 },
        { Name: 'wrong-output', Input: input, Expected: g1(G.multiply(4n)), Gas: 375 },
        { Name: 'wrong-gas', Input: input, Expected: g1(G.multiply(3n)), Gas: 376 },
      ]));
      writeFileSync(join(dir, 'fail-blsMapG1.json'), JSON.stringify([
        { Name: 'valid-input', Input: fp(7n), ExpectedError: 'should fail' },
        { Name: 'short', Input: '00', ExpectedError: 'invalid input length' },
      ]));
      writeFileSync(join(dir, 'mystery.json'), '[]');
      const { code, stdout } = await vectors(dir);
      assert.match(stdout, /blsG1Add\.json \(0x0b\): 1 passed, 2 failed/);
      assert.match(stdout, /FAIL wrong-output: output [0-9a-f]{256} != expected/);
      assert.match(stdout, /FAIL wrong-gas: gas 375 != expected 376/);
      assert.match(stdout, /fail-blsMapG1\.json \(0x10\): 1 passed, 1 failed/);
      assert.match(stdout, /FAIL valid-input: succeeded, expected failure "should fail"/);
      assert.match(stdout, /mystery\.json: FAIL mystery\.json: no precompile known for this file name/);
      assert.equal(stdout.trim().split('\n').at(-1), '2 passed, 4 failed');
      assert.equal(code, 1);
      // --address runs a file of any name; at Cancun 0x0b is no precompile, so every vector fails
      const other = await vectors('--address', '0x0b', join(dir, 'mystery.json'), join(dir, 'blsG1Add.json'));
      assert.match(other.stdout, /blsG1Add\.json \(0x0b\): 1 passed, 2 failed/);
      const cancun = await vectors('--fork', 'Cancun', join(dir, 'blsG1Add.json'));
      assert.match(cancun.stdout, /FAIL right: runPrecompileAt: 0x0{38}0b is no precompile at Cancun/);
      assert.equal(cancun.code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad usage with exit code 2', async () => {
    for (const args of [[], ['--fork', 'Frontier', VECTORS], ['--address', 'xyz', VECTORS], ['--bogus', VECTORS], ['/nonexistent/path']]) {
      const r = await vectors(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /usage: npm run precompile-vectors/);
    }
  });
});
