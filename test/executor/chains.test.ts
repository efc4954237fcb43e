// Executor.executeChains: a chain's transactions each see the earlier ones' changes. Checked two ways: one
// chain of a conflict-heavy mix against running the same transactions one batch at a time on a state that
// took each one's changes (the meaning of a chain), and the native executor against the reference executor
// on random chains, including chains that stop at a change they do not carry (a contract creation).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import type { BlockEnv, ExecTx, Executor, TxOutcome } from '../../sequencer/executor/types.js';
import type { Genesis } from '../../sequencer/genesis/genesis.js';
import { decodeAndRecoverBatch } from '../../sequencer/ingress/decode.js';
import { InlineSenderRecoverer } from '../../sequencer/ingress/recover.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../support/seeded-random.js';
import { highConflictTx, makeSenders, workloadGenesis, type TxKind } from '../sequencer/workload.js';

function envOf(g: Genesis): BlockEnv {
  return { chainId: g.chainId, number: 1n, timestamp: 1n, coinbase: g.coinbase, gasLimit: g.gasLimit, baseFee: g.baseFeePerGas, prevRandao: `0x${'00'.repeat(32)}` as Hex, excessBlobGas: 0n, recentBlockHashes: [] };
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
  const decoded = await decodeAndRecoverBatch(raws, { chainId: genesis.chainId }, new InlineSenderRecoverer());
  return { genesis, txs: decoded.map((d) => (d instanceof Error ? assert.fail(d) : d.exec)) };
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
