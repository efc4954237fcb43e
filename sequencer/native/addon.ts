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

/** The forks a precompile call can be run at (runPrecompileAt); EIP-2537 (0x0b..0x11) exists from Prague. */
export type PrecompileFork = 'Cancun' | 'Prague' | 'Osaka';

/** runPrecompileAt's result: gasUsed is the call's cost, or the whole gasLimit when it fails (as in the EVM). */
export interface PrecompileCall {
  ok: boolean;
  output: Buffer;
  /** Why it failed (for EIP-2537 go-ethereum's wording, e.g. "invalid point: not on curve"). */
  error?: string;
  gasUsed: bigint;
}

/** Where native EVM batches run and how much memory one instance takes (bytes). */
export interface EvmInfo {
  backend: string;
  instanceBytes: number;
  deviceInstanceBytes: number;
  threads: number;
  precompiles: boolean;
  /** Transactions the device (or EVM_SIMULATE_DEVICE=1) handed back to the host so far. */
  handedBack: number;
}

/**
 * How a state mirror's device-resident copy (native/evm/device_state.h) was kept in step: uploaded whole,
 * then synced by deltas of what changed. memory is 'cuda', or 'host' under EVM_SIMULATE_DEVICE=1.
 */
export interface DeviceStateStats {
  memory: 'cuda' | 'host';
  fullUploads: number;
  deltaSyncs: number;
  /** Whole index uploads, after the mirror grew (rebuilt) an index. */
  indexUploads: number;
  fullBytes: number;
  deltaBytes: number;
  indexBytes: number;
  lastDeltaBytes: number;
  lastDeltaItems: number;
}

