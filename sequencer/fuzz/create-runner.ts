// Picks a sequence runner by name: the seam the fuzz CLI, the benchmarks and the tests go through.
import { createExecutor } from '../executor/create-executor.js';
import { SerialSequenceRunner } from './serial-runner.js';
import type { FuzzSnapshot } from './snapshot.js';
import type { PropertyCall, SequenceRunner } from './types.js';

export type RunnerName = 'native' | 'serial-reference' | 'serial-native';
export const RUNNER_NAMES: readonly RunnerName[] = ['native', 'serial-reference', 'serial-native'];

export async function createRunner(name: RunnerName, snapshot: FuzzSnapshot, properties: readonly PropertyCall[]): Promise<SequenceRunner> {
  switch (name) {
    case 'native': {
      const { NativeSequenceRunner } = await import('./native-runner.js');
      return NativeSequenceRunner.create(snapshot, properties);
    }
    case 'serial-reference':
      return new SerialSequenceRunner(await createExecutor('reference'), snapshot, properties);
    case 'serial-native':
      return new SerialSequenceRunner(await createExecutor('native'), snapshot, properties);
  }
}
