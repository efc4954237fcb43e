// The deadline inside the native interpreter (kernels/evm/context.h abort_requested, native/evm/deadline.cc):
// runs that never JUMP (a self-calling tree of frames) and runs that loop inside a nested frame both stop at
// their deadline; runs that end in time are untouched; the mirror stays usable after an abort.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NativeCalls } from '../../sequencer/executor/native/native-calls.js';
import type { BlockEnv, ExecTx } from '../../sequencer/executor/types.js';
import { hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';

const SELF_CALLS: Address = '0x00000000000000000000000000000000000ca11e';
const LOOPER: Address = '0x0000000000000000000000000000000000001007';
const CALLER: Address = '0x000000000000000000000000000000000000ca11';
const FROM: Address = '0x00000000000000000000000000000000000000f0';

// Both hash 32 KiB of memory per frame or iteration, so their runs take far longer than the 20 ms deadline
// (~0.5 s and more here); without the hashing the native EVM now finishes them in 25-110 ms, too close to it.
/** KECCAK256 of 32 KiB, then two self-CALLs per frame, no JUMP anywhere (issue #18 item 4). */
const SELF_CALLS_CODE = '0x' + '61800060002050' + '60006000600060006000305af150'.repeat(2) + '00';
/** JUMPDEST, KECCAK256 of 32 KiB, PUSH0 JUMP: loops until out of gas. */
const LOOP_CODE = '0x5b6180005f20505f56';
/** CALL(gas, LOOPER, 0, 0, 0, 0, 0), then STOP: the loop runs in a nested frame. */
const CALLER_CODE = `0x5f5f5f5f5f73${LOOPER.slice(2)}5af100`;

const env: BlockEnv = {
  chainId: 42069n,
  number: 1n,
  timestamp: 1n,
  coinbase: '0x0000000000000000000000000000000000000000',
  gasLimit: 30_000_000n,
  baseFee: 0n,
  prevRandao: `0x${'00'.repeat(32)}` as Hex,
  excessBlobGas: 0n,
  recentBlockHashes: [],
};

const call = (to: Address, gasLimit = 50_000_000n): ExecTx => ({
  hash: `0x${'00'.repeat(32)}` as Hex,
  type: 0,
  from: FROM,
  to,
  nonce: 0n,
  gasLimit,
  value: 0n,
  data: new Uint8Array(),
  gasPrice: 0n,
  accessList: [],
});

describe('native call deadline', () => {
  it('stops self-calling frames and nested loops at the deadline; runs in time are untouched', async () => {
    const calls = new NativeCalls();
    const world = WorldState.fromAlloc([
      [SELF_CALLS, { code: hexToU8(SELF_CALLS_CODE as Hex) }],
      [LOOPER, { code: hexToU8(LOOP_CODE as Hex) }],
      [CALLER, { code: hexToU8(CALLER_CODE as Hex) }],
    ]);
    const mirror = await calls.load(world.entries());

    // Above the block gas limit on purpose: calls are not bound by it (geth's eth_call rules).
    for (const to of [SELF_CALLS, CALLER]) {
      const t0 = performance.now();
      const r = await calls.run(mirror, env, call(to), 20);
      const took = performance.now() - t0;
      assert.equal(r.kind, 'aborted', `${to}: ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
      assert.ok(took < 1000, `${to}: stopped after ${took.toFixed(0)} ms`);
    }
    // With time to spare the same runs finish with their real outcomes, on the same mirror.
    const tree = await calls.run(mirror, env, call(SELF_CALLS), 60_000);
    assert.equal(tree.kind, 'executed');
    assert.equal(tree.kind === 'executed' && tree.status, 'success');
    assert.ok(tree.kind === 'executed' && tree.gasUsed > 49_000_000n);
    const nested = await calls.run(mirror, env, call(CALLER, 2_000_000n), 60_000);
    assert.equal(nested.kind === 'executed' && nested.status, 'success', 'the caller survives its callee running out of gas');
    // An already passed deadline stops a run at its first frame; a call without code still completes.
    assert.equal((await calls.run(mirror, env, call(LOOPER), 0)).kind, 'aborted');
    assert.equal((await calls.run(mirror, env, call(FROM, 21_000n), 0)).kind, 'executed');
  });
});
