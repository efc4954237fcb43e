// Decoded native result records as the executor seam's outcomes (executor/types.ts): statuses and error
// names, write keys, and, for chains, each transaction's writes taken against its chain's view (the snapshot
// plus the changes of the chain's earlier transactions).
import type { StateReader } from '../../state/world-state.js';
import { ChainView } from '../chain-view.js';
import { ExecutorError, type ExecTx, type TxOutcome } from '../types.js';
import { writeKeys } from '../write-keys.js';
import type { DecodedResult } from './encode.js';
import { HALT_ERRORS, REJECTIONS, RETRY_REASONS } from './errors.js';

/** results[i] is txs[i]'s record; undefined (not run) only with chains. */
export function toOutcomes(results: readonly (DecodedResult | undefined)[], txs: readonly ExecTx[], snapshot: StateReader, chains?: Uint32Array): (TxOutcome | undefined)[] {
  const out: (TxOutcome | undefined)[] = [];
  // A chain's view is kept only while a later transaction of the chain is still to come.
  const last = chains === undefined ? undefined : lastIndexes(chains);
  const views = new Map<number, ChainView>();
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r === undefined) {
      if (chains === undefined) throw new ExecutorError('native EVM returned an empty result', txs[i].hash);
      out.push(undefined);
      continue;
    }
    const chain = chains === undefined ? -1 : chains[i];
    const view = views.get(chain);
    const o = outcome(r, txs[i], view ?? snapshot);
    out.push(o);
    if (last === undefined || o.kind !== 'executed' || last.get(chain) === i) continue;
    if (view === undefined) views.set(chain, new ChainView(snapshot).apply(o.changes));
    else view.apply(o.changes);
  }
  return out;
}

function lastIndexes(chains: Uint32Array): Map<number, number> {
  const last = new Map<number, number>();
  for (let i = 0; i < chains.length; i++) last.set(chains[i], i);
  return last;
}

function outcome(r: DecodedResult, tx: ExecTx, snapshot: StateReader): TxOutcome {
  if (r.outcome === 1) {
    return { kind: 'rejected', error: REJECTIONS[r.error] ?? `rejected (code ${r.error})`, reads: r.reads };
  }
  if (r.outcome !== 0) {
    throw new ExecutorError(RETRY_REASONS[r.error] ?? RETRY_REASONS[64], tx.hash);
  }
  const status = r.status === 0 ? 'success' : r.status === 1 ? 'revert' : 'halt';
  return {
    kind: 'executed',
    status,
    error: status === 'success' ? undefined : HALT_ERRORS[r.error] ?? `error ${r.error}`,
    gasUsed: r.gasUsed,
    logs: r.logs,
    returnData: r.output,
    createdAddress: r.created ? r.createdAddress : undefined,
    reads: r.reads,
    // A decoded change is an AccountChange already (its code is undefined unless the code changed).
    writes: writeKeys(r.changes, snapshot),
    changes: r.changes,
    coinbaseCredit: r.coinbaseCredit,
    readsCoinbase: r.readsCoinbase,
    blobGasUsed: r.blobGasUsed,
  };
}
