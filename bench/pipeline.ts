// Our sequencer's pipeline in-process (no RPC): ingress (decode + recover + validate + mempool persist), then
// on-demand sealing until the pool is empty, with the node's per-block scheduler statistics. Also the
// stand-alone decode and sender-recovery stages on the same raw transactions.
import type { BlockEnv, Executor, ExecTx } from '../sequencer/executor/types.js';
import { DEFAULT_CHAIN_ID } from '../sequencer/genesis/genesis.js';
import { decodeAndRecoverBatch, decodeRawTransaction, type DecodedTx } from '../sequencer/ingress/decode.js';
import { decodeAndRecoverBatchNative } from '../sequencer/ingress/native-decode.js';
import { InlineSenderRecoverer, NativeAddonSenderRecoverer } from '../sequencer/ingress/recover.js';
import { loadAddon } from '../sequencer/native/addon.js';
import { SequencerNode } from '../sequencer/node/node.js';
import type { BlockStats } from '../sequencer/node/types.js';
import type { Address, Hex } from '../sequencer/primitives/types.js';
import type { Workload } from './workloads.js';

export type Unavailable = { available: false; reason: string };

export interface SchedulerSummary {
  blocks: number;
  txs: number;
  rounds: number;
  roundsPerBlock: number;
  executions: number;
  conflicts: number;
  conflictRate: number;
  reExecutions: number;
  /** Re-executions / executions. */
  reExecutedShare: number;
  /** Executions held back until the parent's hash was known (BLOCKHASH gate of the pipeline). */
  heldForParentHash: number;
  dropped: number;
  gasUsed: string;
  /** Summed per-block stage times (ms); see BlockStats. */
  execMs: number;
  /** Scheduling beyond the executor: candidate picking, validation, overlay commits, L1 queue items. */
  scheduleMs: number;
  commitMs: number;
  rootMs: number;
  buildMs: number;
  persistMs: number;
  /** Waiting in the pipeline: for the parent's root before commit, for the parent to be durable before sealing. */
  commitWaitMs: number;
  sealWaitMs: number;
  /** Execution time that ran while the previous block was sealing (root, build, persist). */
  overlapMs: number;
  /** Sum of the stages above (exec + schedule + commit + root + build + persist) less the overlap: busy wall time. */
  pipelinedMs: number;
  /** Each stage's share of the summed stage times (exec ... persist). */
  shares: { exec: number; schedule: number; commit: number; root: number; build: number; persist: number };
  /** Per-block latency, execution start to announced, summed. */
  totalMs: number;
}

export function summarize(stats: readonly BlockStats[]): SchedulerSummary {
  const sum = (f: (s: BlockStats) => number) => stats.reduce((a, s) => a + f(s), 0);
  const executions = sum((s) => s.executions);
  const blocks = stats.length;
  const rounds = sum((s) => s.rounds);
  const stage = {
    exec: sum((s) => s.execMs),
    schedule: sum((s) => s.scheduleMs),
    commit: sum((s) => s.commitMs),
    root: sum((s) => s.rootMs),
    build: sum((s) => s.buildMs),
    persist: sum((s) => s.persistMs),
  };
  const stageSum = Object.values(stage).reduce((a, b) => a + b, 0);
  const overlapMs = sum((s) => s.overlapMs);
  const share = (v: number) => (stageSum > 0 ? v / stageSum : 0);
  return {
    blocks,
    txs: sum((s) => s.txs),
    rounds,
    roundsPerBlock: blocks ? rounds / blocks : 0,
    executions,
    conflicts: sum((s) => s.conflicts),
    conflictRate: executions ? sum((s) => s.conflicts) / executions : 0,
    reExecutions: sum((s) => s.reExecutions),
    reExecutedShare: executions ? sum((s) => s.reExecutions) / executions : 0,
    heldForParentHash: sum((s) => s.heldForParentHash),
    dropped: sum((s) => s.dropped),
    gasUsed: stats.reduce((a, s) => a + s.gasUsed, 0n).toString(),
    execMs: stage.exec,
    scheduleMs: stage.schedule,
    commitMs: stage.commit,
    rootMs: stage.root,
    buildMs: stage.build,
    persistMs: stage.persist,
    commitWaitMs: sum((s) => s.commitWaitMs),
    sealWaitMs: sum((s) => s.sealWaitMs),
    overlapMs,
    pipelinedMs: stageSum - overlapMs,
    shares: { exec: share(stage.exec), schedule: share(stage.schedule), commit: share(stage.commit), root: share(stage.root), build: share(stage.build), persist: share(stage.persist) },
    totalMs: sum((s) => s.totalMs),
  };
}

export interface PipelineResult {
  available: true;
  txs: number;
  included: number;
  /** submitRawTransactions over all txs: decode + recover + validate + mempool persist. */
  ingressMs: number;
  /** Sealing until the pool is empty. */
  sealMs: number;
  scheduler: SchedulerSummary;
}

/** Runs the workload through a SequencerNode (on-demand sealing); `executor` defaults to the node's reference one. */
export async function runPipeline(w: Workload, opts: { dataDir: string; executor?: Executor; ingressChunk?: number }): Promise<PipelineResult | Unavailable> {
  const node = await SequencerNode.open({
    dataDir: opts.dataDir,
    genesis: w.genesis,
    sealMode: 'on-demand',
    executor: opts.executor,
    mempool: { maxSize: Math.max(16384, w.raws.length * 2), maxPerSender: 100_000 },
  });
  try {
    return await drainThroughNode(node, w.raws, opts.ingressChunk);
  } finally {
    await node.close().catch(() => {});
  }
}

