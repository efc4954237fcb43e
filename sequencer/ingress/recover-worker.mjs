// Piscina worker body for PiscinaSenderRecoverer (plain JS: piscina loads it without a TS loader).
// Recovers one chunk of signatures with libsecp256k1 (native binding), falling back to @noble/curves.
import { createRequire } from 'node:module';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';

let native = null;
try {
  native = createRequire(import.meta.url)('secp256k1/bindings');
} catch {
  native = null;
}

function toHex(u8) {
  return '0x' + Buffer.from(u8).toString('hex');
}

function recoverOne({ msgHash, sig64, recId }) {
  if (recId !== 0 && recId !== 1) return null;
  try {
    let pub;
    if (native) pub = native.ecdsaRecover(new Uint8Array(sig64), recId, new Uint8Array(msgHash), false);
    else {
      const sig = new Uint8Array(65);
      sig[0] = recId;
      sig.set(new Uint8Array(sig64), 1);
      pub = noble.Point.fromBytes(noble.recoverPublicKey(sig, new Uint8Array(msgHash), { prehash: false })).toBytes(false);
    }
    return toHex(keccak_256(pub.subarray(1)).subarray(12));
  } catch {
    return null;
  }
}

export default function recoverChunk(inputs) {
  return inputs.map(recoverOne);
}
