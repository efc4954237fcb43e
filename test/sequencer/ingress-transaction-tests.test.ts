// ethereum/tests TransactionTests (Cancun results) through our ingress decoder: valid transactions give the
// expected hash and recovered sender; invalid ones are rejected with an IngressError.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { decodeAndRecoverBatch, decodeRawTransaction } from '../../sequencer/ingress/decode.js';
import { IngressError } from '../../sequencer/ingress/errors.js';
import { InlineSenderRecoverer, NativeAddonSenderRecoverer, recoverSenderSync } from '../../sequencer/ingress/recover.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { loadCancunTransactionTests as loadCases } from '../support/transaction-tests.js';

test('TransactionTests (Cancun): valid txs recover sender and hash, invalid ones are rejected', async () => {
  const cases = loadCases();
  assert.ok(cases.length > 100, `found ${cases.length} cases`);
  const results = await decodeAndRecoverBatch(
    cases.map((c) => c.raw),
    { chainId: 1n, allowUnprotected: true, fork: 'Cancun' },
    new InlineSenderRecoverer(),
  );
  const failures: string[] = [];
  let valid = 0;
  let invalid = 0;
  cases.forEach((c, i) => {
    const r = results[i];
    if (c.expect.exception === undefined) {
      valid++;
      if (r instanceof IngressError) failures.push(`${c.name}: rejected (${r.code}: ${r.message}) but valid`);
      else {
        if (r.exec.hash !== c.expect.hash) failures.push(`${c.name}: hash ${r.exec.hash} != ${c.expect.hash}`);
        if (r.exec.from !== c.expect.sender) failures.push(`${c.name}: sender ${r.exec.from} != ${c.expect.sender}`);
      }
    } else {
      invalid++;
      if (!(r instanceof IngressError)) failures.push(`${c.name}: accepted but expected ${c.expect.exception}`);
    }
  });
  assert.ok(valid >= 40 && invalid >= 90, `valid ${valid}, invalid ${invalid}`);
  assert.deepEqual(failures, []);
});

test('noble fallback and native secp256k1 recover the same sender', async () => {
  const cases = loadCases().filter((c) => c.expect.exception === undefined).slice(0, 5);
  const decoded = await decodeAndRecoverBatch(cases.map((c) => c.raw), { chainId: 1n, allowUnprotected: true, fork: 'Cancun' }, new InlineSenderRecoverer());
  for (const d of decoded) assert.ok(!(d instanceof IngressError));
  // The batch path and the single path agree (a broken batch split would mismatch indices).
  const { decodeRawTransaction } = await import('../../sequencer/ingress/decode.js');
  cases.forEach((c, i) => {
    const dt = decodeRawTransaction(c.raw, { chainId: 1n, allowUnprotected: true, fork: 'Cancun' });
    const from = (decoded[i] as { exec: { from: string } }).exec.from;
    assert.equal(recoverSenderSync(dt.recovery), from);
    assert.equal(recoverSenderSync(dt.recovery, 'noble'), from);
  });
});

test('piscina worker recovery gives the same senders as inline, in order', async () => {
  const { PiscinaSenderRecoverer } = await import('../../sequencer/ingress/recover.js');
  const { decodeRawTransaction } = await import('../../sequencer/ingress/decode.js');
  const cases = loadCases().filter((c) => c.expect.exception === undefined);
  const inputs = cases.map((c) => decodeRawTransaction(c.raw, { chainId: 1n, allowUnprotected: true, fork: 'Cancun' }).recovery);
  const pool = new PiscinaSenderRecoverer(2, 1);
  try {
    const got = await pool.recoverBatch(inputs);
    assert.deepEqual(got, cases.map((c) => c.expect.sender));
  } finally {
    await pool.close();
  }
});

test('native addon recoverSendersBatch matches the expected senders', async () => {
  const r = new NativeAddonSenderRecoverer(loadAddon());
  const cases = loadCases().filter((c) => c.expect.exception === undefined);
  assert.deepEqual(await r.recoverBatch(cases.map((c) => decodeRawTransaction(c.raw, { chainId: 1n, allowUnprotected: true, fork: 'Cancun' }).recovery)), cases.map((c) => c.expect.sender));
});
