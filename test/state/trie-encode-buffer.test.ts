// The state root runs once per block, and its change-set buffer is garbage right after the addon copies it.
// Sized for the block it encodes (not a fixed 64 KiB), such buffers no longer pile up outside the JS heap
// between collections (issue #18: a tight loop of roots held ~32 MB of them in the main malloc arena).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeTrieChanges } from '../../sequencer/state/native-state-trie.js';
import type { DirtyAccount } from '../../sequencer/state/state-commitment.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';

const EMPTY_CODE: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';
const address = (i: number) => `0x${(i + 1).toString(16).padStart(40, '0')}` as Address;
const slot = (k: number) => `0x${k.toString(16).padStart(64, '0')}` as Hex;

function changes(accounts: number, slotsEach: number): DirtyAccount[] {
  return Array.from({ length: accounts }, (_, i) => ({
    address: address(i),
    account: { nonce: 1n, balance: BigInt(i), codeHash: EMPTY_CODE },
    storageReset: false,
    slots: Array.from({ length: slotsEach }, (_, k): [Hex, bigint] => [slot(k), BigInt(k + 1)]),
  }));
}

test("a small block's trie change set does not allocate a large buffer", () => {
  // A transfer block: sender, recipient, fee recipient, and the EIP-2935 slot.
  const out = encodeTrieChanges([...changes(3, 0), ...changes(1, 1)]);
  assert.ok(out.buffer.byteLength <= 4096, `${out.byteLength} bytes encoded in a ${out.buffer.byteLength}-byte buffer`);
});

test('a large change set still encodes whole (the buffer grows as needed)', () => {
  const out = encodeTrieChanges(changes(50, 40));
  // u32 count; per account: address, flags, nonce, balance, u32 slot count, 40 x (slot, value).
  assert.equal(out.byteLength, 4 + 50 * (20 + 1 + 8 + 32 + 4 + 40 * 64));
  assert.equal(new DataView(out.buffer, out.byteOffset).getUint32(0, true), 50);
});
