// debug_traceTransaction / debug_traceCall: re-execution on @ethereumjs/vm with a step hook, producing
// geth's struct logs (the default "opcode logger"; EIP-3155-style fields).
import { bigIntToHex, setLengthLeft, bigIntToBytes, bytesToHex as ejsBytesToHex } from '@ethereumjs/util';
import type { BlockEnv } from '../../executor/types.js';
import { bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../../primitives/types.js';
import type { StateReader } from '../../state/world-state.js';
import type { RpcContext } from '../context.js';
import { ErrorCode, RpcError, invalidParams, serverError } from '../errors.js';
import { CallValidationError, ExecutionTimeoutError, OverlayState, type CallMessage, type CallResult, type Step } from '../exec.js';
import type { RpcTransaction } from '../node-api.js';
import { arity, blockSelector, hash, object, optBool } from '../params.js';
import { callArgs, stateOverrides } from './execution.js';
import type { Methods } from './types.js';

interface TraceOptions {
  disableStack: boolean;
  disableStorage: boolean;
  enableMemory: boolean;
  enableReturnData: boolean;
  limit: number;
}

function traceOptions(v: unknown, maxSteps: number): TraceOptions {
  if (v === undefined) return { disableStack: false, disableStorage: false, enableMemory: false, enableReturnData: false, limit: maxSteps };
  const o = object(v, 'traceConfig');
  if (o.tracer !== undefined && o.tracer !== null && o.tracer !== '' && o.tracer !== 'structLogger') {
    throw invalidParams(`tracer ${JSON.stringify(o.tracer)} is not supported (only the default struct logger)`);
  }
  const limit = o.limit === undefined || o.limit === null ? 0 : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 0) throw invalidParams('traceConfig.limit: expected non-negative integer');
  return {
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

async function trace(
  ctx: RpcContext,
  state: StateReader,
  env: BlockEnv,
  msg: CallMessage,
  opts: TraceOptions,
  mode: { checkNonce: boolean; noBaseFee: boolean },
  deadline: number,
): Promise<Record<string, unknown>> {
  const logger = new StructLogger(opts);
  let result: CallResult;
  try {
    result = await ctx.exec.run(state, env, msg, { ...mode, deadline, onStep: (s) => logger.step(s as never) });
  } catch (e) {
    if (e instanceof CallValidationError) throw serverError(e.message);
    if (e instanceof ExecutionTimeoutError) throw serverError(`execution aborted (timeout = ${ctx.limits.evmTimeoutMs / 1000}s)`);
    throw e;
  }
  return {
    gas: Number(result.gasUsed),
    failed: result.status !== 'success',
    returnValue: bytesToHex(result.returnData),
    structLogs: logger.logs,
    ...(logger.truncated ? { truncated: true } : {}),
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
  const base = parent === ctx.node.headNumber() ? ctx.node.latestState() : await ctx.node.stateAt(parent);
  if (!base) throw serverError(`historical state for block ${parent} is not available (required to trace block ${n})`);
  const env = await ctx.node.blockEnv(n);
  if (!env) throw serverError('header not found');
  const overlay = new OverlayState(base);
  for (let i = 0; i < index; i++) {
    try {
      const r = await ctx.exec.run(overlay, env, messageOf(txs[i]), { checkNonce: true, noBaseFee: false, deadline });
      overlay.applyChanges(r.changes);
    } catch (e) {
      throw serverError(`replaying transaction ${i} of block ${n} failed: ${(e as Error).message}`);
    }
  }
  return { state: overlay, env };
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
    return trace(ctx, state, env, messageOf(tx), opts, { checkNonce: true, noBaseFee: false }, deadline);
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
    const cap = ctx.limits.gasCap;
    const gas = args.gas === undefined || args.gas > cap ? cap : args.gas;
    const from: Address = args.from ?? toAddress('0x0000000000000000000000000000000000000000');
    return trace(ctx, state, env, { ...args, from, gas }, opts, { checkNonce: false, noBaseFee: true }, Date.now() + ctx.limits.evmTimeoutMs);
  },
};

export type { Hex };
