// A batcher in its own process, for crash tests: sealed blocks come from a JSON file, and the process stops
// dead (waits forever, to be SIGKILLed) at the chosen point: CRASH_AT=before-broadcast | after-broadcast.
import { readFileSync } from 'node:fs';
import { Batcher } from '../../../sequencer/l1/batcher.js';
import { BatchStore, type DaMode } from '../../../sequencer/l1/batch-store.js';
import type { SealedL2Block } from '../../../sequencer/l1/types.js';
import type { Address, Hex } from '../../../sequencer/primitives/types.js';

const env = process.env;
const blocks = (JSON.parse(readFileSync(env.BLOCKS_FILE!, 'utf8')) as Record<string, unknown>[]).map(
  (b): SealedL2Block => ({
    ...(b as unknown as SealedL2Block),
    number: BigInt(b.number as string),
    timestamp: BigInt(b.timestamp as string),
    gasLimit: BigInt(b.gasLimit as string),
    baseFee: BigInt(b.baseFee as string),
    queueIndexAfter: BigInt(b.queueIndexAfter as string),
  }),
);
const store = new BatchStore(env.DB!);
await store.init();
const hang = (stage: string) => async (batch: number, tx: Hex) => {
  process.stdout.write(`AT ${stage} ${batch} ${tx}\n`);
  await new Promise(() => {}); // dead here until killed
};
const batcher = new Batcher({
  l1Url: env.L1_URL!,
  rollup: env.ROLLUP as Address,
  sequencerKey: env.SEQUENCER_KEY as Hex,
  l2ChainId: BigInt(env.L2_CHAIN_ID!),
  da: (env.DA ?? 'calldata') as DaMode,
  maxBlocksPerBatch: 1,
  store,
  source: { latestSealedBlockNumber: async () => BigInt(blocks.length), getSealedBlocks: async (a, b) => blocks.slice(Number(a) - 1, Number(b)) },
  hooks: env.CRASH_AT === 'before-broadcast' ? { beforeBroadcast: hang('before-broadcast') } : { afterBroadcast: hang('after-broadcast') },
  log: () => {},
});
for (;;) {
  await batcher.tick().catch((e: Error) => process.stdout.write(`ERR ${e.message.split('\n')[0]}\n`));
  await new Promise((r) => setTimeout(r, 100));
}
