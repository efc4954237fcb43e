// Point reads of the persisted state history: "the latest change at or before block n" per key, one index
// seek each. They are synchronous because executors read state synchronously (StateReader); each dialect
// supplies a SyncQueryRunner (better-sqlite3 is synchronous; PostgreSQL goes through pg-sync.ts).
import { KECCAK256_NULL_S } from '@ethereumjs/util';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Address, Hex } from '../primitives/types.js';
import type { StoredAccount } from './store.js';
import { bytesHex, hexBytes } from './hex-bytes.js';

/** Runs one read-only statement synchronously; rows come back with the dialect's column values. */
export interface SyncQueryRunner {
  all(sqlText: string, parameters: readonly unknown[]): Record<string, unknown>[];
}

/** The state after a kept block, read from the history tables. */
export interface StateHistoryReads {
  account(address: Address, n: bigint): StoredAccount | null;
  storage(address: Address, slot: Hex, n: bigint): bigint;
  /** Whether the account has any non-zero slot after block n. */
  hasStorage(address: Address, n: bigint): boolean;
  code(hash: Hex): Uint8Array;
  /** Every account alive after block n with its non-zero slots (rebuilding the tries for proofs). */
  dump(n: bigint): { account: StoredAccount; storage: Map<Hex, bigint> }[];
}

// Placeholders (?, $1 ...) come from the dialect: each statement is compiled once with markers and then
// run with fresh parameters in the same order.
const A = 'addr';
const S = 'slot';
const N = -1;

/** Block of the account's last storage wipe at or before n (-1 when none). */
const lastReset = (address: string, n: number) =>
  sql`COALESCE((SELECT MAX(r.block) FROM storage_resets r WHERE r.address = ${address} AND r.block <= ${n}), -1)`;

const STATEMENTS = {
  account: (db: Kysely<unknown>) =>
    sql`SELECT nonce, balance, code_hash FROM account_history WHERE address = ${A} AND block <= ${N} ORDER BY block DESC LIMIT 1`.compile(db),
  storage: (db: Kysely<unknown>) =>
    sql`SELECT h.value FROM storage_history h WHERE h.address = ${A} AND h.slot = ${S} AND h.block <= ${N}
          AND h.block >= ${lastReset(A, N)} ORDER BY h.block DESC LIMIT 1`.compile(db),
  hasStorage: (db: Kysely<unknown>) =>
    sql`SELECT 1 AS found FROM storage_history h WHERE h.address = ${A} AND h.block <= ${N} AND h.block >= ${lastReset(A, N)} AND h.value <> '0'
          AND h.block = (SELECT MAX(h2.block) FROM storage_history h2 WHERE h2.address = h.address AND h2.slot = h.slot AND h2.block <= ${N}) LIMIT 1`.compile(db),
  code: (db: Kysely<unknown>) => sql`SELECT code FROM code WHERE hash = ${A}`.compile(db),
  dumpAccounts: (db: Kysely<unknown>) =>
    sql`SELECT h.address, h.nonce, h.balance, h.code_hash FROM account_history h WHERE h.block <= ${N} AND h.nonce IS NOT NULL
          AND h.block = (SELECT MAX(h2.block) FROM account_history h2 WHERE h2.address = h.address AND h2.block <= ${N})`.compile(db),
  dumpStorage: (db: Kysely<unknown>) =>
    sql`SELECT h.address, h.slot, h.value FROM storage_history h WHERE h.block <= ${N} AND h.value <> '0'
          AND h.block >= COALESCE((SELECT MAX(r.block) FROM storage_resets r WHERE r.address = h.address AND r.block <= ${N}), -1)
          AND h.block = (SELECT MAX(h2.block) FROM storage_history h2 WHERE h2.address = h.address AND h2.slot = h.slot AND h2.block <= ${N})`.compile(db),
} satisfies Record<string, (db: Kysely<unknown>) => ReturnType<RawBuilder<unknown>['compile']>>;

type Compiled = { [K in keyof typeof STATEMENTS]: { sql: string; order: ('a' | 's' | 'n')[] } };

/** Which marker each placeholder stands for, in order. */
function orderOf(parameters: readonly unknown[]): ('a' | 's' | 'n')[] {
  return parameters.map((p) => (p === A ? 'a' : p === S ? 's' : 'n'));
}

const u8 = (b: unknown): Uint8Array => {
  const buf = b as Buffer;
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
};

export class SqlStateHistoryReads implements StateHistoryReads {
  private readonly compiled: Compiled;

  constructor(
    db: Kysely<unknown>,
    private readonly runner: SyncQueryRunner,
  ) {
    const out: Partial<Compiled> = {};
    for (const [name, build] of Object.entries(STATEMENTS) as [keyof Compiled, (db: Kysely<unknown>) => { sql: string; parameters: readonly unknown[] }][]) {
      const c = build(db);
      out[name] = { sql: c.sql, order: orderOf(c.parameters) };
    }
    this.compiled = out as Compiled;
  }

  /** Runs a statement; `a` and `s` are bytes (history keys), or hex text for the code table's hash. */
  private rows(name: keyof Compiled, args: { a?: Uint8Array | string; s?: Uint8Array; n?: bigint }): Record<string, unknown>[] {
    const c = this.compiled[name];
    return this.runner.all(
      c.sql,
      c.order.map((k) => (k === 'n' ? Number(args.n) : args[k])),
    );
  }

  account(address: Address, n: bigint): StoredAccount | null {
    const [r] = this.rows('account', { a: hexBytes(address), n });
    if (r === undefined || r.nonce === null) return null;
    return { address, nonce: BigInt(r.nonce as string), balance: BigInt(r.balance as string), codeHash: r.code_hash as Hex };
  }

  storage(address: Address, slot: Hex, n: bigint): bigint {
    const [r] = this.rows('storage', { a: hexBytes(address), s: hexBytes(slot), n });
    return r === undefined ? 0n : BigInt(r.value as string);
  }

  hasStorage(address: Address, n: bigint): boolean {
    return this.rows('hasStorage', { a: hexBytes(address), n }).length > 0;
  }

  code(hash: Hex): Uint8Array {
    // Accounts without code are not given a code row.
    if (hash === KECCAK256_NULL_S) return new Uint8Array(0);
    const [r] = this.rows('code', { a: hash });
    if (r === undefined) throw new Error(`code ${hash} is not in the store`);
    return u8(r.code);
  }

  dump(n: bigint): { account: StoredAccount; storage: Map<Hex, bigint> }[] {
    const storage = new Map<string, Map<Hex, bigint>>();
    for (const r of this.rows('dumpStorage', { n })) {
      const address = bytesHex(r.address as Uint8Array);
      let m = storage.get(address);
      if (m === undefined) storage.set(address, (m = new Map()));
      m.set(bytesHex(r.slot as Uint8Array) as Hex, BigInt(r.value as string));
    }
    return this.rows('dumpAccounts', { n }).map((r) => {
      const address = bytesHex(r.address as Uint8Array) as Address;
      return {
        account: { address, nonce: BigInt(r.nonce as string), balance: BigInt(r.balance as string), codeHash: r.code_hash as Hex },
        storage: storage.get(address) ?? new Map(),
      };
    });
  }
}
