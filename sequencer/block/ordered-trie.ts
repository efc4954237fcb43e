// Root of an "ordered" Merkle-Patricia trie (key = rlp(index), as the transactions and receipts tries),
// built in one pass from the full key set instead of one trie insertion per item: natively when the addon
// is built (native/state/ordered_trie.cc: one call per trie, nodes hashed level by level in keccak SIMD
// lanes, about 20x this file's TypeScript builder), else by the TypeScript builder. Both are checked
// against @ethereumjs/mpt in test/sequencer/ordered-trie.test.ts.
import { RLP } from '@ethereumjs/rlp';
import { loadAddon, NativeAddonMissingError } from '../native/addon.js';
import { keccak256 } from '../primitives/keccak.js';
import { packBytes } from '../primitives/packed-bytes.js';

type Node = Uint8Array | Node[];

function nibbles(key: Uint8Array): number[] {
  const out: number[] = [];
  for (const b of key) out.push(b >> 4, b & 15);
  return out;
}

function hexPrefix(path: number[], leaf: boolean): Uint8Array {
  const odd = path.length % 2 === 1;
  const flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
  const out = new Uint8Array(Math.floor(path.length / 2) + 1);
  let i = 0;
  if (odd) {
    out[0] = (flag << 4) | path[0];
    i = 1;
  } else out[0] = flag << 4;
  for (let o = 1; i < path.length; i += 2, o++) out[o] = (path[i] << 4) | path[i + 1];
  return out;
}

/** A child reference: the node inline when its encoding is under 32 bytes, else its hash. */
function ref(node: Node): Node {
  const enc = RLP.encode(node as never);
  return enc.length < 32 ? node : keccak256(enc);
}

function build(items: [number[], Uint8Array][], depth: number): Node {
  if (items.length === 1) return [hexPrefix(items[0][0].slice(depth), true), items[0][1]];
  // Longest common prefix from depth.
  const first = items[0][0];
  let common = 0;
  for (;;) {
    const d = depth + common;
    if (d >= first.length) break;
    const n = first[d];
    if (!items.every(([k]) => k.length > d && k[d] === n)) break;
    common++;
  }
  if (common > 0) return [hexPrefix(first.slice(depth, depth + common), false), ref(build(items, depth + common))];
  const branch: Node[] = [];
  let value: Uint8Array = new Uint8Array(0);
  const groups: [number[], Uint8Array][][] = Array.from({ length: 16 }, () => []);
  for (const it of items) {
    if (it[0].length === depth) value = it[1];
    else groups[it[0][depth]].push(it);
  }
  for (let n = 0; n < 16; n++) branch.push(groups[n].length === 0 ? new Uint8Array(0) : ref(build(groups[n], depth + 1)));
  branch.push(value);
  return branch;
}

/** Root of the trie mapping rlp(i) -> values[i], built in TypeScript (the fallback without the addon). */
export function orderedTrieRootTs(values: readonly Uint8Array[]): Uint8Array {
  if (values.length === 0) return keccak256(RLP.encode(new Uint8Array(0)));
  const items: [number[], Uint8Array][] = values.map((v, i) => [nibbles(RLP.encode(i)), v]);
  return keccak256(RLP.encode(build(items, 0) as never));
}

const nativeRoot = (() => {
  try {
    return loadAddon().orderedTrieRootSync;
  } catch (e) {
    if (e instanceof NativeAddonMissingError) return undefined;
    throw e;
  }
})();

/** Root of the trie mapping rlp(i) -> values[i]. */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  if (nativeRoot === undefined) return orderedTrieRootTs(values);
  const { data, offsets } = packBytes(values);
  return new Uint8Array(nativeRoot(data, offsets));
}
