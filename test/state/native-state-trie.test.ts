// The native state trie against @ethereumjs/mpt: random change sets over many rounds (new accounts,
// balance/nonce/code changes, slot writes and zeroing, storage clears, deletions, re-creation, EIP-161
// removals, tiny and huge values), roots compared with a full @ethereumjs/mpt rebuild and with the
// incremental reference commitment; EIP-1186 proofs verified with @ethereumjs/mpt against the root.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMPT, verifyMerkleProof } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, createAccount } from '@ethereumjs/util';
import type { AccountChange } from '../../sequencer/executor/types.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { bytesToHex, hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { BlockOverlay } from '../../sequencer/scheduler/overlay.js';
import { withChangeRecord } from '../../sequencer/state/change-record.js';
import { encodeChangeRecord, encodeTrieChanges } from '../../sequencer/state/native-state-trie.js';
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, WorldState, type GenesisAccount } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../support/seeded-random.js';

const MAX_U256 = (1n << 256n) - 1n;
const secureTrie = () => createMPT({ useKeyHashing: true, useKeyHashingFunction: keccak256 });

/** The oracle: every trie rebuilt from scratch with @ethereumjs/mpt from the state's contents. */
async function rebuiltRoots(state: WorldState): Promise<{ root: Hex; storageRoots: Map<Address, Uint8Array> }> {
  const accounts = await secureTrie();
  const storageRoots = new Map<Address, Uint8Array>();
  for (const [address, a] of state.entries()) {
    const storage = await secureTrie();
    for (const [slot, value] of a.storage) await storage.put(hexToU8(slot), RLP.encode(bigIntToUnpaddedBytes(value)));
    storageRoots.set(address, storage.root());
    const account = createAccount({ nonce: a.nonce, balance: a.balance, storageRoot: storage.root(), codeHash: hexToU8(a.codeHash) });
    await accounts.put(hexToU8(address), account.serialize());
  }
  return { root: bytesToHex(accounts.root()) as Hex, storageRoots };
}

class ChangeGenerator {
  private readonly rand: () => number;
  private readonly deleted: Address[] = [];
  private nextAddress = 1;

  constructor(seed: number) {
    this.rand = seededRandom(seed);
  }

  int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  freshAddress(): Address {
    // Mostly random-looking addresses, some with long shared prefixes (deep, narrow trie paths are keyed
    // by keccak anyway, but sequential addresses are what state tests use).
    const n = this.nextAddress++;
    return (this.int(2) === 0 ? `0x${n.toString(16).padStart(40, '0')}` : bytesToHex(keccak256(Uint8Array.of(n >> 8, n & 255, 7)).subarray(12))) as Address;
  }

  value(): bigint {
    switch (this.int(5)) {
      case 0: return BigInt(1 + this.int(255));
      case 1: return MAX_U256;
      case 2: return BigInt(bytesToHex(keccak256(Uint8Array.of(this.int(256), this.int(256)))));
      case 3: return 1n << BigInt(this.int(256));
      default: return BigInt(this.int(1_000_000_000)) * 10n ** 9n + 1n;
    }
  }

  /** Balances stay below 2^255 so fee credits cannot overflow them. */
  balance(): bigint {
    return this.value() >> 1n;
  }

  slot(): Hex {
    return (this.int(3) === 0 ? `0x${this.int(16).toString(16).padStart(64, '0')}` : bytesToHex(keccak256(Uint8Array.of(this.int(256), this.int(256), this.int(256))))) as Hex;
  }

  code(): Uint8Array {
    return Uint8Array.from({ length: 1 + this.int(60) }, () => this.int(256));
  }

