// eth_call, eth_estimateGas and eth_createAccessList on the native EVM over the selected state, with geth's
// semantics: no nonce check, BASEFEE 0 when no fee is given, gas capped by the server's gas cap, state
// overrides, reverts as code 3 with the revert bytes, estimateGas as a binary search over real executions.
import type { Authorization, BlockEnv } from '../../executor/types.js';
import { blockFork, maxTxGas } from '../../chain/config.js';
import { FORK_IDS } from '../../chain/forks.js';
import { loadAddon } from '../../native/addon.js';
import { ZERO_ADDRESS, hexToU8, type Address, type Hex } from '../../primitives/types.js';
import { CallValidationError, ExecutionTimeoutError, type CallMessage, type CallResult } from '../call-message.js';
import type { RpcContext } from '../context.js';
import { invalidParams, revertError, serverError } from '../errors.js';
import type { CallSetting, NativeCallResult } from '../exec.js';
import type { AccountOverride } from '../overlay-state.js';
import { q } from '../format.js';
import { address, arity, blockSelector, data, hash, object, optQuantity, quantity, storageKey, type BlockSelector } from '../params.js';
import { bytesToHex } from '../../primitives/types.js';
import type { Methods } from './types.js';

export interface CallArgs {
  from?: Address;
  to: Address | null;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value: bigint;
  data: Uint8Array;
  nonce?: bigint;
  accessList?: { address: Address; storageKeys: Hex[] }[];
  /** EIP-7702 signed tuples: the call runs as a set-code transaction (the kernels recover and check them). */
  authorizationList?: Authorization[];
}

/** Parses a transaction call object (eth_call, eth_estimateGas, debug_traceCall). */
export function callArgs(v: unknown, ctx: RpcContext, name = 'transaction'): CallArgs {
  const o = object(v, name);
  // Unknown fields are ignored, as geth does (wallets send extras such as "blobs").
  const input = o.input !== undefined && o.input !== null ? data(o.input, `${name}.input`) : undefined;
  const dataField = o.data !== undefined && o.data !== null ? data(o.data, `${name}.data`) : undefined;
  if (input !== undefined && dataField !== undefined && input !== dataField) {
    throw invalidParams(`both "data" and "input" are set and not equal. Please use "input" to pass transaction call data`);
  }
  const gasPrice = optQuantity(o.gasPrice, `${name}.gasPrice`);
  const maxFeePerGas = optQuantity(o.maxFeePerGas, `${name}.maxFeePerGas`);
  const maxPriorityFeePerGas = optQuantity(o.maxPriorityFeePerGas, `${name}.maxPriorityFeePerGas`);
  if (gasPrice !== undefined && (maxFeePerGas !== undefined || maxPriorityFeePerGas !== undefined)) {
    throw invalidParams('both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified');
  }
  if (maxFeePerGas !== undefined && maxPriorityFeePerGas !== undefined && maxPriorityFeePerGas > maxFeePerGas) {
    throw invalidParams(`maxFeePerGas (${maxFeePerGas}) < maxPriorityFeePerGas (${maxPriorityFeePerGas})`);
  }
  const chainId = optQuantity(o.chainId, `${name}.chainId`);
  if (chainId !== undefined && chainId !== ctx.node.chainId) throw invalidParams(`chainId does not match node's (have=${chainId}, want=${ctx.node.chainId})`);
  if (o.type !== undefined && o.type !== null) quantity(o.type, `${name}.type`, 0xffn);
  let accessList: CallArgs['accessList'];
  if (o.accessList !== undefined && o.accessList !== null) {
    if (!Array.isArray(o.accessList)) throw invalidParams(`${name}.accessList: expected array`);
    accessList = o.accessList.map((item, i) => {
      const it = object(item, `${name}.accessList[${i}]`);
      const keys = it.storageKeys ?? [];
      if (!Array.isArray(keys)) throw invalidParams(`${name}.accessList[${i}].storageKeys: expected array`);
      return { address: address(it.address, `${name}.accessList[${i}].address`), storageKeys: keys.map((k, j) => hash(k, `${name}.accessList[${i}].storageKeys[${j}]`)) };
    });
  }
  let authorizationList: Authorization[] | undefined;
  if (o.authorizationList !== undefined && o.authorizationList !== null) {
    if (!Array.isArray(o.authorizationList)) throw invalidParams(`${name}.authorizationList: expected array`);
    authorizationList = o.authorizationList.map((item, i) => authorization(item, `${name}.authorizationList[${i}]`));
  }
  return {
    from: o.from !== undefined && o.from !== null ? address(o.from, `${name}.from`) : undefined,
    to: o.to !== undefined && o.to !== null ? address(o.to, `${name}.to`) : null,
    gas: optQuantity(o.gas, `${name}.gas`, (1n << 64n) - 1n),
    gasPrice,
    maxFeePerGas,
    maxPriorityFeePerGas,
    value: optQuantity(o.value, `${name}.value`) ?? 0n,
    data: hexToU8(input ?? dataField ?? '0x'),
    nonce: optQuantity(o.nonce, `${name}.nonce`, (1n << 64n) - 1n),
    accessList,
    authorizationList,
  };
}

