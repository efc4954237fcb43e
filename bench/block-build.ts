// The block build stage (issue #13) in one process: `buildBlock` of a block of N transactions of a workload
// (erc20, transfers), and each of its parts timed alone, so the split says where the stage's time goes:
//   txRoot       the transactions trie root of the raw transactions
//   receipts     the receipts' consensus encodings, their logs blooms and the receipts trie root
//   header       the header object, its RLP and its hash
//   size         the block's RLP size
// The rest of the stage (build minus the parts) is the stored receipts and transactions (what persist and the
// RPC read).
// The transactions are the workload's signed ones, decoded as the node holds them; the outcomes have the
// shape the executor reports (ERC-20: one Transfer log each; transfers: none) since the build reads nothing
// else of execution. Times are process CPU per block (median of --reps after --warmup blocks), with wall.
//   npm run bench -- block-build [--json] [--txs 5000] [--reps 7] [--workloads erc20,transfers] [--out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBlock, blockSize } from '../sequencer/block/builder.js';
import { orderedTrieRoot } from '../sequencer/block/ordered-trie.js';
import { receiptsRoot } from '../sequencer/block/receipts-root.js';
import { commonFor } from '../sequencer/chain/common.js';
import { DEFAULT_CHAIN_ID } from '../sequencer/genesis/genesis.js';
import { txFromStored } from '../sequencer/ingress/decode.js';
import type { BlockEnv, Log, TxExecuted } from '../sequencer/executor/types.js';
import type { PoolEntry } from '../sequencer/mempool/entry.js';
import { toWord, type Hex } from '../sequencer/primitives/types.js';
import type { IncludedTx } from '../sequencer/scheduler/scheduler.js';
import { createBlockHeader } from '@ethereumjs/block';
import { ADDR, makeWorkload, type WorkloadName } from './workloads.js';
import { walkBenchFlags } from './bench-flags.js';

interface Options {
  json: boolean;
  txs: number;
  reps: number;
  warmup: number;
  workloads: WorkloadName[];
  out: string;
}

const USAGE = 'usage: npm run bench -- block-build [--json] [--txs N] [--reps N] [--warmup N] [--workloads erc20,transfers] [--out DIR]';
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef' as Hex;

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, txs: 5000, reps: 7, warmup: 3, workloads: ['erc20', 'transfers'], out: fileURLToPath(new URL('./results', import.meta.url)) };
  walkBenchFlags(argv, USAGE, (flag, value) => {
    if (flag === '--json') o.json = true;
    else if (flag === '--txs') o.txs = value.positiveInt();
    else if (flag === '--reps') o.reps = value.positiveInt();
    else if (flag === '--warmup') o.warmup = Number(value.text());
    else if (flag === '--workloads') o.workloads = value.text().split(',') as WorkloadName[];
    else if (flag === '--out') o.out = value.text();
    else return false;
    return true;
  });
  for (const w of o.workloads) if (w !== 'erc20' && w !== 'transfers') throw new Error(`block-build workloads: erc20, transfers (got ${w})\n${USAGE}`);
  return o;
}

/** The block's transactions as the scheduler hands them to the builder. */
function includedTxs(name: WorkloadName, txs: number): IncludedTx[] {
  const w = makeWorkload(name, txs);
  let cumulative = 0n;
  return w.raws.map((raw, i) => {
    const tx = txFromStored(raw, w.from[i], DEFAULT_CHAIN_ID);
    const data = tx.exec.data;
    // transfer(to, amount): the Transfer log the token emits.
    const logs: Log[] =
      tx.exec.to === ADDR.token ? [{ address: ADDR.token, topics: [TRANSFER_TOPIC, toWord(BigInt(tx.exec.from)), `0x${Buffer.from(data.subarray(4, 36)).toString('hex')}` as Hex], data: data.slice(36, 68) }] : [];
    const gasUsed = logs.length > 0 ? 51_000n + BigInt(i % 7) : 21_000n;
    cumulative += gasUsed;
    const outcome = { kind: 'executed', status: 'success', gasUsed, logs, returnData: new Uint8Array(0), reads: new Set(), writes: new Set(), changes: [], coinbaseCredit: 0n, readsCoinbase: false, blobGasUsed: 0n } as TxExecuted;
    const entry: PoolEntry = { tx, seq: i, durable: true, inBlock: true };
    return { entry, outcome, cumulativeGasUsed: cumulative };
  });
}

function env(): BlockEnv {
  return { chainId: DEFAULT_CHAIN_ID, number: 7n, timestamp: 1_900_000_000n, coinbase: ADDR.counter, gasLimit: 1_000_000_000n, baseFee: 7n, prevRandao: toWord(5n), excessBlobGas: 0n, recentBlockHashes: [] };
}

interface Timing {
  cpuMs: number;
  wallMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(reps: number, warmup: number, f: () => unknown): Promise<Timing> {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < warmup + reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    const c = process.cpuUsage(c0);
    if (r >= warmup) {
      cpu.push((c.user + c.system) / 1000);
      wall.push(performance.now() - t0);
    }
  }
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

export interface BlockBuildResult {
  workload: WorkloadName;
  txs: number;
  /** The whole stage (buildBlock). */
  build: Timing;
  /** Each part alone; they overlap buildBlock, they do not add up to it exactly. */
  parts: Record<'txRoot' | 'receipts' | 'header' | 'size', Timing>;
  usPerTx: number;
}

async function measure(name: WorkloadName, o: Options): Promise<BlockBuildResult> {
  const included = includedTxs(name, o.txs);
  const e = env();
  const common = commonFor(DEFAULT_CHAIN_ID, 'Osaka');
  const args = { common, parentHash: toWord(1n), env: e, included, stateRoot: toWord(2n), blobGasUsed: 0n };
  const built = await buildBlock(args);
  const raws = included.map((t) => t.entry.tx.raw);
  const fields = included.map((x) => ({ type: x.entry.tx.exec.type, success: true, cumulativeGasUsed: x.cumulativeGasUsed, logs: x.outcome.logs }));
  const t = (f: () => unknown) => timed(o.reps, o.warmup, f);
  const parts = {
    txRoot: await t(() => orderedTrieRoot(raws)),
    receipts: await t(() => receiptsRoot(fields)),
    header: await t(() => {
      const h = createBlockHeader(built.header.toJSON() as never, { common: built.header.common, setHardfork: false, skipConsensusFormatValidation: true });
      h.serialize();
      return h.hash();
    }),
    size: await t(() => blockSize(built.stored.header, raws)),
  };
  const build = await t(() => buildBlock(args));
  return { workload: name, txs: o.txs, build, parts, usPerTx: (build.cpuMs * 1000) / o.txs };
}

export async function blockBuildMain(argv: string[]): Promise<void> {
  const o = parseArgs(argv);
  const results: BlockBuildResult[] = [];
  for (const w of o.workloads) results.push(await measure(w, o));
  const out = { bench: 'block-build', time: new Date().toISOString(), loadavg: loadavg(), cpus: cpus().length, reps: o.reps, results };
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, `block-build-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2));
  if (o.json) console.log(JSON.stringify(out));
  else {
    for (const r of results) {
      const p = Object.entries(r.parts).map(([k, v]) => `${k} ${v.cpuMs.toFixed(2)}`).join(', ');
      console.log(`${r.workload} ${r.txs} txs: build ${r.build.cpuMs.toFixed(2)} ms CPU (${r.build.wallMs.toFixed(2)} wall), ${r.usPerTx.toFixed(2)} µs/tx; parts (ms CPU): ${p}`);
    }
    console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${file}`);
  }
}
