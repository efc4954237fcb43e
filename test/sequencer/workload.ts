// Seeded workloads for the sequencer: raw EVM test contracts (shared counter, AMM-like pool, coinbase
// reader, self-destructing vault), value transfers among few accounts, contract creation (plain and
// create-then-selfdestruct), reverts and out-of-gas; plus a conflict-free variant.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { generateAddress } from '@ethereumjs/util';
import { devGenesis } from '../../sequencer/genesis/dev.js';
import { DEFAULT_COINBASE, type Genesis, type GenesisAllocEntry } from '../../sequencer/genesis/genesis.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { bytesToHex, hexToU8, toAddress, toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { seededRandom } from '../support/seeded-random.js';
import { signTx } from './helpers.js';

const OP: Record<string, number> = {
  STOP: 0x00, ADD: 0x01, MUL: 0x02, SUB: 0x03, DIV: 0x04, EQ: 0x14, ISZERO: 0x15, SHR: 0x1c,
  BALANCE: 0x31, CALLER: 0x33, CALLVALUE: 0x34, CALLDATALOAD: 0x35, CALLDATASIZE: 0x36, CODECOPY: 0x39, EXTCODEHASH: 0x3f,
  COINBASE: 0x41, POP: 0x50, MSTORE: 0x52, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57, JUMPDEST: 0x5b,
  DUP1: 0x80, DUP2: 0x81, DUP3: 0x82, DUP4: 0x83, SWAP1: 0x90, LOG1: 0xa1, LOG2: 0xa2,
  RETURN: 0xf3, CREATE2: 0xf5, REVERT: 0xfd, SELFDESTRUCT: 0xff,
};

/** A tiny assembler: opcode names, bigint/number pushes (minimal PUSHn), `@label` (PUSH2), `label:` (JUMPDEST). */
export function asm(src: (string | number | bigint)[]): Uint8Array {
  const pass = (labels: Map<string, number>): number[] => {
    const out: number[] = [];
    for (const t of src) {
      if (typeof t === 'number' || typeof t === 'bigint') {
        let n = BigInt(t);
        const bytes: number[] = [];
        do {
          bytes.unshift(Number(n & 0xffn));
          n >>= 8n;
        } while (n > 0n);
        out.push(0x5f + bytes.length, ...bytes);
      } else if (t.startsWith('@')) {
        const at = labels.get(t.slice(1)) ?? 0;
        out.push(0x61, at >> 8, at & 0xff);
      } else if (t.endsWith(':')) {
        labels.set(t.slice(0, -1), out.length);
        out.push(OP.JUMPDEST);
      } else {
        const op = OP[t];
        if (op === undefined) throw new Error(`unknown op ${t}`);
        out.push(op);
      }
    }
    return out;
  };
  const labels = new Map<string, number>();
  pass(labels);
  return Uint8Array.from(pass(labels));
}

/** Shared counter: slot0 += 1, LOG1(value, caller); reverts when calldata starts with 0xff. */
export const COUNTER = asm([
  'CALLDATASIZE', 'ISZERO', '@inc', 'JUMPI',
  0, 'CALLDATALOAD', 248, 'SHR', 0xff, 'EQ', '@rev', 'JUMPI',
  'inc:', 0, 'SLOAD', 1, 'ADD', 'DUP1', 0, 'SSTORE', 0, 'MSTORE', 'CALLER', 32, 0, 'LOG1', 'STOP',
  'rev:', 0, 'DUP1', 'REVERT',
]);

