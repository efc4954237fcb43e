// debug_traceTransaction / debug_traceCall: re-execution on @ethereumjs/vm with a step hook, producing
// geth's struct logs (the default "opcode logger"; EIP-3155-style fields). Tracing stays on the reference
// EVM: struct logs and the call tracer need per-step and per-frame hooks the native kernels do not have
// (test/rpc/trace-agreement.test.ts checks that a traced run agrees with the native one).
import { maxTxGas } from '../../chain/config.js';
import { bigIntToHex, setLengthLeft, bigIntToBytes, bytesToHex as ejsBytesToHex } from '@ethereumjs/util';
import type { BlockEnv } from '../../executor/types.js';
import { bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../../primitives/types.js';
import type { StateReader } from '../../state/world-state.js';
import type { RpcContext } from '../context.js';
import { ErrorCode, RpcError, decodeRevertReason, invalidParams, serverError } from '../errors.js';
import { CallValidationError, ExecutionTimeoutError, type CallMessage } from '../call-message.js';
import { OverlayState } from '../overlay-state.js';
import type { ReferenceResult, Step } from '../reference-exec.js';
import type { RpcBlock, RpcTransaction } from '../node-api.js';
import { arity, blockNumberOrTag, blockSelector, hash, object, optBool } from '../params.js';
import { callArgs, stateOverrides } from './execution.js';
import type { Methods } from './types.js';

interface TraceOptions {
  tracer: 'struct' | 'call';
  onlyTopCall: boolean;
  disableStack: boolean;
  disableStorage: boolean;
  enableMemory: boolean;
  enableReturnData: boolean;
  limit: number;
}

function traceOptions(v: unknown, maxSteps: number): TraceOptions {
  const base = { tracer: 'struct' as const, onlyTopCall: false, disableStack: false, disableStorage: false, enableMemory: false, enableReturnData: false, limit: maxSteps };
  if (v === undefined) return base;
  const o = object(v, 'traceConfig');
  let tracer: TraceOptions['tracer'] = 'struct';
  let onlyTopCall = false;
  if (o.tracer === 'callTracer') {
    tracer = 'call';
    if (o.tracerConfig !== undefined && o.tracerConfig !== null) {
      const tc = object(o.tracerConfig, 'tracerConfig');
      onlyTopCall = optBool(tc.onlyTopCall, 'tracerConfig.onlyTopCall', false);
    }
  } else if (o.tracer !== undefined && o.tracer !== null && o.tracer !== '' && o.tracer !== 'structLogger') {
    throw invalidParams(`tracer ${JSON.stringify(o.tracer)} is not supported (the default struct logger and callTracer are)`);
  }
  const limit = o.limit === undefined || o.limit === null ? 0 : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 0) throw invalidParams('traceConfig.limit: expected non-negative integer');
  return {
    tracer,
    onlyTopCall,
    disableStack: optBool(o.disableStack, 'traceConfig.disableStack', false),
    disableStorage: optBool(o.disableStorage, 'traceConfig.disableStorage', false),
    enableMemory: optBool(o.enableMemory, 'traceConfig.enableMemory', false),
    enableReturnData: optBool(o.enableReturnData, 'traceConfig.enableReturnData', false),
    limit: limit === 0 || limit > maxSteps ? maxSteps : limit,
  };
}

const word = (n: bigint) => ejsBytesToHex(setLengthLeft(bigIntToBytes(n), 32)).slice(2);

/** Collects struct logs; SLOAD values are read from the state manager at the step, as geth does. */
class StructLogger {
  readonly logs: Record<string, unknown>[] = [];
  private readonly storage = new Map<string, Record<string, string>>();
  truncated = false;
  private lastReturnData = '0x';

  constructor(private readonly opts: TraceOptions) {}

