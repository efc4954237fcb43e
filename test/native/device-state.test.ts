// The device-resident state copy (native/evm/device_state.h) under EVM_SIMULATE_DEVICE=1: after each
// series of changes the mirror follows, the copy is synced by a delta and must equal the mirror byte for
// byte, and batches executed against it must give the same results as the CPU backend on the mirror and
// as a fresh mirror uploaded whole. The mirror fed the executor's own result records (mirror-update.ts) must
// equal one fed the TypeScript encoding of the same change lists.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadAddon, type DeviceStateStats } from '../../sequencer/native/addon.js';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import { decodeResults, encodeChanges, encodeEnv, encodeState, encodeTxs } from '../../sequencer/executor/native/encode.js';
import { updateMirror } from '../../sequencer/executor/native/mirror-update.js';
import { changeRecordOf } from '../../sequencer/state/change-record.js';
import type { AccountChange, BlockEnv, ExecTx, TxOutcome } from '../../sequencer/executor/types.js';
import { toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../support/seeded-random.js';

const addon = loadAddon();
const SENDER: Address = '0x5e00000000000000000000000000000000000001';
const PROBE: Address = '0x5e00000000000000000000000000000000000002';
const COINBASE: Address = '0xcb00000000000000000000000000000000000000';

const env: BlockEnv = {
  fork: 'Osaka',
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

// Slot store: 32 bytes of calldata returns SLOAD(key); 64 bytes stores value at key.
const STORE = Uint8Array.from([
  0x36, 0x60, 0x20, 0x14, 0x60, 0x0e, 0x57, 0x60, 0x20, 0x35, 0x5f, 0x35, 0x55, 0x00, 0x5b, 0x5f, 0x35, 0x54, 0x5f,
  0x52, 0x60, 0x20, 0x5f, 0xf3,
]);
// Returns BALANCE, EXTCODEHASH and EXTCODESIZE of the address in calldata.
const PROBE_CODE = Uint8Array.from([
  0x5f, 0x35, 0x80, 0x31, 0x5f, 0x52, 0x80, 0x3f, 0x60, 0x20, 0x52, 0x3b, 0x60, 0x40, 0x52, 0x60, 0x60, 0x5f, 0xf3,
]);
// Jumps over three INVALIDs to a JUMPDEST and returns k: runs only if the copy's JUMPDEST bitmap is right.
const jumper = (k: number) => Uint8Array.from([0x60, 0x06, 0x56, 0xfe, 0xfe, 0xfe, 0x5b, 0x60, k, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]);
// Jumps into PUSH2 data that holds 0x5b: must halt (the bitmap must not mark it).
const BAD_JUMP = Uint8Array.from([0x60, 0x04, 0x56, 0x61, 0x5b, 0x00, 0x00]);

// Init code that deploys `runtime` (CODECOPY it, RETURN it).
const creation = (runtime: Uint8Array): Uint8Array =>
  Uint8Array.from([0x60, runtime.length, 0x60, 0x0a, 0x5f, 0x39, 0x60, runtime.length, 0x5f, 0xf3, ...runtime]);
const address = (tag: number, i: number): Address => `0x${tag.toString(16).padStart(2, '0')}${i.toString(16).padStart(38, '0')}` as Address;
const word = (v: bigint): Uint8Array => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');

let hashes = 0;
function call(to: Address, data: Uint8Array): ExecTx {
  return {
    hash: `0x${(++hashes).toString(16).padStart(64, '0')}`,
    type: 2,
    from: SENDER,
    to,
    nonce: 0n,
    gasLimit: 200_000n,
    value: 0n,
    data,
    maxFeePerGas: 20n,
    maxPriorityFeePerGas: 2n,
    accessList: [],
    chainId: 1n,
  };
}

async function execute(handle: object, txs: readonly ExecTx[], simulate: boolean): Promise<Buffer> {
  if (simulate) process.env.EVM_SIMULATE_DEVICE = '1';
  else delete process.env.EVM_SIMULATE_DEVICE;
  try {
    return await addon.evmExecute(handle, encodeEnv(env, 'Osaka', 1n), encodeTxs(txs));
  } finally {
    delete process.env.EVM_SIMULATE_DEVICE;
  }
}

/** Accounts, stores (with slots) and contracts of a genesis, and the slot keys in use. */
interface Population {
  eoas: Address[];
  stores: Address[];
  coded: Address[];
  deleted: Address[];
  keys: bigint[];
}

function genesis(rnd: () => number, accounts: number): { state: WorldState; pop: Population } {
  const pop: Population = { eoas: [], stores: [], coded: [address(0xc0, 0)], deleted: [], keys: [] };
  const alloc: [Address, { balance?: bigint; code?: Uint8Array; storage?: Map<Hex, bigint> }][] = [
    [SENDER, { balance: 10n ** 21n }],
    [PROBE, { code: PROBE_CODE }],
    [pop.coded[0], { code: jumper(1) }],
  ];
  for (let i = 0; i < accounts; i++) {
    pop.eoas.push(address(0xa0, i));
    alloc.push([pop.eoas[i], { balance: 10n ** 18n * BigInt(i + 1) }]);
  }
  for (let k = 0; k < 20; k++) pop.keys.push(BigInt(k));
  for (let i = 0; i < 8; i++) {
    pop.stores.push(address(0x50, i));
    alloc.push([pop.stores[i], { code: STORE, storage: new Map(pop.keys.map((k) => [toWord(k), BigInt(Math.floor(rnd() * 1e9)) + 1n])) }]);
  }
  return { state: WorldState.fromAlloc(alloc), pop };
}

/** Random change sets over a growing population: what a chain's blocks report to the mirror follower. */
class ChangeGenerator {
  private fresh = 0;

  constructor(private readonly rnd: () => number, private readonly state: WorldState, readonly pop: Population) {}

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rnd() * list.length)];
  }

  private account(address: Address, over: Partial<AccountChange> = {}): AccountChange {
    const a = this.state.getAccount(address);
    return { address, deleted: false, balance: a?.balance ?? 0n, nonce: a?.nonce ?? 0n, storageReset: false, storage: new Map(), ...over };
  }

  /** One block's change sets (each a transaction's), covering every kind of change the mirror takes. */
  block(size: number): AccountChange[][] {
    const { eoas, stores, coded, deleted, keys } = this.pop;
    const sets: AccountChange[][] = [];
    for (let t = 0; t < size; t++) {
      const r = this.rnd();
      const big = BigInt(Math.floor(this.rnd() * 1e12));
      if (r < 0.3) {
        sets.push([this.account(this.pick(eoas), { balance: big, nonce: BigInt(t + 1) })]);
      } else if (r < 0.5) {
        const a = address(0xe0, ++this.fresh);
        eoas.push(a);
        sets.push([this.account(a, { balance: big + 1n })]);
      } else if (r < 0.75) {
        const storage = new Map<Hex, bigint>();
        for (let k = 0; k < 1 + Math.floor(this.rnd() * 6); k++) {
          const key = this.rnd() < 0.5 ? this.pick(keys) : BigInt(Math.floor(this.rnd() * 1e9));
          keys.push(key);
          storage.set(toWord(key), this.rnd() < 0.2 ? 0n : BigInt(Math.floor(this.rnd() * 1e9)) + 1n);
        }
        sets.push([this.account(this.pick(stores), { storage })]);
      } else if (r < 0.82) {
        const a = address(0xc0, ++this.fresh);
        coded.push(a);
        sets.push([this.account(a, { nonce: 1n, code: this.rnd() < 0.8 ? jumper(this.fresh & 0xff) : BAD_JUMP })]);
      } else if (r < 0.88) {
        // A store re-created over its old storage: the old slots are gone.
        sets.push([this.account(this.pick(stores), { storageReset: true, storage: new Map([[toWord(7n), big + 1n]]) })]);
      } else if (r < 0.94 && eoas.length > 4) {
        const [gone] = eoas.splice(Math.floor(this.rnd() * eoas.length), 1);
        deleted.push(gone);
        sets.push([{ address: gone, deleted: true, balance: 0n, nonce: 0n, storageReset: false, storage: new Map() }]);
      } else if (deleted.length > 0) {
        const back = deleted.pop()!;
        eoas.push(back);
        sets.push([this.account(back, { balance: big + 3n })]);
      }
    }
    return sets;
  }

  /** Calls that read what the changes touched: balances and code hashes, slots, and the deployed code. */
  probes(count: number): ExecTx[] {
    const { eoas, stores, coded, deleted, keys } = this.pop;
    const everyone = [...eoas, ...deleted, ...stores, ...coded];
    const txs: ExecTx[] = [];
    for (let i = 0; i < count; i++) {
      const r = this.rnd();
      if (r < 0.4) txs.push(call(PROBE, word(BigInt(this.pick(everyone)))));
      else if (r < 0.75) txs.push(call(this.pick(stores), word(this.pick(keys))));
      else txs.push(call(this.pick(coded), new Uint8Array()));
    }
    return txs;
  }
}

