// A tiny L2 block producer for the L1 tests: real signed transactions (viem), executed one by one with the
// reference executor on WorldState (sequencer/l1/l2-chain.ts rules), real state roots. It plays the node's
// part: SealedBatchSource for the batcher, DepositSink for the deposit watcher.
import { encodeFunctionData, keccak256, parseAbi, type Hex as VHex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { RLP } from '@ethereumjs/rlp';
import { ReferenceExecutor } from '../../../sequencer/executor/reference/reference-executor.js';
import { WorldState, type GenesisAccount } from '../../../sequencer/state/world-state.js';
import { hexToU8, toAddress, type Address, type Hex } from '../../../sequencer/primitives/types.js';
import { applyL2Block } from '../../../sequencer/l1/l2-chain.js';
import { L2_MESSAGE_PASSER, messagePasserGenesis } from '../../../sequencer/l1/withdrawals.js';
import type { DepositSink, L1QueueItem, SealedBatchSource, SealedL2Block } from '../../../sequencer/l1/types.js';

export const L2_CHAIN_ID = 901n;
export const COINBASE: Address = '0x00000000000000000000000000000000000c0ffe';
export const BASE_FEE = 1_000_000_000n;

// anvil's well-known dev keys #5..#7 as L2 users (they need no L1 funds).
export const USER_KEYS: Hex[] = [
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
];

export function genesisAlloc(users: Address[]): [Address, GenesisAccount][] {
  return [
    ...users.map((a): [Address, GenesisAccount] => [a, { balance: 10n ** 21n }]),
    messagePasserGenesis(),
  ];
}

export class L2TestChain implements SealedBatchSource, DepositSink {
  readonly state: WorldState;
  readonly executor = new ReferenceExecutor();
  readonly users: PrivateKeyAccount[] = USER_KEYS.map((k) => privateKeyToAccount(k as VHex));
  readonly blocks: SealedL2Block[] = [];
  readonly nonces = new Map<Address, bigint>();
  /** Queue items delivered by the watcher, not yet in a block. */
  readonly pendingQueue: L1QueueItem[] = [];
  queueIndex = 0n;
  genesisRoot!: Hex;
  genesisHash!: Hex;
  private timestamp = 1_700_000_000n;

  constructor() {
    this.state = WorldState.fromAlloc(genesisAlloc(this.users.map((u) => toAddress(u.address))));
  }

  async init(): Promise<this> {
    this.genesisRoot = await this.state.stateRoot();
    this.genesisHash = keccak256(RLP.encode([0, hexToU8(this.genesisRoot)])) as Hex;
    return this;
  }

  async transfer(from: number, to: Address, value: bigint): Promise<Hex> {
    return this.sign(from, { to, value, gas: 21_000n, data: '0x' });
  }

  async withdraw(from: number, l1Target: Address, value: bigint): Promise<Hex> {
    const data = encodeFunctionData({ abi: parseAbi(['function initiateWithdrawal(address,bytes) payable']), args: [l1Target, '0x'] });
    return this.sign(from, { to: L2_MESSAGE_PASSER, value, gas: 200_000n, data });
  }

  /** Signs without using up a nonce locally (for forced transactions built ahead). */
  async sign(from: number, tx: { to: Address; value: bigint; gas: bigint; data: Hex }, opts: { reserveNonce?: boolean } = {}): Promise<Hex> {
    const u = this.users[from];
    const addr = toAddress(u.address);
    const nonce = this.nonces.get(addr) ?? 0n;
    if (opts.reserveNonce !== false) this.nonces.set(addr, nonce + 1n);
    return (await u.signTransaction({
      type: 'eip1559',
      chainId: Number(L2_CHAIN_ID),
      nonce: Number(nonce),
      to: tx.to as VHex,
      value: tx.value,
      gas: tx.gas,
      data: tx.data as VHex,
      maxFeePerGas: 3n * BASE_FEE,
      maxPriorityFeePerGas: BASE_FEE,
    })) as Hex;
  }

  /** Seals a block with every pending queue item (up to `maxQueue`) at its start, then `txs`. */
  async produceBlock(txs: Hex[], maxQueue = Infinity): Promise<SealedL2Block> {
    const number = BigInt(this.blocks.length + 1);
    const parentHash = this.blocks.at(-1)?.hash ?? this.genesisHash;
    const queue = this.pendingQueue.splice(0, Math.min(maxQueue, this.pendingQueue.length));
    this.timestamp += 2n;
    const header = { number, timestamp: this.timestamp, coinbase: COINBASE, gasLimit: 30_000_000n, baseFee: BASE_FEE, prevRandao: keccak256(RLP.encode([Number(number)])) as Hex };
    const recent = [...this.blocks].reverse().map((b) => b.hash).concat([this.genesisHash]);
    const applied = await applyL2Block(this.state, this.executor, L2_CHAIN_ID, header, recent, queue, txs);
    this.queueIndex += BigInt(queue.length);
    const hash = keccak256(RLP.encode([Number(number), hexToU8(parentHash), hexToU8(applied.stateRoot), Number(this.timestamp), txs.map(hexToU8)])) as Hex;
    const block: SealedL2Block = { ...header, hash, parentHash, stateRoot: applied.stateRoot, queueIndexAfter: this.queueIndex, txs };
    this.blocks.push(block);
    return block;
  }

  // SealedBatchSource
  async latestSealedBlockNumber(): Promise<bigint> {
    return BigInt(this.blocks.length);
  }
  async getSealedBlocks(from: bigint, to: bigint): Promise<SealedL2Block[]> {
    return this.blocks.slice(Number(from) - 1, Number(to));
  }

  // DepositSink
  async nextQueueIndex(): Promise<bigint> {
    return this.queueIndex + BigInt(this.pendingQueue.length);
  }
  async accept(item: L1QueueItem): Promise<void> {
    if (item.queueIndex !== (await this.nextQueueIndex())) throw new Error(`sink got queue item ${item.queueIndex} out of order`);
    this.pendingQueue.push(item);
  }
}