  async step(s: Step & { stateManager?: { getStorage(a: unknown, k: Uint8Array): Promise<Uint8Array> } }): Promise<void> {
    if (this.logs.length >= this.opts.limit) {
      this.truncated = true;
      return;
    }
    const log: Record<string, unknown> = {
      pc: s.pc,
      op: s.opcode.name,
      gas: Number(s.gasLeft),
      gasCost: Number(s.opcode.dynamicFee ?? BigInt(s.opcode.fee)),
      depth: s.depth + 1,
    };
    if (!this.opts.disableStack) log.stack = s.stack.map((x) => bigIntToHex(x));
    if (this.opts.enableMemory) {
      const mem: string[] = [];
      for (let i = 0; i < s.memory.length; i += 32) mem.push(ejsBytesToHex(s.memory.subarray(i, i + 32)).slice(2).padEnd(64, '0'));
      log.memory = mem;
    }
    if (this.opts.enableReturnData) log.returnData = this.lastReturnData;
    if (s.gasRefund > 0n) log.refund = Number(s.gasRefund);
    if (!this.opts.disableStorage && (s.opcode.name === 'SLOAD' || s.opcode.name === 'SSTORE') && s.stack.length >= 1) {
      const addr = s.address.toString();
      let st = this.storage.get(addr);
      if (!st) this.storage.set(addr, (st = {}));
      const key = s.stack[s.stack.length - 1];
      if (s.opcode.name === 'SSTORE' && s.stack.length >= 2) {
        st[word(key)] = word(s.stack[s.stack.length - 2]);
      } else if (s.opcode.name === 'SLOAD' && s.stateManager) {
        const v = await s.stateManager.getStorage(s.address, setLengthLeft(bigIntToBytes(key), 32));
        st[word(key)] = word(v.length === 0 ? 0n : BigInt(ejsBytesToHex(v)));
      }
      log.storage = { ...st };
    }
    this.logs.push(log);
  }
}

interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  gas: string;
  gasUsed: string;
  input: string;
  output?: string;
  error?: string;
  revertReason?: string;
  calls?: CallFrame[];
}

interface EjsMessage {
  depth: number;
  caller: { toString(): string };
  to?: { toString(): string };
  _codeAddress?: { toString(): string };
  value: bigint;
  gasLimit: bigint;
  data: Uint8Array;
}

interface EjsResult {
  createdAddress?: { toString(): string };
  execResult: { executionGasUsed: bigint; returnValue: Uint8Array; exceptionError?: { error: string } };
}

const CALL_OPS = new Set(['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL', 'CREATE', 'CREATE2']);

/** geth's callTracer: the tree of call frames, each frame's type from the opcode that opened it. */
class CallTracer {
  root?: CallFrame;
  private readonly stack: CallFrame[] = [];
  private readonly opAtDepth: string[] = [];

  constructor(private readonly onlyTopCall: boolean) {}

  step(s: Step): void {
    if (CALL_OPS.has(s.opcode.name)) this.opAtDepth[s.depth] = s.opcode.name;
  }

  before(m: EjsMessage): void {
    const type = m.depth === 0 ? (m.to ? 'CALL' : 'CREATE') : (this.opAtDepth[m.depth - 1] ?? 'CALL');
    const frame: CallFrame = {
      type,
      from: (type === 'DELEGATECALL' ? (m.to ?? m.caller) : m.caller).toString(),
      to: type === 'DELEGATECALL' || type === 'CALLCODE' ? m._codeAddress?.toString() : m.to?.toString(),
      gas: bigIntToHex(m.gasLimit),
      gasUsed: '0x0',
      input: ejsBytesToHex(m.data),
    };
    if (type !== 'STATICCALL' && type !== 'DELEGATECALL') frame.value = bigIntToHex(m.value);
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) this.root = frame;
    else if (!this.onlyTopCall) (parent.calls ??= []).push(frame);
    this.stack.push(frame);
  }

  after(r: EjsResult): void {
    const frame = this.stack.pop();
    if (frame === undefined) return;
    const ex = r.execResult;
    frame.gasUsed = bigIntToHex(ex.executionGasUsed);
    if (r.createdAddress !== undefined && (frame.type === 'CREATE' || frame.type === 'CREATE2')) frame.to = r.createdAddress.toString();
    if (ex.returnValue.length > 0) frame.output = ejsBytesToHex(ex.returnValue);
    const err = ex.exceptionError?.error;
    if (err !== undefined) {
      frame.error = err === 'revert' ? 'execution reverted' : err;
      if (err === 'revert') {
        const reason = decodeRevertReason(ex.returnValue);
        if (reason !== undefined) frame.revertReason = reason;
      } else {
        delete frame.output;
      }
      if (frame.type === 'CREATE' || frame.type === 'CREATE2') delete frame.to;
    }
  }
}

