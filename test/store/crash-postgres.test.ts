// Invariant 4 on PostgreSQL: the crash scenario (test/sequencer/crash-scenario.ts) with the chain store in a
// real PostgreSQL server; the sequencer child is SIGKILLed, the server keeps running.
import { after, before, test } from 'node:test';
import { runCrashScenario } from '../sequencer/crash-scenario.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

test('SIGKILL under load on PostgreSQL: acknowledged txs survive, blocks are whole, state root matches', { timeout: 300_000 }, async () => {
  await runCrashScenario(await server.createDatabase('crash'));
});
