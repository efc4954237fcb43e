// Differential fuzzing: random bytecode and calldata from a seed, executed by the native EVM and by the
// reference (@ethereumjs/vm) executor against the same snapshot, at Cancun, Prague and Osaka. Compared:
// outcome kind, status, gas used, return data, logs, coinbase credit, and the post-state (changes applied to
// copies, compared by state root and by account/slot values). The bytecode uses CLZ and calls the Osaka
// precompiles (P256VERIFY, MODEXP with its new pricing) and delegated (EIP-7702) accounts; from Prague a
// share of the transactions are set-code (type 4) with valid, invalid and replayed authorizations,
// delegations to precompiles, to other delegated accounts, and clearings.
// Reproducible: FUZZ_SEED and FUZZ_CASES override the defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToBigInt, bytesToHex, eoaCode7702SignAuthorization, privateToAddress } from '@ethereumjs/util';
import { isDelegation } from '../../sequencer/chain/delegation.js';
import { FORKS, forkAtLeast, type ForkName } from '../../sequencer/chain/forks.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import { ReferenceExecutor } from '../../sequencer/executor/reference/reference-executor.js';
import type { Authorization, BlockEnv, ExecTx } from '../../sequencer/executor/types.js';
import { toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { WorldState, type GenesisAccount } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../support/seeded-random.js';
import { postRoot } from '../support/post-root.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0xfeed);
const CASES = Number(process.env.FUZZ_CASES ?? 400);

const SENDER: Address = '0x00000000000000000000000000000000000a11ce';
const CONTRACTS: Address[] = [
  '0x00000000000000000000000000000000000c0001',
  '0x00000000000000000000000000000000000c0002',
  '0x00000000000000000000000000000000000c0003',
];
const COINBASE: Address = '0x00000000000000000000000000000000000cb000';
const EMPTY_ACCT: Address = '0x00000000000000000000000000000000000e0000';
// EIP-7702 authorities: keys keccak("authority" i); their accounts may be absent, plain, delegated or coded.
const AUTHORITY_KEYS = [0, 1, 2, 3].map((i) => keccak256(new TextEncoder().encode(`authority ${i}`)));
const AUTHORITIES: Address[] = AUTHORITY_KEYS.map((k) => bytesToHex(privateToAddress(k)) as Address);
const P256VERIFY: Address = '0x0000000000000000000000000000000000000100';
const MODEXP: Address = '0x0000000000000000000000000000000000000005';
const designator = (to: Address): Uint8Array => Uint8Array.from(Buffer.from(`ef0100${to.slice(2)}`, 'hex'));

type Rand = () => number;

class Gen {
  code: number[] = [];
  constructor(readonly r: Rand) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  push(v: bigint): void {
    if (v === 0n && this.r() < 0.5) {
      this.code.push(0x5f);
      return;
    }
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    const bytes = Buffer.from(hex, 'hex');
    this.code.push(0x5f + bytes.length, ...bytes);
  }
  value(): bigint {
    const k = this.int(10);
    if (k < 4) return BigInt(this.int(40));
    if (k < 6) return BigInt(this.int(1 << 30));
    if (k < 7) return (1n << 255n) + BigInt(this.int(1000));
    if (k < 8) return (1n << 256n) - 1n - BigInt(this.int(3));
    let v = 0n;
    for (let i = 0; i < 32; i++) v = (v << 8n) | BigInt(this.int(256));
    return v;
  }
  addr(): bigint {
    const all = [...CONTRACTS, SENDER, COINBASE, EMPTY_ACCT, '0x0000000000000000000000000000000000000004', '0x0000000000000000000000000000000000000002', '0x000000000000000000000000000000000000dead', ...AUTHORITIES, P256VERIFY, MODEXP];
    return BigInt(this.pick(all));
  }
  /** One random, mostly stack-valid, snippet. */
  snippet(depthLeft: number): void {
    const k = this.int(32);
    const c = this.code;
    if (k < 6) {
      // arithmetic / comparison / bitwise on two (or three) operands
      const op = this.pick([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d]);
      if (op === 0x08 || op === 0x09) this.push(this.value());
      this.push(this.value());
      this.push(op === 0x0a ? BigInt(this.int(300)) : this.value());
      c.push(op);
      if (this.r() < 0.5) c.push(0x15); // ISZERO
      this.push(BigInt(this.int(8) * 32));
      c.push(0x52); // MSTORE result
    } else if (k < 9) {
      this.push(this.r() < 0.3 ? 0n : this.value());
      this.push(BigInt(this.int(5)));
      c.push(0x55); // SSTORE
    } else if (k < 11) {
      this.push(BigInt(this.int(5)));
      c.push(0x54, 0x50); // SLOAD POP
    } else if (k < 12) {
      this.push(this.value());
      this.push(BigInt(this.int(3)));
      c.push(0x5d); // TSTORE
      this.push(BigInt(this.int(3)));
      c.push(0x5c, 0x60, 0x40, 0x52); // TLOAD, MSTORE at 0x40
    } else if (k < 14) {
      // LOGn
      const n = this.int(5);
      for (let i = 0; i < n; i++) this.push(this.value());
      this.push(BigInt(this.int(70)));
      this.push(BigInt(this.int(100)));
      c.push(0xa0 + n);
    } else if (k < 18 && depthLeft > 0) {
      // CALL family: retOffset retLen argsOffset argsLen (value) addr gas
      const op = this.pick([0xf1, 0xf1, 0xf2, 0xf4, 0xfa]);
      this.push(BigInt(this.int(64)));
      this.push(BigInt(this.int(64)));
      this.push(BigInt(this.int(64)));
      this.push(BigInt(this.int(64)));
      if (op === 0xf1 || op === 0xf2) this.push(this.r() < 0.6 ? 0n : BigInt(this.int(1000)));
      this.push(this.addr());
      this.push(this.r() < 0.3 ? (1n << 64n) : BigInt(this.int(200000)));
      c.push(op);
      this.push(BigInt(0x80 + this.int(4) * 32));
      c.push(0x52);
      if (this.r() < 0.5) {
        c.push(0x3d); // RETURNDATASIZE
        this.push(0xa0n);
        c.push(0x52);
      }
    } else if (k < 20) {
      // CREATE / CREATE2 of a small initcode that returns a few bytes of code
      const runtime = this.int(2) ? [0x60, this.int(256), 0x60, 0x00, 0x55, 0x00] : [0xfe];
      const init = [0x60 + runtime.length - 1, ...runtime, 0x5f, 0x52, 0x60, runtime.length, 0x60, 32 - runtime.length, 0xf3];
      if (runtime.length > 32) throw new Error('runtime too long');
      if (this.r() < 0.2) init.splice(0, init.length, 0x60, 0x00, 0x60, 0x00, 0xfd); // reverting initcode
      let word = 0n;
      for (const b of init) word = (word << 8n) | BigInt(b);
      this.push(word);
      this.push(0n);
      c.push(0x52); // MSTORE init right-aligned in [0, 32)
      const create2 = this.r() < 0.5;
      if (create2) this.push(BigInt(this.int(3)));
      this.push(BigInt(init.length));
      this.push(BigInt(32 - init.length));
      this.push(this.r() < 0.7 ? 0n : BigInt(this.int(100)));
      c.push(create2 ? 0xf5 : 0xf0);
      this.push(0xc0n);
      c.push(0x52);
    } else if (k < 22) {
      this.push(this.addr());
      c.push(this.pick([0x31, 0x3b, 0x3f]));
      this.push(0xe0n);
      c.push(0x52);
    } else if (k < 23) {
      c.push(this.pick([0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4a, 0x58, 0x59, 0x5a]));
      this.push(BigInt(this.int(4) * 32));
      c.push(0x52);
    } else if (k < 24) {
      // copies: CALLDATACOPY / CODECOPY / RETURNDATACOPY / MCOPY
      const op = this.pick([0x37, 0x39, 0x3e, 0x5e]);
      this.push(BigInt(this.int(40)));
      this.push(BigInt(this.int(40)));
      this.push(BigInt(this.int(100)));
      c.push(op);
    } else if (k < 25) {
      this.push(BigInt(this.int(64)));
      this.push(BigInt(this.int(64)));
      c.push(0x20); // KECCAK256
      this.push(0x20n);
      c.push(0x52);
    } else if (k < 26) {
      this.push(BigInt(this.int(80)));
      c.push(0x35); // CALLDATALOAD
      this.push(0x60n);
      c.push(0x52);
    } else if (k < 27) {
      // a random raw byte (invalid opcodes, stack underflow, bad jumps ...)
      c.push(this.int(256));
    } else if (k < 28) {
      // conditional jump over a snippet, to a valid JUMPDEST
      const at = c.length;
      this.push(BigInt(this.int(2)));
      c.push(0x61, 0, 0, 0x57);
      this.snippet(depthLeft);
      const dest = c.length;
      c.push(0x5b);
      const pushPos = c.indexOf(0x61, at);
      c[pushPos + 1] = dest >> 8;
      c[pushPos + 2] = dest & 0xff;
    } else if (k < 29) {
      this.push(BigInt(this.int(2000)));
      c.push(0x40); // BLOCKHASH
      this.push(0n);
      c.push(0x52);
    } else if (k < 30) {
      this.push(BigInt(this.int(3)));
      c.push(0x49); // BLOBHASH
      c.push(0x50);
    } else if (k < 31) {
      this.push(this.r() < 0.2 ? 0n : this.value() >> BigInt(this.int(256)));
      c.push(0x1e); // CLZ (an invalid opcode before Osaka)
      this.push(BigInt(this.int(4) * 32));
      c.push(0x52);
    } else {
      // MODEXP with a small header (base, exponent, modulus lengths) written at 0x100, or P256VERIFY on
      // whatever memory holds: STATICCALL(gas, precompile, 0x100, len, 0, 32)
      const modexp = this.r() < 0.5;
      if (modexp) {
        for (const [i, len] of [this.int(40), this.int(40), 1 + this.int(40)].entries()) {
          this.push(BigInt(len));
          this.push(BigInt(0x100 + 32 * i));
          c.push(0x52);
        }
      }
      this.push(32n);
      this.push(0n);
      this.push(BigInt(modexp ? 96 + this.int(100) : this.pick([160, 160, 159])));
      this.push(0x100n);
      this.push(BigInt(modexp ? MODEXP : P256VERIFY));
      this.push(BigInt(this.int(20000)));
      c.push(0xfa);
      this.push(0x80n);
      c.push(0x52);
    }
  }
  program(len: number, depthLeft: number): Uint8Array {
    this.code = [];
    for (let i = 0; i < len; i++) this.snippet(depthLeft);
    const end = this.int(10);
    if (end < 5) {
      this.push(BigInt(this.int(0x100)));
      this.push(BigInt(this.int(0x40)));
      this.code.push(0xf3); // RETURN
    } else if (end < 7) {
      this.push(BigInt(this.int(0x40)));
      this.push(BigInt(this.int(0x40)));
      this.code.push(0xfd); // REVERT
    } else if (end < 8) {
      this.push(this.addr());
      this.code.push(0xff); // SELFDESTRUCT
    } else {
      this.code.push(0x00);
    }
    return Uint8Array.from(this.code);
  }
}

/** A set-code tuple; `signer` signs it (an authority key) unless the signature is to be broken. */
function authorization(g: Gen, fields: { chainId: bigint; address: Address; nonce: bigint }, signer: number, broken: boolean): Authorization {
  const q = (v: bigint) => `0x${v.toString(16)}` as const;
  const [, , , yParity, r, s] = eoaCode7702SignAuthorization({ chainId: q(fields.chainId), address: fields.address, nonce: q(fields.nonce) }, AUTHORITY_KEYS[signer]);
  const auth = { ...fields, yParity: bytesToBigInt(yParity), r: bytesToBigInt(r), s: bytesToBigInt(s) };
  if (!broken) return auth;
  // A high s (EIP-2 says skip it), or another r (recovers someone else, or nobody).
  return g.r() < 0.5 ? { ...auth, s: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n - auth.s } : { ...auth, r: auth.r ^ 1n };
}

export function buildCase(seed: number, fork: ForkName = FORKS[seed % FORKS.length]): { state: WorldState; tx: ExecTx; env: BlockEnv } {
  const r = seededRandom(seed);
  const g = new Gen(r);
  const alloc: [Address, GenesisAccount][] = [[SENDER, { balance: 10n ** 20n, nonce: BigInt(g.int(3)) }]];
  for (const a of CONTRACTS) {
    const storage = new Map<Hex, bigint>();
    for (let k = 0; k < 5; k++) if (r() < 0.4) storage.set(toWord(BigInt(k)), BigInt(1 + g.int(5)));
    alloc.push([a, { balance: BigInt(g.int(3)) * 1000n, nonce: 1n, code: g.program(1 + g.int(8), 1), storage }]);
  }
  if (r() < 0.5) alloc.push([EMPTY_ACCT, {}]);
  if (r() < 0.3) alloc.push([COINBASE, { balance: 5n }]);
  // Authorities: absent, plain, delegated (to a contract, a precompile or another authority), or with code.
  const authorityNonces = new Map<Address, bigint>();
  for (const a of AUTHORITIES) {
    const k = g.int(5);
    if (k === 0) continue;
    const nonce = BigInt(g.int(3));
    authorityNonces.set(a, nonce);
    const code = k === 2 ? designator(g.pick([...CONTRACTS, ...AUTHORITIES, P256VERIFY])) : k === 3 ? g.program(1 + g.int(3), 0) : undefined;
    alloc.push([a, { balance: BigInt(g.int(2)) * 10n ** 15n, nonce, code }]);
  }
  const state = WorldState.fromAlloc(alloc);
  const setCode = forkAtLeast(fork, 'Prague') && r() < 0.4;
  const create = !setCode && r() < 0.15;
  const data = create ? g.program(1 + g.int(5), 1) : Uint8Array.from({ length: g.int(70) }, () => g.int(256));
  const type = setCode ? 4 : g.pick([0, 2, 2, 1] as const);
  const targets: Address[] = [COINBASE, EMPTY_ACCT, '0x0000000000000000000000000000000000000004', P256VERIFY, ...AUTHORITIES];
  const senderNonce = alloc[0][1].nonce!;
  const authorizationList: Authorization[] = [];
  if (setCode) {
    const n = 1 + g.int(3);
    for (let i = 0; i < n; i++) {
      const signer = g.int(AUTHORITY_KEYS.length);
      const expected = authorityNonces.get(AUTHORITIES[signer]) ?? 0n;
      const fields = {
        chainId: g.pick([1n, 1n, 0n, 2n]),
        address: g.pick([...CONTRACTS, ...CONTRACTS, ...AUTHORITIES, P256VERIFY, '0x0000000000000000000000000000000000000001', '0x0000000000000000000000000000000000000000'] as Address[]),
        nonce: r() < 0.75 ? expected : expected + BigInt(g.int(3)) - 1n,
      };
      if (fields.nonce < 0n) fields.nonce = 0n;
      const auth = authorization(g, fields, signer, r() < 0.1);
      authorizationList.push(auth);
      if (r() < 0.15) authorizationList.push(auth); // replayed: its nonce is stale the second time
    }
  }
  const tx: ExecTx = {
    hash: `0x${seed.toString(16).padStart(64, '0')}`,
    type,
    from: SENDER,
    to: create ? null : r() < (setCode ? 0.5 : 0.9) ? g.pick(CONTRACTS) : g.pick(targets),
    nonce: senderNonce,
    gasLimit: BigInt(60000 + g.int(400000)),
    value: r() < 0.5 ? 0n : BigInt(g.int(10000)),
    data,
    gasPrice: type < 2 ? 10n + BigInt(g.int(5)) : undefined,
    maxFeePerGas: type >= 2 ? 12n : undefined,
    maxPriorityFeePerGas: type >= 2 ? BigInt(g.int(4)) : undefined,
    accessList: type >= 1 && r() < 0.5 ? [{ address: CONTRACTS[0], storageKeys: [toWord(BigInt(g.int(5)))] }] : [],
    authorizationList: setCode ? authorizationList : undefined,
    chainId: 1n,
  };
  const env: BlockEnv = {
    fork,
    chainId: 1n,
    number: 1000n,
    timestamp: 1_700_000_000n,
    coinbase: r() < 0.2 ? CONTRACTS[1] : COINBASE,
    gasLimit: 30_000_000n,
    baseFee: 7n,
    prevRandao: `0x${'ab'.repeat(32)}` as Hex,
    excessBlobGas: 0n,
    recentBlockHashes: Array.from({ length: 256 }, (_, i) => `0x${(i + 1).toString(16).padStart(64, '0')}` as Hex),
  };
  return { state, tx, env };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe(`differential fuzz: native vs reference at ${FORKS.join(', ')} (seed ${SEED}, ${CASES} cases)`, () => {
  it('agrees on status, gas, return data, logs and post-state', async () => {
    const native = new NativeExecutor();
    const reference = new ReferenceExecutor();
    const batch: { state: WorldState; tx: ExecTx; env: BlockEnv }[] = [];
    for (let i = 0; i < CASES; i++) batch.push(buildCase(SEED * 1_000_003 + i));
    const failures: string[] = [];
    const setCode = batch.filter((b) => b.tx.type === 4).length;
    let delegations = 0;
    assert.ok(setCode >= CASES / 10, `only ${setCode} set-code transactions among ${CASES} cases`);
    for (let i = 0; i < batch.length; i++) {
      const { state, tx, env } = batch[i];
      const [want] = await reference.executeBatch(state, [tx], env);
      const [got] = await native.executeBatch(state, [tx], env);
      const where = `case ${i} at ${env.fork}${tx.type === 4 ? ', set-code' : ''} (FUZZ_SEED=${SEED}, seed ${SEED * 1_000_003 + i})`;
      try {
        assert.equal(got.kind, want.kind, 'kind');
        if (got.kind === 'executed' && want.kind === 'executed') {
          assert.equal(got.status, want.status, `status (native ${got.error}, reference ${want.error})`);
          assert.equal(got.gasUsed, want.gasUsed, 'gasUsed');
          assert.equal(hex(got.returnData), hex(want.returnData), 'returnData');
          assert.deepEqual(
            got.logs.map((l) => [l.address, l.topics, hex(l.data)]),
            want.logs.map((l) => [l.address, l.topics, hex(l.data)]),
            'logs',
          );
          assert.equal(got.coinbaseCredit, want.coinbaseCredit, 'coinbaseCredit');
          assert.equal(got.readsCoinbase, want.readsCoinbase, 'readsCoinbase');
          assert.equal(got.createdAddress, want.createdAddress, 'createdAddress');
          assert.equal(await postRoot(state, got, env.coinbase), await postRoot(state, want, env.coinbase), 'post-state root');
          if (got.changes.some((c) => c.code !== undefined && isDelegation(c.code))) delegations++;
          // Every key the reference wrote, the native executor reports as written too.
          for (const k of want.writes) assert.ok(got.writes.has(k), `write key ${k}`);
          // ... and every key the reference read (more reads only cost the scheduler conflicts, never safety).
          for (const k of want.reads) assert.ok(got.reads.has(k), `read key ${k}`);
        }
      } catch (e) {
        failures.push(`${where}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${CASES} cases differ:\n${failures.slice(0, 20).join('\n')}`);
    // The set-code cases do install delegations (not only tuples that get skipped).
    assert.ok(delegations >= setCode / 4, `${delegations} of ${setCode} set-code transactions installed a delegation`);
  });
});