describe('device-resident state (EVM_SIMULATE_DEVICE)', () => {
  it('is synced by deltas of the change feed, equals the mirror, and executes as the CPU and a full upload do', async () => {
    const rnd = seededRandom(1307);
    const { state, pop } = genesis(rnd, 300);
    const gen = new ChangeGenerator(rnd, state, pop);
    const handle = addon.evmLoadState(encodeState(state.entries())).handle;
    assert.equal(addon.evmDeviceState(handle), null, 'no device copy before a batch runs on the device');
    await execute(handle, gen.probes(4), true);
    const first = addon.evmDeviceState(handle)!;
    assert.equal(first.memory, 'host');
    assert.equal(first.fullUploads, 1);
    assert.equal(addon.evmDeviceStateCheck(handle), '');

    const blocks = 40;
    let deltaBytes = 0;
    for (let b = 0; b < blocks; b++) {
      const sets = gen.block(4 + Math.floor(rnd() * 40));
      for (const s of sets) state.applyChanges(s);
      assert.equal(addon.evmUpdateState(handle, encodeChanges(sets)), true);
      if (b === 0) assert.match(addon.evmDeviceStateCheck(handle), /behind the mirror/, 'a change not yet synced shows');
      const probes = gen.probes(24);
      const device = await execute(handle, probes, true);
      assert.equal(addon.evmDeviceStateCheck(handle), '', `block ${b}: the device copy equals the mirror`);
      const cpu = await execute(handle, probes, false);
      const whole = await execute(addon.evmLoadState(encodeState(state.entries())).handle, probes, true);
      assert.ok(device.equals(cpu), `block ${b}: device copy and CPU mirror give the same results`);
      assert.ok(device.equals(whole), `block ${b}: delta-synced and freshly uploaded copies give the same results`);
      deltaBytes = Math.max(deltaBytes, addon.evmDeviceState(handle)!.lastDeltaBytes);
    }
    const stats = addon.evmDeviceState(handle)!;
    // The population grows ~4x, so the copy is re-uploaded whole a few times as arrays outgrow their room.
    assert.ok(stats.fullUploads <= 6, `full uploads: ${stats.fullUploads}`);
    assert.ok(stats.deltaSyncs >= blocks - stats.fullUploads, `delta syncs: ${stats.deltaSyncs}`);
    assert.ok(stats.indexUploads > 0, 'index growth was exercised');
    assert.ok(deltaBytes < stats.fullBytes / stats.fullUploads / 3, `largest delta ${deltaBytes} B vs a full upload`);
  });

  it('uploads whole when a delta would not pay, and a copy of the mirror starts without a device copy', async () => {
    const rnd = seededRandom(9);
    const { state, pop } = genesis(rnd, 300);
    const gen = new ChangeGenerator(rnd, state, pop);
    const handle = addon.evmLoadState(encodeState(state.entries())).handle;
    await execute(handle, gen.probes(4), true);
    // More changes than the journal keeps (4,096 at this size), all to existing accounts: no growth.
    const sets = Array.from({ length: 5000 }, (_, i) => [
      { address: pop.eoas[i % 300], deleted: false, balance: BigInt(i), nonce: 1n, storageReset: false, storage: new Map() },
    ]);
    for (const set of sets) state.applyChanges(set);
    assert.equal(addon.evmUpdateState(handle, encodeChanges(sets)), true);
    const probes = gen.probes(24);
    const device = await execute(handle, probes, true);
    assert.equal(addon.evmDeviceStateCheck(handle), '');
    assert.ok(device.equals(await execute(handle, probes, false)));
    const stats = addon.evmDeviceState(handle)!;
    assert.equal(stats.fullUploads, 2);
    assert.equal(stats.deltaSyncs, 0);
    const fork = (await addon.evmForkStateAsync(handle)).handle;
    assert.equal(addon.evmDeviceState(fork), null);
    assert.ok((await execute(fork, probes, true)).equals(device), 'the fork gets its own copy, with the same results');
  });

  it("follows the executor's own records exactly as it follows their TypeScript encoding", async () => {
    const rnd = seededRandom(4242);
    const { state, pop } = genesis(rnd, 300);
    const gen = new ChangeGenerator(rnd, state, pop);
    const viaRecords = addon.evmLoadState(encodeState(state.entries())).handle;
    const viaEncoding = addon.evmLoadState(encodeState(state.entries())).handle;
    await execute(viaRecords, gen.probes(4), true);
    let recorded = 0;
    for (let b = 0; b < 24; b++) {
      // Transactions that write slots, deploy code and move value, executed on the mirror as it is; their
      // decoded change lists carry their records. Between them, lists built in TypeScript (no record), so
      // the feed interleaves both kinds in commit order.
      const txs: ExecTx[] = [];
      for (let i = 0; i < 12; i++) {
        const from = gen.pick(pop.eoas);
        const base = { from, nonce: state.getAccount(from)!.nonce };
        const n = b * 12 + i;
        if (i % 3 === 0) txs.push({ ...call(pop.stores[n % 8], Buffer.concat([word(gen.pick(pop.keys)), word(BigInt(n % 5))])), ...base });
        else if (i % 3 === 1) txs.push({ ...call(address(0xd0, n % 40), new Uint8Array()), ...base, value: 7n });
        else txs.push({ ...call(pop.coded[0], new Uint8Array()), ...base, to: null, data: creation(jumper(n & 0xff)) });
      }
      const results = decodeResults(await execute(viaRecords, txs, false)).map((r) => r!);
      // The deployed contracts join the probes' targets, so their code as the records carried it is run.
      for (const r of results) if (r.created) pop.coded.push(r.createdAddress);
      const executed = results.map((r) => r.changes);
      const typed = gen.block(2 + Math.floor(rnd() * 10));
      const lists: AccountChange[][] = [];
      executed.forEach((changes, i) => lists.push(changes, ...(i < typed.length ? [typed[i]] : [])));
      lists.push(...typed.slice(executed.length));
      recorded += lists.filter((l) => changeRecordOf(l) !== undefined).length;
      for (const l of lists) state.applyChanges(l);
      assert.equal(updateMirror(addon, viaRecords, lists), true);
      assert.equal(addon.evmUpdateState(viaEncoding, encodeChanges(lists)), true);
      const probes = gen.probes(24);
      const device = await execute(viaRecords, probes, true);
      assert.equal(addon.evmDeviceStateCheck(viaRecords), '', `block ${b}: the device copy follows the record feed`);
      const encoded = await execute(viaEncoding, probes, false);
      const whole = await execute(addon.evmLoadState(encodeState(state.entries())).handle, probes, false);
      assert.ok(device.equals(encoded), `block ${b}: record-fed and encoding-fed mirrors give the same results`);
      assert.ok(device.equals(whole), `block ${b}: record-fed and freshly loaded mirrors give the same results`);
    }
    assert.equal(recorded, 24 * 12, 'every executed list went over as its record');
    assert.ok(pop.coded.length > 24 * 4, `deployed contracts probed: ${pop.coded.length}`);

    // A malformed record is refused before the mirror is touched.
    const probes = gen.probes(24);
    const before = await execute(viaRecords, probes, false);
    const bad = Uint8Array.of(1, 0, 0, 0, ...new Uint8Array(20), 9, ...new Uint8Array(40), 0, 0, 0, 0);
    assert.throws(() => addon.evmUpdateStateRecords(viaRecords, [bad], Uint32Array.of(0, 0, bad.length)), /evmUpdateStateRecords: change record 0: .*unknown flags 9/);
    assert.throws(() => addon.evmUpdateStateRecords(viaRecords, [bad], Uint32Array.of(0, 0, bad.length + 1)), /span 0 .* outside its buffer/);
    assert.ok((await execute(viaRecords, probes, false)).equals(before), 'a refused update changes nothing');
  });

  describe('the native executor following a chain', () => {
    after(() => {
      delete process.env.EVM_SIMULATE_DEVICE;
    });

    it('sends one full upload, then a delta per block, with outcomes equal to the CPU backend', async () => {
      const rnd = seededRandom(77);
      const { state, pop } = genesis(rnd, 2000);
      const device = new NativeExecutor();
      const cpu = new NativeExecutor();
      const run = async (ex: NativeExecutor, txs: ExecTx[], simulate: boolean): Promise<TxOutcome[]> => {
        if (simulate) process.env.EVM_SIMULATE_DEVICE = '1';
        else delete process.env.EVM_SIMULATE_DEVICE;
        return ex.executeBatch(state, txs, env);
      };
      const blocks = 12;
      let sender = 0;
      for (let b = 0; b < blocks; b++) {
        // Per block: transfers to new and to old accounts, slot rewrites (their gas depends on the stored
        // value), a deployment; one transaction per sender.
        const txs: ExecTx[] = [];
        for (let i = 0; i < 16; i++) {
          const from = pop.eoas[sender++];
          const base = { from, nonce: state.getAccount(from)!.nonce };
          const n = b * 16 + i;
          if (i % 4 === 0) txs.push({ ...call(address(0xd0, n), new Uint8Array()), ...base, value: 7n });
          else if (i % 4 === 1) txs.push({ ...call(pop.stores[n % 8], Buffer.concat([word(BigInt(n % 24)), word(BigInt(b + 1))])), ...base });
          else if (i % 4 === 2) txs.push({ ...call(pop.eoas[(n * 7) % 2000], new Uint8Array()), ...base, value: 9n });
          else txs.push({ ...call(pop.coded[0], new Uint8Array()), ...base, to: null, data: creation(jumper(n & 0xff)) });
        }
        const d = await run(device, txs, true);
        const c = await run(cpu, txs, false);
        assert.deepEqual(d, c, `block ${b}: outcomes`);
        let fees = 0n;
        for (const o of d) {
          assert.equal(o.kind, 'executed');
          if (o.kind !== 'executed') continue;
          assert.equal(o.status, 'success');
          state.applyChanges(o.changes);
          fees += o.coinbaseCredit;
        }
        state.credit(COINBASE, fees);
      }
      const stats = device.deviceState() as DeviceStateStats;
      assert.equal(stats.memory, 'host');
      assert.equal(stats.fullUploads, 1, 'uploaded whole once');
      assert.equal(stats.deltaSyncs, blocks - 1, 'then one delta per block');
      assert.ok(stats.lastDeltaBytes < stats.fullBytes / 20, `delta ${stats.lastDeltaBytes} B vs full ${stats.fullBytes} B`);
      assert.equal(device.stats.loads, 1, 'the executor followed the state instead of reloading it');
      assert.equal(cpu.deviceState(), undefined, 'the CPU backend keeps no device copy');
    });
  });
});
