// The crash scenario of invariant 4, for any store location (a SQLite data dir or a postgres:// URL): a
// child-process sequencer under load is SIGKILLed at seeded moments; after each restart every transaction
// whose hash was returned is in a block or pending, every block is whole (header, txs, receipts agree), the
// state root matches the last sealed header, and in the end all blocks replay serially to the same roots.
import { strict as assert } from 'node:assert';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { bytesToHex } from '@ethereumjs/util';
import { headerFromRlp } from '../../sequencer/block/builder.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Hex } from '../../sequencer/primitives/types.js';
import { seededRandom } from '../support/seeded-random.js';
import { SerialOracle } from './oracle.js';
import { highConflictTx, makeSenders, workloadGenesis } from './workload.js';

const SEED = 11;
const SENDERS = 16;

function startChild(dir: string): Promise<{ child: ChildProcess; head: number }> {
  const child = fork(fileURLToPath(new URL('./crash-child.ts', import.meta.url)), [dir, String(SENDERS), String(SEED)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    child.on('message', (m: { ready?: boolean; head?: number }) => {
      if (m.ready) resolve({ child, head: m.head! });
    });
  });
}

async function checkStore(dir: string, acked: Set<Hex>): Promise<{ pending: number; mined: number; head: bigint }> {
  const senders = makeSenders(SENDERS, SEED);
  // open() itself refuses to start when the stored state's root differs from the head header's.
  const node = await SequencerNode.open({ dataDir: dir, genesis: workloadGenesis(senders), sealMode: 'on-demand' });
  try {
    const head = node.blockNumber();
    assert.equal(await node.getState().stateRoot(), node.head().header.stateRoot, 'state root = last sealed header');
    for (let n = 1n; n <= head; n++) {
      const b = await node.store.blockByNumber(n);
      assert.ok(b, `block ${n} present`);
      const header = headerFromRlp(b.header, node.common);
      const txs = await node.store.txsOfBlock(n);
      const receipts = await node.store.receiptsOfBlock(n);
      assert.equal(receipts.length, txs.length, `block ${n}: a receipt per tx`);
      const trie = await createMPT();
      for (const t of txs) await trie.put(RLP.encode(t.index), t.raw);
      assert.equal(bytesToHex(trie.root()), bytesToHex(header.transactionsTrie), `block ${n}: all its txs are stored`);
      assert.equal(receipts.at(-1)?.cumulativeGasUsed ?? 0n, header.gasUsed, `block ${n}: receipts complete`);
    }
    let pending = 0;
    let mined = 0;
    for (const h of acked) {
      if (node.pool.has(h)) pending++;
      else if (await node.store.tx(h)) mined++;
      else assert.fail(`acknowledged tx ${h} is neither mined nor pending after the crash`);
    }
    return { pending, mined, head };
  } finally {
    await node.close();
  }
}

/** Three seeded SIGKILLs under load, checks after each restart, then a serial replay of the whole chain. */
export async function runCrashScenario(dir: string): Promise<void> {
  const rnd = seededRandom(SEED);
  const senders = makeSenders(SENDERS, SEED);
  const created: Hex[] = [];
  const acked = new Set<Hex>();
  for (let round = 0; round < 3; round++) {
    // Pre-sign the load (signing is slower than the child's ingress), then stream it as fast as it takes it.
    const load: string[] = [];
    for (let i = 0; i < 500; i++) {
      const s = senders[Math.floor(rnd() * senders.length)];
      load.push(Buffer.from(highConflictTx(rnd, s, senders, created).raw).toString('hex'));
    }
    const { child } = await startChild(dir);
    let blocks = 0;
    let nextId = 0;
    child.removeAllListeners('exit');
    let sent = 0;
    const errors = new Map<string, number>();
    child.on('message', (m: { id?: number; hashes?: (Hex | null)[]; errors?: (string | null)[]; block?: number }) => {
      if (m.hashes) for (const h of m.hashes) if (h) acked.add(h);
      for (const e of m.errors ?? []) if (e) errors.set(e.slice(0, 40), (errors.get(e.slice(0, 40)) ?? 0) + 1);
      if (m.block) blocks++;
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const killAt = Date.now() + 600 + Math.floor(rnd() * 900);
    while (Date.now() < killAt) {
      const raws = load.splice(0, 10);
      if (raws.length > 0) {
        child.send({ id: nextId++, raws });
        sent += raws.length;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    const r = await checkStore(dir, acked);
    console.log(`sent ${sent}, errors`, Object.fromEntries(errors));
    console.log(`crash ${round}: ${blocks} blocks announced before the kill, head ${r.head}, acked ${acked.size}: ${r.mined} mined, ${r.pending} pending`);
    assert.ok(acked.size > 0, 'the child acknowledged transactions before the kill');
    // Continue from what survived: the next nonce of each sender is the node's pending nonce.
    const node = await SequencerNode.open({ dataDir: dir, genesis: workloadGenesis(senders), sealMode: 'on-demand' });
    for (const s of senders) s.nonce = node.pendingNonce(s.address);
    await node.close();
  }
  // Finally: drain the pool and replay the whole chain serially.
  const genesis = workloadGenesis(makeSenders(SENDERS, SEED));
  const node = await SequencerNode.open({ dataDir: dir, genesis, sealMode: 'on-demand' });
  try {
    while (node.pool.size > 0) assert.ok(await node.sealBlock(), 'pending txs can be sealed after restart');
    const oracle = await SerialOracle.create(genesis);
    for (let n = 1n; n <= node.blockNumber(); n++) await oracle.replay(node, n);
    for (const h of acked) assert.ok(await node.store.tx(h), `acked ${h} mined in the end`);
  } finally {
    await node.close();
  }
}
