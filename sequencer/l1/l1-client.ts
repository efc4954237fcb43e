// The L1 client: viem public/wallet clients around the Rollup contract: deploy, read, typed event queries.
import {
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  http,
  type Abi,
  type PublicClient,
  type Hex as VHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { toAddress, type Address, type Hex } from '../primitives/types.js';
import { loadArtifacts } from './artifacts.js';
import type { L1QueueItem } from './types.js';

export interface RollupConfig {
  sequencer: Address;
  guardian: Address;
  genesisStateRoot: Hex;
  l2ChainId: bigint;
  /** Seconds a queued item may wait before a batch that skips it is rejected. */
  forceInclusionWindow: bigint;
  /** Seconds between a batch (and a withdrawal proof) and the withdrawal's finalization. */
  challengeWindow: bigint;
}

export interface RollupDeployment extends RollupConfig {
  address: Address;
  /** L1 block of the deployment: event scans start here. */
  deployBlock: bigint;
  l1ChainId: number;
}

export function rollupAbi(): Abi {
  return loadArtifacts().Rollup.abi;
}

export function publicClientFor(url: string): PublicClient {
  return createPublicClient({ transport: http(url, { retryCount: 0, timeout: 30_000 }) });
}

/** Deploys the Rollup contract and waits for it (with automine or interval mining). */
export async function deployRollup(l1Url: string, deployerKey: Hex, cfg: RollupConfig): Promise<RollupDeployment> {
  const art = loadArtifacts().Rollup;
  const account = privateKeyToAccount(deployerKey as VHex);
  const pub = publicClientFor(l1Url);
  const l1ChainId = await pub.getChainId();
  const wallet = createWalletClient({ account, transport: http(l1Url), chain: { id: l1ChainId } as never });
  const hash = await wallet.deployContract({
    abi: art.abi,
    bytecode: art.bytecode,
    args: [cfg.sequencer, cfg.guardian, cfg.genesisStateRoot, cfg.l2ChainId, cfg.forceInclusionWindow, cfg.challengeWindow],
    chain: null,
  });
  const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 100 });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`Rollup deployment failed (tx ${hash})`);
  return { ...cfg, address: toAddress(receipt.contractAddress), deployBlock: receipt.blockNumber, l1ChainId };
}

export interface OnChainBatch {
  stateRoot: Hex;
  dataCommitment: Hex;
  firstBlock: bigint;
  lastBlock: bigint;
  postedAt: bigint;
  daKind: number;
  queueIndexAfter: bigint;
}

export interface BatchSubmittedEvent {
  batchIndex: bigint;
  prevStateRoot: Hex;
  newStateRoot: Hex;
  firstBlock: bigint;
  lastBlock: bigint;
  queueIndexAfter: bigint;
  daKind: number;
  dataCommitment: Hex;
  l1BlockNumber: bigint;
  l1TxHash: Hex;
}

/** Reads of the Rollup contract. */
export class RollupReader {
  readonly abi = rollupAbi();
  constructor(
    readonly client: PublicClient,
    readonly address: Address,
    readonly deployBlock: bigint = 0n,
  ) {}

  private read<T>(functionName: string, args: unknown[] = [], blockNumber?: bigint): Promise<T> {
    return this.client.readContract({ address: this.address, abi: this.abi, functionName, args, blockNumber }) as Promise<T>;
  }

  /** At the latest block, or at `blockNumber`. */
  nextBatchIndex(blockNumber?: bigint): Promise<bigint> {
    return this.read('nextBatchIndex', [], blockNumber);
  }
  lastStateRoot(): Promise<Hex> {
    return this.read('lastStateRoot');
  }
  lastL2Block(): Promise<bigint> {
    return this.read<bigint | number>('lastL2Block').then(BigInt);
  }
  queueLength(): Promise<bigint> {
    return this.read('queueLength');
  }
  queueConsumed(): Promise<bigint> {
    return this.read('queueConsumed');
  }
  queueAccumulator(i: bigint): Promise<Hex> {
    return this.read('queueAccumulators', [i]);
  }
  genesisStateRoot(): Promise<Hex> {
    return this.read('genesisStateRoot');
  }
  async batch(i: bigint): Promise<OnChainBatch> {
    const b = await this.read<{ stateRoot: Hex; dataCommitment: Hex; firstBlock: bigint; lastBlock: bigint; postedAt: bigint; daKind: number; queueIndexAfter: bigint }>('batches', [i]);
    return { ...b, firstBlock: BigInt(b.firstBlock), lastBlock: BigInt(b.lastBlock), postedAt: BigInt(b.postedAt), daKind: Number(b.daKind) };
  }

  private async logs(eventName: string, fromBlock: bigint, toBlock?: bigint) {
    const event = this.abi.find((x) => x.type === 'event' && x.name === eventName);
    if (!event || event.type !== 'event') throw new Error(`no event ${eventName}`);
    return this.client.getLogs({ address: this.address, event, fromBlock, toBlock: toBlock ?? 'latest' });
  }

  async batchEvents(fromBlock = this.deployBlock, toBlock?: bigint): Promise<BatchSubmittedEvent[]> {
    const logs = await this.logs('BatchSubmitted', fromBlock, toBlock);
    return logs.map((l) => {
      const { args } = decodeEventLog({ abi: this.abi, data: l.data, topics: l.topics }) as unknown as { args: Omit<BatchSubmittedEvent, 'l1BlockNumber' | 'l1TxHash'> };
      return {
        ...args,
        firstBlock: BigInt(args.firstBlock),
        lastBlock: BigInt(args.lastBlock),
        daKind: Number(args.daKind),
        l1BlockNumber: l.blockNumber!,
        l1TxHash: l.transactionHash! as Hex,
      };
    });
  }

  async queueItems(fromBlock = this.deployBlock, toBlock?: bigint): Promise<L1QueueItem[]> {
    const logs = await this.logs('QueueItemAdded', fromBlock, toBlock);
    return logs.map((l) => {
      const { args } = decodeEventLog({ abi: this.abi, data: l.data, topics: l.topics }) as unknown as {
        args: { queueIndex: bigint; kind: number; l1Sender: string; to: string; value: bigint; data: Hex; timestamp: bigint; accumulator: Hex };
      };
      return {
        queueIndex: args.queueIndex,
        kind: Number(args.kind) as 0 | 1,
        l1Sender: toAddress(args.l1Sender),
        to: toAddress(args.to),
        value: args.value,
        data: args.data,
        l1Timestamp: BigInt(args.timestamp),
        accumulator: args.accumulator,
        l1BlockNumber: l.blockNumber!,
        l1TxHash: l.transactionHash! as Hex,
      };
    });
  }
}
