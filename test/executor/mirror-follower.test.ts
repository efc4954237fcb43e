// The native executor's followed mirror (updated in place from the block overlay's and the WorldState's
// change feeds) must always equal a freshly loaded mirror of the same snapshot: random account changes
// (balances, nonces, code, storage writes, storage resets, deletions, re-creations) through overlays that
// are sealed or abandoned, with reads from the overlay and the WorldState interleaved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import type { AccountChange, BlockEnv, ExecTx, TxOutcome } from '../../sequencer/executor/types.js';
import { BlockOverlay } from '../../sequencer/scheduler/overlay.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { seededRandom } from '../support/seeded-random.js';

// Returns SLOAD(word 0), BALANCE(word 1) and EXTCODEHASH(word 1): 96 bytes.
const probeCode = (junk: number): Uint8Array =>
  Uint8Array.from([
    0x60, 0x00, 0x35, 0x54, 0x60, 0x00, 0x52, // mstore(0, sload(calldataload(0)))
    0x60, 0x20, 0x35, 0x31, 0x60, 0x20, 0x52, // mstore(32, balance(calldataload(32)))
    0x60, 0x20, 0x35, 0x3f, 0x60, 0x40, 0x52, // mstore(64, extcodehash(calldataload(32)))
    0x60, 0x60, 0x60, 0x00, 0xf3, // return(0, 96)
    0x00, junk & 0xff, // unreachable: makes code hashes differ
  ]);

const ADDRS: Address[] = Array.from({ length: 12 }, (_, i) => `0x${(0xa0 + i).toString(16).padStart(40, '0')}` as Address);
const SENDER: Address = '0x00000000000000000000000000000000000000ee';
const ENV: BlockEnv = {
  chainId: 1n, number: 1n, timestamp: 1n, coinbase: `0x${'c'.repeat(40)}`, gasLimit: 30_000_000n, baseFee: 0n,
  prevRandao: `0x${'0'.repeat(64)}`, excessBlobGas: 0n, recentBlockHashes: [],
};

function randomChanges(rnd: () => number, live: Set<Address>): AccountChange[] {
  const out: AccountChange[] = [];
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    const address = ADDRS[Math.floor(rnd() * ADDRS.length)]!;
    const r = rnd();
    if (r < 0.12) {
      out.push({ address, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() });
      live.delete(address);
      continue;
    }
    const storage = new Map<Hex, bigint>();
    for (let k = Math.floor(rnd() * 4); k > 0; k--) storage.set(toWord(BigInt(Math.floor(rnd() * 6))), rnd() < 0.3 ? 0n : BigInt(Math.floor(rnd() * 1e9)));
    out.push({
      address,
      deleted: false,
      balance: BigInt(Math.floor(rnd() * 1e12)),
      nonce: BigInt(Math.floor(rnd() * 5)),
      code: !live.has(address) || rnd() < 0.15 ? probeCode(Math.floor(rnd() * 256)) : undefined,
      storageReset: rnd() < 0.08,
      storage,
    });
    live.add(address);
  }
  return out;
}

let nonceTx = 0;
function probes(state: { getAccount(a: Address): { nonce: bigint } | undefined }, rnd: () => number): ExecTx[] {
  return ADDRS.map((to) => {
    const data = new Uint8Array(64);
    data[31] = Math.floor(rnd() * 6);
    data.set(Buffer.from(ADDRS[Math.floor(rnd() * ADDRS.length)]!.slice(2), 'hex'), 44);
    return {
      hash: `0x${(++nonceTx).toString(16).padStart(64, '0')}`, type: 0, from: SENDER, to, nonce: state.getAccount(SENDER)!.nonce,
      gasLimit: 100_000n, value: 0n, data, gasPrice: 0n, accessList: [],
    } satisfies ExecTx;
  });
}

const view = (o: TxOutcome): string => (o.kind === 'rejected' ? `rejected ${o.error}` : `${o.status} ${Buffer.from(o.returnData).toString('hex')}`);

test('the followed native mirror equals a fresh mirror after every change (overlays sealed and abandoned)', { timeout: 120_000 }, async () => {
  const rnd = seededRandom(31337);
  const world = WorldState.fromAlloc([[SENDER, { balance: 10n ** 20n }]]);
  const follower = new NativeExecutor();
  const live = new Set<Address>();
  let checks = 0;
  const compare = async (snapshot: WorldState | BlockOverlay, what: string) => {
    const txs = probes(snapshot, rnd);
    const got = (await follower.executeBatch(snapshot, txs, ENV)).map(view);
    const want = (await new NativeExecutor().executeBatch(snapshot, txs, ENV)).map(view);
    assert.deepEqual(got, want, what);
    checks++;
  };
  for (let block = 0; block < 40; block++) {
    const overlay = new BlockOverlay(world);
    for (let round = Math.floor(rnd() * 5); round > 0; round--) {
      overlay.applyChanges(randomChanges(rnd, live));
      if (rnd() < 0.3) overlay.credit(ADDRS[Math.floor(rnd() * ADDRS.length)]!, 7n);
      await compare(overlay, `block ${block} overlay v${overlay.version}`);
      if (rnd() < 0.2) await compare(world, `block ${block} world read while building`);
    }
    // The last round's commits land after its batch ran: the block moves on without a read.
    if (rnd() < 0.4) overlay.applyChanges(randomChanges(rnd, live));
    if (rnd() < 0.8) {
      const changes = overlay.toChanges();
      world.applyChanges(changes);
      await compare(world, `block ${block} sealed`);
    } else {
      // Abandoned: the world never sees it; the live set must follow the world again.
      live.clear();
      for (const a of ADDRS) if (world.getAccount(a)) live.add(a);
    }
    if (rnd() < 0.2) world.credit(ADDRS[0]!, 1n);
  }
  assert.ok(checks > 60, `checks ${checks}`);
  // It really followed: most snapshots came from in-place updates, few from full loads.
  assert.ok(follower.stats.followed > checks * 0.7 && follower.stats.loads < checks * 0.3, JSON.stringify({ checks, ...follower.stats }));
});