/** Submits every raw transaction to an open node (on-demand sealing), then seals until its pool is empty. */
export async function drainThroughNode(node: SequencerNode, raws: readonly Uint8Array[], ingressChunk = 1000): Promise<PipelineResult | Unavailable> {
  const t0 = performance.now();
  for (let i = 0; i < raws.length; i += ingressChunk) {
    const res = await node.submitRawTransactions(raws.slice(i, i + ingressChunk));
    const bad = res.find((r) => 'error' in r) as { error: Error } | undefined;
    if (bad) throw new Error(`ingress rejected a workload tx: ${bad.error.message}`);
  }
  const t1 = performance.now();
  let included = 0;
  try {
    while (node.pool.size > 0) {
      const b = await node.sealBlock();
      if (!b) throw new Error(`sealing stuck with ${node.pool.size} pending`);
      included += b.txHashes.length;
    }
  } catch (e) {
    return { available: false, reason: `sealing failed: ${(e as Error).message}` };
  }
  const t2 = performance.now();
  return { available: true, txs: raws.length, included, ingressMs: t1 - t0, sealMs: t2 - t1, scheduler: summarize(node.recentStats()) };
}

export interface IngressStages {
  decodeMs: number;
  recover: { name: string; ms: number; perTxUs: number; matches: boolean }[];
  nativeRecover: { name: string; ms: number; perTxUs: number; matches: boolean } | Unavailable;
  /** The node's ingress path: the addon's decodeTransactions (decode, checks, hashes, recovery) in chunks of 1,000. */
  nativeDecode: { name: string; ms: number; perTxUs: number; matches: boolean } | Unavailable;
}

/** Decode alone, then batched sender recovery (libsecp256k1 inline, and the native addon's batch kernel); and the native decoder doing both. */
export async function ingressStages(w: Workload): Promise<IngressStages> {
  // Warm the decoder (JIT, Common setup) so the timed pass is comparable with the warm ingress path.
  for (const r of w.raws.slice(0, 50)) decodeRawTransaction(r, { chainId: DEFAULT_CHAIN_ID });
  const t0 = performance.now();
  const decoded: DecodedTx[] = w.raws.map((r) => decodeRawTransaction(r, { chainId: DEFAULT_CHAIN_ID }));
  const decodeMs = performance.now() - t0;
  const inputs = decoded.map((d) => d.recovery);
  const same = (got: (Address | null)[]) => got.every((a, i) => a === w.from[i]);
  const recover: IngressStages['recover'] = [];
  const inline = new InlineSenderRecoverer();
  const t1 = performance.now();
  const got = await inline.recoverBatch(inputs);
  const ms = performance.now() - t1;
  recover.push({ name: inline.name, ms, perTxUs: (ms * 1000) / inputs.length, matches: same(got) });
  let nativeRecover: IngressStages['nativeRecover'];
  try {
    const addon = loadAddon();
    if (typeof addon.recoverSendersBatch !== 'function') throw new Error('addon has no recoverSendersBatch (branch native not merged or not rebuilt)');
    const native = new NativeAddonSenderRecoverer(addon);
    const t2 = performance.now();
    const addrs = await native.recoverBatch(inputs);
    const nms = performance.now() - t2;
    const info = addon.backendInfo();
    nativeRecover = { name: `addon recoverSendersBatch (${info.kind}, ${info.threads} threads)`, ms: nms, perTxUs: (nms * 1000) / inputs.length, matches: same(addrs) };
  } catch (e) {
    nativeRecover = { available: false, reason: (e as Error).message };
  }
  let nativeDecode: IngressStages['nativeDecode'];
  try {
    const addon = loadAddon();
    if (typeof addon.decodeTransactions !== 'function') throw new Error('addon has no decodeTransactions (not rebuilt)');
    const opts = { chainId: DEFAULT_CHAIN_ID };
    await decodeAndRecoverBatchNative(w.raws.slice(0, 50), opts, addon);
    const t3 = performance.now();
    const out: (Address | null)[] = [];
    for (let i = 0; i < w.raws.length; i += 1000) {
      for (const r of await decodeAndRecoverBatchNative(w.raws.slice(i, i + 1000), opts, addon)) out.push('exec' in r ? r.exec.from : null);
    }
    const ms = performance.now() - t3;
    nativeDecode = { name: 'addon decodeTransactions', ms, perTxUs: (ms * 1000) / w.raws.length, matches: same(out) };
  } catch (e) {
    nativeDecode = { available: false, reason: (e as Error).message };
  }
  return { decodeMs, recover, nativeRecover, nativeDecode };
}

/** The environment of block 1 on the workload's genesis (executor-batch measurements). */
export function batchEnv(w: Workload): BlockEnv {
  return {
    chainId: w.genesis.chainId,
    number: 1n,
    timestamp: 1n,
    coinbase: w.genesis.coinbase,
    gasLimit: w.genesis.gasLimit,
    baseFee: w.genesis.baseFeePerGas,
    prevRandao: `0x${'00'.repeat(32)}` as Hex,
    excessBlobGas: 0n,
    recentBlockHashes: [],
  };
}

/** Each sender's first transaction (nonce 0): the batch that is valid against the genesis state. */
export async function firstRound(w: Workload): Promise<ExecTx[]> {
  const n = w.senders.length;
  const decoded = await decodeAndRecoverBatch(w.raws.slice(0, n), { chainId: DEFAULT_CHAIN_ID }, new InlineSenderRecoverer());
  return decoded.map((d) => {
    if (d instanceof Error) throw d;
    return d.exec;
  });
}
