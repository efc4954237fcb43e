// Child process for `npm run bench -- rpc-ingress`: the project's JSON-RPC server over one layer of the
// sequencer, so the server CPU of one eth_sendRawTransaction request can be split by layer.
//   --layer http     a node double that answers each raw transaction with its hash (transport + dispatch only)
//   --layer ingress  the SequencerNode without sealing (+ native decode and sender recovery, validation, pool,
//                    mempool group commit on disk)
// (the third layer, sealing, is bench/servers/seq-server.ts). Prints `READY <url>`; exits on SIGTERM.
import { loadGenesisFile } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { bytesToHex, type Hex } from '../../sequencer/primitives/types.js';
import { startRpcServer } from '../../sequencer/rpc/server.js';
import type { RpcNode } from '../../sequencer/rpc/node-api.js';
import { stubNode } from '../../test/rpc/stub-node.js';

const arg = (name: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
};

const layer = arg('layer');
let node: SequencerNode | RpcNode;
if (layer === 'http') {
  const double = await stubNode();
  double.submitRawTransaction = async (raw) => bytesToHex(keccak256(raw)) as Hex;
  node = double;
} else if (layer === 'ingress') {
  node = await SequencerNode.open({ dataDir: arg('data'), genesis: loadGenesisFile(arg('genesis')), sealMode: 'on-demand', mempool: { maxSize: 1_000_000, maxPerSender: 100_000 } });
} else {
  throw new Error(`--layer http|ingress, got ${layer}`);
}
const server = await startRpcServer({ node, host: '127.0.0.1', port: 0 });
process.stdout.write(`READY ${server.url}\n`);
process.on('SIGTERM', () => {
  void (async () => {
    await server.close().catch(() => {});
    if (node instanceof SequencerNode) await node.close().catch(() => {});
    process.exit(0);
  })();
});
