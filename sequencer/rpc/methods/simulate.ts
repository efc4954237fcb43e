// eth_simulateV1 (execution-apis, as geth): a sequence of simulated blocks on top of a chosen block, each with
// optional block overrides, state overrides and calls that see the effects of the calls before them. Calls
// run on the node's own executor (the one that seals blocks, native in production) and blocks are assembled
// by the real block builder, so hashes, roots of transactions and receipts, blooms and gas are real.
// Deviation: the simulated blocks' stateRoot is zero (no Merkle root is computed for a throwaway state).
import { createTx } from '@ethereumjs/tx';
import { commonFor } from '../../chain/common.js';
import { blockFork, maxTxGas } from '../../chain/config.js';
import { ZERO_HASH, buildBlock, headerView, prevRandaoFor } from '../../block/builder.js';
import type { BlockEnv, ExecTx, TxExecuted } from '../../executor/types.js';
import { txView, type IngressTx } from '../../ingress/decode.js';
import { keccak256 } from '../../primitives/keccak.js';
import { ZERO_ADDRESS, bytesToHex, hexToU8, type Address, type Hex } from '../../primitives/types.js';
import type { IncludedTx } from '../../scheduler/scheduler.js';
import { headerNotFound, type RpcContext } from '../context.js';
import { ErrorCode, RpcError, invalidParams, revertError } from '../errors.js';
import type { AccountOverride } from '../overlay-state.js';
import { formatBlock, formatLog, q } from '../format.js';
import { toRpcBlock } from '../rpc-views.js';
import { address, arity, blockSelector, fixedData, object, optBool, optQuantity } from '../params.js';
import { SimulatedState } from '../simulate-state.js';
import { callArgs, stateOverrides, timeoutError, type CallArgs } from './execution.js';
import type { Methods } from './types.js';

/** geth's limits: blocks per request (including filled gaps) and calls in total. */
const MAX_BLOCKS = 256;
const MAX_CALLS = 1000;
/** Seconds between simulated blocks without a time override (geth). */
const TIME_STEP = 12n;

/** geth's eth_simulateV1 error codes. */
const SimError = {
  NONCE_TOO_LOW: -38010,
  NONCE_TOO_HIGH: -38011,
  BASE_FEE_TOO_LOW: -38012,
  INTRINSIC_GAS: -38013,
  INSUFFICIENT_FUNDS: -38014,
  BLOCK_GAS_LIMIT: -38015,
  BLOCK_NUMBER: -38020,
  BLOCK_TIMESTAMP: -38021,
  SENDER_NOT_EOA: -38024,
  INITCODE: -38025,
  CLIENT_LIMIT: -38026,
  VM_ERROR: -32015,
} as const;

interface BlockOverrides {
  number?: bigint;
  time?: bigint;
  gasLimit?: bigint;
  feeRecipient?: Address;
  prevRandao?: Hex;
  baseFeePerGas?: bigint;
}

interface SimBlockRequest {
  overrides: BlockOverrides;
  state: Map<Address, AccountOverride>;
  calls: CallArgs[];
}

interface SimOptions {
  blocks: SimBlockRequest[];
  validation: boolean;
  returnFullTransactions: boolean;
}

/** The parent of the next simulated block. */
interface Parent {
  number: bigint;
  hash: Hex;
  timestamp: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  baseFee: bigint;
}

function blockOverrides(v: unknown, name: string): BlockOverrides {
  if (v === undefined || v === null) return {};
  const o = object(v, name);
  for (const k of Object.keys(o)) {
    if (k === 'blobBaseFee') throw invalidParams(`${name}.blobBaseFee: overriding the blob base fee is not supported`);
    if (k === 'withdrawals' && Array.isArray(o[k]) && o[k].length === 0) continue;
    if (!['number', 'time', 'gasLimit', 'feeRecipient', 'prevRandao', 'baseFeePerGas'].includes(k)) throw invalidParams(`${name}: unsupported field "${k}"`);
  }
  return {
    number: optQuantity(o.number, `${name}.number`),
    time: optQuantity(o.time, `${name}.time`, (1n << 64n) - 1n),
    gasLimit: optQuantity(o.gasLimit, `${name}.gasLimit`, (1n << 64n) - 1n),
    feeRecipient: o.feeRecipient === undefined || o.feeRecipient === null ? undefined : address(o.feeRecipient, `${name}.feeRecipient`),
    prevRandao: o.prevRandao === undefined || o.prevRandao === null ? undefined : fixedData(o.prevRandao, `${name}.prevRandao`, 32),
    baseFeePerGas: optQuantity(o.baseFeePerGas, `${name}.baseFeePerGas`),
  };
}

