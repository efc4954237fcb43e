// Rollup reverts, decoded from viem's error chain and turned into the bridge's error family.
import { BaseError, ContractFunctionRevertedError } from 'viem';
import { BridgeError, type BridgeErrorCode, type BridgeErrorDetails } from './errors.js';

const CODES: Record<string, BridgeErrorCode> = {
  UnknownBatch: 'UNKNOWN_BATCH',
  AccountNotInState: 'PROOF_INVALID',
  WithdrawalNotInState: 'PROOF_INVALID',
  InvalidProof: 'PROOF_INVALID',
  AlreadyProven: 'ALREADY_PROVEN',
  NotProven: 'NOT_PROVEN',
  AlreadyFinalized: 'ALREADY_FINALIZED',
  ChallengeWindowOpen: 'CHALLENGE_WINDOW_OPEN',
  ProvenRootRolledBack: 'ROLLED_BACK',
};

export interface DecodedRevert {
  errorName: string;
  args: readonly unknown[];
}

/** The contract's custom error inside a viem error (simulate, estimate or write), if it carries one. */
export function decodeRevert(e: unknown): DecodedRevert | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const r = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (!r?.data?.errorName) return undefined;
  return { errorName: r.data.errorName, args: r.data.args ?? [] };
}

/** The error to throw for a viem failure of `what`: a contract revert as a BridgeError (mapped by name), anything else as it is. */
export function asBridgeError(e: unknown, what: string, details: BridgeErrorDetails): unknown {
  if (e instanceof BridgeError) return e;
  const rev = decodeRevert(e);
  if (!rev) return e;
  const code = CODES[rev.errorName] ?? 'TRANSACTION_REVERTED';
  const until = rev.errorName === 'ChallengeWindowOpen' ? BigInt(rev.args[0] as bigint) : details.until;
  const args = rev.args.length > 0 ? `(${rev.args.map(String).join(', ')})` : '';
  return new BridgeError(code, `${what} reverts on L1 with ${rev.errorName}${args}`, { ...details, until, contractError: rev.errorName });
}