  newSlots(n: number): Map<Hex, bigint> {
    const m = new Map<Hex, bigint>();
    for (let i = 0; i < n; i++) m.set(this.slot(), this.value());
    return m;
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(items.length)];
  }

  /** One transaction's changes against `state` (applied right after, so each reads the state it changes). */
  transaction(state: WorldState): AccountChange[] {
    const live = [...state.entries()].map(([a]) => a);
    const changes: AccountChange[] = [];
    const touched = new Set<Address>();
    for (let k = 1 + this.int(4); k > 0; k--) {
      const target = this.pick(live);
      const op = this.int(10);
      if (op <= 1 || target === undefined || touched.has(target)) {
        const recreate = op === 1 ? this.deleted.pop() : undefined;
        const address = recreate ?? this.freshAddress();
        if (touched.has(address) || state.getAccount(address)) continue;
        // A re-creation may say it resets storage or not (the EVM does not when the account is absent from
        // its snapshot): the storage is gone either way.
        const storageReset = recreate !== undefined && this.int(2) === 0;
        changes.push({ address, deleted: false, balance: this.balance(), nonce: BigInt(this.int(3)), code: this.int(3) === 0 ? this.code() : undefined, storageReset, storage: this.newSlots(this.int(4)) });
        touched.add(address);
        continue;
      }
      touched.add(target);
      const a = state.getAccount(target)!;
      const existing = [...state.storageOf(target).keys()];
      const base = { address: target, deleted: false, balance: a.balance, nonce: a.nonce, storageReset: false, storage: new Map<Hex, bigint>() };
      switch (op) {
        case 2: // balance and nonce
          changes.push({ ...base, balance: this.int(4) === 0 ? 0n : this.balance(), nonce: a.nonce + 1n });
          break;
        case 3: // code (creation over the account)
          changes.push({ ...base, code: this.code(), nonce: 1n });
          break;
        case 4: // slot writes, new and overwritten
          for (const s of existing.slice(0, 2)) base.storage.set(s, this.value());
          for (const [s, v] of this.newSlots(1 + this.int(5))) base.storage.set(s, v);
          changes.push(base);
          break;
        case 5: // slots set to zero (removed from the trie), plus a zero write to a slot never set
          for (const s of existing) if (this.int(2) === 0) base.storage.set(s, 0n);
          base.storage.set(this.slot(), 0n);
          changes.push(base);
          break;
        case 6: // storage cleared (re-created in place), maybe with new slots
          changes.push({ ...base, storageReset: true, storage: this.newSlots(this.int(3)) });
          break;
        case 7: // self-destructed
        case 8: // EIP-161: touched while empty
          changes.push({ ...base, deleted: true, balance: 0n, nonce: 0n });
          this.deleted.push(target);
          break;
        default: // balance only
          changes.push({ ...base, balance: a.balance + 1n });
      }
    }
    return changes;
  }
}

function genesis(count: number, gen: ChangeGenerator): [Address, GenesisAccount][] {
  const alloc: [Address, GenesisAccount][] = [];
  for (let i = 0; i < count; i++) {
    const empty = i % 50 === 49; // EIP-161 candidates: exist, but with nothing in them
    alloc.push([gen.freshAddress(), empty ? {} : { balance: gen.balance(), nonce: BigInt(gen.int(5)), code: i % 7 === 0 ? gen.code() : undefined, storage: i % 4 === 0 ? gen.newSlots(gen.int(6)) : undefined }]);
  }
  return alloc;
}

/**
 * How the native WorldState takes each round: 'tracked' applies every transaction with applyChanges (dirty
 * accounts); 'trail' commits blocks as the node does (a BlockOverlay's merged changes with its
 * per-transaction lists, WorldState.applyBlock), some lists carrying binary records (as the native EVM's do,
 * at offsets inside shared buffers), with tracked transactions and credits between the blocks.
 */
type Mode = 'tracked' | 'trail';