/** One signed EIP-7702 tuple as geth's JSON has it: { chainId, address, nonce, yParity, r, s }. */
function authorization(v: unknown, name: string): Authorization {
  const it = object(v, name);
  return {
    chainId: quantity(it.chainId, `${name}.chainId`),
    address: address(it.address, `${name}.address`),
    nonce: quantity(it.nonce, `${name}.nonce`, (1n << 64n) - 1n),
    yParity: quantity(it.yParity, `${name}.yParity`, 0xffn),
    r: quantity(it.r, `${name}.r`),
    s: quantity(it.s, `${name}.s`),
  };
}

/** geth's state override set: { address: { balance, nonce, code, state | stateDiff } }. */
export function stateOverrides(v: unknown): Map<Address, AccountOverride> {
  const out = new Map<Address, AccountOverride>();
  if (v === undefined || v === null) return out;
  const o = object(v, 'stateOverrides');
  const keys = Object.keys(o);
  if (keys.length > 1000) throw invalidParams('stateOverrides: too many accounts');
  for (const k of keys) {
    const a = address(k, `stateOverrides key`);
    const ov = object(o[k], `stateOverrides[${a}]`);
    for (const f of Object.keys(ov)) {
      if (!['balance', 'nonce', 'code', 'state', 'stateDiff', 'movePrecompileToAddress'].includes(f)) throw invalidParams(`stateOverrides[${a}]: unknown field "${f}"`);
    }
    if (ov.movePrecompileToAddress !== undefined) throw invalidParams('stateOverrides: movePrecompileToAddress is not supported');
    if (ov.state !== undefined && ov.stateDiff !== undefined) throw invalidParams(`account ${a} has both 'state' and 'stateDiff'`);
    const slots = (x: unknown, name: string): Map<Hex, bigint> => {
      const m = new Map<Hex, bigint>();
      const so = object(x, name);
      for (const [sk, sv] of Object.entries(so)) m.set(storageKey(sk, `${name} key`), BigInt(hash(sv, `${name}[${sk}]`)));
      return m;
    };
    out.set(a, {
      balance: optQuantity(ov.balance, `stateOverrides[${a}].balance`),
      nonce: optQuantity(ov.nonce, `stateOverrides[${a}].nonce`, (1n << 64n) - 1n),
      code: ov.code !== undefined && ov.code !== null ? hexToU8(data(ov.code, `stateOverrides[${a}].code`)) : undefined,
      state: ov.state !== undefined && ov.state !== null ? slots(ov.state, `stateOverrides[${a}].state`) : undefined,
      stateDiff: ov.stateDiff !== undefined && ov.stateDiff !== null ? slots(ov.stateDiff, `stateOverrides[${a}].stateDiff`) : undefined,
    });
  }
  return out;
}

function toMessage(args: CallArgs, gas: bigint): CallMessage {
  return {
    from: args.from ?? ZERO_ADDRESS,
    to: args.to,
    gas,
    value: args.value,
    data: args.data,
    gasPrice: args.gasPrice,
    maxFeePerGas: args.maxFeePerGas,
    maxPriorityFeePerGas: args.maxPriorityFeePerGas,
    accessList: args.accessList,
    authorizationList: args.authorizationList,
    nonce: args.nonce,
  };
}

/** Runs one execution; `deadline` is shared by all executions of one request (estimateGas runs many). */
async function execute(ctx: RpcContext, setting: CallSetting, args: CallArgs, gas: bigint, deadline: number): Promise<NativeCallResult> {
  try {
    return await ctx.calls.run(setting, toMessage(args, gas), deadline);
  } catch (e) {
    if (e instanceof ExecutionTimeoutError) throw timeoutError(ctx);
    throw e;
  }
}

export function timeoutError(ctx: RpcContext) {
  return serverError(`execution aborted (timeout = ${ctx.limits.evmTimeoutMs / 1000}s)`);
}

const deadlineOf = (ctx: RpcContext) => Date.now() + ctx.limits.evmTimeoutMs;

function callGasLimit(ctx: RpcContext, env: BlockEnv, requested?: bigint): bigint {
  const blockCap = maxTxGas(env); // the block gas limit, or the EIP-7825 cap from Osaka
  const cap = ctx.limits.gasCap > 0n && ctx.limits.gasCap < blockCap ? ctx.limits.gasCap : blockCap;
  if (requested === undefined) return cap;
  return requested > cap ? cap : requested;
}

