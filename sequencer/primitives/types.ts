// Primitive value types shared by every stage. Addresses and 32-byte words travel as lowercase 0x-hex
// strings (cheap Map keys, readable in errors); byte payloads as Uint8Array; quantities as bigint.
import { bytesToHex, hexToBytes } from '@ethereumjs/util';

export type Hex = `0x${string}`;
export type Address = Hex;

export const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000';
export const EMPTY_BYTES = new Uint8Array(0);

export function toAddress(value: string | Uint8Array): Address {
  const hex = typeof value === 'string' ? value.toLowerCase() : bytesToHex(value);
  if (!/^0x[0-9a-f]{40}$/.test(hex)) throw new TypeError(`not a 20-byte address: ${hex}`);
  return hex as Address;
}

/** A storage slot or word as 0x + 64 lowercase hex digits. */
export function toWord(value: bigint | string | Uint8Array): Hex {
  const n = typeof value === 'bigint' ? value : BigInt(typeof value === 'string' ? value : bytesToHex(value).replace(/^0x$/, '0x0'));
  if (n < 0n || n >= 1n << 256n) throw new RangeError(`not a 256-bit word: ${n}`);
  return `0x${n.toString(16).padStart(64, '0')}`;
}

export function hexToU8(hex: string): Uint8Array {
  return hexToBytes((hex.length % 2 === 1 ? `0x0${hex.slice(2)}` : hex) as Hex);
}

export { bytesToHex };
