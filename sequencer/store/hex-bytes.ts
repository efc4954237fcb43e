// The store keeps keys and hashes as bytes; the rest of the node speaks 0x-hex. Stored hex comes back lowercase.

export const hexBytes = (hex: string): Buffer => Buffer.from(hex.slice(2), 'hex');
export const bytesHex = (b: Uint8Array): string => `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;
