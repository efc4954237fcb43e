// The native executor: batches go through the N-API addon to the kernels/ EVM (CUDA or CPU threads).
import type { StateReader } from '../../state/world-state.js';
import { ExecutorError, type BlockEnv, type ExecTx, type Executor, type TxOutcome } from '../types.js';

export class NativeExecutor implements Executor {
  readonly name = 'native';

  async executeBatch(_snapshot: StateReader, _txs: readonly ExecTx[], _env: BlockEnv): Promise<TxOutcome[]> {
    throw new ExecutorError('native EVM execution is not implemented yet (kernels/evm is being built: issue #3)');
  }
}
