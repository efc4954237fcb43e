// Pipelined production executes block N+1 while block N's state root (so its hash) is still being computed.
// The only thing N+1's execution can read of N's hash is BLOCKHASH(N) (prevRandao is chained from the
// parent's mixHash: block/builder.ts). Until the hash is known, env.recentBlockHashes[0] holds a placeholder,
// and an execution that may have read it is held back by the scheduler (ExecutionGate) and re-run with the
// real hash: one that ran code containing BLOCKHASH, or CREATE/CREATE2 (init code built in memory cannot be
// scanned), or that creates a contract from its own data. Ordinary transfers and token calls never wait.
// From Prague the block also starts by storing the parent's hash in the EIP-2935 history contract: that one
// storage write is applied once the hash is known (onKnown), and an execution that touched the contract
// before that is held like a BLOCKHASH reader. Nothing else can see the write, so the state is the same as
// with the write applied first.
import type { BlockEnv, ExecTx, TxExecuted } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import type { ExecutionGate } from '../scheduler/scheduler.js';
import type { StateReader } from '../state/world-state.js';

const OP_BLOCKHASH = 0x40;
const OP_CREATE = 0xf0;
const OP_CREATE2 = 0xf5;
const OP_PUSH1 = 0x60;
const OP_PUSH32 = 0x7f;

/** Whether code holds BLOCKHASH, CREATE or CREATE2 as an instruction (PUSH data skipped). */
export function codeMayReadBlockHash(code: Uint8Array): boolean {
  for (let pc = 0; pc < code.length; pc++) {
    const op = code[pc];
    if (op === OP_BLOCKHASH || op === OP_CREATE || op === OP_CREATE2) return true;
    if (op >= OP_PUSH1 && op <= OP_PUSH32) pc += op - OP_PUSH1 + 1;
  }
  return false;
}

/** codeMayReadBlockHash per code hash, kept across blocks (contracts are few; cleared when it grows past `capacity`). */
export class BlockHashReaders {
  private readonly byCodeHash = new Map<Hex, boolean>();
  constructor(private readonly capacity = 65_536) {}

  mayRead(codeHash: Hex, code: Uint8Array): boolean {
    let v = this.byCodeHash.get(codeHash);
    if (v === undefined) {
      if (this.byCodeHash.size >= this.capacity) this.byCodeHash.clear();
      v = codeMayReadBlockHash(code);
      this.byCodeHash.set(codeHash, v);
    }
    return v;
  }
}

/** Placeholder for the parent's hash in env.recentBlockHashes until it is known. */
export const UNKNOWN_PARENT_HASH: Hex = `0x${'00'.repeat(32)}`;

export class ParentHashGate implements ExecutionGate {
  private applied = false;
  private readonly hash: Promise<Hex>;

  /**
   * `env.recentBlockHashes[0]` is the placeholder; `parentHash` resolves to the parent's hash once built.
   * `onKnown` applies what else depends on it (the EIP-2935 write); `watched`: accounts an execution must not
   * have touched before then.
   */
  constructor(
    private readonly env: BlockEnv,
    parentHash: Promise<Hex>,
    private readonly readers: BlockHashReaders,
    private readonly onKnown: (hash: Hex) => void = () => {},
    private readonly watched: ReadonlySet<Address> = new Set(),
  ) {
    this.hash = parentHash;
    this.hash.catch(() => {});
  }

  /** The hash is in the environment (applied at a round boundary, in wait()). */
  get open(): boolean {
    return this.applied;
  }

  /** For an execution that started before the gate opened: whether it may have read the placeholder. */
  holds(tx: ExecTx, outcome: TxExecuted, state: StateReader): boolean {
    if (tx.to === null) return true;
    const seen = new Set<Address>();
    for (const key of outcome.reads) {
      // Every account whose code ran was read (a:, c:, b:, n: or s:<address>...).
      const address = key.slice(2, 44) as Address;
      if (seen.has(address)) continue;
      seen.add(address);
      if (this.watched.has(address)) return true;
      const account = state.getAccount(address);
      if (account !== undefined && account.code.length > 0 && this.readers.mayRead(account.codeHash, account.code)) return true;
    }
    return false;
  }

  /**
   * Waits for the parent's hash, puts it in env.recentBlockHashes[0] and runs onKnown (once); rejects when
   * the parent failed to seal. Called between rounds, never while an execution reads the state.
   */
  async wait(): Promise<void> {
    const hash = await this.hash;
    if (this.applied) return;
    this.env.recentBlockHashes[0] = hash;
    this.onKnown(hash);
    this.applied = true;
  }
}
