// A sequencer node with its JSON-RPC server in a child process (the parent SIGKILLs it): data dir and
// mempool caps from argv, the RPC URL sent to the parent over IPC once it serves.
import { SequencerNode } from '../../../sequencer/node/node.js';
import { startRpcServer } from '../../../sequencer/rpc/server.js';

const [dataDir, blockTimeMs] = process.argv.slice(2);
const node = await SequencerNode.open({ dataDir, sealMode: 'interval', blockTimeMs: Number(blockTimeMs) });
const server = await startRpcServer({ node, port: 0 });
process.send!({ url: server.url });