function simOptions(v: unknown, ctx: RpcContext): SimOptions {
  const o = object(v, 'simulation');
  if (o.traceTransfers === true) throw invalidParams('traceTransfers is not supported by this node');
  if (!Array.isArray(o.blockStateCalls)) throw invalidParams('blockStateCalls: expected an array of blocks');
  if (o.blockStateCalls.length > MAX_BLOCKS) throw new RpcError(SimError.CLIENT_LIMIT, `too many blocks: ${o.blockStateCalls.length} > ${MAX_BLOCKS}`);
  let calls = 0;
  const blocks = o.blockStateCalls.map((b, i): SimBlockRequest => {
    const block = object(b, `blockStateCalls[${i}]`);
    const list = block.calls ?? [];
    if (!Array.isArray(list)) throw invalidParams(`blockStateCalls[${i}].calls: expected an array`);
    calls += list.length;
    if (calls > MAX_CALLS) throw new RpcError(SimError.CLIENT_LIMIT, `too many calls: more than ${MAX_CALLS}`);
    return {
      overrides: blockOverrides(block.blockOverrides, `blockStateCalls[${i}].blockOverrides`),
      state: stateOverrides(block.stateOverrides),
      calls: list.map((c, j) => callArgs(c, ctx, `blockStateCalls[${i}].calls[${j}]`)),
    };
  });
  return { blocks, validation: optBool(o.validation, 'validation', false), returnFullTransactions: optBool(o.returnFullTransactions, 'returnFullTransactions', false) };
}

/** EIP-1559 base fee of the child of `p` (elasticity 2, change denominator 8). */
function nextBaseFee(p: Parent): bigint {
  const target = p.gasLimit / 2n;
  if (target === 0n || p.gasUsed === target) return p.baseFee;
  if (p.gasUsed > target) {
    const delta = (p.baseFee * (p.gasUsed - target)) / target / 8n;
    return p.baseFee + (delta > 1n ? delta : 1n);
  }
  return p.baseFee - (p.baseFee * (target - p.gasUsed)) / target / 8n;
}