/** Runs `fn` with the call setting of `sel`, releasing its mirror afterwards. */
async function withSetting<T>(ctx: RpcContext, sel: BlockSelector, overrides: Map<Address, AccountOverride>, fn: (s: CallSetting) => Promise<T>): Promise<T> {
  const setting = await ctx.callSetting(sel, overrides);
  try {
    return await fn(setting);
  } finally {
    setting.mirror.release();
  }
}

export async function doCall(ctx: RpcContext, args: CallArgs, sel: BlockSelector, overrides: Map<Address, AccountOverride>): Promise<NativeCallResult> {
  return withSetting(ctx, sel, overrides, async (setting) => {
    try {
      return await execute(ctx, setting, args, callGasLimit(ctx, setting.env, args.gas), deadlineOf(ctx));
    } catch (e) {
      if (e instanceof CallValidationError) throw serverError(e.message);
      throw e;
    }
  });
}

/**
 * geth's estimator: run at the highest allowed gas; if that fails, report why. Otherwise binary search
 * between the gas used (minus one: below it nothing can succeed) and a limit that succeeded, with an
 * optimistic first probe at (used + refund + stipend) * 64/63. Stops when the bracket is within `errorRatio`.
 */
export async function estimateGas(
  ctx: RpcContext,
  args: CallArgs,
  sel: BlockSelector,
  overrides: Map<Address, AccountOverride>,
  errorRatio = 0.001,
): Promise<bigint> {
  return withSetting(ctx, sel, overrides, (setting) => searchGas(ctx, setting, args, overrides, errorRatio));
}

async function searchGas(ctx: RpcContext, setting: CallSetting, args: CallArgs, overrides: Map<Address, AccountOverride>, errorRatio: number): Promise<bigint> {
  const { state, env } = setting;
  const deadline = deadlineOf(ctx);
  let hi = args.gas !== undefined && args.gas >= 21_000n ? args.gas : env.gasLimit;
  // No transaction may carry more (EIP-7825 from Osaka): an estimate above it could never be sent.
  if (hi > maxTxGas(env)) hi = maxTxGas(env);
  if (ctx.limits.gasCap > 0n && hi > ctx.limits.gasCap) hi = ctx.limits.gasCap;
  // A fee-paying estimate is limited by what the sender can pay for.
  const feeCap = args.gasPrice ?? args.maxFeePerGas ?? 0n;
  if (feeCap > 0n) {
    const balance = state.getAccount(args.from ?? ZERO_ADDRESS)?.balance ?? 0n;
    if (args.value > balance) throw serverError('insufficient funds for transfer');
    const allowance = (balance - args.value) / feeCap;
    if (hi > allowance) hi = allowance;
  }
  const tryGas: GasProbe = async (gas) => {
    try {
      const result = await execute(ctx, setting, args, gas, deadline);
      return { ok: result.status === 'success', result };
    } catch (e) {
      if (e instanceof CallValidationError) return { ok: false, error: e.message };
      throw e;
    }
  };
  // A plain transfer to an account without code costs exactly 21000.
  if (args.data.length === 0 && args.to !== null && (state.getAccount(args.to)?.code.length ?? 0) === 0 && !overrides.has(args.to)) {
    const probe = await tryGas(21_000n);
    if (probe.ok) return 21_000n;
  }
  return searchGasLimit(tryGas, hi, errorRatio);
}

/** One execution at a gas limit: whether it succeeded, its result, or why it could not run. */
export type GasProbe = (gas: bigint) => Promise<{ ok: boolean; result?: CallResult; error?: string }>;

