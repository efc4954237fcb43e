// The reference state trie keeps only live nodes (issue #18, item 8: ~3 KB retained per transaction came from
// every superseded Merkle-Patricia node staying in the in-memory trie database): after many blocks updating
// the same accounts and slots, its trie databases hold no more nodes than after the first few.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MerklePatriciaTrie } from '@ethereumjs/mpt';
import type { MapDB } from '@ethereumjs/util';
import { ReferenceStateTrie } from '../../sequencer/state/reference-state-trie.js';
import type { DirtyAccount } from '../../sequencer/state/state-commitment.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';

// The tries are private: read their node databases for this check only.
interface TrieInternals {
  accountTrie: MerklePatriciaTrie;
  storageTries: Map<Address, MerklePatriciaTrie>;
}
const nodesIn = (trie: MerklePatriciaTrie | undefined) => (trie!.database().db as MapDB<string, string | Uint8Array>)._database.size;
const EMPTY_CODE: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

test('trie node count stays flat over many blocks of updates to the same accounts and slots', async () => {
  const accounts = Array.from({ length: 100 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}` as Address);
  const contract = accounts[0];
  const trie = new ReferenceStateTrie();
  const internals = trie as unknown as TrieInternals;
  const block = async (b: number) => {
    const changes: DirtyAccount[] = [];
    for (const [t, address] of accounts.entries()) {
      if (address !== contract) changes.push({ address, account: { nonce: BigInt(b), balance: BigInt(b * 1000 + t), codeHash: EMPTY_CODE }, storageReset: false, slots: [] });
    }
    const slots = Array.from({ length: 20 }, (_, k): [Hex, bigint] => [`0x${k.toString(16).padStart(64, '0')}` as Hex, BigInt(b * 100 + k + 1)]);
    changes.push({ address: contract, account: { nonce: 1n, balance: BigInt(b), codeHash: EMPTY_CODE }, storageReset: b === 0, slots });
    await trie.stage(changes, [])();
  };
  for (let b = 0; b < 5; b++) await block(b);
  const accountNodes = nodesIn(internals.accountTrie);
  const slotNodes = nodesIn(internals.storageTries.get(contract));
  for (let b = 5; b < 105; b++) await block(b);
  // 10,000 account updates and 2,000 slot writes later: the same live set (a few nodes of slack).
  assert.ok(nodesIn(internals.accountTrie) <= accountNodes + 4, `account trie: ${accountNodes} -> ${nodesIn(internals.accountTrie)} nodes`);
  assert.ok(nodesIn(internals.storageTries.get(contract)) <= slotNodes + 4, `storage trie: ${slotNodes} -> ${nodesIn(internals.storageTries.get(contract))} nodes`);
});
