// The one description of a function's ABI layout that native generation walks (native/evm/fuzz_generate.h):
// abi.ts's parsed type trees written as nodes in preorder, with the head sizes and dynamic flags abi.ts
// computed, so the C++ side never re-derives the encoding rules.
import type { ByteWriter } from '../executor/native/encode.js';
import type { AbiType } from './abi.js';

/** Node kinds (fuzz_generate.h ABI_*). */
const KIND: Record<AbiType['kind'], number> = { uint: 0, int: 1, address: 2, bool: 3, fixedBytes: 4, bytes: 5, string: 6, array: 7, tuple: 8 };
const DYNAMIC_LENGTH = 0xffffffff;

/** Nodes in the subtrees of these types. */
export function layoutNodes(types: readonly AbiType[]): number {
  let n = 0;
  for (const t of types) n += 1 + (t.kind === 'array' ? layoutNodes([t.element]) : t.kind === 'tuple' ? layoutNodes(t.components) : 0);
  return n;
}

/** Each type's node (u8 kind, u8 size, u8 dynamic, u32 head, u32 length, u32 children), then its subtree. */
export function writeLayout(w: ByteWriter, types: readonly AbiType[]): void {
  for (const t of types) {
    w.u8(KIND[t.kind]);
    w.u8(t.kind === 'uint' || t.kind === 'int' ? t.bits / 8 : t.kind === 'fixedBytes' ? t.size : 0);
    w.u8(t.dynamic ? 1 : 0);
    w.u32(t.headSize);
    w.u32(t.kind === 'array' ? t.length ?? DYNAMIC_LENGTH : 0);
    w.u32(t.kind === 'tuple' ? t.components.length : 0);
    if (t.kind === 'array') writeLayout(w, [t.element]);
    else if (t.kind === 'tuple') writeLayout(w, t.components);
  }
}
