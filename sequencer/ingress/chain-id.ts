// Which chain a raw transaction was signed for, read from its envelope before full decoding, so a wrong or
// missing chain id is refused with a plain message (the decoder's own errors print library internals).
import { RLP } from '@ethereumjs/rlp';

/** The signed chain id, 'unprotected' for a pre-EIP-155 legacy signature (v = 27/28), or undefined when the bytes do not say. */
export function signedChainId(raw: Uint8Array): bigint | 'unprotected' | undefined {
  try {
    if (raw.length === 0) return undefined;
    if (raw[0] >= 0xc0) {
      const fields = RLP.decode(raw);
      if (!Array.isArray(fields) || fields.length !== 9) return undefined;
      const v = toBig(fields[6]);
      if (v === undefined) return undefined;
      if (v === 27n || v === 28n) return 'unprotected';
      return v >= 35n ? (v - 35n) / 2n : undefined;
    }
    if (raw[0] > 0x7f) return undefined;
    const fields = RLP.decode(raw.subarray(1));
    return Array.isArray(fields) ? toBig(fields[0]) : undefined;
  } catch {
    return undefined;
  }
}

function toBig(field: unknown): bigint | undefined {
  if (!(field instanceof Uint8Array)) return undefined;
  let n = 0n;
  for (const b of field) n = (n << 8n) | BigInt(b);
  return n;
}
