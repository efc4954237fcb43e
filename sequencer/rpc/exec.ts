// eth_call, eth_estimateGas and eth_createAccessList executions on the native EVM (the kernels the sequencer
// runs: DESIGN invariant 7), off the event loop, with geth's call rules and a deadline enforced inside the
// interpreter (nested frames included). Runs in flight are capped: each holds a libuv worker thread for its
// duration, and the sequencer's own batches need those threads too.
import type { NativeCalls } from '../executor/native/native-calls.js';
import type { BlockEnv, ExecTx } from '../executor/types.js';
import type { Hex } from '../primitives/types.js';
import type { StateReader } from '../state/world-state.js';
import type { CallMirror } from './call-mirrors.js';
import { CallValidationError, ExecutionTimeoutError, type CallMessage, type CallResult } from './call-message.js';

/** Where a request's runs execute: its mirror (held for all its runs), the same state as a reader, the env. */
export interface CallSetting {
  /** Reads for the request's own checks (the sender's nonce and balance); overrides applied. */
  state: StateReader;
  mirror: CallMirror;
  env: BlockEnv;
}

export interface NativeCallResult extends CallResult {
  /** State keys read (executor/types.ts AccessKey format: a:/c:<addr>, s:<addr>:<slot>). */
  reads: string[];
}

const NO_HASH = `0x${'00'.repeat(32)}` as Hex;

export class CallExecutor {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly calls: NativeCalls,
    /** Most runs in flight at once (the rest queue, in order). */
    readonly maxConcurrent: number,
  ) {}

  /** Runs one message; throws ExecutionTimeoutError past `deadline` (ms since epoch), CallValidationError when it cannot run. */
  async run(setting: CallSetting, msg: CallMessage, deadline: number): Promise<NativeCallResult> {
    if (this.active >= this.maxConcurrent) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      const left = deadline - Date.now();
      if (left <= 0) throw new ExecutionTimeoutError('execution aborted (timeout)');
      const o = await this.calls.run(setting.mirror, callEnv(setting.env, msg), toExecTx(setting.state, msg), left);
      if (o.kind === 'aborted') throw new ExecutionTimeoutError('execution aborted (timeout)');
      if (o.kind === 'rejected') throw new CallValidationError(o.error);
      return {
        status: o.status,
        error: o.error,
        gasUsed: o.gasUsed,
        gasUsedBeforeRefund: o.gasUsed + o.gasRefund,
        returnData: o.returnData,
        logs: o.logs,
        createdAddress: o.createdAddress,
        reads: o.reads,
      };
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** geth (NoBaseFee): a call without any fee field runs with BASEFEE 0 so that it cannot fail on the fee cap. */
function callEnv(env: BlockEnv, msg: CallMessage): BlockEnv {
  const fees = (msg.gasPrice ?? 0n) + (msg.maxFeePerGas ?? 0n) + (msg.maxPriorityFeePerGas ?? 0n);
  return fees === 0n ? { ...env, baseFee: 0n } : env;
}

/** The message as a transaction: the sender's own nonce (calls skip the nonce check, CREATE uses it). */
function toExecTx(state: StateReader, msg: CallMessage): ExecTx {
  const dynamic = msg.maxFeePerGas !== undefined || msg.maxPriorityFeePerGas !== undefined;
  const type = msg.authorizationList ? 4 : (msg.type ?? (dynamic ? 2 : msg.accessList?.length ? 1 : 0));
  const feeMarket = type >= 2;
  return {
    hash: msg.hash ?? NO_HASH,
    type,
    from: msg.from,
    to: msg.to,
    nonce: state.getAccount(msg.from)?.nonce ?? 0n,
    gasLimit: msg.gas,
    value: msg.value,
    data: msg.data,
    gasPrice: feeMarket ? undefined : (msg.gasPrice ?? 0n),
    maxFeePerGas: feeMarket ? (msg.maxFeePerGas ?? msg.maxPriorityFeePerGas ?? 0n) : undefined,
    maxPriorityFeePerGas: feeMarket ? (msg.maxPriorityFeePerGas ?? 0n) : undefined,
    accessList: msg.accessList ?? [],
    authorizationList: msg.authorizationList,
  };
}
