// The deployed snapshot every fuzz sequence starts from: funded senders, the target contract deployed by
// the deployer (its constructor and an optional forge-style setUp() run on the given executor, the same
// kernels the sequencer uses), the contracts to call (the target, or what its targetContracts() lists) and
// the senders (Echidna's defaults, or what its targetSenders() lists).
import { decodeFunctionResult, encodeFunctionData, type Abi } from 'viem';
import { TX_GAS_LIMIT_CAP } from '../chain/config.js';
import type { BlockEnv, ExecTx, Executor, TxOutcome } from '../executor/types.js';
import { WorldState, type StateReader } from '../state/world-state.js';
import { bytesToHex, hexToU8, toAddress, ZERO_ADDRESS, type Address, type Hex } from '../primitives/types.js';
import type { ContractArtifact } from './artifacts.js';
import { FuzzError, type FuzzEnv } from './types.js';

export interface DeployedContract {
  name: string;
  address: Address;
  abi: Abi;
  artifact: ContractArtifact;
}

export interface FuzzSnapshot {
  state: WorldState;
  env: FuzzEnv;
  /** Accounts the calls come from (Echidna's defaults unless configured). */
  senders: Address[];
  /** Deploys the target and sends the property checks. */
  deployer: Address;
  senderBalance: bigint;
  /** The deployed target (properties live here). */
  target: DeployedContract;
  /** Contracts whose functions the campaign calls. */
  callable: DeployedContract[];
}

export const DEFAULT_SENDERS: Address[] = [
  '0x0000000000000000000000000000000000010000',
  '0x0000000000000000000000000000000000020000',
  '0x0000000000000000000000000000000000030000',
];
export const DEFAULT_DEPLOYER: Address = '0x0000000000000000000000000000000000030000';
/** Forge's test environment (chain 31337, block 1 at time 1), so reproducers see the same values. */
/** Calls get the most gas one transaction may have (EIP-7825's cap: the fuzz chain runs Osaka). */
export const DEFAULT_ENV: FuzzEnv = { chainId: 31337n, number: 1n, timestamp: 1n, callGas: TX_GAS_LIMIT_CAP };
export const DEFAULT_SENDER_BALANCE = 10n ** 30n;

export interface SnapshotOptions {
  executor: Executor;
  artifacts: readonly ContractArtifact[];
  target: ContractArtifact;
  senders?: Address[];
  deployer?: Address;
  senderBalance?: bigint;
  /** Wei sent with the constructor. */
  deployValue?: bigint;
  env?: FuzzEnv;
}

export async function deploySnapshot(o: SnapshotOptions): Promise<FuzzSnapshot> {
  const senders = o.senders ?? DEFAULT_SENDERS;
  const deployer = o.deployer ?? DEFAULT_DEPLOYER;
  const senderBalance = o.senderBalance ?? DEFAULT_SENDER_BALANCE;
  const env = o.env ?? DEFAULT_ENV;
  const state = WorldState.fromAlloc([...new Set([...senders, deployer])].map((a) => [a, { balance: senderBalance }]));
  if (o.target.bytecode.length === 0) throw new FuzzError(`${o.target.name} has no creation bytecode (abstract contract or interface?)`);
  const run = async (to: Address | null, data: Uint8Array, value: bigint, what: string): Promise<TxOutcome & { kind: 'executed' }> => {
    const [outcome] = await o.executor.executeBatch(state, [fuzzTx(state, env, deployer, to, value, data)], blockEnv(env));
    if (outcome === undefined || outcome.kind === 'rejected') throw new FuzzError(`${what}: rejected (${outcome?.error ?? 'no outcome'})`);
    if (outcome.status !== 'success') {
      throw new FuzzError(`${what} failed: ${outcome.error ?? outcome.status} (return data ${bytesToHex(outcome.returnData)})`);
    }
    state.applyChanges(outcome.changes);
    return outcome;
  };
  const created = await run(null, o.target.bytecode, o.deployValue ?? 0n, `deploying ${o.target.name}`);
  if (created.createdAddress === undefined) throw new FuzzError(`deploying ${o.target.name} created no contract`);
  const target: DeployedContract = { name: o.target.name, address: created.createdAddress, abi: o.target.abi, artifact: o.target };
  if (hasFunction(target.abi, 'setUp')) {
    await run(target.address, hexToU8(encodeFunctionData({ abi: target.abi, functionName: 'setUp' })), 0n, `${o.target.name}.setUp()`);
  }
  // forge-std StdInvariant's harness lists (called by selector, so no forge-std is needed).
  const harnessList = async (name: 'targetContracts' | 'targetSenders'): Promise<Address[] | undefined> => {
    if (!hasFunction(target.abi, name)) return undefined;
    const out = await run(target.address, hexToU8(encodeFunctionData({ abi: target.abi, functionName: name })), 0n, `${o.target.name}.${name}()`);
    const addresses = decodeFunctionResult({ abi: target.abi, functionName: name, data: bytesToHex(out.returnData) as Hex }) as readonly string[];
    if (addresses.length === 0) throw new FuzzError(`${o.target.name}.${name}() returned an empty list`);
    return [...new Set(addresses.map((a) => toAddress(a)))];
  };
  const listed = await harnessList('targetContracts');
  const callable = listed === undefined ? [target] : listed.map((a) => identify(state, a, o.artifacts));
  const listedSenders = await harnessList('targetSenders');
  if (listedSenders !== undefined) fundSenders(state, listedSenders, senderBalance);
  return { state, env, senders: listedSenders ?? senders, deployer, senderBalance, target, callable };
}