async function trace(
  ctx: RpcContext,
  state: StateReader,
  env: BlockEnv,
  msg: CallMessage,
  opts: TraceOptions,
  mode: { checkNonce: boolean; noBaseFee: boolean },
  deadline: number,
): Promise<{ output: Record<string, unknown>; result: ReferenceResult }> {
  const logger = new StructLogger(opts);
  const calls = new CallTracer(opts.onlyTopCall);
  let result: ReferenceResult;
  try {
    result = await ctx.tracer.run(state, env, msg, {
      ...mode,
      deadline,
      allowContractSender: !mode.checkNonce,
      onStep: opts.tracer === 'struct' ? (s) => logger.step(s as never) : (s) => calls.step(s),
      onMessage: opts.tracer === 'call' ? { before: (m) => calls.before(m as EjsMessage), after: (r) => calls.after(r as EjsResult) } : undefined,
    });
  } catch (e) {
    if (e instanceof CallValidationError) throw serverError(e.message);
    if (e instanceof ExecutionTimeoutError) throw serverError(`execution aborted (timeout = ${ctx.limits.evmTimeoutMs / 1000}s)`);
    throw e;
  }
  if (opts.tracer === 'call') {
    const root = calls.root ?? { type: 'CALL', from: msg.from, to: msg.to ?? undefined, gas: '0x0', gasUsed: '0x0', input: bytesToHex(msg.data) };
    // The top frame carries the transaction's gas limit and total gas used (intrinsic included), as in geth.
    root.gas = bigIntToHex(msg.gas);
    root.gasUsed = bigIntToHex(result.gasUsed);
    return { output: root as unknown as Record<string, unknown>, result };
  }
  return {
    output: {
      gas: Number(result.gasUsed),
      failed: result.status !== 'success',
      returnValue: bytesToHex(result.returnData),
      structLogs: logger.logs,
      ...(logger.truncated ? { truncated: true } : {}),
    },
    result,
  };
}

export function messageOf(tx: RpcTransaction): CallMessage {
  if (tx.type > 2) throw new RpcError(ErrorCode.SERVER, `tracing transactions of type ${tx.type} is not supported`);
  return {
    from: tx.from,
    to: tx.to,
    gas: tx.gas,
    value: tx.value,
    data: hexToU8(tx.input),
    gasPrice: tx.type < 2 ? tx.gasPrice : undefined,
    maxFeePerGas: tx.type === 2 ? tx.maxFeePerGas : undefined,
    maxPriorityFeePerGas: tx.type === 2 ? tx.maxPriorityFeePerGas : undefined,
    accessList: tx.accessList,
    nonce: tx.nonce,
    type: tx.type as 0 | 1 | 2,
    hash: tx.hash,
  };
}

/** The state right before transaction `index` of block `n`: the parent's state plus the block's earlier transactions. */
async function stateBefore(ctx: RpcContext, n: bigint, txs: RpcTransaction[], index: number, deadline: number): Promise<{ state: StateReader; env: BlockEnv }> {
  const parent = n - 1n;
  // stateAt(head) too: the live state may already hold a block the producer has committed but not announced.
  const base = await ctx.node.stateAt(parent);
  if (!base) throw serverError(`historical state for block ${parent} is not available (required to trace block ${n})`);
  const env = await ctx.node.blockEnv(n);
  if (!env) throw serverError('header not found');
  const overlay = new OverlayState(base);
  for (let i = 0; i < index; i++) {
    try {
      const r = await ctx.tracer.run(overlay, env, messageOf(txs[i]), { checkNonce: true, noBaseFee: false, deadline });
      overlay.applyChanges(r.changes);
    } catch (e) {
      throw serverError(`replaying transaction ${i} of block ${n} failed: ${(e as Error).message}`);
    }
  }
  return { state: overlay, env };
}

