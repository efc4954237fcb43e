// Server limits, with geth-like defaults.
export interface RpcLimits {
  /** Largest HTTP request body / WebSocket message, bytes (geth: 5 MiB). */
  maxBodyBytes: number;
  /** Most requests in one batch (geth: 1000). */
  maxBatchSize: number;
  /** Serialized size of one batch's responses (geth: 25 MB). */
  maxBatchResponseBytes: number;
  /** A WebSocket client that leaves this much unread is disconnected. */
  maxWsBufferedBytes: number;
  /** Gas cap for eth_call / eth_estimateGas / debug_traceCall (geth --rpc.gascap: 50M). */
  gasCap: bigint;
  /** Most blocks one eth_getLogs may span. */
  maxLogsBlockRange: bigint;
  /** Most logs one eth_getLogs may return. */
  maxLogsResults: number;
  /** Most live subscriptions per WebSocket connection. */
  maxSubscriptionsPerConnection: number;
  /** Most simultaneous WebSocket connections. */
  maxWsConnections: number;
  /** eth_sendRawTransactionSync default / maximum wait, ms (EIP-7966). */
  sendSyncDefaultTimeoutMs: number;
  sendSyncMaxTimeoutMs: number;
  /** Most blocks eth_feeHistory may cover (geth: 1024). */
  maxFeeHistoryBlocks: number;
  /** Most struct-log steps one debug_traceTransaction may return. */
  maxTraceSteps: number;
  /** eth_call / estimateGas wall-clock limit, ms (geth --rpc.evmtimeout: 5 s), enforced inside the native EVM. */
  evmTimeoutMs: number;
  /**
   * Native call runs in flight (the rest queue). Each holds a libuv worker thread (4 by default) while it
   * runs, and the sequencer's batches, state loads and hashing need those threads too: keep it below 4.
   */
  maxConcurrentCalls: number;
  /** Items of one batch in flight at once; the event loop gets a turn between items. */
  batchConcurrency: number;
  /** Heavy requests (work-limiter.ts, HEAVY_METHODS) in flight per client connection, and server-wide. */
  maxHeavyPerConnection: number;
  maxHeavyGlobal: number;
}

export const DEFAULT_LIMITS: RpcLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatchSize: 1000,
  maxBatchResponseBytes: 25_000_000,
  maxWsBufferedBytes: 4 * 1024 * 1024,
  gasCap: 50_000_000n,
  maxLogsBlockRange: 10_000n,
  maxLogsResults: 10_000,
  maxSubscriptionsPerConnection: 100,
  maxWsConnections: 1000,
  sendSyncDefaultTimeoutMs: 2_000,
  sendSyncMaxTimeoutMs: 30_000,
  maxFeeHistoryBlocks: 1024,
  maxTraceSteps: 1_000_000,
  evmTimeoutMs: 5_000,
  maxConcurrentCalls: 2,
  batchConcurrency: 4,
  maxHeavyPerConnection: 4,
  maxHeavyGlobal: 32,
};

export function resolveLimits(partial?: Partial<RpcLimits>): RpcLimits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}
