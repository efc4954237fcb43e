// Child process of the crash test: a sequencer in interval mode on a data dir, fed raw transactions by the
// parent over IPC; it answers each batch with the hashes submitRawTransactions returned.
import { SequencerNode } from '../../sequencer/node/node.js';
import { workloadGenesis, makeSenders } from './workload.js';

const dataDir = process.argv[2];
const senders = makeSenders(Number(process.argv[3]), Number(process.argv[4]));
const node = await SequencerNode.open({ dataDir, genesis: workloadGenesis(senders), sealMode: 'interval', blockTimeMs: 30 });
let chain: Promise<unknown> = Promise.resolve();
process.on('message', (msg: { id: number; raws: string[] }) => {
  chain = chain.then(async () => {
    const res = await node.submitRawTransactions(msg.raws.map((r) => Buffer.from(r, 'hex')));
    process.send!({ id: msg.id, hashes: res.map((r) => ('hash' in r ? r.hash : null)), errors: res.map((r) => ('error' in r ? r.error.message : null)) });
  });
});
node.events.on('block', (b) => process.send!({ block: Number(b.header.number) }));
process.send!({ ready: true, head: Number(node.blockNumber()) });
