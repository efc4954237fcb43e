// The argument dictionary: PUSH immediates read the way the EVM reads code (PUSH data is skipped, PUSH0 has
// none, a PUSH cut off by the end of code reads zeros, solc's metadata trailer is not code), and a deployed
// contract's dictionary holds its magic constants (with neighbours), the actors and the interesting values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { findArtifact } from '../../sequencer/fuzz/artifacts.js';
import { buildDictionary, pushConstants } from '../../sequencer/fuzz/dictionary.js';
import { DEFAULT_DEPLOYER, DEFAULT_SENDERS, deploySnapshot } from '../../sequencer/fuzz/snapshot.js';
import { compileSolidity } from '../support/solidity.js';

test('dictionary: PUSH1..PUSH32 immediates, PUSH data skipped, PUSH0 ignored, truncated PUSH zero-filled, metadata excluded', () => {
  const code = Uint8Array.from([
    0x60, 0x2a, // PUSH1 0x2a
    0x61, 0x12, 0x34, // PUSH2 0x1234
    0x62, 0x60, 0x61, 0x62, // PUSH3 0x606162: its data looks like PUSH opcodes and must not be read as code
    0x5f, // PUSH0: no immediate
    0x01, // ADD
    0x7f, ...new Array<number>(32).fill(0xab), // PUSH32
    0x61, 0xff, // PUSH2 cut off by the end of code: reads 0xff00
    0xa1, 0x60, 0x99, // CBOR metadata map: PUSH1 0x99 lookalike
    0x00, 0x03, // metadata length
  ]);
  assert.deepEqual(pushConstants(code), [0x2an, 0x1234n, 0x606162n, BigInt(`0x${'ab'.repeat(32)}`), 0xff00n]);
});

test('dictionary: a deployed contract gives its magic constant (and neighbours), the actors and interesting values', async () => {
  const artifacts = compileSolidity({
    'Magic.sol': `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Magic {
  bool public open;
  function unlock(uint64 key) external { if (key == 0x1337c0dedeadbeef) open = true; }
  function threshold(uint256 x) external { if (x > 123456789) open = false; }
}`,
  });
  const snapshot = await deploySnapshot({ executor: await createExecutor('reference'), artifacts, target: findArtifact(artifacts, 'Magic') });
  const dict = buildDictionary(snapshot);
  const values = new Set(dict.values);
  for (const v of [0x1337c0dedeadbeefn, 0x1337c0dedeadbeefn - 1n, 0x1337c0dedeadbeefn + 1n, 123456789n, 123456790n]) {
    assert.ok(values.has(v), `dictionary lacks 0x${v.toString(16)}`);
  }
  for (const v of [0n, 1n, 255n, 256n, 2n ** 255n, 2n ** 256n - 1n, 10n ** 18n]) assert.ok(values.has(v), `dictionary lacks interesting ${v}`);
  assert.ok(dict.values.every((v) => v >= 0n && v < 2n ** 256n), 'every value is a uint256');
  assert.equal(new Set(dict.values).size, dict.values.length, 'no duplicates');
  assert.deepEqual(new Set(dict.addresses), new Set([...DEFAULT_SENDERS, DEFAULT_DEPLOYER, snapshot.target.address]));
  assert.equal(dict.words.length, dict.values.length * 32);
  const i = dict.values.indexOf(0x1337c0dedeadbeefn);
  assert.equal(BigInt(`0x${Buffer.from(dict.words.subarray(i * 32, i * 32 + 32)).toString('hex')}`), 0x1337c0dedeadbeefn, 'packed words match the values');
});
