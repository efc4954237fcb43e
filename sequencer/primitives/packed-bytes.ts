/**
 * Byte strings back to back in one buffer, item i at data[offsets[i], offsets[i + 1]): how the addon takes a
 * batch of messages (keccak batches, raw transactions) in one call.
 */
export function packBytes(items: readonly Uint8Array[]): { data: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(items.length + 1);
  for (let i = 0; i < items.length; i++) offsets[i + 1] = offsets[i] + items[i].length;
  const data = new Uint8Array(offsets[items.length]);
  items.forEach((it, i) => data.set(it, offsets[i]));
  return { data, offsets };
}