/** Gives some of a block's lists records, packed back to back into one buffer as an executor's results are. */
function withRecords(trail: readonly (readonly AccountChange[])[], gen: ChangeGenerator): (readonly AccountChange[])[] {
  const chosen = trail.map((changes) => (gen.int(3) === 0 ? undefined : encodeChangeRecord(changes)));
  const pad = 1 + gen.int(7);
  const bytes = new Uint8Array(chosen.reduce((n, r) => n + pad + (r?.length ?? 0), 0));
  let at = 0;
  return trail.map((changes, i) => {
    const record = chosen[i];
    if (record === undefined) return changes;
    at += pad;
    bytes.set(record, at);
    at += record.length;
    return withChangeRecord([...changes], { bytes, start: at - record.length, end: at });
  });
}

/** Runs `rounds` of random blocks on a native and a reference WorldState; both must match the rebuilt root. */
async function differential(seed: number, accounts: number, rounds: number, mode: Mode = 'tracked'): Promise<{ native: WorldState; reference: WorldState; gen: ChangeGenerator }> {
  const gen = new ChangeGenerator(seed);
  const alloc = genesis(accounts, gen);
  const native = WorldState.fromAlloc(alloc);
  const reference = WorldState.fromAlloc(alloc, { commitment: 'reference' });
  assert.equal(native.commitmentKind, 'native');
  assert.equal(await native.stateRoot(), (await rebuiltRoots(native)).root, `seed ${seed}: genesis root`);
  await reference.stateRoot();
  for (let round = 0; round < rounds; round++) {
    // The reference takes every transaction as it comes, and is the state the next one is drawn from.
    let block = mode === 'trail' && gen.int(5) !== 0 ? new BlockOverlay(native) : undefined;
    const seal = () => {
      if (block === undefined) return;
      native.applyBlock(block.toChanges(), withRecords(block.changesSince(0)!, gen));
      block = undefined;
    };
    for (let t = 1 + gen.int(12); t > 0; t--) {
      const changes = gen.transaction(reference);
      reference.applyChanges(changes);
      (block ?? native).applyChanges(changes);
      if (gen.int(4) === 0) {
        const coinbase = gen.pick([...reference.entries()].map(([a]) => a)) ?? gen.freshAddress();
        const fee = BigInt(gen.int(3));
        (block ?? native).credit(coinbase, fee);
        reference.credit(coinbase, fee);
      }
      if (mode === 'trail' && gen.int(5) === 0) {
        seal();
        if (gen.int(2) === 0) block = new BlockOverlay(native);
      }
    }
    seal();
    const expected = (await rebuiltRoots(reference)).root;
    assert.equal((await rebuiltRoots(native)).root, expected, `seed ${seed} round ${round}: same state`);
    assert.equal(await native.stateRoot(), expected, `seed ${seed} round ${round}: native root`);
    assert.equal(await reference.stateRoot(), expected, `seed ${seed} round ${round}: reference root`);
  }
  return { native, reference, gen };
}

