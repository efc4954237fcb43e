import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceExecutor } from '../../sequencer/executor/reference/reference-executor.js';
import { accessKey, type BlockEnv, type ExecTx, type TxExecuted } from '../../sequencer/executor/types.js';
import { hexToU8, toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';

const ALICE: Address = '0x00000000000000000000000000000000000a11ce';
const BOB: Address = '0x0000000000000000000000000000000000000b0b';
const CAROL: Address = '0x00000000000000000000000000000000000ca201';
const COINBASE: Address = '0x000000000000000000000000000000000000c0de';
const COUNTER: Address = '0x00000000000000000000000000000000000c0c0c';
// SLOAD(0) + 1 -> SSTORE(0); STOP
const COUNTER_CODE = hexToU8('0x600054600101600055 00'.replace(' ', ''));
// BALANCE(COINBASE) -> SSTORE(0)
const READ_COINBASE_CODE = hexToU8(`0x73${COINBASE.slice(2)}31600055 00`.replace(' ', ''));

const env: BlockEnv = {
  chainId: 1n,
  number: 1n,
  timestamp: 1000n,
  coinbase: COINBASE,
  gasLimit: 30_000_000n,
  baseFee: 7n,
  prevRandao: toWord(0n),
  excessBlobGas: 0n,
  recentBlockHashes: [],
};

function tx(over: Partial<ExecTx>): ExecTx {
  return {
    hash: toWord(BigInt(Math.floor(Math.random() * 1e9))) as Hex,
    type: 2,
    from: ALICE,
    to: BOB,
    nonce: 0n,
    gasLimit: 100_000n,
    value: 0n,
    data: new Uint8Array(),
    maxFeePerGas: 10n,
    maxPriorityFeePerGas: 2n,
    accessList: [],
    ...over,
  };
}

function state(): WorldState {
  return WorldState.fromAlloc([
    [ALICE, { balance: 10n ** 18n }],
    [CAROL, { balance: 10n ** 18n }],
    [COUNTER, { code: COUNTER_CODE }],
    [BOB, { code: READ_COINBASE_CODE }],
  ]);
}

describe('reference executor', () => {
  it('a transfer reads and writes the sender and recipient, credits the coinbase commutatively', async () => {
    const snapshot = state();
    const [out] = await new ReferenceExecutor().executeBatch(snapshot, [tx({ to: '0x0000000000000000000000000000000000000777', value: 5n })], env);
    assert.equal(out.kind, 'executed');
    const o = out as TxExecuted;
    assert.equal(o.status, 'success');
    assert.equal(o.gasUsed, 21_000n);
    assert.equal(o.coinbaseCredit, 21_000n * 2n);
    assert.equal(o.readsCoinbase, false);
    assert.ok(o.reads.has(accessKey.account(ALICE)));
    assert.ok(o.writes.has(accessKey.balance(ALICE)) && o.writes.has(accessKey.nonce(ALICE)));
    assert.ok(o.writes.has(accessKey.balance('0x0000000000000000000000000000000000000777')));
    assert.ok(![...o.reads, ...o.writes].some((k) => k.includes(COINBASE)), 'the fee credit is not an access');
    assert.ok(!o.changes.some((c) => c.address === COINBASE));
    assert.equal(snapshot.getAccount(ALICE)!.nonce, 0n, 'the snapshot is not changed');
  });

  it('storage reads and writes are keyed by slot; each tx sees only the snapshot', async () => {
    const outs = await new ReferenceExecutor().executeBatch(state(), [tx({ to: COUNTER }), tx({ to: COUNTER, from: CAROL })], env);
    const [a, b] = outs as TxExecuted[];
    const slot = accessKey.slot(COUNTER, toWord(0n));
    assert.ok(a.reads.has(slot) && a.writes.has(slot));
    assert.equal(a.changes.find((c) => c.address === COUNTER)!.storage.get(toWord(0n)), 1n);
    assert.equal(b.changes.find((c) => c.address === COUNTER)!.storage.get(toWord(0n)), 1n, 'both saw the snapshot');
  });

  it('a contract reading BALANCE(coinbase) is flagged readsCoinbase', async () => {
    const [out] = await new ReferenceExecutor().executeBatch(state(), [tx({ to: BOB })], env);
    const o = out as TxExecuted;
    assert.equal(o.status, 'success');
    assert.equal(o.readsCoinbase, true);
    assert.ok(o.reads.has(accessKey.account(COINBASE)));
  });

  it('rejects a nonce that is too high and a sender that cannot pay, with the reason', async () => {
    const outs = await new ReferenceExecutor().executeBatch(state(), [tx({ nonce: 5n }), tx({ from: '0x000000000000000000000000000000000000dead' })], env);
    assert.equal(outs[0].kind, 'rejected');
    assert.match((outs[0] as { error: string }).error, /nonce/);
    assert.equal(outs[1].kind, 'rejected');
    assert.match((outs[1] as { error: string }).error, /enough funds/);
  });
});
