// Loads the native addon: the CUDA build (cmake-js) when it was built, else the CPU build (node-gyp).
// The CUDA build still runs on CPU threads when no device answers; backendInfo() says which and why.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface BackendInfo {
  kind: 'cuda' | 'cpu';
  device: string;
  threads: number;
  reason: string;
}

/** A precompile's outcome: ok false means the call fails (consuming its gas); output is empty then. */
export interface PrecompileResult {
  ok: boolean;
  output: Buffer;
}

/** Batched sender recovery: addresses holds 20 bytes per item (zeros where ok[i] is 0: no key). */
export interface RecoveredSenders {
  addresses: Buffer;
  ok: Uint8Array;
}

/** runPrecompile's view of one call: the gas it costs and, when ok, its output (ok false: the call fails). */
export interface PrecompileRun {
  ok: boolean;
  gas: bigint;
  output: Buffer;
}

export interface NativeAddon {
  backendInfo(): BackendInfo;
  keccak256Batch(data: Uint8Array, offsets: Uint32Array): Promise<Buffer>;
  keccak256BatchSync(data: Uint8Array, offsets: Uint32Array): Buffer;
  // Pairing precompile test hooks (native/bindings/pairing_bindings.cc): raw call input -> EVM-visible result.
  bn254Add(input: Uint8Array): PrecompileResult;
  bn254Mul(input: Uint8Array): PrecompileResult;
  bn254Pairing(input: Uint8Array): PrecompileResult;
  kzgPointEvaluation(input: Uint8Array): PrecompileResult;
  // Sender recovery (native/bindings/crypto_bindings.cc): hashes 32*n bytes, sigs 65*n (r, s, recid 0..3).
  recoverSendersBatch(hashes: Uint8Array, sigs: Uint8Array): Promise<RecoveredSenders>;
  recoverSendersBatchSync(hashes: Uint8Array, sigs: Uint8Array): RecoveredSenders;
  // Precompile test hooks: any precompile 1..10 through kern::precompile (gas_cost, output_size, run).
  runPrecompile(id: number, input: Uint8Array): PrecompileRun;
  precompileIdOf(address: Uint8Array): number;
}

export class NativeAddonMissingError extends Error {
  constructor(tried: string[]) {
    super(`native addon not built (tried ${tried.join(', ')}): run \`npm install\` (or \`node native/build.mjs\`)`);
    this.name = 'NativeAddonMissingError';
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const candidates = [
  ...(process.env.EVM_ADDON ? [process.env.EVM_ADDON] : []),
  `${root}build-cuda/Release/evm_native.node`,
  `${root}build/Release/evm_native.node`,
];

let cached: NativeAddon | undefined;

export function loadAddon(): NativeAddon {
  if (cached) return cached;
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new NativeAddonMissingError(candidates);
  cached = createRequire(import.meta.url)(path) as NativeAddon;
  return cached;
}
