// A minimal RpcNode for transport tests: a genesis block over a WorldState, no sealing.
import type { RpcBlock, RpcNode } from '../../sequencer/rpc/node-api.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';

export const FUNDED: Address = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

export async function stubNode(): Promise<RpcNode> {
  const state = WorldState.fromAlloc([[FUNDED, { balance: 10n ** 22n }]]);
  const root = await state.stateRoot();
  const zero32 = `0x${'00'.repeat(32)}` as Hex;
  const genesis: RpcBlock = {
    header: {
      number: 0n,
      hash: `0x${'11'.repeat(32)}`,
      parentHash: zero32,
      stateRoot: root,
      transactionsRoot: zero32,
      receiptsRoot: zero32,
      logsBloom: `0x${'00'.repeat(256)}`,
      timestamp: 0n,
      gasLimit: 30_000_000n,
      gasUsed: 0n,
      baseFeePerGas: 1_000_000_000n,
      miner: '0x4200000000000000000000000000000000000011',
      extraData: '0x',
      mixHash: zero32,
      blobGasUsed: 0n,
      excessBlobGas: 0n,
      parentBeaconBlockRoot: zero32,
      withdrawalsRoot: zero32,
      size: 500n,
    },
    transactions: [],
    transactionHashes: [],
  };
  return {
    chainId: 42069n,
    headNumber: () => 0n,
    getBlockByNumber: async (n) => (n === 0n ? genesis : undefined),
    getBlockByHash: async (h) => (h === genesis.header.hash ? genesis : undefined),
    getTransaction: async () => undefined,
    getReceipt: async () => undefined,
    getBlockReceipts: async (n) => (n === 0n ? [] : undefined),
    getLogs: async () => [],
    blockHash: async (n) => (n === 0n ? genesis.header.hash : undefined),
    feeHistory: async () => [{ number: 0n, baseFeePerGas: 1_000_000_000n, gasUsed: 0n, gasLimit: 30_000_000n, blobGasUsed: 0n, excessBlobGas: 0n, tips: [] }],
    latestState: () => state,
    stateAt: async () => undefined,
    pendingNonce: (a) => state.getAccount(a)?.nonce ?? 0n,
    submitRawTransaction: async () => {
      throw Object.assign(new Error('invalid transaction: rlp: expected input list'), { code: 'MALFORMED' });
    },
    nextBlockEnv: () => ({
      chainId: 42069n,
      number: 1n,
      timestamp: 1n,
      coinbase: '0x4200000000000000000000000000000000000011',
      gasLimit: 30_000_000n,
      baseFee: 875_000_000n,
      prevRandao: zero32,
      excessBlobGas: 0n,
      recentBlockHashes: [genesis.header.hash],
    }),
    blockEnv: async () => undefined,
    pendingTransactionHashes: () => [],
    onBlock: () => () => {},
    onLogs: () => () => {},
    onPendingTransaction: () => () => {},
  };
}
