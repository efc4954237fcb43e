// One transaction per HTTP request, as wallets send: concurrent requests are coalesced into one decode batch
// and one mempool group commit, yet each request gets its own verdict. A bad transaction among them is refused
// with its own JSON-RPC error and changes nothing, its neighbours are acknowledged only once their rows are
// stored, and a pending transaction's receipt is null without a store lookup.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RLP } from '@ethereumjs/rlp';
import { SequencerNode } from '../../sequencer/node/node.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { adaptSequencerNode } from '../../sequencer/rpc/node-adapter.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { bytesToHex, type Hex } from '../../sequencer/primitives/types.js';
import type { PendingRow } from '../../sequencer/store/store.js';
import { DEV, signTx } from '../sequencer/helpers.js';

const hex = (b: Uint8Array) => bytesToHex(b) as Hex;
const transfer = (i: number, nonce = 0n) => signTx(DEV[i], { nonce, to: DEV[9].address, value: 1n, gasLimit: 21_000n });

/** A valid transfer of DEV[0] with its s replaced by n - s (EIP-2 high s). */
function highS(): Uint8Array {
  const signed = transfer(0, 5n);
  const fields = RLP.decode(signed.subarray(1)) as Uint8Array[];
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const s = n - BigInt(hex(fields[11]));
  const v = fields[9].length === 0 ? Uint8Array.of(1) : new Uint8Array(0);
  return Uint8Array.from([2, ...RLP.encode([...fields.slice(0, 9), v, fields[10], Buffer.from(s.toString(16).padStart(64, '0'), 'hex')] as never)]);
}

describe('per-request ingress', () => {
  let dir: string;
  let node: SequencerNode;
  let server: RpcServer;
  /** Every mempool group commit the store received, in order. */
  const commits: PendingRow[][] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'per-request-'));
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    const updateMempool = node.store.updateMempool.bind(node.store);
    node.store.updateMempool = async (add, remove) => {
      commits.push([...add]);
      await updateMempool(add, remove);
    };
    server = await startRpcServer({ node, port: 0 });
  });
  after(async () => {
    await server.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (body: unknown) => (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ result?: unknown; error?: { code: number; message: string } }>;

  it('requests of one tick: one group commit, each answered with its own verdict, durable when answered', async () => {
    const rpc = adaptSequencerNode(node);
    const good = [1, 2, 3, 4].map((i) => transfer(i));
    const bad: [string, Uint8Array][] = [
      ['malformed', Uint8Array.of(1, 2, 3)],
      ['invalid signature', highS()],
      ['invalid chain id', signTx(DEV[5], { nonce: 0n, to: DEV[9].address, gasLimit: 21_000n, chainId: 1n })],
      ['intrinsic gas too low', signTx(DEV[6], { nonce: 0n, to: DEV[9].address, gasLimit: 20_000n })],
    ];
    const before = commits.length;
    // Bad ones interleaved with good ones, all submitted before any is answered.
    const order = [good[0], bad[0][1], good[1], bad[1][1], good[2], bad[2][1], good[3], bad[3][1]];
    const stored = new Set<string>();
    const outcomes = await Promise.all(
      order.map((raw) =>
        rpc.submitRawTransaction(raw).then(
          async (h) => {
            // Acknowledged only once stored (DESIGN invariant 4).
            for (const r of await node.store.loadMempool()) stored.add(r.hash);
            assert.ok(stored.has(h), `${h} answered before its row was stored`);
            return h;
          },
          (e: Error) => e,
        ),
      ),
    );
    assert.deepEqual(
      outcomes.filter((o): o is Hex => typeof o === 'string'),
      good.map((raw) => hex(keccak256(raw))),
    );
    const errors = outcomes.filter((o): o is Error => o instanceof Error).map((e) => e.message);
    bad.forEach(([what], i) => assert.match(errors[i], new RegExp(what), `the ${what} transaction keeps its own error`));
    assert.equal(commits.length - before, 1, 'one group commit for the requests of one tick');
    assert.deepEqual(commits.at(-1)!.map((r) => r.hash), good.map((raw) => hex(keccak256(raw))), 'only the good rows, in arrival order');
    assert.equal(node.pool.size, good.length);
  });

  it('over HTTP: concurrent requests, bad params and bad transactions get JSON-RPC errors, the rest go in', async () => {
    const good = [7, 8].map((i) => transfer(i));
    const send = (raw: unknown, id: number) => post({ jsonrpc: '2.0', id, method: 'eth_sendRawTransaction', params: [raw] });
    const [a, notHex, oddLength, notSigned, b] = await Promise.all([
      send(hex(good[0]), 1),
      send('0xzz', 2),
      send('0x123', 3),
      send(hex(Uint8Array.of(0xc0)), 4),
      send(hex(good[1]).toUpperCase().replace('0X', '0x'), 5),
    ]);
    assert.equal(a.result, hex(keccak256(good[0])));
    assert.equal(b.result, hex(keccak256(good[1])), 'upper-case hex is data too');
    assert.deepEqual([notHex.error?.code, notHex.error?.message], [-32602, 'invalid argument: rawTransaction: invalid hex string']);
    assert.deepEqual([oddLength.error?.code, oddLength.error?.message], [-32602, 'invalid argument: rawTransaction: hex string of odd length']);
    assert.equal(notSigned.error?.code, -32000);
    assert.equal(node.pool.size, 6);
  });

  it('a pending transaction has no receipt (no store lookup); once mined it has one', async () => {
    const h = hex(keccak256(transfer(1)));
    const reads = node.reads.receipt.bind(node.reads);
    let lookups = 0;
    node.reads.receipt = (x) => {
      lookups++;
      return reads(x);
    };
    try {
      const pending = await post({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionReceipt', params: [h] });
      assert.equal(pending.result, null);
      assert.equal(lookups, 0, 'a pooled transaction is answered from the pool');
      assert.ok(await node.sealBlock());
      const mined = (await post({ jsonrpc: '2.0', id: 2, method: 'eth_getTransactionReceipt', params: [h] })) as { result: { transactionHash: string; status: string } };
      assert.equal(mined.result.transactionHash, h);
      assert.equal(mined.result.status, '0x1');
      assert.equal(lookups, 1);
    } finally {
      node.reads.receipt = reads;
    }
  });
});