const SWAP_TOPIC = BigInt(bytesToHex(keccak256(new TextEncoder().encode('Swap(address,uint256)'))));
/** AMM-like pool: x=slot0, y=slot1, in=calldata[0:32]; y' = x*y/(x+in); out = y-y' credited to slot[caller]; reverts if out = 0. */
export const AMM = asm([
  0, 'CALLDATALOAD', 0, 'SLOAD', 'DUP1', 'DUP3', 'ADD', 1, 'SLOAD', 'DUP1', 'DUP4', 'MUL', 'DUP3', 'SWAP1', 'DIV',
  'DUP1', 'DUP3', 'SUB', 'DUP1', 'ISZERO', '@rev', 'JUMPI',
  'DUP2', 1, 'SSTORE', 'DUP4', 0, 'SSTORE',
  'CALLER', 'SLOAD', 'DUP2', 'ADD', 'CALLER', 'SSTORE',
  'DUP1', 0, 'MSTORE', 'CALLER', SWAP_TOPIC, 32, 0, 'LOG2', 'STOP',
  'rev:', 0, 'DUP1', 'REVERT',
]);

/** Reads the fee recipient's balance and stores it (slot0): must see every earlier credit of the block. */
export const COINBASE_READER = asm(['COINBASE', 'BALANCE', 0, 'SSTORE', 'STOP']);

/** SELFDESTRUCT to the caller (Cancun: sends the balance, the account stays). */
export const VAULT = asm(['CALLER', 'SELFDESTRUCT']);

/** Init code that deploys `runtime`. */
export function initCode(runtime: Uint8Array): Uint8Array {
  if (runtime.length > 255) throw new Error('runtime too long for this init code');
  const prefix = asm([runtime.length, 'DUP1', 11, 0, 'CODECOPY', 0, 'RETURN']);
  if (prefix.length !== 11) throw new Error(`init prefix is ${prefix.length} bytes`);
  const out = new Uint8Array(11 + runtime.length);
  out.set(prefix);
  out.set(runtime, 11);
  return out;
}

/** Init code that self-destructs during creation (EIP-6780: the new account is deleted). */
export const CREATE_AND_DESTROY = asm(['CALLER', 'SELFDESTRUCT']);

export const ADDR = {
  counter: '0x00000000000000000000000000000000000c0001' as Address,
  amm: '0x00000000000000000000000000000000000a0001' as Address,
  coinbaseReader: '0x00000000000000000000000000000000000cb001' as Address,
  vault: '0x000000000000000000000000000000000000fa01' as Address,
};

export interface Sender {
  key: Hex;
  address: Address;
  nonce: bigint;
}

export function makeSenders(count: number, seed: number): Sender[] {
  const rnd = seededRandom(seed);
  const out: Sender[] = [];
  for (let i = 0; i < count; i++) {
    const sk = new Uint8Array(32);
    for (let j = 0; j < 32; j++) sk[j] = Math.floor(rnd() * 256);
    sk[0] = (sk[0] % 0xf0) + 1;
    const pub = secp256k1.getPublicKey(sk, false);
    out.push({ key: bytesToHex(sk) as Hex, address: toAddress(keccak256(pub.subarray(1)).subarray(12)), nonce: 0n });
  }
  return out;
}

export function workloadGenesis(senders: Sender[], opts: { perSenderCounters?: boolean } = {}): Genesis {
  const alloc = new Map<Address, GenesisAllocEntry>();
  for (const s of senders) alloc.set(s.address, { balance: 10n ** 21n });
  alloc.set(ADDR.counter, { balance: 0n, code: COUNTER });
  alloc.set(ADDR.amm, { balance: 0n, code: AMM, storage: new Map([[toWord(0n), 10n ** 15n], [toWord(1n), 10n ** 15n]]) });
  alloc.set(ADDR.coinbaseReader, { balance: 0n, code: COINBASE_READER });
  alloc.set(ADDR.vault, { balance: 10n ** 18n, code: VAULT });
  if (opts.perSenderCounters) senders.forEach((_, i) => alloc.set(counterOf(i), { balance: 0n, code: COUNTER }));
  return devGenesis({ extraAlloc: alloc, coinbase: DEFAULT_COINBASE });
}

export function counterOf(i: number): Address {
  return toAddress(`0x${(0xc0000000 + i).toString(16).padStart(40, '0')}`);
}

