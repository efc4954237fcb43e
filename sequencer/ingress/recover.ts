// Batched sender recovery behind one small interface, so the native addon's recoverSendersBatch (branch
// `native`) drops in. Today: libsecp256k1 through the `secp256k1` package's native binding, falling back to
// @noble/curves; `PiscinaSenderRecoverer` spreads large batches over worker threads.
import { createRequire } from 'node:module';
import { secp256k1 as nobleSecp } from '@noble/curves/secp256k1.js';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, type Address } from '../primitives/types.js';

/** One signature to recover: the 32-byte signed message hash, r||s (64 bytes) and the recovery id (0/1). */
export interface RecoveryInput {
  msgHash: Uint8Array;
  sig64: Uint8Array;
  recId: number;
}

export interface SenderRecoverer {
  readonly name: string;
  /** out[i] is the sender of inputs[i], or null when recovery failed (invalid point, r/s out of range). */
  recoverBatch(inputs: readonly RecoveryInput[]): Promise<(Address | null)[]>;
  close?(): Promise<void>;
}

interface Secp256k1Native {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
}

let nativeSecp: Secp256k1Native | null | undefined;
function loadNativeSecp(): Secp256k1Native | null {
  if (nativeSecp === undefined) {
    try {
      // `secp256k1/bindings` insists on the native build (plain `secp256k1` silently falls back to JS).
      nativeSecp = createRequire(import.meta.url)('secp256k1/bindings') as Secp256k1Native;
    } catch {
      nativeSecp = null;
    }
  }
  return nativeSecp;
}

function addressOfPublicKey(uncompressed65: Uint8Array): Address {
  return bytesToHex(keccak256(uncompressed65.subarray(1)).subarray(12)) as Address;
}

/** Recovers one sender synchronously (native libsecp256k1 when available, else noble). */
export function recoverSenderSync(input: RecoveryInput, impl: 'auto' | 'noble' = 'auto'): Address | null {
  if (input.recId !== 0 && input.recId !== 1) return null;
  const native = impl === 'noble' ? null : loadNativeSecp();
  try {
    if (native) return addressOfPublicKey(native.ecdsaRecover(input.sig64, input.recId, input.msgHash, false));
    const sig = new Uint8Array(65);
    sig[0] = input.recId;
    sig.set(input.sig64, 1);
    const pub = nobleSecp.recoverPublicKey(sig, input.msgHash, { prehash: false });
    return addressOfPublicKey(nobleSecp.Point.fromBytes(pub).toBytes(false));
  } catch {
    return null;
  }
}

/** In-thread recovery (libsecp256k1 native ≈ 70 µs each). */
export class InlineSenderRecoverer implements SenderRecoverer {
  readonly name = loadNativeSecp() ? 'secp256k1-native' : 'noble';
  async recoverBatch(inputs: readonly RecoveryInput[]): Promise<(Address | null)[]> {
    return inputs.map((i) => recoverSenderSync(i));
  }
}

/**
 * Worker-thread recovery: batches above `minParallel` are split over a piscina pool (one chunk per
 * thread); smaller ones run inline (thread hand-off costs more than it saves).
 */
export class PiscinaSenderRecoverer implements SenderRecoverer {
  readonly name = 'piscina';
  private pool: import('piscina').Piscina | undefined;
  private readonly inline = new InlineSenderRecoverer();

  constructor(
    private readonly threads = 2,
    private readonly minParallel = 64,
  ) {}

  async recoverBatch(inputs: readonly RecoveryInput[]): Promise<(Address | null)[]> {
    if (inputs.length < this.minParallel || this.threads < 2) return this.inline.recoverBatch(inputs);
    const pool = await this.getPool();
    const size = Math.ceil(inputs.length / this.threads);
    const chunks: RecoveryInput[][] = [];
    for (let i = 0; i < inputs.length; i += size) chunks.push(inputs.slice(i, i + size));
    const results = await Promise.all(chunks.map((c) => pool.run(c) as Promise<(Address | null)[]>));
    return results.flat();
  }

  private async getPool(): Promise<import('piscina').Piscina> {
    if (!this.pool) {
      const { Piscina } = await import('piscina');
      this.pool = new Piscina({
        filename: new URL('./recover-worker.mjs', import.meta.url).href,
        minThreads: this.threads,
        maxThreads: this.threads,
      });
    }
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}

/** The native addon's batch kernel (branch `native`): hashes 32*n bytes, sigs 65*n (r, s, recid). */
interface NativeRecoverAddon {
  recoverSendersBatch(hashes: Uint8Array, sigs: Uint8Array): Promise<{ addresses: Uint8Array; ok: Uint8Array }>;
}

export class NativeAddonSenderRecoverer implements SenderRecoverer {
  readonly name = 'native-addon';
  constructor(private readonly addon: NativeRecoverAddon) {}

  async recoverBatch(inputs: readonly RecoveryInput[]): Promise<(Address | null)[]> {
    if (inputs.length === 0) return [];
    const hashes = new Uint8Array(32 * inputs.length);
    const sigs = new Uint8Array(65 * inputs.length);
    inputs.forEach((inp, i) => {
      hashes.set(inp.msgHash, 32 * i);
      sigs.set(inp.sig64, 65 * i);
      sigs[65 * i + 64] = inp.recId;
    });
    const { addresses, ok } = await this.addon.recoverSendersBatch(hashes, sigs);
    return inputs.map((inp, i) => (ok[i] && (inp.recId === 0 || inp.recId === 1) ? (bytesToHex(addresses.subarray(20 * i, 20 * i + 20)) as Address) : null));
  }
}

/**
 * The default recoverer: the native addon's recoverSendersBatch when the loaded addon has it, else
 * libsecp256k1 inline.
 */
export async function defaultSenderRecoverer(): Promise<SenderRecoverer> {
  try {
    const { loadAddon } = await import('../native/addon.js');
    const addon = loadAddon() as unknown as Partial<NativeRecoverAddon>;
    if (typeof addon.recoverSendersBatch === 'function') return new NativeAddonSenderRecoverer(addon as NativeRecoverAddon);
  } catch {
    // no addon built: fall through
  }
  return new InlineSenderRecoverer();
}
