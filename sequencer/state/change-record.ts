// A transaction's changes as the native EVM wrote them (kernels/evm/result.h: the change and slot sections
// of its result record), kept beside the AccountChange list decoded from them. A committed block hands these
// spans to the native state trie as they are, so its state root needs no re-encoding of what the executor
// already wrote in binary (WorldState.applyBlock). Lists built in TypeScript (fee credits, system calls,
// the reference executor) have none and are encoded into the same layout (native-state-trie.ts).
import type { AccountChange } from '../executor/types.js';

/** bytes[start, end): one record's change section then its slot section. */
export interface ChangeRecordSpan {
  bytes: Uint8Array;
  start: number;
  end: number;
}

const RECORD = Symbol('nativeChangeRecord');

type Tagged = readonly AccountChange[] & { [RECORD]?: ChangeRecordSpan };

/** Marks `changes` as decoded from the record at `span` (which must describe exactly these changes). */
export function withChangeRecord<T extends AccountChange[]>(changes: T, span: ChangeRecordSpan): T {
  (changes as Tagged)[RECORD] = span;
  return changes;
}

/** The record `changes` was decoded from, if the native EVM wrote it. */
export function changeRecordOf(changes: readonly AccountChange[]): ChangeRecordSpan | undefined {
  return (changes as Tagged)[RECORD];
}
