// The native sequence runner (kernels/evm fuzz sessions): being built.
import type { FuzzSnapshot } from './snapshot.js';
import { FuzzError, type PropertyCall, type SequenceRunner } from './types.js';

export class NativeSequenceRunner {
  static async create(snapshot: FuzzSnapshot, properties: readonly PropertyCall[]): Promise<SequenceRunner> {
    void snapshot;
    void properties;
    throw new FuzzError('the native fuzz runner is not built yet: use --runner serial-native');
  }
}
