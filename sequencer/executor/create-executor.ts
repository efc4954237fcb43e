// Picks an executor by name: the seam the CLI, the sequencer and the tests go through.
import { ReferenceExecutor } from './reference/reference-executor.js';
import type { Executor } from './types.js';

export type ExecutorName = 'reference' | 'native';

export const EXECUTOR_NAMES: readonly ExecutorName[] = ['reference', 'native'];

export async function createExecutor(name: ExecutorName): Promise<Executor> {
  switch (name) {
    case 'reference':
      return new ReferenceExecutor();
    case 'native': {
      const { NativeExecutor } = await import('./native/native-executor.js');
      return new NativeExecutor();
    }
  }
}
