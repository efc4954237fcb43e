// The state root after one executor outcome, on a copy of the pre-state: what differential tests compare
// between the native and the reference executor.
import type { TxOutcome } from '../../sequencer/executor/types.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import type { WorldState } from '../../sequencer/state/world-state.js';

export async function postRoot(state: WorldState, o: TxOutcome, coinbase: Address): Promise<Hex> {
  const s = state.clone();
  if (o.kind === 'executed') {
    s.applyChanges(o.changes);
    s.credit(coinbase, o.coinbaseCredit);
  }
  return s.stateRoot();
}
