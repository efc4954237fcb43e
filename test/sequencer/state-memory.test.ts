// The state trie keeps only live nodes (issue #18, item 8: ~3 KB retained per transaction came from every
// superseded Merkle-Patricia node staying in the in-memory trie database): after many blocks updating the
// same accounts and slots, the trie databases hold no more nodes than after the first few.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MapDB } from '@ethereumjs/util';
import type { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { WorldState } from '../../sequencer/state/world-state.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';

const nodesIn = (trie: MerklePatriciaTrie | undefined) => (trie!.database().db as MapDB<string, string | Uint8Array>)._database.size;

test('trie node count stays flat over many blocks of updates to the same accounts and slots', async () => {
  const accounts = Array.from({ length: 100 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}` as Address);
  const contract = accounts[0];
  const state = WorldState.fromAlloc(accounts.map((a) => [a, { balance: 10n ** 20n, storage: a === contract ? new Map([[`0x${'00'.repeat(31)}01` as Hex, 1n]]) : undefined }]));
  const block = async (b: number) => {
    for (let t = 0; t < 100; t++) state.credit(accounts[(b * 7 + t) % accounts.length], 1n);
    const slots = new Map<Hex, bigint>(Array.from({ length: 20 }, (_, k) => [`0x${k.toString(16).padStart(64, '0')}` as Hex, BigInt(b * 100 + k + 1)]));
    state.applyChanges([{ address: contract, deleted: false, balance: 1n, nonce: 1n, storageReset: false, storage: slots }]);
    await state.stateRoot();
  };
  for (let b = 0; b < 5; b++) await block(b);
  const [accountNodes, slotNodes] = [nodesIn(state.trie()), nodesIn(state.storageTrie(contract))];
  for (let b = 5; b < 105; b++) await block(b);
  // 10,000 account updates and 2,000 slot writes later: the same live set (a few nodes of slack).
  assert.ok(nodesIn(state.trie()) <= accountNodes + 4, `account trie: ${accountNodes} -> ${nodesIn(state.trie())} nodes`);
  assert.ok(nodesIn(state.storageTrie(contract)) <= slotNodes + 4, `storage trie: ${slotNodes} -> ${nodesIn(state.storageTrie(contract))} nodes`);
});