describe('native state trie', () => {
  it('matches @ethereumjs/mpt over random rounds on a 1,000-account state', async () => {
    await differential(1, 1000, 12);
  });

  it('matches when blocks come as change trails with the executor\'s binary records (WorldState.applyBlock)', async () => {
    await differential(50, 1000, 12, 'trail');
    for (let seed = 51; seed < 61; seed++) await differential(seed, 1 + (seed % 4) * 20, 8, 'trail');
  });

  it('matches on a 1-account state, down to the empty trie and back', async () => {
    const gen = new ChangeGenerator(2);
    const [[address]] = genesis(1, gen);
    const state = WorldState.fromAlloc([[address, { balance: 1n, storage: new Map([[gen.slot(), 1n]]) }]]);
    assert.equal(await state.stateRoot(), (await rebuiltRoots(state)).root);
    state.applyChanges([{ address, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() }]);
    assert.equal(await state.stateRoot(), (await rebuiltRoots(state)).root, 'empty state');
    assert.equal(await state.stateRoot(), '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
    for (let seed = 3; seed < 13; seed++) await differential(seed, 1, 6);
  });

  it('re-creates an account deleted in the same block with none of its old storage', async () => {
    const gen = new ChangeGenerator(20);
    const a = gen.freshAddress();
    const slots = gen.newSlots(5);
    const state = WorldState.fromAlloc([[a, { balance: 5n, storage: slots }], [gen.freshAddress(), { balance: 1n }]]);
    await state.stateRoot();
    state.applyChanges([{ address: a, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() }]);
    state.applyChanges([{ address: a, deleted: false, balance: 7n, nonce: 1n, code: gen.code(), storageReset: true, storage: new Map([[gen.slot(), 9n]]) }]);
    assert.equal(await state.stateRoot(), (await rebuiltRoots(state)).root);
  });

  // The trie keeps each account's key from when it appeared: a deletion must drop it, a re-creation in a
  // later block hash it again, and deleting an account the trie never had must change nothing.
  it('deletes and re-creates accounts across blocks, and ignores deleting one it never had', async () => {
    const gen = new ChangeGenerator(22);
    const alloc = genesis(40, gen);
    const state = WorldState.fromAlloc(alloc);
    const before = await state.stateRoot();
    const never = gen.freshAddress();
    state.applyChanges([{ address: never, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() }]);
    assert.equal(await state.stateRoot(), before, 'deleting an absent account');
    const gone = alloc.slice(0, 10).map(([a]) => a);
    state.applyChanges(gone.map((address) => ({ address, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() })));
    assert.equal(await state.stateRoot(), (await rebuiltRoots(state)).root, 'deleted');
    state.applyChanges(gone.slice(0, 5).map((address, i) => ({ address, deleted: false, balance: BigInt(i + 1), nonce: 0n, storageReset: true, storage: new Map([[gen.slot(), 3n]]) })));
    assert.equal(await state.stateRoot(), (await rebuiltRoots(state)).root, 're-created');
  });

  it('bulk-builds big storage tries (genesis, and a clear with hundreds of slots, zeros among them)', async () => {
    const gen = new ChangeGenerator(25);
    const token = gen.freshAddress();
    const state = WorldState.fromAlloc([[token, { code: gen.code(), storage: gen.newSlots(700) }], ...genesis(300, gen)]);
    assert.equal(await state.stateRoot(), (await rebuiltRoots(state)).root, 'genesis');
    const storage = gen.newSlots(600);
    for (const s of [...storage.keys()].slice(0, 100)) storage.set(s, 0n);
    const a = state.getAccount(token)!;
    state.applyChanges([{ address: token, deleted: false, balance: a.balance, nonce: a.nonce, storageReset: true, storage }]);
    assert.equal(await state.stateRoot(), (await rebuiltRoots(state)).root, 'cleared and refilled');
    assert.ok(storage.size >= 256 && [...storage.keys()].slice(0, 100).every((s) => state.getStorage(token, s) === 0n));
  });

  it('gives each stateRoot() the state as of its call, even when calls overlap', async () => {
    const gen = new ChangeGenerator(30);
    const state = WorldState.fromAlloc(genesis(200, gen));
    const roots: Promise<Hex>[] = [];
    const expected: Hex[] = [];
    for (let i = 0; i < 5; i++) {
      state.applyChanges(gen.transaction(state));
      const copy = state.clone(); // shares nothing: its own trie, built from this moment's contents
      expected.push((await rebuiltRoots(copy)).root);
      roots.push(state.stateRoot());
    }
    assert.deepEqual(await Promise.all(roots), expected);
  });

  it('serves EIP-1186 proofs that @ethereumjs/mpt verifies against the root', async () => {
    const { native, reference, gen } = await differential(40, 300, 4);
    const { root, storageRoots } = await rebuiltRoots(native);
    const live = [...native.entries()].map(([a]) => a);
    const addresses = [...live.slice(0, 25), gen.freshAddress(), '0x00000000000000000000000000000000000000ff' as Address];
    for (const address of addresses) {
      const a = native.getAccount(address);
      const slots = [...native.storageOf(address).keys()].slice(0, 3).concat([gen.slot()]);
      const proof = await native.proof(address, slots);
      assert.equal(proof.stateRoot, root);
      const opts = { useKeyHashing: true, useKeyHashingFunction: keccak256 };
      const accountRlp = await verifyMerkleProof(hexToU8(address), proof.accountProof.map(hexToU8), { ...opts, root: hexToU8(root) });
      const storageRoot = storageRoots.get(address);
      if (a === undefined) {
        assert.equal(accountRlp, null, `${address} is proven absent`);
      } else {
        const expected = createAccount({ nonce: a.nonce, balance: a.balance, storageRoot, codeHash: hexToU8(a.codeHash) }).serialize();
        assert.deepEqual(accountRlp, expected, `${address} account`);
        assert.equal(proof.storageHash, bytesToHex(storageRoot!));
      }
      for (const [i, slot] of slots.entries()) {
        if (a === undefined || proof.storageHash === EMPTY_TRIE_ROOT) {
          assert.deepEqual(proof.storageProofs[i], [], 'no storage: nothing to prove against');
          continue;
        }
        const value = await verifyMerkleProof(hexToU8(slot), proof.storageProofs[i].map(hexToU8), { ...opts, root: storageRoot });
        const v = native.getStorage(address, slot);
        assert.deepEqual(value, v === 0n ? null : RLP.encode(bigIntToUnpaddedBytes(v)), `${address} slot ${slot}`);
      }
      assert.deepEqual(proof, await reference.proof(address, slots), `${address}: same nodes as @ethereumjs/mpt`);
    }
    assert.equal((await native.proof(live[0], [])).storageProofs.length, 0);
  });

  // Lists built in TypeScript may name an account twice; their record must merge as its changes applied in turn.
  it('merges a record naming an account twice as the same changes in two records', async () => {
    const addon = loadAddon();
    const a = '0x3000000000000000000000000000000000000003' as Address;
    const slot = (k: number) => `0x${k.toString(16).padStart(64, '0')}` as Hex;
    const first: AccountChange = { address: a, deleted: false, balance: 5n, nonce: 1n, storageReset: false, storage: new Map([[slot(1), 5n], [slot(2), 6n]]) };
    const reset: AccountChange = { address: a, deleted: false, balance: 6n, nonce: 2n, storageReset: true, storage: new Map([[slot(3), 7n]]) };
    const gone: AccountChange = { address: a, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() };
    const none = encodeTrieChanges([]);
    const root = async (records: Uint8Array[]) =>
      bytesToHex(await addon.stateTrieUpdate(addon.stateTrieNew(), none, records, Uint32Array.from(records.flatMap((r, i) => [i, 0, r.length]))));
    for (const [later, what] of [[reset, 'a storage reset'], [gone, 'a deletion']] as const) {
      const apart = await root([encodeChangeRecord([first]), encodeChangeRecord([later])]);
      assert.equal(await root([encodeChangeRecord([first, later])]), apart, `${what} drops the earlier slot writes of its record`);
      assert.notEqual(apart, await root([encodeChangeRecord([first])]), `${what} changes the root`);
    }
  });

  it('rejects bad change sets without changing the trie', async () => {
    const addon = loadAddon();
    const trie = addon.stateTrieNew();
    const address = '0x1000000000000000000000000000000000000001' as Address;
    const good = encodeTrieChanges([{ address, account: { nonce: 1n, balance: 2n, codeHash: EMPTY_CODE_HASH }, storageReset: false, slots: [] }]);
    const root = bytesToHex(await addon.stateTrieUpdate(trie, good));
    const other = { address: '0x2000000000000000000000000000000000000002' as Address, account: { nonce: 0n, balance: 9n, codeHash: EMPTY_CODE_HASH }, storageReset: false, slots: [] };
    const twice = encodeTrieChanges([other, other]);
    await assert.rejects(addon.stateTrieUpdate(trie, twice), /0x2000000000000000000000000000000000000002 is listed twice/);
    await assert.rejects(addon.stateTrieUpdate(trie, good.subarray(0, good.length - 1)), /truncated/);
    const flags = Uint8Array.from(good);
    flags[24] = 9;
    await assert.rejects(addon.stateTrieUpdate(trie, flags), /unknown flags/);
    await assert.rejects(addon.stateTrieUpdate(trie, Uint8Array.of(...good, 0)), /trailing bytes/);
    assert.equal(bytesToHex(await addon.stateTrieUpdate(trie, encodeTrieChanges([]))), root, 'root unchanged');
    assert.throws(() => addon.stateTrieUpdate({}, good), TypeError);
    assert.throws(() => addon.stateTrieProve(trie, new Uint8Array(19), new Uint8Array()), /20 bytes/);
    // Big enough that the update is still running on its worker thread when the next line runs.
    const many = Array.from({ length: 50_000 }, (_, i) => ({ ...other, address: `0x${(i + 16).toString(16).padStart(40, '0')}` as Address }));
    const pending = addon.stateTrieUpdate(trie, encodeTrieChanges(many));
    assert.throws(() => addon.stateTrieProve(trie, hexToU8(address), new Uint8Array()), /still running/);
    await pending;
    assert.throws(() => encodeTrieChanges([{ ...other, account: { ...other.account, nonce: 1n << 64n } }]), /does not fit 64 bits/);
  });

  it('rejects bad change records (the executor\'s layout) without changing the trie', async () => {
    const addon = loadAddon();
    const trie = addon.stateTrieNew();
    const address = '0x3000000000000000000000000000000000000003' as Address;
    const none = encodeTrieChanges([]);
    const record = encodeChangeRecord([{ address, deleted: false, balance: 5n, nonce: 1n, storageReset: false, storage: new Map([[`0x${'11'.repeat(32)}` as Hex, 7n]]) }]);
    const span = (r: Uint8Array) => Uint32Array.of(0, 0, r.length);
    const root = bytesToHex(await addon.stateTrieUpdate(trie, none, [record], span(record)));
    const second = Uint8Array.from(record);
    second[24] = 9; // unknown flags: the byte after the count and the address
    second[4 + 19] ^= 1; // another account, so a bad record cannot be mistaken for a repeat
    await assert.rejects(addon.stateTrieUpdate(trie, none, [record, second], Uint32Array.of(0, 0, record.length, 1, 0, second.length)), /change record 1: account 0x3000000000000000000000000000000000000002 has unknown flags 9/);
    await assert.rejects(addon.stateTrieUpdate(trie, none, [record], Uint32Array.of(0, 0, record.length - 1)), /change record 0: .*truncated/);
    const deleted = encodeChangeRecord([{ address, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() }]);
    const slotOfDeleted = Uint8Array.of(...deleted.subarray(0, deleted.length - 4), 1, 0, 0, 0, 0, 0, 0, 0, ...new Uint8Array(64));
    await assert.rejects(addon.stateTrieUpdate(trie, none, [slotOfDeleted], span(slotOfDeleted)), /slot 0 names change 0, which is not a live account/);
    await assert.rejects(addon.stateTrieUpdate(trie, none, [Uint8Array.of(...record, 0)], span(Uint8Array.of(...record, 0))), /change record 0: 1 trailing bytes/);
    assert.throws(() => addon.stateTrieUpdate(trie, none, [record], Uint32Array.of(0, 2, record.length + 1)), /span 0 \(0, 2, \d+\) is outside its buffer/);
    assert.throws(() => addon.stateTrieUpdate(trie, none, [record], Uint32Array.of(1, 0, 1)), /outside its buffer/);
    assert.throws(() => addon.stateTrieUpdate(trie, none, [record], Uint32Array.of(0, 0)), /triples/);
    assert.equal(bytesToHex(await addon.stateTrieUpdate(trie, none)), root, 'root unchanged');
  });
});