/** Every transaction of a block, traced in order on the replayed state. */
async function traceBlock(ctx: RpcContext, block: RpcBlock, opts: TraceOptions): Promise<unknown[]> {
  if (block.header.number === 0n) return [];
  const deadline = Date.now() + ctx.limits.evmTimeoutMs;
  const { state, env } = await stateBefore(ctx, block.header.number, block.transactions, 0, deadline);
  const overlay = state as OverlayState;
  const out: unknown[] = [];
  for (const tx of block.transactions) {
    const { output, result } = await trace(ctx, overlay, env, messageOf(tx), opts, { checkNonce: true, noBaseFee: false }, deadline);
    overlay.applyChanges(result.changes);
    out.push({ txHash: tx.hash, result: output });
  }
  return out;
}

export const debugMethods: Methods = {
  debug_traceTransaction: async (p, { ctx }) => {
    arity(p, 1, 2);
    const h = hash(p[0], 'txHash');
    const opts = traceOptions(p[1], ctx.limits.maxTraceSteps);
    const tx = await ctx.node.getTransaction(h);
    if (!tx) throw serverError('transaction not found');
    if (tx.blockNumber === undefined) throw serverError('transaction not yet mined');
    const block = await ctx.node.getBlockByNumber(tx.blockNumber);
    if (!block) throw serverError('block not found');
    const index = tx.transactionIndex!;
    const deadline = Date.now() + ctx.limits.evmTimeoutMs;
    const { state, env } = await stateBefore(ctx, tx.blockNumber, block.transactions, index, deadline);
    return (await trace(ctx, state, env, messageOf(tx), opts, { checkNonce: true, noBaseFee: false }, deadline)).output;
  },
  debug_traceBlockByNumber: async (p, { ctx }) => {
    arity(p, 1, 2);
    const block = await ctx.resolveBlock(blockNumberOrTag(p[0], 'block'));
    if (!block) throw serverError('block not found');
    return traceBlock(ctx, block, traceOptions(p[1], ctx.limits.maxTraceSteps));
  },
  debug_traceBlockByHash: async (p, { ctx }) => {
    arity(p, 1, 2);
    const block = await ctx.node.getBlockByHash(hash(p[0], 'blockHash'));
    if (!block) throw serverError('block not found');
    return traceBlock(ctx, block, traceOptions(p[1], ctx.limits.maxTraceSteps));
  },
  debug_traceCall: async (p, { ctx }) => {
    arity(p, 1, 3);
    const args = callArgs(p[0], ctx);
    const sel = blockSelector(p[1], 'block');
    const cfg = p[2] === undefined ? undefined : object(p[2], 'traceConfig');
    const overrides = stateOverrides(cfg?.stateOverrides);
    const opts = traceOptions(cfg === undefined ? undefined : { ...cfg, stateOverrides: undefined, blockOverrides: undefined }, ctx.limits.maxTraceSteps);
    let state = await ctx.stateFor(sel);
    if (overrides.size > 0) {
      const o = new OverlayState(state);
      for (const [a, ov] of overrides) o.applyOverride(a, ov);
      state = o;
    }
    const env = await ctx.envFor(sel);
    // The reference EVM holds even a traced call to the per-transaction cap (EIP-7825 from Osaka).
    const txCap = maxTxGas(env);
    const cap = ctx.limits.gasCap > 0n && ctx.limits.gasCap < txCap ? ctx.limits.gasCap : txCap;
    const gas = args.gas === undefined || args.gas > cap ? cap : args.gas;
    const from: Address = args.from ?? toAddress('0x0000000000000000000000000000000000000000');
    return (await trace(ctx, state, env, { ...args, from, gas }, opts, { checkNonce: false, noBaseFee: true }, Date.now() + ctx.limits.evmTimeoutMs)).output;
  },
};

export type { Hex };
