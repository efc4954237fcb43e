// The shared test data (ethereum/tests, execution-spec-tests, precompile vectors) lives in ../shared beside the
// repository; tests read it in place. ETHEREUM_TESTS overrides the ethereum/tests folder alone.
import { join } from 'node:path';

export const SHARED_DIR = join(import.meta.dirname, '../../../shared');

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

export const ETHEREUM_TESTS_DIR = process.env.ETHEREUM_TESTS ?? sharedPath('ethereum-tests');
