// The native executor's outcome semantics on hand-written cases: rejections (changing nothing), fee and
// coinbase-credit accounting, access keys, and the state mirror following WorldState commits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import { blobBaseFee } from '../../sequencer/chain/blob-fee.js';
import { ReferenceExecutor } from '../../sequencer/executor/reference/reference-executor.js';
import type { BlockEnv, ExecTx, TxExecuted } from '../../sequencer/executor/types.js';
import { toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';

const A: Address = '0x1000000000000000000000000000000000000001';
const B: Address = '0x2000000000000000000000000000000000000002';
const C: Address = '0xc000000000000000000000000000000000000003';
const COINBASE: Address = '0xcb00000000000000000000000000000000000000';

const env: BlockEnv = {
  chainId: 1n,
  number: 10n,
  timestamp: 1000n,
  coinbase: COINBASE,
  gasLimit: 30_000_000n,
  baseFee: 10n,
  prevRandao: `0x${'00'.repeat(32)}` as Hex,
  excessBlobGas: 0n,
  recentBlockHashes: [],
};

let n = 0;
function tx(over: Partial<ExecTx>): ExecTx {
  return {
    hash: `0x${(++n).toString(16).padStart(64, '0')}`,
    type: 2,
    from: A,
    to: B,
    nonce: 0n,
    gasLimit: 100_000n,
    value: 0n,
    data: new Uint8Array(),
    maxFeePerGas: 20n,
    maxPriorityFeePerGas: 2n,
    accessList: [],
    chainId: 1n,
    ...over,
  };
}

// Counter contract: SSTORE(0, SLOAD(0) + 1), then emits LOG1(topic = new value).
const COUNTER = Uint8Array.from([0x5f, 0x54, 0x60, 0x01, 0x01, 0x80, 0x5f, 0x55, 0x5f, 0x5f, 0xa1, 0x00]);

function genesis(): WorldState {
  return WorldState.fromAlloc([
    [A, { balance: 10n ** 18n }],
    [C, { code: COUNTER, storage: new Map([[toWord(0n), 41n]]) }],
  ]);
}

describe('native executor', () => {
  const native = new NativeExecutor();
  const reference = new ReferenceExecutor();

  it('reports where it runs and the memory of one instance', () => {
    const info = native.info();
    assert.ok(info.backend === 'cpu' || info.backend === 'cuda');
    assert.ok(info.instanceBytes > 0);
    assert.ok(info.precompiles, 'precompiles compiled in');
  });

  it('rejects transactions that cannot be included, like the reference', async () => {
    const state = genesis();
    const bad = [
      tx({ nonce: 1n }),
      tx({ gasLimit: 20_000n }),
      tx({ value: 10n ** 19n }),
      tx({ maxFeePerGas: 5n }),
      tx({ gasLimit: 40_000_000n }),
      tx({ from: C }),
    ];
    const got = await native.executeBatch(state, bad, env);
    const want = await reference.executeBatch(state, bad, env);
    // A priority fee above the fee cap: @ethereumjs/tx refuses to build it, the native executor rejects it.
    const [capped] = await native.executeBatch(state, [tx({ maxPriorityFeePerGas: 30n })], env);
    assert.equal(capped.kind, 'rejected');
    got.forEach((o, i) => {
      assert.equal(o.kind, 'rejected', `case ${i}`);
      assert.equal(want[i].kind, 'rejected', `reference case ${i}`);
      assert.ok(o.kind === 'rejected' && o.error.length > 10);
    });
  });

  it('executes a transfer: fees, coinbase credit (not a read), changes and access keys', async () => {
    const state = genesis();
    const [o] = await native.executeBatch(state, [tx({ value: 1000n })], env);
    assert.equal(o.kind, 'executed');
    const e = o as TxExecuted;
    assert.equal(e.status, 'success');
    assert.equal(e.gasUsed, 21000n);
    assert.equal(e.coinbaseCredit, 21000n * 2n);
    assert.equal(e.readsCoinbase, false);
    const a = e.changes.find((c) => c.address === A)!;
    assert.equal(a.balance, 10n ** 18n - 1000n - 21000n * 12n);
    assert.equal(a.nonce, 1n);
    assert.equal(e.changes.find((c) => c.address === B)!.balance, 1000n);
    assert.ok(!e.changes.some((c) => c.address === COINBASE));
    assert.ok(e.reads.has(`a:${A}`) && e.reads.has(`a:${B}`));
    assert.ok(e.writes.has(`b:${A}`) && e.writes.has(`n:${A}`) && e.writes.has(`b:${B}`));
  });

  it('a transaction that reads the fee recipient says so', async () => {
    const state = genesis();
    const [o] = await native.executeBatch(state, [tx({ to: COINBASE, value: 5n })], env);
    assert.equal(o.kind, 'executed');
    assert.equal((o as TxExecuted).readsCoinbase, true);
    const [r] = await reference.executeBatch(state, [tx({ to: COINBASE, value: 5n })], env);
    assert.equal((r as TxExecuted).readsCoinbase, true);
  });

  it('runs contract code: storage, logs, and the mirror follows commits', async () => {
    const state = genesis();
    for (let i = 0; i < 3; i++) {
      const [o] = await native.executeBatch(state, [tx({ to: C, nonce: BigInt(i) })], env);
      assert.equal(o.kind, 'executed');
      const e = o as TxExecuted;
      assert.equal(e.status, 'success');
      const value = 42n + BigInt(i);
      assert.equal(e.changes.find((c) => c.address === C)!.storage.get(toWord(0n)), value);
      assert.deepEqual(e.logs.map((l) => l.topics[0]), [toWord(value)]);
      assert.ok(e.reads.has(`s:${C}:${toWord(0n)}`) && e.writes.has(`s:${C}:${toWord(0n)}`));
      state.applyChanges(e.changes);
      state.credit(env.coinbase, e.coinbaseCredit);
    }
    assert.equal(state.getStorage(C, toWord(0n)), 44n);
  });

  it('executes a batch in parallel, each transaction against the same snapshot', async () => {
    const state = genesis();
    const txs = Array.from({ length: 64 }, () => tx({ to: C }));
    const out = await native.executeBatch(state, txs, env);
    for (const o of out) {
      assert.equal(o.kind, 'executed');
      assert.equal((o as TxExecuted).changes.find((c) => c.address === C)!.storage.get(toWord(0n)), 42n);
    }
  });

  it('device hand-back: a transaction the device cannot finish is completed on the host (EVM_SIMULATE_DEVICE)', async () => {
    const SHA: Address = '0x5000000000000000000000000000000000000005';
    const BIG: Address = '0x6000000000000000000000000000000000000006';
    const state = WorldState.fromAlloc([
      [A, { balance: 10n ** 18n }],
      [C, { code: COUNTER }],
      // STATICCALL sha256(32 zero bytes), return it
      [SHA, { code: Uint8Array.from([0x60, 0x20, 0x5f, 0x60, 0x20, 0x5f, 0x60, 0x02, 0x5a, 0xfa, 0x50, 0x60, 0x20, 0x5f, 0xf3]) }],
      // MSTORE at 200000: more memory than a device instance has
      [BIG, { code: Uint8Array.from([0x60, 0x01, 0x62, 0x03, 0x0d, 0x40, 0x52, 0x00]) }],
    ]);
    const txs = [tx({ to: SHA, gasLimit: 200_000n }), tx({ to: BIG, gasLimit: 200_000n }), tx({ to: C })];
    const host = await native.executeBatch(state, txs, env);
    const before = native.info().handedBack;
    process.env.EVM_SIMULATE_DEVICE = '1';
    let device;
    try {
      device = await native.executeBatch(state, txs, env);
    } finally {
      delete process.env.EVM_SIMULATE_DEVICE;
    }
    assert.equal(native.info().handedBack - before, 2, 'the precompile call and the big-memory one are handed back');
    const e0 = device[0] as TxExecuted;
    assert.equal(Buffer.from(e0.returnData).toString('hex'), '66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925');
    for (let i = 0; i < txs.length; i++) {
      const h = host[i] as TxExecuted;
      const d = device[i] as TxExecuted;
      assert.equal(d.status, 'success');
      assert.equal(d.gasUsed, h.gasUsed);
      assert.deepEqual(Buffer.from(d.returnData), Buffer.from(h.returnData));
      assert.deepEqual(d.changes, h.changes);
    }
  });

  it('computes the EIP-4844 blob base fee', () => {
    assert.equal(blobBaseFee(0n), 1n);
    assert.equal(blobBaseFee(3338477n), 2n);
    assert.equal(blobBaseFee(10n * 3338477n), 22026n);
  });
});