export interface NativeAddon {
  backendInfo(): BackendInfo;
  /** CPU time (ms) of the calling thread alone (benches: the main thread apart from V8's background threads). */
  threadCpuMs(): number;
  keccak256Batch(data: Uint8Array, offsets: Uint32Array): Promise<Buffer>;
  keccak256BatchSync(data: Uint8Array, offsets: Uint32Array): Buffer;
  /** One keccak-256 on the calling thread. */
  keccak256Sync(data: Uint8Array): Buffer;
  /** keccak256BatchSync on the calling thread with SIMD lanes of the given width (1, 4 or 8; RangeError where the CPU lacks it). */
  keccak256LanesSync(data: Uint8Array, offsets: Uint32Array, lanes: number): Buffer;
  /** The widest keccak lane count this CPU runs (8 with AVX-512, 4 with AVX2, else 1): what the state trie hashes with. */
  keccakLanes(): number;
  /** Root of the ordered trie rlp(i) -> data[offsets[i] .. offsets[i + 1]) (a block's transactions or receipts trie), on the calling thread. */
  orderedTrieRootSync(data: Uint8Array, offsets: Uint32Array): Buffer;
  /** Receipts packed with zero blooms: fills each bloom in place; returns the receipts root (32 bytes) then the block's logs bloom (256). */
  receiptsRootSync(data: Uint8Array, offsets: Uint32Array): Buffer;
  // Pairing precompile test hooks (native/bindings/pairing_bindings.cc): raw call input -> EVM-visible result.
  bn254Add(input: Uint8Array): PrecompileResult;
  bn254Mul(input: Uint8Array): PrecompileResult;
  bn254Pairing(input: Uint8Array): PrecompileResult;
  kzgPointEvaluation(input: Uint8Array): PrecompileResult;
  // Internal shortcuts of the pairing kernels against their plain definitions, seeded: failures must be empty.
  pairingSelfCheck(seed: number): { checks: number; failures: string[] };
  // Sender recovery (native/bindings/crypto_bindings.cc): hashes 32*n bytes, sigs 65*n (r, s, recid 0..3).
  recoverSendersBatch(hashes: Uint8Array, sigs: Uint8Array): Promise<RecoveredSenders>;
  recoverSendersBatchSync(hashes: Uint8Array, sigs: Uint8Array): RecoveredSenders;
  // Precompiles through kern::precompile (gas_cost, output_size, run), native/bindings/precompile_bindings.cc.
  /** One call by address at a fork; throws RangeError when the address is no precompile at that fork. */
  runPrecompileAt(address: Uint8Array, fork: PrecompileFork, input: Uint8Array, gasLimit?: bigint): PrecompileCall;
  /** Test hook: any precompile the kernels have by id, at `fork` (default: the fork that introduced it; numbers are FORK_IDS). */
  runPrecompile(id: number, input: Uint8Array, fork?: PrecompileFork | number): PrecompileRun;
  /** The precompile id of an address at a fork (default Cancun), 0 when none. */
  precompileIdOf(address: Uint8Array, fork?: PrecompileFork | number): number;
  // The native EVM (native/evm/evm_binding.cc; buffers from sequencer/executor/native/encode.ts).
  /** Builds an immutable native mirror of a state snapshot; `handle` is passed to evmExecute. */
  evmLoadState(state: Uint8Array): { accounts: number; slots: number; handle: object };
  /** The same, built on a worker thread. */
  evmLoadStateAsync(state: Uint8Array): Promise<{ accounts: number; slots: number; handle: object }>;
  /** Executes a batch off the event loop; resolves to u32 count + (u32 length, result record) per transaction. */
  evmExecute(handle: object, env: Uint8Array, txs: Uint8Array, timeoutMs?: number): Promise<Buffer>;
  /** The same with chains (chains[i]: tx i's chain, run in order on one thread); a tx that did not run has a 0-length record. */
  evmExecuteChains(handle: object, env: Uint8Array, txs: Uint8Array, chains: Uint32Array): Promise<Buffer>;
  /** A copy of a mirror, made on a worker thread, to update on its own (evmUpdateState) while the original is read. */
  evmForkStateAsync(handle: object): Promise<{ accounts: number; slots: number; handle: object }>;
  /** Applies account changes to a mirror in place; false (nothing applied) while a batch reads it. */
  evmUpdateState(handle: object, changes: Uint8Array): boolean;
  /**
   * The same from change records in commit order (buffers, and a (buffer, start, end) triple per record: the
   * state trie's form, state/native-state-trie.ts trailSpans); bad input throws and changes nothing.
   */
  evmUpdateStateRecords(handle: object, records: Uint8Array[], spans: Uint32Array): boolean;
  /** The mirror's device-resident copy, null before a batch ran on the device (or EVM_SIMULATE_DEVICE=1). */
  evmDeviceState(handle: object): DeviceStateStats | null;
  /** The first difference between the device copy and the mirror, '' when none (downloads the copy). */
  evmDeviceStateCheck(handle: object): string;
  evmInfo(): EvmInfo;
  // Fuzzing (native/evm/fuzz_binding.cc; buffers from sequencer/fuzz/native-runner.ts).
  /** A fuzz session over a state mirror: block values, senders, properties, and the campaign's coverage map. */
  evmFuzzSession(stateHandle: object, env: Uint8Array, config: Uint8Array): object;
  /** Runs every sequence of the program, one EVM instance each, off the event loop. */
  evmFuzzRun(session: object, program: Uint8Array, mergeCoverage: boolean, comparisons: boolean): Promise<Buffer>;
  /** Coverage edges reached by the merged runs so far. */
  evmFuzzCoverage(session: object): number;
  /** Block hit counts of a program's sequences for coverage reports (native/evm/fuzz_hits.h); nothing merged. */
  evmFuzzBlockHits(session: object, program: Uint8Array): Promise<Buffer>;
  /** Native call generation (native/evm/fuzz_generate_binding.cc): functions with ABI layouts, senders, addresses. */
  evmFuzzGenerator(config: Uint8Array): object;
  /** The dictionary's 32-byte words the generator draws from (again whenever they change). */
  evmFuzzGeneratorWords(generator: object, words: Uint8Array): void;
  /** A fresh sequence written at out; advances rng and returns the bytes written, or -1 when out is too small. */
  evmFuzzGenerate(generator: object, rng: Uint32Array, depth: number, out: Uint8Array): number;
  /** Test hook: the uint256 arithmetic of EVM opcode `op` on three big-endian words (a = top of stack). */
  evmU256(op: number, abc: Uint8Array): Buffer;
  // The state trie (native/state/state_trie_binding.cc; change sets from sequencer/state/native-state-trie.ts).
  /** An empty account trie with its storage tries. */
  stateTrieNew(): object;
  /**
   * Applies the change records at `spans` (buffer index, start, end each; the native EVM's layout, in
   * commit order), then a WorldState change set, and resolves to the 32-byte state root, off the event
   * loop; one at a time per trie.
   */
  stateTrieUpdate(trie: object, changes: Uint8Array, records?: Uint8Array[], spans?: Uint32Array): Promise<Buffer>;
  /** CPU time of the trie's last update on the threads that ran it (its own cost, not the process's). */
  stateTrieLastUpdateCpuMs(trie: object): number;
  /** EIP-1186 proof nodes (root first) as of the last update; slots are 32 bytes each. */
  stateTrieProve(trie: object, address: Uint8Array, slots: Uint8Array): { accountProof: Buffer[]; storageRoot: Buffer; storageProofs: Buffer[][] };
  // Ingress (native/ingress/tx_decode_binding.cc; records read by sequencer/ingress/native-decode.ts).
  /** Decodes, checks and recovers the senders of raw transactions (offsets: count + 1) off the event loop; one record each. */
  decodeTransactions(data: Uint8Array, offsets: Uint32Array, config: TxDecodeConfig): Promise<Buffer>;
  decodeTransactionsSync(data: Uint8Array, offsets: Uint32Array, config: TxDecodeConfig): Buffer;
  /** Bytes per record of decodeTransactions. */
  txRecordSize: number;
}

/** The ingress rules decodeTransactions applies (chain id below 2^62; fork a FORK_IDS number). */
export interface TxDecodeConfig {
  chainId: bigint;
  fork: number;
  maxTxSize: number;
  allowUnprotected: boolean;
  limitInitCode: boolean;
  allowBlobTxs: boolean;
  /** Default true; false for transactions whose senders are known (stored ones): the records' sender stays zero. */
  recoverSenders?: boolean;
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
