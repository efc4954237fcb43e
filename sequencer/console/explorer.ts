// Block / transaction / address lookups for the console explorer, with logs and calldata decoded against a
// small table of well-known ABIs (ERC-20, ERC-721, WETH, Ownable). Unknown logs are shown raw.
import { decodeEventLog, decodeFunctionData, parseAbi, type Abi } from 'viem';
import type { BlockView, LogView, ReceiptView, TxLookup } from '../node/types.js';
import { bytesToHex, type Address, type Hex } from '../primitives/types.js';

export interface ExplorerNode {
  blockNumber(): bigint;
  getBlockByNumber(n: bigint, full?: boolean): Promise<BlockView | null>;
  getBlockByHash(h: Hex, full?: boolean): Promise<BlockView | null>;
  getTransaction(hash: Hex): Promise<TxLookup | null>;
  getReceipt(hash: Hex): Promise<ReceiptView | null>;
  getLogs(filter: { fromBlock?: bigint; toBlock?: bigint; addresses?: Address[]; topics?: (Hex[] | null)[] }): Promise<LogView[]>;
  getState(): { getAccount(a: Address): { nonce: bigint; balance: bigint; code: Uint8Array } | undefined };
  pendingNonce(a: Address): bigint;
  pool: { queue(sender: Address): readonly { tx: { exec: { hash: Hex; nonce: bigint; to: Address | null; value: bigint; gasLimit: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint; gasPrice?: bigint } } }[] };
}

const KNOWN: Abi = parseAbi([
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
  'event ApprovalForAll(address indexed owner, address indexed operator, bool approved)',
  'event Deposit(address indexed dst, uint256 wad)',
  'event Withdrawal(address indexed src, uint256 wad)',
  'event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)',
  'function transfer(address to, uint256 value) returns (bool)',
  'function approve(address spender, uint256 value) returns (bool)',
  'function transferFrom(address from, address to, uint256 value) returns (bool)',
  'function deposit()',
  'function withdraw(uint256 wad)',
]);
// ERC-721 Transfer has the same signature as ERC-20's with the value indexed.
const KNOWN_721: Abi = parseAbi(['event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)']);

const jsonable = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : Array.isArray(v) ? v.map(jsonable) : v);

export interface DecodedLog {
  logIndex: number;
  address: Address;
  topics: Hex[];
  data: Hex;
  txHash: Hex;
  blockNumber: bigint;
  event?: string;
  args?: Record<string, unknown>;
}

export function decodeLog(l: LogView): DecodedLog {
  const data = bytesToHex(l.data) as Hex;
  const out: DecodedLog = { logIndex: l.logIndex, address: l.address, topics: l.topics, data, txHash: l.txHash, blockNumber: l.blockNumber };
  for (const abi of [KNOWN, KNOWN_721]) {
    try {
      const d = decodeEventLog({ abi, topics: l.topics as [Hex, ...Hex[]], data, strict: true });
      out.event = d.eventName;
      out.args = Object.fromEntries(Object.entries((d.args ?? {}) as Record<string, unknown>).map(([k, v]) => [k, jsonable(v)]));
      return out;
    } catch {
      // try the next ABI
    }
  }
  return out;
}

export function decodeInput(data: Uint8Array): { fn?: string; args?: unknown[]; selector?: Hex } {
  if (data.length < 4) return {};
  const hex = bytesToHex(data) as Hex;
  try {
    const d = decodeFunctionData({ abi: KNOWN, data: hex });
    return { fn: d.functionName, args: (d.args ?? []).map(jsonable), selector: hex.slice(0, 10) as Hex };
  } catch {
    return { selector: hex.slice(0, 10) as Hex };
  }
}

function txSummary(t: NonNullable<BlockView['txs']>[number], r: ReceiptView | null) {
  return {
    hash: t.hash,
    from: t.from,
    to: t.to,
    value: t.value,
    nonce: t.nonce,
    type: t.type,
    method: t.to === null ? 'create' : decodeInput(t.data).fn ?? (t.data.length >= 4 ? bytesToHex(t.data.subarray(0, 4)) : t.data.length === 0 ? 'eth transfer' : 'call'),
    status: r?.status,
    gasUsed: r?.gasUsed,
    logs: r?.logs.length ?? 0,
  };
}

export async function blockDetail(node: ExplorerNode, id: bigint | Hex) {
  const b = typeof id === 'bigint' ? await node.getBlockByNumber(id, true) : await node.getBlockByHash(id, true);
  if (!b) return null;
  const txs = b.txs ?? [];
  const receipts = await Promise.all(txs.slice(0, 500).map((t) => node.getReceipt(t.hash)));
  return { header: b.header, txCount: b.txHashes.length, txs: txs.slice(0, 500).map((t, i) => txSummary(t, receipts[i])), truncated: txs.length > 500 };
}

