// The BLOCKHASH gate of pipelined production: while the parent's hash is unknown, an execution that may have
// read BLOCKHASH(parent) is held and re-run once the hash is known; everything else is accepted at once.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ReferenceExecutor } from '../../sequencer/executor/reference/reference-executor.js';
import type { BlockEnv } from '../../sequencer/executor/types.js';
import { decodeAndRecoverBatch } from '../../sequencer/ingress/decode.js';
import { InlineSenderRecoverer } from '../../sequencer/ingress/recover.js';
import { Mempool } from '../../sequencer/mempool/mempool.js';
import { toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { BlockHashReaders, codeMayReadBlockHash, ParentHashGate, UNKNOWN_PARENT_HASH } from '../../sequencer/producer/parent-hash-gate.js';
import { BlockOverlay } from '../../sequencer/scheduler/overlay.js';
import { scheduleBlock } from '../../sequencer/scheduler/scheduler.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { DEV, signTx } from '../sequencer/helpers.js';

/** storage[NUMBER] = BLOCKHASH(NUMBER - 1) */
const PARENT_HASH_RECORDER = Uint8Array.from([0x60, 0x01, 0x43, 0x03, 0x40, 0x43, 0x55, 0x00]);
const RECORDER = '0x00000000000000000000000000000000000b1001' as Address;
const PARENT: Hex = `0x${'ab'.repeat(32)}`;

test('code scan: BLOCKHASH, CREATE and CREATE2 count as instructions, not inside PUSH data', () => {
  assert.equal(codeMayReadBlockHash(PARENT_HASH_RECORDER), true);
  assert.equal(codeMayReadBlockHash(Uint8Array.from([0x60, 0x40, 0x50, 0x00])), false, 'PUSH1 0x40 is data');
  assert.equal(codeMayReadBlockHash(Uint8Array.from([0x7f, ...new Array(32).fill(0xf0), 0x00])), false, 'PUSH32 of CREATE bytes is data');
  assert.equal(codeMayReadBlockHash(Uint8Array.from([0x60, 0x00, 0x80, 0x80, 0xf0])), true, 'CREATE');
  assert.equal(codeMayReadBlockHash(Uint8Array.from([0xf5])), true, 'CREATE2');
  assert.equal(codeMayReadBlockHash(new Uint8Array(0)), false);
});

test('a BLOCKHASH(parent) reader waits for the parent hash and sees it; a transfer in the same round does not wait', async () => {
  const world = WorldState.fromAlloc([
    [DEV[0].address, { balance: 10n ** 20n }],
    [DEV[1].address, { balance: 10n ** 20n }],
    [RECORDER, { code: PARENT_HASH_RECORDER }],
  ]);
  const raws = [signTx(DEV[0], { nonce: 0n, to: RECORDER, gasLimit: 100_000n }), signTx(DEV[1], { nonce: 0n, to: DEV[2].address, value: 5n, gasLimit: 21_000n })];
  const pool = new Mempool();
  for (const d of await decodeAndRecoverBatch(raws, { chainId: 42069n }, new InlineSenderRecoverer())) {
    if (d instanceof Error) throw d;
    pool.add(d, 0n, 0n);
    pool.get(d.exec.hash)!.durable = true;
  }
  const env: BlockEnv = {
    chainId: 42069n,
    number: 7n,
    timestamp: 100n,
    coinbase: DEV[9].address,
    gasLimit: 30_000_000n,
    baseFee: 7n,
    prevRandao: `0x${'11'.repeat(32)}`,
    excessBlobGas: 0n,
    recentBlockHashes: [UNKNOWN_PARENT_HASH, `0x${'cd'.repeat(32)}`],
  };
  let resolveParent!: (h: Hex) => void;
  const gate = new ParentHashGate(env, new Promise<Hex>((r) => (resolveParent = r)), new BlockHashReaders());
  const executor = new ReferenceExecutor();
  const overlay = new BlockOverlay(world);
  const scheduling = scheduleBlock({ pool, overlay, executor, env, gate });
  setTimeout(() => resolveParent(PARENT), 50);
  const sched = await scheduling;
  assert.equal(sched.held, 1, 'the recorder call was held once');
  assert.equal(gate.open, true);
  assert.deepEqual(
    sched.included.map((i) => i.entry.tx.exec.from),
    [DEV[1].address, DEV[0].address],
    'the transfer was accepted in round 1, the recorder call after the hash was known',
  );
  assert.equal(overlay.getStorage(RECORDER, toWord(7n)), BigInt(PARENT), 'BLOCKHASH(parent) is the real parent hash');
});
