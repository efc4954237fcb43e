// End to end: the real JSON-RPC server on a free port over a real SequencerNode (SQLite in a temp dir,
// short block time), driven by viem and by ethers the way wallets drive a chain.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  getContract,
  http,
  keccak256,
  encodeAbiParameters,
  parseEther,
  toHex,
  webSocket,
  type Hex,
} from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { ethers } from 'ethers';
import { RLP } from '@ethereumjs/rlp';
import { verifyMerkleProof } from '@ethereumjs/mpt';
import { hexToBytes, bytesToHex } from '@ethereumjs/util';
import { SequencerNode } from '../../sequencer/node/node.js';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { compileErc20 } from './erc20.js';

const CHAIN_ID = 42069;
const chain = defineChain({
  id: CHAIN_ID,
  name: 'gpu-evm-sequencer (test)',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: ['http://127.0.0.1:8545'] } },
});

let dir: string;
let node: SequencerNode;
let server: RpcServer;
const [alice, bob] = devAccounts(2);

async function rpc(method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return res.json();
}

/** Least gas limit with which eth_call succeeds, by bisection over real executions. */
async function minimumGas(tx: { from: Hex; to?: Hex; data?: Hex; value?: Hex }): Promise<bigint> {
  const ok = async (gas: bigint) => {
    const r = await rpc('eth_call', [{ ...tx, gas: toHex(gas) }, 'latest']);
    return r.result !== undefined;
  };
  let lo = 21_000n - 1n;
  let hi = 10_000_000n;
  assert.ok(await ok(hi), 'call must succeed with plenty of gas');
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    if (await ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe('wallet flows over JSON-RPC (viem + ethers)', { timeout: 120_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seq-e2e-'));
    node = await SequencerNode.open({ dataDir: dir, genesis: devGenesis(), sealMode: 'interval', blockTimeMs: 50 });
    server = await startRpcServer({ node, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = compileErc20();
  let tokenAddress: Hex;
  let transferTxHash: Hex;

  it('viem: chain id, block number, balances, ETH transfer with receipt', async () => {
    const pub = createPublicClient({ chain, transport: http(server.url) });
    const wallet = createWalletClient({ chain, transport: http(server.url), account: privateKeyToAccount(alice.privateKey) });
    assert.equal(await pub.getChainId(), CHAIN_ID);
    assert.ok((await pub.getBlockNumber()) >= 0n);
    assert.equal(await pub.getBalance({ address: alice.address }), 10_000n * 10n ** 18n);
    const fresh = privateKeyToAccount(generatePrivateKey()).address;
    const hash = await wallet.sendTransaction({ to: fresh, value: parseEther('1.5') });
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.gasUsed, 21_000n);
    assert.equal(await pub.getBalance({ address: fresh }), parseEther('1.5'));
    const tx = await pub.getTransaction({ hash });
    assert.equal(tx.from, alice.address);
    assert.equal(tx.blockNumber, receipt.blockNumber);
    const block = await pub.getBlock({ blockNumber: receipt.blockNumber, includeTransactions: true });
    assert.ok(block.transactions.some((t) => t.hash === hash));
    assert.equal((await pub.getBlock({ blockHash: block.hash! })).number, block.number);
    assert.equal(await pub.getBlockTransactionCount({ blockNumber: receipt.blockNumber }), block.transactions.length);
    assert.equal(await pub.getTransactionCount({ address: alice.address }), 1);
    // Historical state (the node keeps recent blocks' undo layers).
    assert.equal(await pub.getBalance({ address: fresh, blockNumber: receipt.blockNumber - 1n }), 0n);
    assert.equal(await pub.getTransactionCount({ address: alice.address, blockNumber: receipt.blockNumber - 1n }), 0);
    assert.equal(await pub.getBalance({ address: fresh, blockNumber: receipt.blockNumber }), parseEther('1.5'));
  });

  it('viem: deploy an ERC-20 compiled with solc, transfer, read balances, logs', async () => {
    const pub = createPublicClient({ chain, transport: http(server.url) });
    const wallet = createWalletClient({ chain, transport: http(server.url), account: privateKeyToAccount(alice.privateKey) });
    const supply = 1_000_000n * 10n ** 18n;
    const deployHash = await wallet.deployContract({ abi: token.abi, bytecode: token.bytecode, args: [supply] });
    const deployReceipt = await pub.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 50 });
    assert.equal(deployReceipt.status, 'success');
    assert.ok(deployReceipt.contractAddress);
    tokenAddress = deployReceipt.contractAddress!;
    assert.ok((await pub.getCode({ address: tokenAddress }))!.length > 2);
    const erc20 = getContract({ address: tokenAddress, abi: token.abi, client: { public: pub, wallet } });
    assert.equal(await erc20.read.balanceOf([alice.address]), supply);
    assert.equal(await erc20.read.symbol(), 'TT');

    transferTxHash = await erc20.write.transfer([bob.address, 1234n]);
    const r = await pub.waitForTransactionReceipt({ hash: transferTxHash, pollingInterval: 50 });
    assert.equal(r.status, 'success');
    assert.equal(r.logs.length, 1);
    assert.equal(await erc20.read.balanceOf([bob.address]), 1234n);

    const events = await pub.getContractEvents({ address: tokenAddress, abi: token.abi, eventName: 'Transfer', args: { to: bob.address }, fromBlock: 0n });
    assert.equal(events.length, 1);
    assert.equal((events[0] as any).args.value, 1234n);
    const all = await pub.getLogs({ address: tokenAddress, fromBlock: deployReceipt.blockNumber, toBlock: 'latest' });
    assert.equal(all.length, 2, 'mint + transfer');
    const none = await pub.getLogs({ address: bob.address, fromBlock: 0n });
    assert.equal(none.length, 0);
    const receipts = await pub.request({ method: 'eth_getBlockReceipts' as any, params: [toHex(r.blockNumber)] as any });
    assert.ok((receipts as any[]).some((x) => x.transactionHash === transferTxHash));
  });

  it('estimateGas is sufficient and within 1% of the least gas that succeeds', async () => {
    const pub = createPublicClient({ chain, transport: http(server.url) });
    const cases: { from: Hex; to?: Hex; data?: Hex; value?: Hex }[] = [
      { from: alice.address, to: tokenAddress, data: encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [bob.address, 10n] }) },
      // A first transfer to a fresh holder (zero -> non-zero slot: 20k SSTORE).
      { from: alice.address, to: tokenAddress, data: encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [privateKeyToAccount(generatePrivateKey()).address, 10n] }) },
      // Clearing a slot (refund): bob sends everything back.
      { from: bob.address, to: tokenAddress, data: encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [alice.address, 1234n] }) },
      { from: alice.address, to: tokenAddress, data: encodeFunctionData({ abi: token.abi, functionName: 'approve', args: [bob.address, 5n] }) },
      { from: alice.address, data: (token.bytecode + encodeAbiParameters([{ type: 'uint256' }], [1n]).slice(2)) as Hex },
    ];
    for (const c of cases) {
      const estimate = await pub.estimateGas({ account: c.from, to: c.to, data: c.data });
      const least = await minimumGas(c);
      assert.ok(estimate >= least, `estimate ${estimate} must be sufficient (least ${least})`);
      assert.ok(estimate * 100n <= least * 101n, `estimate ${estimate} must be within 1% of ${least}`);
    }
    // And a real transaction with exactly the estimate succeeds.
    const wallet = createWalletClient({ chain, transport: http(server.url), account: privateKeyToAccount(alice.privateKey) });
    const data = encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [privateKeyToAccount(generatePrivateKey()).address, 7n] });
    const gas = await pub.estimateGas({ account: alice.address, to: tokenAddress, data });
    const hash = await wallet.sendTransaction({ to: tokenAddress, data, gas });
    assert.equal((await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status, 'success');
  });

  it('eth_createAccessList lists the token and both balance slots', async () => {
    const data = encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [bob.address, 1n] });
    const r = await rpc('eth_createAccessList', [{ from: alice.address, to: '0x' + '00'.repeat(19) + '01', data: '0x' }, 'latest']);
    assert.deepEqual(r.result.accessList, []);
    const viaProxy = await rpc('eth_createAccessList', [{ from: alice.address, to: tokenAddress, data }]);
    assert.ok(viaProxy.result, JSON.stringify(viaProxy.error));
    // The recipient of the call itself (the token) is warm and left out, as geth does.
    assert.deepEqual(viaProxy.result.accessList, []);
    assert.ok(BigInt(viaProxy.result.gasUsed) > 21_000n);
  });

  it('revert reasons decode in viem (simulate, estimate) and raw (code 3 + data)', async () => {
    const pub = createPublicClient({ chain, transport: http(server.url) });
    const broke = privateKeyToAccount(generatePrivateKey()).address;
    await assert.rejects(
      pub.simulateContract({ address: tokenAddress, abi: token.abi, functionName: 'transfer', args: [alice.address, 1n], account: broke }),
      (e: unknown) => {
        assert.ok(e instanceof BaseError);
        const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
        assert.ok(revert, String(e));
        assert.equal(revert.reason, 'ERC20: insufficient balance');
        return true;
      },
    );
    const data = encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [alice.address, 1n] });
    const raw = await rpc('eth_call', [{ from: broke, to: tokenAddress, data }, 'latest']);
    assert.equal(raw.error.code, 3);
    assert.equal(raw.error.message, 'execution reverted: ERC20: insufficient balance');
    assert.match(raw.error.data, /^0x08c379a0/);
    const est = await rpc('eth_estimateGas', [{ from: broke, to: tokenAddress, data }]);
    assert.equal(est.error.code, 3);
    assert.equal(est.error.message, 'execution reverted: ERC20: insufficient balance');
    const panic = await rpc('eth_call', [{ to: tokenAddress, data: encodeFunctionData({ abi: token.abi, functionName: 'boom' }) }]);
    assert.equal(panic.error.code, 3);
    assert.match(panic.error.message, /assert\(false\)/);
  });

  it('ethers: provider, wallet transfer, contract deploy/transfer/read, estimate, revert reason, queryFilter', async () => {
    // pollingInterval > 250 ms: ethers caches identical requests for 250 ms, so with faster polling the
    // receipt check triggered by a new block can be answered by the cached "null" from just before; as this
    // node seals no empty blocks, no later block would trigger another check and tx.wait() would hang.
    const provider = new ethers.JsonRpcProvider(server.url, { chainId: CHAIN_ID, name: 'seq' }, { staticNetwork: true, pollingInterval: 300 });
    if (process.env.ETHERS_DEBUG) provider.on('debug', (e: any) => console.log('ETHERS', Date.now() % 100000, e.action, JSON.stringify(e.payload ?? e.result ?? e.error?.message ?? '').slice(0, 160)));
    const signer = new ethers.Wallet(bob.privateKey, provider);
    assert.equal((await provider.getNetwork()).chainId, BigInt(CHAIN_ID));
    const fee = await provider.getFeeData();
    assert.ok(fee.maxFeePerGas! > 0n && fee.gasPrice! > 0n);
    const to = ethers.Wallet.createRandom().address;
    const tx = await signer.sendTransaction({ to, value: ethers.parseEther('0.25') });
    const rec = await tx.wait();
    assert.equal(rec!.status, 1);
    assert.equal(await provider.getBalance(to), ethers.parseEther('0.25'));

    // ethers caches identical in-flight/recent requests for 250 ms (AbstractProvider#perform), so with 50 ms
    // blocks a second eth_getTransactionCount(pending) right after a receipt can be answered from that cache.
    await new Promise((r) => setTimeout(r, 300));
    const factory = new ethers.ContractFactory(token.abi, token.bytecode, signer);
    const c = await factory.deploy(777n);
    await c.waitForDeployment();
    const addr = await c.getAddress();
    const erc20 = new ethers.Contract(addr, token.abi, signer);
    assert.equal(await erc20.balanceOf(bob.address), 777n);
    const gas = await erc20.transfer.estimateGas(to, 7n);
    assert.ok(gas > 21_000n);
    await new Promise((r) => setTimeout(r, 300));
    const t = await erc20.transfer(to, 7n);
    const tr = await t.wait();
    assert.equal(tr!.status, 1);
    assert.equal(await erc20.balanceOf(to), 7n);
    await assert.rejects(erc20.transfer.staticCall(to, 10_000n), (e: any) => {
      assert.equal(e.code, 'CALL_EXCEPTION');
      assert.equal(e.reason, 'ERC20: insufficient balance');
      return true;
    });
    const logs = await erc20.queryFilter(erc20.filters.Transfer(null, to), 0, 'latest');
    assert.equal(logs.length, 1);
    assert.equal((logs[0] as ethers.EventLog).args[2], 7n);
    const byHash = await provider.getTransaction(t.hash);
    assert.equal(byHash!.hash, t.hash);
    const block = await provider.getBlock(tr!.blockNumber, true);
    assert.ok(block!.transactions.includes(t.hash));
    provider.destroy();
  });

  it('WebSocket: eth_subscribe newHeads and logs (viem webSocket transport)', async () => {
    const ws = createPublicClient({ chain, transport: webSocket(server.wsUrl) });
    const heads: bigint[] = [];
    const logs: unknown[] = [];
    const unwatch = ws.watchBlocks({ onBlock: (b) => heads.push(b.number!), emitOnBegin: false });
    const unwatchLogs = ws.watchContractEvent({ address: tokenAddress, abi: token.abi, eventName: 'Transfer', onLogs: (l) => logs.push(...l) });
    try {
      const wallet = createWalletClient({ chain, transport: http(server.url), account: privateKeyToAccount(alice.privateKey) });
      const pub = createPublicClient({ chain, transport: http(server.url) });
      // The subscriptions are set up asynchronously: send transfers until both streams have delivered
      // (a block sealed before eth_subscribe answered is legitimately not announced).
      const mined: bigint[] = [];
      for (let i = 0; i < 10 && (heads.length === 0 || logs.length === 0 || !mined.some((n) => heads.includes(n))); i++) {
        await new Promise((r) => setTimeout(r, 100 * (i + 1)));
        const hash = await wallet.writeContract({ address: tokenAddress, abi: token.abi, functionName: 'transfer', args: [bob.address, 1n] });
        mined.push((await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })).blockNumber);
        const deadline = Date.now() + 1000;
        while (!heads.includes(mined[mined.length - 1]) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 25));
      }
      assert.ok(mined.some((n) => heads.includes(n)), `newHeads must announce the blocks of our transfers ${mined}, got ${heads}`);
      assert.ok(logs.length >= 1);
      assert.ok(heads.every((n, i) => i === 0 || n > heads[i - 1]), 'heads arrive in order');
      assert.equal(await ws.getChainId(), CHAIN_ID, 'plain requests over the same socket');
    } finally {
      unwatch();
      unwatchLogs();
      await (await (ws.transport as any).getRpcClient()).close();
    }
  });

  it('eth_getProof verifies against the block stateRoot (account and storage)', async () => {
    const pub = createPublicClient({ chain, transport: http(server.url) });
    // balanceOf is the 5th state variable: name(0), symbol(1), totalSupply(2), balanceOf(3)... decimals is a constant.
    const slot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [alice.address, 3n]));
    let proof: any;
    let block: any;
    for (let i = 0; i < 10; i++) {
      const n = await pub.getBlockNumber();
      proof = (await rpc('eth_getProof', [tokenAddress, [slot], toHex(n)])).result;
      block = await pub.getBlock({ blockNumber: n });
      if (proof && (await pub.getBlockNumber()) === n) break;
    }
    assert.ok(proof, 'proof for the head block');
    const account = await verifyMerkleProof(hexToBytes(tokenAddress), proof.accountProof.map(hexToBytes), { root: hexToBytes(block.stateRoot), useKeyHashing: true });
    assert.ok(account, 'the account exists in the trie');
    const [nonce, balance, storageRoot, codeHash] = RLP.decode(account) as Uint8Array[];
    assert.equal(BigInt(bytesToHex(nonce) === '0x' ? 0 : bytesToHex(nonce)), BigInt(proof.nonce));
    assert.equal(balance.length === 0 ? 0n : BigInt(bytesToHex(balance)), BigInt(proof.balance));
    assert.equal(bytesToHex(storageRoot), proof.storageHash);
    assert.equal(bytesToHex(codeHash), proof.codeHash);
    assert.equal(proof.codeHash, keccak256((await pub.getCode({ address: tokenAddress }))!));
    const sp = proof.storageProof[0];
    const value = await verifyMerkleProof(hexToBytes(slot), sp.proof.map(hexToBytes), { root: hexToBytes(proof.storageHash), useKeyHashing: true });
    assert.ok(value);
    assert.equal(BigInt(bytesToHex(RLP.decode(value) as Uint8Array)), BigInt(sp.value));
    const erc20 = getContract({ address: tokenAddress, abi: token.abi, client: pub });
    assert.equal(BigInt(sp.value), await erc20.read.balanceOf([alice.address], { blockNumber: BigInt(block.number) }));
    // Absent account: a valid exclusion proof.
    const nobody = privateKeyToAccount(generatePrivateKey()).address;
    const absent = (await rpc('eth_getProof', [nobody, [], 'latest'])).result;
    const head = await pub.getBlock();
    if (BigInt(head.number) === BigInt((await rpc('eth_blockNumber')).result)) {
      const v = await verifyMerkleProof(hexToBytes(nobody), absent.accountProof.map(hexToBytes), { root: hexToBytes(head.stateRoot), useKeyHashing: true }).catch(() => 'stale');
      assert.ok(v === null || v === 'stale');
    }
  });

  it('debug_traceTransaction re-executes with struct logs', async () => {
    const r = await rpc('debug_traceTransaction', [transferTxHash]);
    assert.ok(r.result, JSON.stringify(r.error));
    const receipt = (await rpc('eth_getTransactionReceipt', [transferTxHash])).result;
    assert.equal(r.result.failed, false);
    assert.equal(BigInt(r.result.gas), BigInt(receipt.gasUsed));
    assert.ok(r.result.structLogs.length > 50);
    const ops = r.result.structLogs.map((l: any) => l.op);
    assert.ok(ops.includes('SSTORE') && ops.includes('LOG3'));
    const sstore = r.result.structLogs.find((l: any) => l.op === 'SSTORE');
    assert.ok(sstore.storage && Object.keys(sstore.storage).length >= 1);
    assert.equal(r.result.structLogs[0].depth, 1);
    assert.equal(r.result.structLogs[0].pc, 0);
    // The first step has the gas limit minus the intrinsic gas (21000 + 4/16 per zero/non-zero calldata byte).
    const tx = (await rpc('eth_getTransactionByHash', [transferTxHash])).result;
    const input = hexToBytes(tx.input);
    const intrinsic = 21_000 + input.reduce((s: number, b: number) => s + (b === 0 ? 4 : 16), 0);
    assert.equal(r.result.structLogs[0].gas, Number(BigInt(tx.gas)) - intrinsic);
    // Each step's gas is the previous step's minus its cost, within one frame.
    const logs = r.result.structLogs;
    for (let i = 1; i < logs.length; i++) {
      if (logs[i].depth === logs[i - 1].depth && !/CALL|CREATE/.test(logs[i - 1].op)) assert.equal(logs[i].gas, logs[i - 1].gas - logs[i - 1].gasCost, `step ${i} ${logs[i - 1].op}`);
    }
    assert.equal(logs[logs.length - 1].op, 'RETURN');
    // debug_traceCall of a reverting call.
    const data = encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [alice.address, 10n ** 30n] });
    const tc = await rpc('debug_traceCall', [{ from: bob.address, to: tokenAddress, data }, 'latest', { disableStack: true }]);
    assert.equal(tc.result.failed, true);
    assert.equal(tc.result.structLogs.at(-1).op, 'REVERT');
    assert.equal(tc.result.structLogs[0].stack, undefined);
    // callTracer: a proxy (state override) STATICCALLs the token's symbol().
    const proxy = privateKeyToAccount(generatePrivateKey()).address.toLowerCase() as Hex;
    const proxyCode = ('0x6395d89b4160e01b5f525f5f60045f73' + tokenAddress.slice(2) + '5afa00') as Hex;
    const ct = await rpc('debug_traceCall', [{ from: alice.address, to: proxy }, 'latest', { tracer: 'callTracer', stateOverrides: { [proxy]: { code: proxyCode } } }]);
    assert.ok(ct.result, JSON.stringify(ct.error));
    assert.equal(ct.result.type, 'CALL');
    assert.equal(ct.result.to, proxy);
    assert.equal(ct.result.calls.length, 1);
    const inner = ct.result.calls[0];
    assert.equal(inner.type, 'STATICCALL');
    assert.equal(inner.from, proxy);
    assert.equal(inner.to, tokenAddress.toLowerCase());
    assert.equal(inner.input, '0x95d89b41');
    assert.equal(inner.value, undefined);
    assert.match(inner.output, /5454/, 'returns "TT"');
    // Block tracing with callTracer: one frame per transaction, top gasUsed = receipt gasUsed.
    const blockTrace = await rpc('debug_traceBlockByNumber', [receipt.blockNumber, { tracer: 'callTracer' }]);
    assert.ok(blockTrace.result, JSON.stringify(blockTrace.error));
    const mine = blockTrace.result.find((x: any) => x.txHash === transferTxHash);
    assert.equal(mine.result.to, tokenAddress.toLowerCase());
    assert.equal(BigInt(mine.result.gasUsed), BigInt(receipt.gasUsed));
    const byHash = await rpc('debug_traceBlockByHash', [receipt.blockHash]);
    assert.equal(byHash.result.find((x: any) => x.txHash === transferTxHash).result.structLogs.length, r.result.structLogs.length);
    // A reverting inner frame carries error and revertReason.
    const failing = await rpc('debug_traceCall', [{ from: bob.address, to: tokenAddress, data }, 'latest', { tracer: 'callTracer' }]);
    assert.equal(failing.result.error, 'execution reverted');
    assert.equal(failing.result.revertReason, 'ERC20: insufficient balance');
    const unknown = await rpc('debug_traceTransaction', ['0x' + '00'.repeat(32)]);
    assert.equal(unknown.error.code, -32000);
  });

  it('eth_sendRawTransactionSync returns the receipt; fee and misc methods answer', async () => {
    const account = privateKeyToAccount(alice.privateKey);
    const pub = createPublicClient({ chain, transport: http(server.url) });
    const nonce = await pub.getTransactionCount({ address: alice.address, blockTag: 'pending' });
    const fees = await pub.estimateFeesPerGas();
    const raw = await account.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', to: bob.address, value: 5n, nonce, gas: 21_000n, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas });
    const r = await rpc('eth_sendRawTransactionSync', [raw, toHex(10_000)]);
    assert.ok(r.result, JSON.stringify(r.error));
    assert.equal(r.result.status, '0x1');
    assert.equal(r.result.transactionHash, keccak256(raw));
    // Rejections carry the sequencer's reason.
    const again = await rpc('eth_sendRawTransaction', [raw]);
    assert.equal(again.error.code, -32000);
    assert.ok(again.error.message.length > 0);
    const hist = await pub.getFeeHistory({ blockCount: 4, rewardPercentiles: [25, 75] });
    assert.equal(hist.baseFeePerGas.length, hist.gasUsedRatio.length + 1);
    for (const m of ['eth_accounts', 'eth_syncing', 'net_listening', 'net_version', 'web3_clientVersion', 'eth_gasPrice', 'eth_maxPriorityFeePerGas', 'eth_blobBaseFee']) {
      const x = await rpc(m);
      assert.ok(x.result !== undefined, `${m}: ${JSON.stringify(x)}`);
    }
    assert.deepEqual((await rpc('eth_accounts')).result, []);
    assert.equal((await rpc('net_version')).result, String(CHAIN_ID));
  });
});
