// eth_getProof over JSON-RPC, served from the native trie: account and storage proofs verify with
// @ethereumjs/mpt against the state root, and an absent account gets a valid exclusion proof.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyMerkleProof } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { bytesToHex, hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { FUNDED, stubNode } from '../rpc/stub-node.js';

const CONTRACT: Address = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const slot = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}` as Hex;
const opts = { useKeyHashing: true, useKeyHashingFunction: keccak256 };

describe('eth_getProof from the native trie', () => {
  let server: RpcServer;
  const state = WorldState.fromAlloc([
    [FUNDED, { balance: 10n ** 22n, nonce: 3n }],
    [CONTRACT, { code: Uint8Array.of(0x60, 0x00), storage: new Map([[slot(0), 42n], [slot(1), (1n << 256n) - 1n], [slot(7), 1n]]) }],
  ]);

  before(async () => {
    // The head header commits to the state the proofs come from (the RPC checks that before answering).
    const stub = await stubNode();
    const getBlockByNumber = async (n: bigint) => {
      const b = await stub.getBlockByNumber(n);
      return b && { ...b, header: { ...b.header, stateRoot: await state.stateRoot() } };
    };
    server = await startRpcServer({ node: { ...stub, latestState: () => state, getBlockByNumber }, port: 0 });
  });
  after(async () => server.close());

  async function getProof(address: Address, keys: Hex[]): Promise<any> {
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getProof', params: [address, keys, 'latest'] }) });
    const body = (await res.json()) as { result?: unknown; error?: unknown };
    assert.ok(body.result, JSON.stringify(body.error));
    return body.result;
  }

  it('proves an account with storage, its slots, and a slot never written', async () => {
    assert.equal(state.commitmentKind, 'native');
    const root = hexToU8(await state.stateRoot());
    const p = await getProof(CONTRACT, [slot(0), slot(1), '0x7', slot(9)]);
    const account = await verifyMerkleProof(hexToU8(CONTRACT), p.accountProof.map(hexToU8), { ...opts, root });
    assert.ok(account, 'the account is in the trie');
    const [nonce, balance, storageRoot, codeHash] = RLP.decode(account) as Uint8Array[];
    assert.equal(nonce.length + balance.length, 0, 'zero nonce and balance');
    assert.equal(bytesToHex(storageRoot), p.storageHash);
    assert.equal(bytesToHex(codeHash), p.codeHash);
    const expected = [42n, (1n << 256n) - 1n, 1n, 0n];
    for (const [i, sp] of (p.storageProof as { key: Hex; value: Hex; proof: Hex[] }[]).entries()) {
      assert.equal(BigInt(sp.value), expected[i], sp.key);
      const value = await verifyMerkleProof(hexToU8(slot(Number(BigInt(sp.key)))), sp.proof.map(hexToU8), { ...opts, root: hexToU8(p.storageHash) });
      if (expected[i] === 0n) assert.equal(value, null, 'unset slot: exclusion proof');
      else assert.equal(BigInt(bytesToHex(RLP.decode(value!) as Uint8Array)), expected[i]);
    }
    assert.equal(p.storageProof[2].key, '0x7', 'keys echo as given');
  });

  it('proves an account absent, and follows later commits', async () => {
    const nobody: Address = '0x000000000000000000000000000000000000dead';
    let root = hexToU8(await state.stateRoot());
    const absent = await getProof(nobody, [slot(0)]);
    assert.equal(await verifyMerkleProof(hexToU8(nobody), absent.accountProof.map(hexToU8), { ...opts, root }), null);
    assert.deepEqual(absent.storageProof[0].proof, []);
    state.applyChanges([{ address: nobody, deleted: false, balance: 5n, nonce: 0n, storageReset: false, storage: new Map() }]);
    const present = await getProof(nobody, []);
    root = hexToU8(await state.stateRoot());
    const account = await verifyMerkleProof(hexToU8(nobody), present.accountProof.map(hexToU8), { ...opts, root });
    assert.equal(bytesToHex((RLP.decode(account!) as Uint8Array[])[1]), '0x05');
  });
});