/** geth's code per rejection rule, matched on the executors' messages (native and @ethereumjs/vm wordings). */
const REJECTION_CODES: [RegExp, number][] = [
  [/nonce too low/i, SimError.NONCE_TOO_LOW],
  [/nonce too high/i, SimError.NONCE_TOO_HIGH],
  [/enough funds|insufficient funds/i, SimError.INSUFFICIENT_FUNDS],
  [/less than (the )?block('s)? ?base ?fee/i, SimError.BASE_FEE_TOO_LOW],
  [/intrinsic gas/i, SimError.INTRINSIC_GAS],
  [/block gas limit/i, SimError.BLOCK_GAS_LIMIT],
  [/not eoa|eip-3607/i, SimError.SENDER_NOT_EOA],
  [/initcode/i, SimError.INITCODE],
];

/** A rejected call fails the whole request with geth's code for the rule it broke. */
function rejection(message: string, where: string): RpcError {
  // @ethereumjs/vm appends its block and tx context in parentheses: not part of the reason.
  const reason = message.replace(/ \(vm hf=[\s\S]*$/, '');
  const code = REJECTION_CODES.find(([re]) => re.test(reason))?.[1] ?? ErrorCode.SERVER;
  return new RpcError(code, `${where}: ${reason}`);
}

/** The unsigned transaction a call stands for: its bytes give the simulated block's tx root and the call's hash. */
function callTx(ctx: RpcContext, args: CallArgs, from: Address, nonce: bigint, gas: bigint, env: BlockEnv, validation: boolean): IngressTx {
  const legacy = args.gasPrice !== undefined;
  const tip = args.maxPriorityFeePerGas ?? 0n;
  const maxFee = args.maxFeePerGas ?? (validation ? env.baseFee + tip : tip);
  const type = legacy ? (args.accessList ? 1 : 0) : 2;
  const fields = {
    type,
    nonce,
    to: args.to ?? undefined,
    value: args.value,
    data: args.data,
    gasLimit: gas,
    accessList: args.accessList?.map((a) => [hexToU8(a.address), a.storageKeys.map(hexToU8)]),
    chainId: ctx.node.chainId,
    ...(legacy ? { gasPrice: args.gasPrice } : { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip }),
  };
  const raw = createTx(fields as never, { common: commonFor(ctx.node.chainId, blockFork(env)), allowUnlimitedInitCodeSize: true }).serialize();
  const exec: ExecTx = {
    hash: bytesToHex(keccak256(raw)) as Hex,
    type: type as ExecTx['type'],
    from,
    to: args.to,
    nonce,
    gasLimit: gas,
    value: args.value,
    data: args.data,
    gasPrice: legacy ? args.gasPrice : undefined,
    maxFeePerGas: legacy ? undefined : maxFee,
    maxPriorityFeePerGas: legacy ? undefined : tip,
    accessList: args.accessList ?? [],
    chainId: ctx.node.chainId,
  };
  return { exec, raw, intrinsicGas: 0n, v: 0n, r: 0n, s: 0n };
}

function callResult(o: TxExecuted, logs: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = { returnData: bytesToHex(o.returnData), logs, gasUsed: q(o.gasUsed), status: o.status === 'success' ? '0x1' : '0x0' };
  if (o.status === 'revert') out.error = revertError(o.returnData).toJSON();
  else if (o.status === 'halt') out.error = { code: SimError.VM_ERROR, message: o.error ?? 'execution failed' };
  return out;
}

class Simulation {
  private readonly deadline: number;
  /** Hashes of the base chain's head and the simulated blocks, newest first (BLOCKHASH). */
  private readonly hashes: Hex[];
  readonly results: Record<string, unknown>[] = [];

  constructor(
    private readonly ctx: RpcContext,
    private readonly state: SimulatedState,
    private parent: Parent,
    private readonly coinbase: Address,
    private readonly excessBlobGas: bigint,
    private readonly opts: SimOptions,
  ) {
    this.deadline = Date.now() + ctx.limits.evmTimeoutMs;
    this.hashes = [parent.hash];
  }

  async run(): Promise<Record<string, unknown>[]> {
    for (const [i, block] of this.opts.blocks.entries()) {
      const number = block.overrides.number ?? this.parent.number + 1n;
      if (number <= this.parent.number) throw new RpcError(SimError.BLOCK_NUMBER, `block number must be increasing: blockStateCalls[${i}] has ${number}, parent is ${this.parent.number}`);
      // geth fills a jump in block numbers with empty blocks.
      while (this.parent.number + 1n < number) await this.block({ overrides: {}, state: new Map(), calls: [] }, `gap before blockStateCalls[${i}]`);
      await this.block(block, `blockStateCalls[${i}]`);
    }
    return this.results;
  }

  private env(ov: BlockOverrides, where: string): BlockEnv {
    const number = this.parent.number + 1n;
    const timestamp = ov.time ?? this.parent.timestamp + TIME_STEP;
    if (timestamp <= this.parent.timestamp) throw new RpcError(SimError.BLOCK_TIMESTAMP, `${where}: block timestamps must be increasing: ${timestamp} <= parent ${this.parent.timestamp}`);
    return {
      chainId: this.ctx.node.chainId,
      number,
      timestamp,
      coinbase: ov.feeRecipient ?? this.coinbase,
      gasLimit: ov.gasLimit ?? this.parent.gasLimit,
      // Without validation geth prices calls at a zero base fee unless one is given.
      baseFee: ov.baseFeePerGas ?? (this.opts.validation ? nextBaseFee(this.parent) : 0n),
      prevRandao: ov.prevRandao ?? prevRandaoFor(this.parent.hash, number),
      excessBlobGas: this.excessBlobGas,
      recentBlockHashes: this.hashes.slice(0, 256),
    };
  }

  private async block(req: SimBlockRequest, where: string): Promise<void> {
    if (this.results.length >= MAX_BLOCKS) throw new RpcError(SimError.CLIENT_LIMIT, `too many blocks: more than ${MAX_BLOCKS} with the filled gaps`);
    const env = this.env(req.overrides, where);
    for (const [a, o] of req.state) this.state.applyOverride(a, o);
    const executeBatch = this.ctx.node.executeBatch!;
    const included: IncludedTx[] = [];
    let gasUsed = 0n;
    for (const [j, args] of req.calls.entries()) {
      if (Date.now() > this.deadline) throw timeoutError(this.ctx);
      const at = `${where}.calls[${j}]`;
      const from = args.from ?? ZERO_ADDRESS;
      const nonce = this.state.getAccount(from)?.nonce ?? 0n;
      if (this.opts.validation && args.nonce !== undefined && args.nonce !== nonce) {
        throw rejection(args.nonce < nonce ? `nonce too low: next nonce ${nonce}, tx nonce ${args.nonce}` : `nonce too high: next nonce ${nonce}, tx nonce ${args.nonce}`, at);
      }
      // Default: what is left of the block, within the per-transaction cap from Osaka on (EIP-7825).
      const left = env.gasLimit - gasUsed;
      const cap = maxTxGas(env);
      const gas = args.gas ?? (left > cap ? cap : left);
      if (gasUsed + gas > env.gasLimit) throw new RpcError(SimError.BLOCK_GAS_LIMIT, `${at}: block gas limit reached: ${gasUsed} used + ${gas} > ${env.gasLimit}`);
      const tx = callTx(this.ctx, args, from, nonce, gas, env, this.opts.validation);
      const [o] = await executeBatch(this.state, [tx.exec], env);
      if (o.kind === 'rejected') throw rejection(o.error, at);
      this.state.applyChanges(o.changes);
      if (o.coinbaseCredit > 0n) this.credit(env.coinbase, o.coinbaseCredit);
      gasUsed += o.gasUsed;
      included.push({ entry: { tx, seq: j, durable: true, inBlock: true }, outcome: o, cumulativeGasUsed: gasUsed });
    }
    const built = await buildBlock({ common: commonFor(this.ctx.node.chainId, blockFork(env)), parentHash: this.parent.hash, env, included, stateRoot: ZERO_HASH, blobGasUsed: 0n });
    const header = headerView(built.header, built.stored.size);
    const block = formatBlock(toRpcBlock({ header, txHashes: built.txs.map((t) => t.hash), txs: included.map((i) => txView(i.entry.tx)) }), this.opts.returnFullTransactions);
    const calls = included.map((inc, i) =>
      callResult(
        inc.outcome,
        built.receipts[i].logs.map((l) =>
          formatLog({ ...l, data: bytesToHex(l.data) as Hex, blockNumber: env.number, blockHash: built.hash, blockTimestamp: env.timestamp, transactionHash: inc.entry.tx.exec.hash, transactionIndex: i, removed: false }),
        ),
      ),
    );
    this.results.push({ ...block, calls });
    this.hashes.unshift(built.hash);
    this.parent = { number: env.number, hash: built.hash, timestamp: env.timestamp, gasLimit: env.gasLimit, gasUsed, baseFee: env.baseFee };
  }

  private credit(coinbase: Address, amount: bigint): void {
    const a = this.state.getAccount(coinbase);
    this.state.applyChanges([{ address: coinbase, deleted: false, balance: (a?.balance ?? 0n) + amount, nonce: a?.nonce ?? 0n, storageReset: false, storage: new Map() }]);
  }
}

export const simulateMethods: Methods = {
  eth_simulateV1: async (p, { ctx }) => {
    arity(p, 1, 2);
    if (!ctx.node.executeBatch) throw new RpcError(ErrorCode.SERVER, 'eth_simulateV1: this node does not expose its executor');
    const opts = simOptions(p[0], ctx);
    const sel = p[1] === undefined || p[1] === null ? ({ tag: 'latest' } as const) : blockSelector(p[1], 'block');
    const base = await ctx.resolveBlock(sel);
    if (!base) throw headerNotFound();
    const h = base.header;
    // On the head, the live state: enumerable, so the native executor can mirror it (a block sealed meanwhile shows through).
    const state = new SimulatedState(h.number === ctx.node.headNumber() ? ctx.node.latestState() : await ctx.stateFor(sel));
    const parent: Parent = { number: h.number, hash: h.hash, timestamp: h.timestamp, gasLimit: h.gasLimit, gasUsed: h.gasUsed, baseFee: h.baseFeePerGas };
    const env = await ctx.envFor(sel);
    return new Simulation(ctx, state, parent, h.miner, env.excessBlobGas, opts).run();
  },
};
