// Child process for the end-to-end bench: our SequencerNode (interval sealing, SQLite on disk) behind the
// project's JSON-RPC server on 127.0.0.1. Prints `READY <url>`; on stdin `stats` prints `STATS <json>`
// (summed scheduler statistics of the blocks sealed so far); exits cleanly on stdin `exit` or SIGTERM.
import { createInterface } from 'node:readline';
import { loadGenesisFile } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { BlockStats } from '../../sequencer/node/types.js';
import { startRpcServer } from '../../sequencer/rpc/server.js';
import { summarize } from '../pipeline.js';

const arg = (name: string, dflt?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) {
    if (dflt === undefined) throw new Error(`missing --${name}`);
    return dflt;
  }
  return process.argv[i + 1];
};

const executorName = arg('executor', 'reference');
let executor;
if (executorName === 'native') {
  const { createExecutor } = await import('../../sequencer/executor/create-executor.js');
  executor = await createExecutor('native');
}
const node = await SequencerNode.open({
  dataDir: arg('data'),
  genesis: loadGenesisFile(arg('genesis')),
  sealMode: 'interval',
  blockTimeMs: Number(arg('block-time', '250')),
  executor,
  mempool: { maxSize: 1_000_000, maxPerSender: 100_000 },
});
const all: BlockStats[] = [];
node.events.on('stats', (s) => all.push(s));
const server = await startRpcServer({ node, host: '127.0.0.1', port: Number(arg('port', '0')) });
process.stdout.write(`READY ${server.url}\n`);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close().catch(() => {});
  await node.close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') process.stdout.write(`STATS ${JSON.stringify(summarize(all))}\n`);
  if (line.trim() === 'exit') void shutdown();
});
