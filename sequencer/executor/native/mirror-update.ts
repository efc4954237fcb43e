// Brings a native state mirror forward by change lists in commit order. Lists the native EVM produced go
// over as its own result records (spans of its result buffers, copied natively in one pass); lists built in
// TypeScript (fee credits, system calls, L1 deposits, the reference executor) are encoded into the same
// record layout. The addon merges them with the state trie's parser (native/state/change_set.h), so the
// mirror and the state root read one feed and no list is re-encoded field by field in JavaScript.
import type { NativeAddon } from '../../native/addon.js';
import { trailSpans } from '../../state/native-state-trie.js';
import type { AccountChange } from '../types.js';

/** Applies the lists in place; false (nothing applied) while a batch reads the mirror or something pins it. */
export function updateMirror(addon: NativeAddon, handle: object, changes: readonly (readonly AccountChange[])[]): boolean {
  const lists = changes.filter((c) => c.length > 0);
  if (lists.length === 0) return true;
  const { buffers, spans } = trailSpans(lists);
  return addon.evmUpdateStateRecords(handle, buffers, spans);
}
