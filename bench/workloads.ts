// Seeded, pure workload generators: the same (workload, txs, seed) always gives the same genesis and the
// same pre-signed raw transactions (EIP-1559, chain 42069), from keys derived from the seed.
import { createRequire } from 'node:module';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { commonFor } from '../sequencer/chain/common.js';
import { DEV_FORK, scheduleFrom } from '../sequencer/chain/forks.js';
import { DEFAULT_BASE_FEE, DEFAULT_CHAIN_ID, DEFAULT_COINBASE, DEFAULT_GAS_LIMIT, type Genesis, type GenesisAllocEntry } from '../sequencer/genesis/genesis.js';
import { keccak256 } from '../sequencer/primitives/keccak.js';
import { bytesToHex, toAddress, toWord, type Address, type Hex } from '../sequencer/primitives/types.js';
import { calldata, compileContracts, mappingSlot } from './contracts.js';

export const WORKLOADS = ['transfers', 'erc20', 'amm', 'mixed', 'hot'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export const ADDR = {
  token: '0x00000000000000000000000000000000000b0001' as Address,
  counter: '0x00000000000000000000000000000000000b0002' as Address,
  pool: (i: number) => toAddress(`0x${(0xb1000 + i).toString(16).padStart(40, '0')}`),
};
export const POOLS = 4;
/** Recipients are drawn from this many accounts (the senders are the first of them). */
export const ACCOUNTS = 10_000;
const SENDER_BALANCE = 10n ** 22n;
const TOKEN_BALANCE = 10n ** 24n;
const RESERVE = 10n ** 24n;
const MAX_FEE = 50_000_000_000n;
const TIP = 1_000_000_000n;

export interface Workload {
  name: string;
  seed: number;
  genesis: Genesis;
  senders: Address[];
  raws: Uint8Array[];
  hashes: Hex[];
  /** Recovered senders per tx (known: we signed them). */
  from: Address[];
  /** What the generator intended: share of transactions that touch a shared hot key. */
  conflictShare?: number;
}

interface Secp {
  ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(key: Uint8Array, compressed: boolean): Uint8Array;
}
let secp: Secp | undefined;
function loadSecp(): Secp {
  // The native libsecp256k1 binding (fast signing); the package's own fallback is pure JS, slower but equal.
  secp ??= createRequire(import.meta.url)('secp256k1') as Secp;
  return secp;
}

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Key {
  key: Uint8Array;
  address: Address;
}

const keyCache = new Map<string, Key[]>();
export function senderKeys(count: number, seed: number): Key[] {
  const id = `${count}:${seed}`;
  const hit = keyCache.get(id);
  if (hit) return hit;
  const keys = deriveKeys(count, seed);
  keyCache.set(id, keys);
  return keys;
}

function deriveKeys(count: number, seed: number): Key[] {
  const s = loadSecp();
  const out: Key[] = [];
  for (let i = 0; i < count; i++) {
    const key = keccak256(new TextEncoder().encode(`bench-key:${seed}:${i}`));
    const pub = s.publicKeyCreate(key, false);
    out.push({ key, address: toAddress(keccak256(pub.subarray(1)).subarray(12)) });
  }
  return out;
}

/** Account i of the recipient space: a sender's address for i < senders, else a derived address. */
function account(i: number, keys: Key[]): Address {
  if (i < keys.length) return keys[i].address;
  return toAddress(keccak256(new TextEncoder().encode(`bench-acct:${i}`)).subarray(12));
}

const common = commonFor(DEFAULT_CHAIN_ID);

export function sign(k: Key, nonce: bigint, to: Address, value: bigint, data: Uint8Array, gasLimit: bigint): Uint8Array {
  const tx = createFeeMarket1559Tx(
    { chainId: DEFAULT_CHAIN_ID, nonce, to, value, data, gasLimit, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: TIP },
    { common },
  );
  const { signature, recid } = loadSecp().ecdsaSign(tx.getHashedMessageToSign(), k.key);
  return tx.addSignature(BigInt(recid), signature.subarray(0, 32), signature.subarray(32, 64)).serialize();
}

export function genesisFor(keys: Key[]): Genesis {
  const c = compileContracts();
  const alloc = new Map<Address, GenesisAllocEntry>();
  const tokenStorage = new Map<Hex, bigint>();
  for (const k of keys) {
    alloc.set(k.address, { balance: SENDER_BALANCE });
    tokenStorage.set(mappingSlot(k.address, 0n), TOKEN_BALANCE);
  }
  tokenStorage.set(toWord(2n), TOKEN_BALANCE * BigInt(keys.length));
  alloc.set(ADDR.token, { balance: 0n, code: c.token, storage: tokenStorage });
  alloc.set(ADDR.counter, { balance: 0n, code: c.counter, storage: new Map([[toWord(0n), 1n]]) });
  for (let p = 0; p < POOLS; p++) {
    alloc.set(ADDR.pool(p), { balance: 0n, code: c.pool, storage: new Map([[toWord(0n), RESERVE], [toWord(1n), RESERVE]]) });
  }
  return benchGenesis(alloc);
}

/** The bench chain's genesis (chain id, gas limit, base fee, fork schedule) with this alloc. */
export function benchGenesis(alloc: Map<Address, GenesisAllocEntry>): Genesis {
  return { chainId: DEFAULT_CHAIN_ID, gasLimit: DEFAULT_GAS_LIMIT, baseFeePerGas: DEFAULT_BASE_FEE, timestamp: 0n, coinbase: DEFAULT_COINBASE, extraData: '0x', forks: scheduleFrom(DEV_FORK), alloc };
}

type TxGen = (r: () => number, k: Key, i: number, keys: Key[]) => { to: Address; value: bigint; data: Uint8Array; gas: bigint };

/** ETH transfers to accounts drawn from the first `space` of the recipient space. */
const transferAmong = (space: number): TxGen => (r, _k, _i, keys) => ({ to: account(Math.floor(r() * space), keys), value: 1n + BigInt(Math.floor(r() * 1e9)), data: new Uint8Array(0), gas: 21_000n });
/** Token transfers to accounts drawn from the first `space` of the recipient space. */
const erc20Among = (space: number): TxGen => (r, _k, _i, keys) => ({
  to: ADDR.token,
  value: 0n,
  data: calldata.transfer(account(Math.floor(r() * space), keys), 1n + BigInt(Math.floor(r() * 1e12))),
  gas: 80_000n,
});

const gen = {
  transfer: transferAmong(ACCOUNTS),
  erc20: erc20Among(ACCOUNTS),
  swap: ((r) => ({ to: ADDR.pool(Math.floor(r() * POOLS)), value: 0n, data: calldata.swap(10n ** 12n + BigInt(Math.floor(r() * 1e15)), r() < 0.5), gas: 120_000n })) as TxGen,
  hit: (() => ({ to: ADDR.counter, value: 0n, data: calldata.hit(), gas: 60_000n })) as TxGen,
  bump: (() => ({ to: ADDR.counter, value: 0n, data: calldata.bump(), gas: 60_000n })) as TxGen,
};

/** Senders for n transactions: enough that a JSON-RPC batch never holds two of one sender's txs. */
export function senderCount(n: number): number {
  return Math.max(1, Math.min(1000, Math.ceil(n / 2)));
}

function build(name: string, n: number, seed: number, pick: (r: () => number, i: number) => TxGen, conflictShare?: number): Workload {
  const keys = senderKeys(senderCount(n), seed);
  const r = rng(seed * 7919 + name.length);
  const nonces = new Array<bigint>(keys.length).fill(0n);
  const raws: Uint8Array[] = [];
  const from: Address[] = [];
  // Round-robin over senders: transaction i is sender (i mod S)'s nonce floor(i / S).
  for (let i = 0; i < n; i++) {
    const s = i % keys.length;
    const g = pick(r, i)(r, keys[s], i, keys);
    raws.push(sign(keys[s], nonces[s]++, g.to, g.value, g.data, g.gas));
    from.push(keys[s].address);
  }
  return { name, seed, genesis: genesisFor(keys), senders: keys.map((k) => k.address), raws, hashes: raws.map((x) => bytesToHex(keccak256(x)) as Hex), from, conflictShare };
}

export function makeWorkload(name: WorkloadName, n: number, seed = 1): Workload {
  switch (name) {
    case 'transfers':
      return build(name, n, seed, () => gen.transfer);
    case 'erc20':
      return build(name, n, seed, () => gen.erc20);
    case 'amm':
      return build(name, n, seed, () => gen.swap);
    case 'hot':
      return build(name, n, seed, () => gen.hit);
    case 'mixed':
      return build(name, n, seed, (r) => {
        const x = r();
        return x < 0.4 ? gen.transfer : x < 0.8 ? gen.erc20 : x < 0.9 ? gen.swap : gen.hit;
      });
  }
}

/**
 * The scale workload (issue #13): half ETH transfers to accounts drawn from `accounts` funded ones, half
 * token transfers to holders drawn from the first quarter of them, who hold the token in the genesis.
 */
export function scaleWorkload(n: number, accounts: number, seed = 1): Workload {
  const holders = Math.max(1, Math.floor(accounts / 4));
  const w = build(`scale-${accounts}`, n, seed, (r) => (r() < 0.5 ? transferAmong(accounts) : erc20Among(holders)));
  const keys = senderKeys(senderCount(n), seed);
  const tokenStorage = w.genesis.alloc.get(ADDR.token)!.storage!;
  for (let i = keys.length; i < accounts; i++) {
    const a = account(i, keys);
    w.genesis.alloc.set(a, { balance: 10n ** 18n });
    if (i < holders) tokenStorage.set(mappingSlot(a, 0n), TOKEN_BALANCE);
  }
  tokenStorage.set(toWord(2n), TOKEN_BALANCE * BigInt(Math.max(holders, keys.length)));
  return w;
}

/** Conflict sweep: a share `p` of the transactions increments one hot slot, the rest bump the sender's own slot. */
export function sweepWorkload(p: number, n: number, seed = 1): Workload {
  return build(`sweep-${Math.round(p * 100)}`, n, seed, (r) => (r() < p ? gen.hit : gen.bump), p);
}

/** A geth-style genesis.json for anvil --init (same alloc, chain id, gas limit, base fee). */
export function anvilGenesisJson(g: Genesis): unknown {
  const alloc: Record<string, unknown> = {};
  for (const [a, e] of g.alloc) {
    alloc[a] = {
      balance: `0x${e.balance.toString(16)}`,
      ...(e.code ? { code: bytesToHex(e.code) } : {}),
      ...(e.storage ? { storage: Object.fromEntries([...e.storage].map(([k, v]) => [k, toWord(v)])) } : {}),
    };
  }
  return {
    config: {
      chainId: Number(g.chainId),
      homesteadBlock: 0, eip150Block: 0, eip155Block: 0, eip158Block: 0, byzantiumBlock: 0, constantinopleBlock: 0,
      petersburgBlock: 0, istanbulBlock: 0, berlinBlock: 0, londonBlock: 0, mergeNetsplitBlock: 0,
      terminalTotalDifficulty: 0, terminalTotalDifficultyPassed: true, shanghaiTime: 0, cancunTime: 0,
    },
    nonce: '0x0',
    timestamp: '0x0',
    extraData: '0x',
    gasLimit: `0x${g.gasLimit.toString(16)}`,
    difficulty: '0x0',
    mixHash: `0x${'00'.repeat(32)}`,
    coinbase: g.coinbase,
    baseFeePerGas: `0x${g.baseFeePerGas.toString(16)}`,
    alloc,
  };
}

/** The genesis file format this sequencer reads (sequencer/genesis/genesis.ts GenesisJson). */
export function seqGenesisJson(g: Genesis): unknown {
  const alloc: Record<string, unknown> = {};
  for (const [a, e] of g.alloc) {
    alloc[a] = {
      balance: `0x${e.balance.toString(16)}`,
      ...(e.code ? { code: bytesToHex(e.code) } : {}),
      ...(e.storage ? { storage: Object.fromEntries([...e.storage].map(([k, v]) => [k, `0x${v.toString(16)}`])) } : {}),
    };
  }
  return { chainId: Number(g.chainId), gasLimit: `0x${g.gasLimit.toString(16)}`, baseFeePerGas: `0x${g.baseFeePerGas.toString(16)}`, timestamp: '0x0', coinbase: g.coinbase, extraData: '0x', alloc };
}
