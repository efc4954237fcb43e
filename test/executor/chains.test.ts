// Executor.executeChains: a chain's transactions each see the earlier ones' changes. Checked two ways: one
// chain of a conflict-heavy mix against running the same transactions one batch at a time on a state that
// took each one's changes (the meaning of a chain), and the native executor against the reference executor
// on random chains, including chains that stop at a change they do not carry (a contract creation).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { generateAddress2 } from '@ethereumjs/util';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import type { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import type { BlockEnv, ExecTx, Executor, TxExecuted, TxOutcome } from '../../sequencer/executor/types.js';
import { devGenesis } from '../../sequencer/genesis/dev.js';
import { DEFAULT_COINBASE, type Genesis, type GenesisAllocEntry } from '../../sequencer/genesis/genesis.js';
import { decodeAndRecoverBatch } from '../../sequencer/ingress/decode.js';
import { InlineSenderRecoverer } from '../../sequencer/ingress/recover.js';
import { EMPTY_BYTES, hexToU8, toAddress, toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { EMPTY_CODE_HASH, WorldState } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../support/seeded-random.js';
import { signTx } from '../sequencer/helpers.js';
import { asm, highConflictTx, makeSenders, workloadGenesis, type TxKind } from '../sequencer/workload.js';

function envOf(g: Genesis): BlockEnv {
  return { chainId: g.chainId, number: 1n, timestamp: 1n, coinbase: g.coinbase, gasLimit: g.gasLimit, baseFee: g.baseFeePerGas, prevRandao: `0x${'00'.repeat(32)}` as Hex, excessBlobGas: 0n, recentBlockHashes: [] };
}

async function decodeAll(raws: Uint8Array[], genesis: Genesis): Promise<ExecTx[]> {
  const decoded = await decodeAndRecoverBatch(raws, { chainId: genesis.chainId }, new InlineSenderRecoverer());
  return decoded.map((d) => (d instanceof Error ? assert.fail(d) : d.exec));
}

async function mix(seed: number, n: number, allow: (k: TxKind) => boolean): Promise<{ genesis: Genesis; txs: ExecTx[] }> {
  const rnd = seededRandom(seed);
  const senders = makeSenders(6, seed);
  const genesis = workloadGenesis(senders);
  const created: Address[] = [];
  const raws: Uint8Array[] = [];
  while (raws.length < n) {
    const s = senders[Math.floor(rnd() * senders.length)];
    const before = created.length;
    const { raw, kind } = highConflictTx(rnd, s, senders, created);
    if (allow(kind)) raws.push(raw);
    else {
      s.nonce--;
      created.length = before;
    }
  }
  return { genesis, txs: await decodeAll(raws, genesis) };
}

/** What two executors must agree on (read sets are each executor's own detail). */
function view(o: TxOutcome | undefined): unknown {
  if (o === undefined) return 'not run';
  if (o.kind === 'rejected') return { kind: o.kind };
  const changes = [...o.changes]
    .sort((a, b) => a.address.localeCompare(b.address))
    .map((c) => ({ address: c.address, deleted: c.deleted, balance: c.balance, nonce: c.nonce, storageReset: c.storageReset, code: c.code && Buffer.from(c.code).toString('hex'), storage: [...c.storage].sort() }));
  return { status: o.status, gasUsed: o.gasUsed, out: Buffer.from(o.returnData).toString('hex'), logs: o.logs.length, changes, writes: [...o.writes].sort(), credit: o.coinbaseCredit, readsCoinbase: o.readsCoinbase };
}

async function withExecutor<T>(name: 'native' | 'reference', f: (e: Executor) => Promise<T>): Promise<T> {
  const e = await createExecutor(name);
  try {
    return await f(e);
  } finally {
    await e.close?.();
  }
}

test('one chain equals running its transactions one after another on a state that takes each one\'s changes', async () => {
  const { genesis, txs } = await mix(11, 40, (k) => k !== 'create' && k !== 'createDestroy');
  await withExecutor('native', async (ex) => {
    const chained = await ex.executeChains!(WorldState.fromAlloc(genesis.alloc), txs, envOf(genesis), new Uint32Array(txs.length));
    const world = WorldState.fromAlloc(genesis.alloc);
    let executed = 0;
    for (let i = 0; i < txs.length; i++) {
      const [alone] = await ex.executeBatch(world, [txs[i]], envOf(genesis));
      const a = chained[i];
      assert.ok(a !== undefined, `tx ${i} ran`);
      assert.equal(a.kind, alone.kind, `tx ${i}`);
      if (a.kind === 'executed' && alone.kind === 'executed') {
        assert.deepEqual(view(a), view(alone), `tx ${i}`);
        world.applyChanges(alone.changes);
        executed++;
      }
    }
    assert.ok(executed > txs.length / 2, `${executed} of ${txs.length} executed`);
  });
});

for (const seed of [21, 23, 24]) {
  test(`native chains equal reference chains (three chains by sender, creations stop them), seed ${seed}`, async () => {
    const { genesis, txs } = await mix(seed, 64, () => true);
    // A sender's transactions share a chain (so their nonces follow each other); senders are spread over 3.
    const senders = [...new Set(txs.map((t) => t.from))];
    const chains = Uint32Array.from(txs, (t) => senders.indexOf(t.from) % 3);
    const run = (name: 'native' | 'reference') =>
      withExecutor(name, (ex) => ex.executeChains!(WorldState.fromAlloc(genesis.alloc), txs, envOf(genesis), chains));
    const native = await run('native');
    const reference = await run('reference');
    for (let i = 0; i < txs.length; i++) assert.deepEqual(view(native[i]), view(reference[i]), `tx ${i} (chain ${chains[i]})`);
    // After a transaction that created code, the rest of its chain did not run; everything else ran.
    const stoppedAt = new Map<number, number>();
    native.forEach((o, i) => {
      const stop = stoppedAt.get(chains[i]);
      assert.equal(o === undefined, stop !== undefined, `tx ${i}: run only before its chain stopped (at ${stop})`);
      if (o?.kind === 'executed' && o.changes.some((c) => c.code !== undefined) && stop === undefined) stoppedAt.set(chains[i], i);
    });
    assert.ok(native.some((o) => o === undefined), 'a chain stopped at a creation and had transactions after it');
    assert.ok(native.filter((o) => o?.kind === 'executed').length > txs.length / 3, 'most ran');
  });
}

// A round with chains on a device: its unordered transactions go to the device (here its simulation on the
// CPU, through the device copy of the state) while the host threads run the chains; every outcome equals
// the CPU backend's.
test('with the device path simulated, the unordered transactions run on the device copy beside the chains, as on the CPU', async () => {
  const { genesis, txs } = await mix(22, 64, () => true);
  const senders = [...new Set(txs.map((t) => t.from))];
  // Even senders' transactions form one chain each; odd senders' transactions are each unordered.
  const chains = Uint32Array.from(txs, (t, i) => (senders.indexOf(t.from) % 2 === 0 ? senders.indexOf(t.from) : 1000 + i));
  const run = (simulate: boolean) =>
    withExecutor('native', async (ex) => {
      if (simulate) process.env.EVM_SIMULATE_DEVICE = '1';
      try {
        const outcomes = await ex.executeChains!(WorldState.fromAlloc(genesis.alloc), txs, envOf(genesis), chains);
        return { outcomes, device: (ex as NativeExecutor).deviceState() };
      } finally {
        delete process.env.EVM_SIMULATE_DEVICE;
      }
    });
  const device = await run(true);
  const cpu = await run(false);
  assert.equal(cpu.device, undefined, 'the CPU backend keeps no device copy');
  assert.equal(device.device?.fullUploads, 1, 'the unordered transactions ran on the device copy');
  for (let i = 0; i < txs.length; i++) assert.deepEqual(view(device.outcomes[i]), view(cpu.outcomes[i]), `tx ${i} (chain ${chains[i]})`);
  assert.ok(device.outcomes.filter((o, i) => o?.kind === 'executed' && chains[i] >= 1000).length > 0, 'unordered transactions executed');
  assert.ok(device.outcomes.filter((o, i) => o?.kind === 'executed' && chains[i] < 1000).length > 0, 'chained transactions executed');
});

// EIP-7610 inside a chain: the chain views still say "has storage" after a chain zeroed all of an account's
// slots, which no transaction can tell (chain-view.ts, ChainView.hasStorage, says why). Here the chain zeroes
// the only slot of a nonce-0 contract and CREATE2s at it, CREATE2s at a storage-only account, creates an
// empty-code account (no new code: the chain goes on), pays it, reads its code hash and balance, and creates
// at it again (its nonce collides).
test('chains agree with one-at-a-time execution on creations over zeroed, storage-only and chain-created accounts', async () => {
  const [sender] = makeSenders(1, 31);
  const factory = toAddress('0x00000000000000000000000000000000000f0001');
  const reader = toAddress('0x00000000000000000000000000000000000f0002');
  const at = (salt: bigint) => toAddress(generateAddress2(hexToU8(factory), hexToU8(toWord(salt)), EMPTY_BYTES));
  const [zeroer, storageOnly, fresh] = [at(0n), at(1n), at(2n)];
  const slots = (...values: bigint[]) => new Map(values.map((v, i) => [toWord(BigInt(i)), v]));
  const alloc = new Map<Address, GenesisAllocEntry>([
    [sender.address, { balance: 10n ** 21n }],
    // storage[salt] = CREATE2(value 0, empty init code, salt from calldata): 0 on a collision.
    [factory, { balance: 0n, code: asm([0, 'CALLDATALOAD', 'DUP1', 0, 0, 0, 'CREATE2', 'SWAP1', 'SSTORE', 'STOP']), storage: slots(7n, 7n, 7n) }],
    // storage[0] = EXTCODEHASH(calldata address), storage[1] = its BALANCE.
    [reader, { balance: 0n, code: asm([0, 'CALLDATALOAD', 'DUP1', 'EXTCODEHASH', 0, 'SSTORE', 'BALANCE', 1, 'SSTORE', 'STOP']), storage: slots(9n, 9n) }],
    // Nonce 0: only its code and its one slot make a creation at it collide.
    [zeroer, { balance: 0n, nonce: 0n, code: asm([0, 0, 'SSTORE', 'STOP']), storage: slots(1n) }],
    [storageOnly, { balance: 0n, nonce: 0n, storage: slots(5n) }],
  ]);
  const genesis = devGenesis({ extraAlloc: alloc, coinbase: DEFAULT_COINBASE });
  // A collision burns the gas passed on (63/64); the SSTORE of the result needs the rest.
  const create2 = (salt: bigint) => ({ to: factory, data: toWord(salt), gasLimit: 1_000_000n });
  const steps = [
    { to: zeroer },
    create2(0n),
    create2(1n),
    create2(2n),
    { to: fresh, value: 12_345n },
    { to: reader, data: toWord(BigInt(fresh)) },
    create2(2n),
  ];
  const txs = await decodeAll(steps.map((f, i) => signTx(sender.key, { nonce: BigInt(i), ...f }, genesis.chainId)), genesis);

  const world = WorldState.fromAlloc(genesis.alloc);
  const serial: TxExecuted[] = [];
  await withExecutor('reference', async (ex) => {
    for (const tx of txs) {
      const [o] = await ex.executeBatch(world, [tx], envOf(genesis));
      if (o.kind !== 'executed') return assert.fail(`tx ${serial.length} was rejected alone: ${o.error}`);
      world.applyChanges(o.changes);
      serial.push(o);
    }
  });
  assert.equal(world.hasStorage(zeroer), false, 'the first transaction zeroed the only slot');
  assert.deepEqual([0n, 1n, 2n].map((s) => world.getStorage(factory, toWord(s))), [0n, 0n, 0n], 'all three CREATE2s at a used address collided');
  assert.deepEqual(
    [world.getAccount(fresh)?.nonce, world.getStorage(reader, toWord(0n)), world.getStorage(reader, toWord(1n))],
    [1n, BigInt(EMPTY_CODE_HASH), 12_345n],
    'the empty-code creation happened, and was paid and read before the last CREATE2',
  );
  assert.equal(serial[3].changes.find((c) => c.address === factory)?.storage.get(toWord(2n)), BigInt(fresh), 'the first CREATE2 at salt 2 succeeded');

  for (const name of ['native', 'reference'] as const) {
    const chained = await withExecutor(name, (ex) => ex.executeChains!(WorldState.fromAlloc(genesis.alloc), txs, envOf(genesis), new Uint32Array(txs.length)));
    for (let i = 0; i < txs.length; i++) assert.deepEqual(view(chained[i]), view(serial[i]), `${name} chain, tx ${i}`);
  }
});