/** Gives the harness's target senders that have no account yet the senders' balance; they must be EOAs. */
function fundSenders(state: WorldState, senders: readonly Address[], balance: bigint): void {
  for (const address of senders) {
    const account = state.getAccount(address);
    if (account !== undefined && account.code.length > 0) throw new FuzzError(`targetSenders() lists ${address}, which has code: fuzz calls come from externally owned accounts (EIP-3607)`);
    if (account === undefined) state.applyChanges([{ address, deleted: false, balance, nonce: 0n, storageReset: false, storage: new Map() }]);
  }
}

function hasFunction(abi: Abi, name: string): boolean {
  return abi.some((f) => f.type === 'function' && f.name === name && f.inputs.length === 0);
}

/** Names a deployed contract by matching its runtime code against the artifacts (immutables masked off). */
function identify(state: WorldState, address: Address, artifacts: readonly ContractArtifact[]): DeployedContract {
  const code = state.getAccount(address)?.code;
  if (code === undefined || code.length === 0) throw new FuzzError(`targetContracts() lists ${address}, which has no code`);
  const match = artifactOfCode(code, artifacts);
  if (match === undefined) throw new FuzzError(`targetContracts() lists ${address}, whose code matches no artifact`);
  return { name: match.name, address, abi: match.abi, artifact: match };
}

/** The artifact whose runtime code this is, if any. */
export function artifactOfCode(code: Uint8Array, artifacts: readonly ContractArtifact[]): ContractArtifact | undefined {
  return artifacts.find((a) => a.deployedBytecode.length === code.length && similar(a.deployedBytecode, code));
}

// Immutables and the metadata hash differ between the artifact and the deployed code: equal length and
// at least 90% equal bytes identifies the contract well enough.
function similar(a: Uint8Array, b: Uint8Array): boolean {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same >= a.length * 0.9;
}

let txCounter = 0;
/** A fuzz call as a transaction: legacy, gas price 0 (fees play no part), the sender's current nonce. */
export function fuzzTx(state: StateReader, env: FuzzEnv, from: Address, to: Address | null, value: bigint, data: Uint8Array): ExecTx {
  return {
    hash: `0x${(++txCounter).toString(16).padStart(64, '0')}`,
    type: 0,
    from,
    to,
    nonce: state.getAccount(from)?.nonce ?? 0n,
    gasLimit: env.callGas,
    value,
    data,
    gasPrice: 0n,
    accessList: [],
    chainId: env.chainId,
  };
}

export function blockEnv(env: FuzzEnv, number = env.number, timestamp = env.timestamp): BlockEnv {
  return {
    chainId: env.chainId,
    number,
    timestamp,
    coinbase: ZERO_ADDRESS,
    gasLimit: env.callGas,
    baseFee: 0n,
    prevRandao: `0x${'0'.repeat(64)}`,
    excessBlobGas: 0n,
    recentBlockHashes: [],
  };
}
