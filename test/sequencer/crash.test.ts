// Invariant 4 (nothing accepted is lost) and durable blocks on the embedded SQLite store: see
// crash-scenario.ts (test/store/crash-postgres.test.ts runs the same scenario on PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCrashScenario } from './crash-scenario.js';

test('SIGKILL under load: acknowledged txs survive, blocks are whole, state root matches', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seq-crash-'));
  try {
    await runCrashScenario(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
