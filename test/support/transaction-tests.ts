// ethereum/tests TransactionTests (../shared beside the repository): every case with a Cancun result, its raw
// bytes (an undecodable hex string becomes 0xff, which every decoder must refuse) and the expected outcome.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hexToU8 } from '../../sequencer/primitives/types.js';
import { sharedPath } from './shared-data.js';

const ROOT = sharedPath('ethereum-tests/TransactionTests');

export interface TransactionTestCase {
  name: string;
  raw: Uint8Array;
  expect: { hash?: string; sender?: string; exception?: string };
}

export function loadCancunTransactionTests(): TransactionTestCase[] {
  const cases: TransactionTestCase[] = [];
  for (const dir of readdirSync(ROOT)) {
    for (const file of readdirSync(join(ROOT, dir))) {
      const json = JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8'));
      for (const [name, t] of Object.entries<{ txbytes: string; result: Record<string, TransactionTestCase['expect']> }>(json)) {
        const r = t.result.Cancun;
        if (!r) continue;
        let raw: Uint8Array;
        try {
          raw = hexToU8(t.txbytes);
        } catch {
          raw = Uint8Array.of(0xff);
        }
        cases.push({ name: `${dir}/${name}`, raw, expect: r });
      }
    }
  }
  return cases;
}
