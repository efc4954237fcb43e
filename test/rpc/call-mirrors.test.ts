// The RPC's native mirrors (sequencer/rpc/call-mirrors.ts) over a real WorldState and StateHistory: a held
// mirror keeps its state while blocks commit (the live mirror moves on as a fork), an idle one is updated
// in place, past blocks are the live mirror with their undo layers, overrides are private forks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NativeCalls, type MirrorHandle } from '../../sequencer/executor/native/native-calls.js';
import type { AccountChange, BlockEnv } from '../../sequencer/executor/types.js';
import { hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { CallMirrors } from '../../sequencer/rpc/call-mirrors.js';
import { StateHistory } from '../../sequencer/state/history.js';
import { WorldState } from '../../sequencer/state/world-state.js';

const HOLDER: Address = '0x00000000000000000000000000000000000000aa';
const READER: Address = '0x00000000000000000000000000000000000000bb';
const FROM: Address = '0x00000000000000000000000000000000000000f0';
const SLOT1 = `0x${'00'.repeat(31)}01` as Hex;
/** Returns BALANCE(HOLDER) and its own slot 1, as two words. */
const READER_CODE = `0x73${HOLDER.slice(2)}315f5260015460205260405ff3` as Hex;

const env: BlockEnv = {
  chainId: 1n,
  number: 100n,
  timestamp: 1n,
  coinbase: '0x0000000000000000000000000000000000000000',
  gasLimit: 30_000_000n,
  baseFee: 0n,
  prevRandao: `0x${'00'.repeat(32)}` as Hex,
  excessBlobGas: 0n,
  recentBlockHashes: [],
};

/** [BALANCE(HOLDER), READER's slot 1] as the mirror sees them. */
async function read(calls: NativeCalls, m: MirrorHandle): Promise<[bigint, bigint]> {
  const r = await calls.run(m, env, { hash: `0x${'00'.repeat(32)}`, type: 0, from: FROM, to: READER, nonce: 0n, gasLimit: 100_000n, value: 0n, data: new Uint8Array(), gasPrice: 0n, accessList: [] }, 10_000);
  assert.ok(r.kind === 'executed' && r.status === 'success', JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  return [BigInt(`0x${Buffer.from(r.returnData.subarray(0, 32)).toString('hex')}`), BigInt(`0x${Buffer.from(r.returnData.subarray(32, 64)).toString('hex')}`)];
}

const block = (balance: bigint, slot: bigint): AccountChange[] => [
  { address: HOLDER, deleted: false, balance, nonce: 0n, storageReset: false, storage: new Map() },
  { address: READER, deleted: false, balance: 0n, nonce: 1n, storageReset: false, storage: new Map([[SLOT1, slot]]) },
];

describe('call mirrors', () => {
  it('leases, in-place updates, forks, past blocks and overrides', async () => {
    const calls = new NativeCalls();
    const world = WorldState.fromAlloc([
      [HOLDER, { balance: 1n }],
      [READER, { nonce: 1n, code: hexToU8(READER_CODE), storage: new Map([[SLOT1, 10n]]) }],
    ]);
    // Every block here is within the in-memory undo layers: the store's history is never read.
    const noStore = { oldestStateBlock: () => 0n, history: () => assert.fail('the persisted history is not needed here') };
    const history = new StateHistory(world, noStore, 16);
    const mirrors = new CallMirrors(calls, world);
    let head = 0n;
    const seal = (balance: bigint, slot: bigint) => {
      const changes = block(balance, slot);
      history.record(++head, changes);
      world.applyChanges(changes);
    };

    const first = await mirrors.acquire(world, head);
    assert.deepEqual(await read(calls, first), [1n, 10n]);
    // Block 1 commits while the request holds its mirror: it keeps block 0's state.
    seal(2n, 20n);
    assert.deepEqual(await read(calls, first), [1n, 10n]);
    const second = await mirrors.acquire(world, head);
    assert.notEqual(second.handle, first.handle, 'the live mirror moved on as a fork');
    assert.deepEqual(await read(calls, second), [2n, 20n]);
    first.release();
    second.release();
    assert.equal(mirrors.stats.forks, 1);
    // Nobody holds it: the next block is applied in place.
    seal(3n, 30n);
    const third = await mirrors.acquire(world, head);
    assert.equal(third.handle, second.handle);
    assert.deepEqual(await read(calls, third), [3n, 30n]);
    third.release();
    assert.equal(mirrors.stats.updates, 2, 'the fork caught up in place, then the idle mirror');

    // Past blocks: the live mirror with the undo layers of the blocks after them (then from the cache).
    seal(4n, 0n);
    for (const [n, want] of [[0n, [1n, 10n]], [1n, [2n, 20n]], [2n, [3n, 30n]], [3n, [4n, 0n]], [0n, [1n, 10n]]] as const) {
      const m = await mirrors.acquire(history.at(n, head)!, n);
      assert.deepEqual(await read(calls, m), want, `block ${n}`);
      m.release();
    }
    // Overrides are a private fork of the selected state; the shared mirrors are unchanged.
    const overridden = await mirrors.acquire(history.at(1n, head)!, 1n, new Map([[HOLDER, { balance: 77n }], [READER, { stateDiff: new Map([[SLOT1, 5n]]) }]]));
    assert.deepEqual(await read(calls, overridden), [77n, 5n]);
    const again = await mirrors.acquire(history.at(1n, head)!, 1n);
    assert.deepEqual(await read(calls, again), [2n, 20n]);
    const live = await mirrors.acquire(world, head);
    assert.deepEqual(await read(calls, live), [4n, 0n]);
    live.release();
    // Followed on every block while idle: far more blocks than the world's change log keeps, no reload.
    const updates = mirrors.stats.updates;
    for (let i = 0; i < 100; i++) {
      seal(5n + BigInt(i), 1n);
      mirrors.follow();
    }
    assert.equal(mirrors.stats.updates, updates + 100);
    const latest = await mirrors.acquire(world, head);
    assert.deepEqual(await read(calls, latest), [104n, 1n]);
    latest.release();
    assert.equal(mirrors.stats.loads, 1, 'the whole state was loaded once');
  });
});
