// A sequencer on a given store (data dir or postgres:// URL) with its JSON-RPC on a free port, in a child process
// (the replica tests SIGKILL it; bench/reads.ts measures it). Args: STORE BLOCK_TIME_MS [reference|native].
// Prints `sequencer ready <url>` once it serves.
import { SequencerNode } from '../../sequencer/node/node.js';
import { startRpcServer } from '../../sequencer/rpc/server.js';
import { devAccounts } from '../../sequencer/genesis/dev.js';
import { createExecutor, type ExecutorName } from '../../sequencer/executor/create-executor.js';

const [store, blockTimeMs, executorName = 'reference'] = process.argv.slice(2);
const executor = await createExecutor(executorName as ExecutorName);
const node = await SequencerNode.open({ dataDir: store, sealMode: 'interval', blockTimeMs: Number(blockTimeMs), idleBlockMs: 0, executor });
const server = await startRpcServer({ node, port: 0, devAccounts: devAccounts(10) });
process.stdout.write(`sequencer ready ${server.url}\n`);