/** geth's search (see estimateGas) over any executor's probe; `hi` is the highest limit allowed. */
export async function searchGasLimit(tryGas: GasProbe, hi: bigint, errorRatio: number): Promise<bigint> {
  const top = await tryGas(hi);
  if (!top.ok) {
    if (top.result) {
      if (top.result.status === 'revert') throw revertError(top.result.returnData);
      throw top.result.error === 'out of gas' ? serverError(`gas required exceeds allowance (${hi})`) : serverError(top.result.error ?? 'execution failed');
    }
    const msg = top.error ?? 'execution failed';
    throw serverError(msg === 'intrinsic gas too low' ? `gas required exceeds allowance (${hi})` : msg);
  }
  let lo = top.result!.gasUsed - 1n;
  const used = top.result!.gasUsedBeforeRefund;
  const optimistic = ((used + 2300n) * 64n) / 63n;
  if (optimistic < hi) {
    const r = await tryGas(optimistic);
    if (r.ok) hi = optimistic;
    else lo = optimistic;
  }
  while (lo + 1n < hi) {
    if (Number(hi - lo) / Number(hi) < errorRatio) break;
    let mid = (hi + lo) / 2n;
    // Bias early probes towards the low end (as geth does): most transactions need little over their use.
    if (mid > lo * 2n) mid = lo * 2n;
    const r = await tryGas(mid);
    if (r.ok) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Whether `a` is a precompile at the block's fork (warm in every transaction): the kernels' own table. */
function precompileAt(env: BlockEnv): (a: Address) => boolean {
  const fork = FORK_IDS[blockFork(env)];
  const addon = loadAddon();
  return (a) => addon.precompileIdOf(hexToU8(a), fork) !== 0;
}

type AccessList = { address: Address; storageKeys: Hex[] }[];

/**
 * geth's eth_createAccessList: execute with the list so far, add every account and slot the execution read
 * (the native read set) to it, except the sender, the recipient (or created contract) and precompiles, and
 * repeat until the list stops changing. Returns the list and the gas used with it.
 */
export async function createAccessList(ctx: RpcContext, args: CallArgs, sel: BlockSelector): Promise<Record<string, unknown>> {
  return withSetting(ctx, sel, new Map(), async (setting) => {
    const gas = callGasLimit(ctx, setting.env, args.gas);
    const deadline = deadlineOf(ctx);
    const from = args.from ?? ZERO_ADDRESS;
    const isPrecompile = precompileAt(setting.env);
    let list: AccessList = normalise(args.accessList ?? [], new Set(), isPrecompile);
    for (let i = 0; i < 8; i++) {
      let r: NativeCallResult;
      try {
        r = await execute(ctx, setting, { ...args, accessList: list }, gas, deadline);
      } catch (e) {
        if (e instanceof CallValidationError) throw serverError(e.message);
        throw e;
      }
      const excluded = new Set<string>([from, args.to ?? r.createdAddress ?? '']);
      const next = normalise(list, excluded, isPrecompile, r.reads);
      if (JSON.stringify(next) === JSON.stringify(list)) {
        const out: Record<string, unknown> = { accessList: next, gasUsed: q(r.gasUsed) };
        if (r.status === 'revert') out.error = revertError(r.returnData).message;
        else if (r.status === 'halt') out.error = r.error ?? 'execution failed';
        return out;
      }
      list = next;
    }
    throw serverError('access list did not converge');
  });
}

/** `list` plus the read keys (a:/c:<addr>, s:<addr>:<slot>), minus excluded addresses and precompiles, in a stable order. */
function normalise(list: AccessList, excluded: Set<string>, isPrecompile: (a: Address) => boolean, reads: readonly string[] = []): AccessList {
  const touched = new Map<Address, Set<Hex>>();
  const add = (a: Address, slot?: Hex) => {
    if (excluded.has(a) || isPrecompile(a)) return;
    let slots = touched.get(a);
    if (!slots) touched.set(a, (slots = new Set()));
    if (slot !== undefined) slots.add(slot);
  };
  for (const item of list) {
    add(item.address);
    for (const k of item.storageKeys) add(item.address, k);
  }
  for (const key of reads) {
    const [kind, addr, slot] = key.split(':');
    add(addr as Address, kind === 's' ? (slot as Hex) : undefined);
  }
  return [...touched]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([address, slots]) => ({ address, storageKeys: [...slots].sort() }));
}

export const executionMethods: Methods = {
  eth_createAccessList: async (p, { ctx }) => {
    arity(p, 1, 2);
    const args = callArgs(p[0], ctx);
    const sel = p[1] === undefined ? ({ tag: 'pending' } as const) : blockSelector(p[1], 'block');
    return createAccessList(ctx, args, sel);
  },
  eth_call: async (p, { ctx }) => {
    arity(p, 1, 4);
    const args = callArgs(p[0], ctx);
    const sel = blockSelector(p[1], 'block');
    const overrides = stateOverrides(p[2]);
    if (p[3] !== undefined) object(p[3], 'blockOverrides');
    if (p[3] !== undefined && Object.keys(p[3] as object).length > 0) throw invalidParams('blockOverrides are not supported');
    const r = await doCall(ctx, args, sel, overrides);
    if (r.status === 'revert') throw revertError(r.returnData);
    if (r.status === 'halt') throw serverError(r.error === 'out of gas' ? 'out of gas' : (r.error ?? 'execution failed'));
    return bytesToHex(r.returnData);
  },
  eth_estimateGas: async (p, { ctx }) => {
    arity(p, 1, 3);
    const args = callArgs(p[0], ctx);
    const sel = p[1] === undefined ? ({ tag: 'pending' } as const) : blockSelector(p[1], 'block');
    const overrides = stateOverrides(p[2]);
    return q(await estimateGas(ctx, args, sel, overrides));
  },
};