export type TxKind = 'counter' | 'amm' | 'transfer' | 'create' | 'createDestroy' | 'vault' | 'coinbaseRead' | 'payCoinbase' | 'revert' | 'oog' | 'callCreated';

/** One signed transaction of the high-conflict mix. */
export function highConflictTx(rnd: () => number, s: Sender, all: Sender[], created: Address[]): { raw: Uint8Array; kind: TxKind } {
  const r = rnd();
  const tip = BigInt(1 + Math.floor(rnd() * 5)) * 100_000_000n;
  const base = { nonce: s.nonce, maxPriorityFeePerGas: tip, maxFeePerGas: 5_000_000_000n };
  let kind: TxKind;
  let raw: Uint8Array;
  if (r < 0.3) {
    kind = 'counter';
    raw = signTx(s.key, { ...base, to: ADDR.counter, gasLimit: 80_000n });
  } else if (r < 0.5) {
    kind = 'amm';
    const amount = BigInt(1 + Math.floor(rnd() * 1e9));
    raw = signTx(s.key, { ...base, to: ADDR.amm, data: toWord(amount), gasLimit: 120_000n });
  } else if (r < 0.65) {
    kind = 'transfer';
    const to = all[Math.floor(rnd() * Math.min(4, all.length))].address;
    raw = signTx(s.key, { ...base, to, value: BigInt(1 + Math.floor(rnd() * 1e6)), gasLimit: 21_000n });
  } else if (r < 0.7) {
    kind = 'create';
    raw = signTx(s.key, { ...base, to: null, data: initCode(COUNTER), gasLimit: 200_000n });
    created.push(toAddress(generateAddress(hexToU8(s.address), bigToBytes(s.nonce))));
  } else if (r < 0.73) {
    kind = 'createDestroy';
    raw = signTx(s.key, { ...base, to: null, data: CREATE_AND_DESTROY, value: 12345n, gasLimit: 100_000n });
  } else if (r < 0.77) {
    kind = 'vault';
    raw = signTx(s.key, { ...base, to: ADDR.vault, value: BigInt(Math.floor(rnd() * 1000)), gasLimit: 60_000n });
  } else if (r < 0.82) {
    kind = 'coinbaseRead';
    raw = signTx(s.key, { ...base, to: ADDR.coinbaseReader, gasLimit: 60_000n });
  } else if (r < 0.85) {
    kind = 'payCoinbase';
    raw = signTx(s.key, { ...base, to: DEFAULT_COINBASE, value: 777n, gasLimit: 21_000n });
  } else if (r < 0.9) {
    kind = 'revert';
    raw = signTx(s.key, { ...base, to: ADDR.counter, data: '0xff', gasLimit: 80_000n });
  } else if (r < 0.93) {
    kind = 'oog';
    raw = signTx(s.key, { ...base, to: ADDR.amm, data: toWord(5n), gasLimit: 30_000n });
  } else if (created.length > 0) {
    kind = 'callCreated';
    raw = signTx(s.key, { ...base, to: created[Math.floor(rnd() * created.length)], gasLimit: 80_000n });
  } else {
    kind = 'counter';
    raw = signTx(s.key, { ...base, to: ADDR.counter, gasLimit: 80_000n });
  }
  s.nonce++;
  return { raw, kind };
}

/** Conflict-free: sender i only touches its own counter and its own fresh recipient. */
export function conflictFreeTx(rnd: () => number, s: Sender, i: number): Uint8Array {
  const base = { nonce: s.nonce, maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas: 5_000_000_000n };
  s.nonce++;
  if (rnd() < 0.5) return signTx(s.key, { ...base, to: counterOf(i), gasLimit: 80_000n });
  const to = toAddress(`0x${(0xe0000000 + i).toString(16).padStart(40, '0')}`);
  return signTx(s.key, { ...base, to, value: 1000n, gasLimit: 21_000n });
}

function bigToBytes(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array(0);
  return hexToU8(`0x${n.toString(16)}`);
}
