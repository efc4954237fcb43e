// Off-chain execution for debug_trace*: @ethereumjs/vm (the reference executor's engine) over a read-only
// state snapshot, with an overlay for replaying a block's earlier transactions. Struct logs and the call
// tracer need per-step and per-frame hooks, which the native EVM does not offer; eth_call, estimateGas and
// access lists run on the native EVM (exec.ts). Nothing here changes the node's state.
import { createTx, type TypedTransaction } from '@ethereumjs/tx';
import { Account, Address as EjsAddress, KECCAK256_NULL, createAddressFromString } from '@ethereumjs/util';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { commonFor } from '../chain/common.js';
import { RecordingStateManager } from '../executor/reference/recording-state.js';
import { makeBlock, recentBlockHash } from '../executor/reference/reference-executor.js';
import type { AccountChange, BlockEnv } from '../executor/types.js';
import { EMPTY_BYTES, bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../primitives/types.js';
import { hashCode, type StateReader } from '../state/world-state.js';
import { CallValidationError, ExecutionTimeoutError, type CallMessage, type CallResult } from './call-message.js';

/** A reference run: also what it changed and read (replaying a block's earlier transactions before a trace). */
export interface ReferenceResult extends CallResult {
  changes: AccountChange[];
  /** State keys read (executor/types.ts AccessKey format). */
  reads: Set<string>;
}

/** Every this many JUMP/JUMPIs, a run yields to the event loop and checks its deadline. */
const JUMPS_PER_SLICE = 1024;

/** Interpreter step, as debug tracers see it (a subset of @ethereumjs/evm's InterpreterStep). */
export interface Step {
  pc: number;
  gasLeft: bigint;
  gasRefund: bigint;
  opcode: { name: string; fee: number; dynamicFee?: bigint; code: number };
  stack: bigint[];
  depth: number;
  memory: Uint8Array;
  address: EjsAddress;
  error?: Uint8Array;
}

interface Instance {
  vm: VM;
  state: RecordingStateManager;
  env?: BlockEnv;
  /** Deadline (ms since epoch) of the run in progress, and its jump counter. */
  budget?: { deadline: number; jumps: number };
}

export interface RunOptions {
  checkNonce?: boolean;
  onStep?: (step: Step) => void | Promise<void>;
  /** EVM message hooks (call tracer): before each call frame starts and after it ends. */
  onMessage?: { before(message: unknown): void; after(result: unknown): void };
  noBaseFee?: boolean;
  /** Absolute deadline, ms since epoch (default: none). */
  deadline?: number;
  /**
   * Let an account with code be the sender (geth skips EIP-3607 for eth_call / estimateGas, so that
   * contract wallets such as Safe can simulate their own calls).
   */
  allowContractSender?: boolean;
}

/** Runs messages on @ethereumjs/vm. Instances are pooled: one VM serves one run at a time. */
export class ReferenceCallExecutor {
  private readonly idle: Instance[] = [];
  /** Runs in progress, and runs waiting for a slot (a batch of 1000 eth_calls must not build 1000 VMs). */
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Most runs in flight at once (they interleave on the event loop, see installJumpBudget). */
  maxConcurrent = 8;

  constructor(
    private readonly chainId: bigint,
    /** BLOCKHASH source for blocks that env.recentBlockHashes does not list. */
    private readonly blockHash: (n: bigint) => Promise<Hex | undefined> = async () => undefined,
  ) {}

  async run(snapshot: StateReader, env: BlockEnv, msg: CallMessage, opts: RunOptions = {}): Promise<ReferenceResult> {
    if (this.active >= this.maxConcurrent) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      if (opts.deadline !== undefined && Date.now() > opts.deadline) throw new ExecutionTimeoutError('execution aborted (timeout)');
      return await this.runSlot(snapshot, env, msg, opts);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async runSlot(snapshot: StateReader, env: BlockEnv, msg: CallMessage, opts: RunOptions): Promise<ReferenceResult> {
    const inst = this.idle.pop() ?? (await this.create());
    let reusable = true;
    inst.budget = { deadline: opts.deadline ?? Infinity, jumps: 0 };
    try {
      return await this.runOn(inst, snapshot, env, msg, opts);
    } catch (e) {
      // An aborted run may leave the VM's journal mid-transaction: do not reuse it.
      if (e instanceof ExecutionTimeoutError) reusable = false;
      throw e;
    } finally {
      unmaskSenderCode(inst.state);
      inst.vm.evm.events?.removeAllListeners('step');
      inst.vm.evm.events?.removeAllListeners('beforeMessage');
      inst.vm.evm.events?.removeAllListeners('afterMessage');
      inst.env = undefined;
      inst.budget = undefined;
      if (reusable && this.idle.length < 8) this.idle.push(inst);
    }
  }

  private async runOn(inst: Instance, snapshot: StateReader, env: BlockEnv, msg: CallMessage, opts: RunOptions): Promise<ReferenceResult> {
    const { vm, state } = inst;
    state.reset(snapshot);
    inst.env = env;
    const fees = msg.gasPrice ?? msg.maxFeePerGas ?? 0n;
    // geth (NoBaseFee): a call without any fee field runs with BASEFEE 0 so that it cannot fail on the fee cap.
    const baseFee = opts.noBaseFee && fees === 0n && (msg.maxPriorityFeePerGas ?? 0n) === 0n ? 0n : env.baseFee;
    const block = makeBlock(vm, { ...env, baseFee });
    const sender = msg.from;
    const nonce = msg.nonce ?? snapshot.getAccount(sender)?.nonce ?? 0n;
    const tx = makeTx(vm, msg, nonce, sender);
    if (opts.allowContractSender) maskSenderCode(state, snapshot, sender);
    if (opts.onStep) {
      const onStep = opts.onStep;
      vm.evm.events!.on('step', (step: unknown, resolve?: (r?: unknown) => void) => {
        void Promise.resolve(onStep(step as Step)).then(
          () => resolve?.(),
          () => resolve?.(),
        );
      });
    }
    if (opts.onMessage) {
      const hooks = opts.onMessage;
      vm.evm.events!.on('beforeMessage', (m: unknown, resolve?: (r?: unknown) => void) => {
        hooks.before(m);
        resolve?.();
      });
      vm.evm.events!.on('afterMessage', (r: unknown, resolve?: (r?: unknown) => void) => {
        hooks.after(r);
        resolve?.();
      });
    }
    let result;
    try {
      result = await runTx(vm, {
        tx,
        block,
        skipNonce: !(opts.checkNonce ?? false),
        skipBlockGasLimitValidation: true,
        skipHardForkValidation: true,
      });
    } catch (e) {
      if (e instanceof ExecutionTimeoutError) throw e;
      throw new CallValidationError(gethMessage((e as Error).message));
    }
    const exec = result.execResult;
    const error = exec.exceptionError?.error;
    const refund = result.gasRefund ?? 0n;
    return {
      status: error === undefined ? 'success' : error === 'revert' ? 'revert' : 'halt',
      error,
      gasUsed: result.totalGasSpent,
      gasUsedBeforeRefund: result.totalGasSpent + (refund < result.totalGasSpent / 4n ? refund : result.totalGasSpent / 4n),
      returnData: exec.returnValue ?? EMPTY_BYTES,
      logs: (exec.logs ?? []).map(([address, topics, data]) => ({
        address: toAddress(address),
        topics: topics.map((t) => bytesToHex(t) as Hex),
        data,
      })),
      createdAddress: result.createdAddress ? toAddress(result.createdAddress.toString()) : undefined,
      changes: state.changes(),
      reads: state.reads,
    };
  }

  private async create(): Promise<Instance> {
    const state = new RecordingStateManager();
    const inst: Instance = { vm: undefined as unknown as VM, state };
    const blockchain = {
      getBlock: async (n: number) => {
        let h = recentBlockHash(inst.env, n);
        if (h === undefined && inst.env !== undefined && BigInt(n) < inst.env.number && inst.env.number - BigInt(n) <= 256n) {
          const found = await this.blockHash(BigInt(n));
          if (found !== undefined) h = hexToU8(found);
        }
        const hash = h ?? new Uint8Array(32);
        return { hash: () => hash };
      },
    };
    inst.vm = await createVM({ common: commonFor(this.chainId), stateManager: state, blockchain: blockchain as never });
    installJumpBudget(inst);
    return inst;
  }
}

/**
 * EIP-3607 for calls: until the VM writes the sender back (after charging it, before executing), reads of
 * the sender show an empty code hash, so runTx's "sender not an EOA" check passes; writes of the sender
 * get the real code hash back, so its code stays callable during execution.
 */
function maskSenderCode(state: RecordingStateManager, snapshot: StateReader, sender: Address): void {
  const real = snapshot.getAccount(sender)?.codeHash;
  if (real === undefined || real === hashCode(EMPTY_BYTES)) return;
  const realBytes = hexToU8(real);
  const proto = RecordingStateManager.prototype;
  let masking = true;
  const s = state as unknown as { getAccount: typeof proto.getAccount; putAccount: typeof proto.putAccount };
  s.getAccount = async (address) => {
    const acc = await proto.getAccount.call(state, address);
    if (!masking || acc === undefined || address.toString() !== sender) return acc;
    return new Account(acc.nonce, acc.balance, acc.storageRoot, KECCAK256_NULL);
  };
  s.putAccount = async (address, account) => {
    // runTx writes its (masked) sender object back more than once: every write gets the real hash.
    if (account !== undefined && address.toString() === sender && account.codeHash.every((b, i) => b === KECCAK256_NULL[i])) {
      masking = false;
      account = new Account(account.nonce, account.balance, account.storageRoot, realBytes);
    }
    return proto.putAccount.call(state, address, account);
  };
}

function unmaskSenderCode(state: RecordingStateManager): void {
  const s = state as unknown as Record<string, unknown>;
  delete s.getAccount;
  delete s.putAccount;
}

/**
 * Every loop in EVM code goes through JUMP or JUMPI: wrapping those two handlers (in this VM's own opcode
 * map only) lets a long eth_call yield to the event loop every JUMPS_PER_SLICE jumps, so the node keeps
 * serving and sealing, and stop at its deadline (geth's --rpc.evmtimeout).
 */
function installJumpBudget(inst: Instance): void {
  const evm = inst.vm.evm as unknown as { _opcodeMap: OpcodeEntry[] };
  const map = evm._opcodeMap.slice();
  for (const code of [0x56, 0x57]) {
    const entry = map[code];
    const info = Object.freeze(Object.assign(Object.create(Object.getPrototypeOf(entry.opcodeInfo)), entry.opcodeInfo, { isAsync: true }));
    map[code] = {
      ...entry,
      opcodeInfo: info,
      opHandler: async (runState: unknown, common: unknown) => {
        const b = inst.budget;
        if (b !== undefined && ++b.jumps % JUMPS_PER_SLICE === 0) {
          if (Date.now() > b.deadline) throw new ExecutionTimeoutError('execution aborted (timeout)');
          await new Promise<void>((r) => setImmediate(r));
        }
        return entry.opHandler(runState, common);
      },
    };
  }
  evm._opcodeMap = map;
}

interface OpcodeEntry {
  opcodeInfo: object;
  opHandler: (runState: unknown, common: unknown) => unknown;
  gasHandler?: unknown;
}

function makeTx(vm: VM, msg: CallMessage, nonce: bigint, sender: Address): TypedTransaction {
  if (msg.authorizationList) throw new CallValidationError('traced calls with an authorizationList (EIP-7702) are not supported; send the set-code transaction and trace it');
  const type = msg.type ?? (msg.maxFeePerGas !== undefined || msg.maxPriorityFeePerGas !== undefined ? 2 : msg.accessList?.length ? 1 : 0);
  const fields: Record<string, unknown> = {
    type,
    nonce,
    gasLimit: msg.gas,
    to: msg.to ?? undefined,
    value: msg.value,
    data: msg.data,
    accessList: type === 0 ? undefined : (msg.accessList ?? []),
    chainId: vm.common.chainId(),
  };
  if (type === 2) {
    fields.maxFeePerGas = msg.maxFeePerGas ?? msg.maxPriorityFeePerGas ?? 0n;
    fields.maxPriorityFeePerGas = msg.maxPriorityFeePerGas ?? 0n;
  } else {
    fields.gasPrice = msg.gasPrice ?? 0n;
  }
  const tx = createTx(fields as never, { common: vm.common, freeze: false, allowUnlimitedInitCodeSize: false });
  const from = createAddressFromString(sender);
  const hash = msg.hash ? hexToU8(msg.hash) : new Uint8Array(32);
  Object.assign(tx, { getSenderAddress: (): EjsAddress => from, isSigned: () => true, hash: () => hash });
  return tx;
}

/** @ethereumjs/vm's validation messages, reworded the way geth says them (wallets match on these). */
export function gethMessage(msg: string): string {
  const m = msg.replace(/ -> .*$/s, '').replace(/\s*\(block .*$/s, '');
  if (/enough funds/.test(m)) return 'insufficient funds for gas * price + value';
  if (/INTRINSIC_GAS_TOO_LOW|lower than the minimum gas limit/.test(m)) return 'intrinsic gas too low';
  if (/less than the block's baseFeePerGas/.test(m)) return 'max fee per gas less than block base fee';
  if (/correct nonce/.test(m)) return m.includes('tx has nonce of') ? nonceMessage(m) : 'invalid nonce';
  if (/not EOA/.test(m)) return 'sender not an eoa';
  if (/maxFeePerGas cannot be less than maxPriorityFeePerGas|max priority fee per gas higher than max fee per gas/i.test(m)) {
    return 'max priority fee per gas higher than max fee per gas';
  }
  if (/initcode|initCode/i.test(m)) return 'max initcode size exceeded';
  return m;
}

function nonceMessage(m: string): string {
  const a = /account has nonce of: (\d+) tx has nonce of: (\d+)/.exec(m);
  if (!a) return 'invalid nonce';
  return BigInt(a[2]) < BigInt(a[1]) ? `nonce too low: address has nonce ${a[1]}, tx has ${a[2]}` : `nonce too high: address has nonce ${a[1]}, tx has ${a[2]}`;
}