export async function txDetail(node: ExplorerNode, hash: Hex) {
  const t = await node.getTransaction(hash);
  if (!t) return null;
  const r = t.location ? await node.getReceipt(hash) : null;
  const { raw, data, v, r: sr, s, ...rest } = t.tx;
  return {
    tx: { ...rest, input: bytesToHex(data), inputBytes: data.length, rawBytes: raw.length, signature: { v, r: sr, s } },
    decodedInput: t.tx.to === null ? { fn: 'contract creation' } : decodeInput(data),
    pending: !t.location,
    location: t.location,
    effectiveGasPrice: t.effectiveGasPrice,
    receipt: r && { status: r.status, gasUsed: r.gasUsed, cumulativeGasUsed: r.cumulativeGasUsed, effectiveGasPrice: r.effectiveGasPrice, contractAddress: r.contractAddress },
    logs: r ? r.logs.map(decodeLog) : [],
  };
}

const pad32 = (a: Address) => `0x${a.slice(2).padStart(64, '0')}` as Hex;

export async function addressDetail(node: ExplorerNode, address: Address, lookback = 2048n) {
  const a = address.toLowerCase() as Address;
  const acct = node.getState().getAccount(a);
  const head = node.blockNumber();
  const from = head > lookback ? head - lookback : 0n;
  // Logs emitted by the address, and logs naming it as the first or second indexed argument (token transfers).
  const [emitted, topic1, topic2] = await Promise.all([
    node.getLogs({ fromBlock: from, toBlock: head, addresses: [a] }),
    node.getLogs({ fromBlock: from, toBlock: head, topics: [null, [pad32(a)]] }),
    node.getLogs({ fromBlock: from, toBlock: head, topics: [null, null, [pad32(a)]] }),
  ]);
  const seen = new Set<string>();
  const logs = [...emitted, ...topic1, ...topic2]
    .filter((l) => {
      const k = `${l.blockNumber}:${l.logIndex}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((x, y) => (x.blockNumber === y.blockNumber ? y.logIndex - x.logIndex : x.blockNumber < y.blockNumber ? 1 : -1))
    .slice(0, 100)
    .map(decodeLog);
  const pending = node.pool.queue(a).map((p) => ({ hash: p.tx.exec.hash, nonce: p.tx.exec.nonce, to: p.tx.exec.to, value: p.tx.exec.value, maxFeePerGas: p.tx.exec.maxFeePerGas ?? p.tx.exec.gasPrice, tip: p.tx.exec.maxPriorityFeePerGas ?? p.tx.exec.gasPrice }));
  return {
    address: a,
    balance: acct?.balance ?? 0n,
    nonce: acct?.nonce ?? 0n,
    pendingNonce: node.pendingNonce(a),
    codeBytes: acct?.code.length ?? 0,
    isContract: (acct?.code.length ?? 0) > 0,
    pending,
    logs,
    logsFromBlock: from,
  };
}

export type SearchResult =
  | { kind: 'block'; block: NonNullable<Awaited<ReturnType<typeof blockDetail>>> }
  | { kind: 'tx'; tx: NonNullable<Awaited<ReturnType<typeof txDetail>>> }
  | { kind: 'address'; address: Awaited<ReturnType<typeof addressDetail>> }
  | { kind: 'none'; query: string; message: string };

export async function search(node: ExplorerNode, q: string): Promise<SearchResult> {
  const s = q.trim().toLowerCase();
  if (s === 'latest' || s === 'head') {
    const block = await blockDetail(node, node.blockNumber());
    if (block) return { kind: 'block', block };
  }
  if (/^\d{1,20}$/.test(s) || /^#\d{1,20}$/.test(s)) {
    const n = BigInt(s.replace('#', ''));
    const block = await blockDetail(node, n);
    return block ? { kind: 'block', block } : { kind: 'none', query: q, message: `no block ${n} (head is ${node.blockNumber()})` };
  }
  if (/^0x[0-9a-f]{64}$/.test(s)) {
    const tx = await txDetail(node, s as Hex);
    if (tx) return { kind: 'tx', tx };
    const block = await blockDetail(node, s as Hex);
    if (block) return { kind: 'block', block };
    return { kind: 'none', query: q, message: 'no transaction or block with this hash' };
  }
  if (/^0x[0-9a-f]{40}$/.test(s)) return { kind: 'address', address: await addressDetail(node, s as Address) };
  return { kind: 'none', query: q, message: 'enter a block number, a block or transaction hash (0x + 64 hex) or an address (0x + 40 hex)' };
}
