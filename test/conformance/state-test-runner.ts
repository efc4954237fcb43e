// Runs state-test cases through an Executor and the same commit path the sequencer uses
// (WorldState.applyChanges + fee credit + incremental MPT root), and compares root and logs hash.
import { RLP } from '@ethereumjs/rlp';
import { bytesToHex } from '@ethereumjs/util';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { hexToU8, type Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import type { Executor, Log } from '../../sequencer/executor/types.js';
import type { StateTestCase } from './state-test-format.js';

export interface CaseResult {
  label: string;
  file: string;
  pass: boolean;
  reason?: string;
}

export function logsHash(logs: readonly Log[]): Hex {
  const encoded = RLP.encode(logs.map((l) => [hexToU8(l.address), l.topics.map(hexToU8), l.data]));
  return bytesToHex(keccak256(encoded)) as Hex;
}

export async function runCase(c: StateTestCase, executor: Executor): Promise<CaseResult> {
  const result = (pass: boolean, reason?: string): CaseResult => ({ label: c.label, file: c.file, pass, reason });
  const state = WorldState.fromAlloc(c.pre);
  let logs: readonly Log[] = [];
  let rejection: string | undefined;
  if ('decodeError' in c.tx) {
    rejection = `decode: ${c.tx.decodeError}`;
  } else {
    const [outcome] = await executor.executeBatch(state, [c.tx], c.env);
    if (outcome.kind === 'rejected') {
      rejection = outcome.error;
    } else {
      state.applyChanges(outcome.changes);
      state.credit(c.env.coinbase, outcome.coinbaseCredit);
      logs = outcome.logs;
    }
  }
  if (c.expectException && rejection === undefined) return result(false, `expected exception ${c.expectException}, but the transaction executed`);
  if (!c.expectException && rejection !== undefined) return result(false, `transaction rejected: ${rejection}`);
  const root = await state.stateRoot();
  if (root !== c.expectedRoot) return result(false, `state root ${root} != expected ${c.expectedRoot}`);
  const lh = logsHash(logs);
  if (lh !== c.expectedLogsHash) return result(false, `logs hash ${lh} != expected ${c.expectedLogsHash}`);
  return result(true);
}
