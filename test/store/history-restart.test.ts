// History that lasts (issue #14): a chain of 1,000+ blocks, a restart, and then over JSON-RPC at an early
// block: balances, nonces, code and storage as they were, eth_call and eth_estimateGas on that state,
// eth_getProof verified with @ethereumjs/mpt against that block's stateRoot, and debug_traceTransaction of
// an early transaction (replayed from its parent's state). Then --history pruning: older blocks get a
// -32000 error naming the oldest kept block, kept ones still answer. On SQLite (1,050 blocks) and, shorter,
// on PostgreSQL.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createMPT, verifyMPTWithMerkleProof } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { KECCAK256_NULL_S, KECCAK256_RLP, bytesToBigInt, bytesToHex, createContractAddress, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { DEV, signTx } from '../sequencer/helpers.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';

// Runtime: empty calldata returns slot 0; otherwise stores the first calldata word in slot 0.
const RUNTIME = '0x3615600c57600035600055005b60005460005260206000f3';
// Initcode: CODECOPY the 24-byte runtime from offset 11 and RETURN it.
const INITCODE = `0x601880600b6000396000f3${RUNTIME.slice(2)}`;
const word = (n: bigint): Hex => `0x${n.toString(16).padStart(64, '0')}` as Hex;

const dir = mkdtempSync(join(tmpdir(), 'history-restart-'));
let pg: PostgresServer | undefined;
after(async () => {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function rpc(server: RpcServer, method: string, params: unknown[]): Promise<{ result?: any; error?: { code: number; message: string } }> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return res.json() as Promise<{ result?: any; error?: { code: number; message: string } }>;
}

async function ok(server: RpcServer, method: string, params: unknown[]): Promise<any> {
  const r = await rpc(server, method, params);
  assert.equal(r.error, undefined, `${method}: ${JSON.stringify(r.error)}`);
  return r.result;
}

/** Checks an EIP-1186 answer against a state root with @ethereumjs/mpt. */
async function verifyProof(proof: any, stateRoot: Hex, address: Address): Promise<void> {
  const accountRlp = await verifyMPTWithMerkleProof(await createMPT({ useKeyHashing: true }), hexToBytes(stateRoot), hexToBytes(address), proof.accountProof.map(hexToBytes));
  if (accountRlp === null) {
    // Proven absent: geth answers zeros and the empty hashes.
    assert.deepEqual([BigInt(proof.nonce), BigInt(proof.balance), proof.storageHash, proof.codeHash], [0n, 0n, bytesToHex(KECCAK256_RLP), KECCAK256_NULL_S]);
    return;
  }
  const [nonce, balance, storageRoot, codeHash] = RLP.decode(accountRlp) as Uint8Array[];
  assert.equal(bytesToBigInt(nonce), BigInt(proof.nonce));
  assert.equal(bytesToBigInt(balance), BigInt(proof.balance));
  assert.equal(bytesToHex(storageRoot), proof.storageHash);
  assert.equal(bytesToHex(codeHash), proof.codeHash);
  for (const sp of proof.storageProof) {
    if (proof.storageHash === bytesToHex(KECCAK256_RLP)) {
      // An empty storage trie: nothing to prove against, every slot is zero.
      assert.deepEqual([sp.proof, BigInt(sp.value)], [[], 0n]);
      continue;
    }
    const v = await verifyMPTWithMerkleProof(await createMPT({ useKeyHashing: true }), hexToBytes(proof.storageHash), hexToBytes(word(BigInt(sp.key))), sp.proof.map(hexToBytes));
    assert.equal(v === null ? 0n : bytesToBigInt(RLP.decode(v) as Uint8Array), BigInt(sp.value), `slot ${sp.key} proven`);
  }
}

/** `blocks` (even) blocks on the store at `location`, a restart, the reads at early blocks, then pruning. */
async function historyScenario(location: string, blocks: number): Promise<void> {
  const genesis = devGenesis();
  const [deployer, payer, payee] = [DEV[0], DEV[1], DEV[2]];
  const contract = createContractAddress(createAddressFromString(deployer.address), 0n).toString() as Address;
  /** Per early block: slot 0, payee's balance, deployer's nonce, and the transaction it included. */
  const early = new Map<bigint, { slot: bigint; payeeBalance: bigint; deployerNonce: bigint; tx: Hex }>();
  let node = await SequencerNode.open({ dataDir: location, genesis, sealMode: 'on-demand', store: { synchronous: 'NORMAL' } });
  try {
    let deployerNonce = 0n;
    let payerNonce = 0n;
    for (let n = 1n; n <= BigInt(blocks); n++) {
      let raw: Uint8Array;
      if (n === 1n) raw = signTx(deployer, { nonce: deployerNonce++, to: null, data: INITCODE as Hex, gasLimit: 200_000n });
      else if (n % 2n === 0n) raw = signTx(deployer, { nonce: deployerNonce++, to: contract, data: word(n * 1000n), gasLimit: 100_000n });
      else raw = signTx(payer, { nonce: payerNonce++, to: payee.address, value: n, gasLimit: 21_000n });
      const hash = await node.submitRawTransaction(raw);
      const b = await node.sealBlock();
      assert.equal(b?.txHashes.length, 1, `block ${n} included its transaction`);
      if (n <= 12n) {
        const s = node.getState();
        early.set(n, { slot: s.getStorage(contract, word(0n)), payeeBalance: s.getAccount(payee.address)!.balance, deployerNonce: s.getAccount(deployer.address)!.nonce, tx: hash });
      }
    }
    assert.equal(node.blockNumber(), BigInt(blocks));
  } finally {
    await node.close();
  }

  // Restart: nothing of the run is left in memory.
  node = await SequencerNode.open({ dataDir: location, genesis, sealMode: 'on-demand' });
  let server = await startRpcServer({ node, port: 0 });
  try {
    for (const n of [2n, 5n, 6n, 11n]) {
      const e = early.get(n)!;
      const tag = `0x${n.toString(16)}`;
      assert.equal(BigInt(await ok(server, 'eth_getBalance', [payee.address, tag])), e.payeeBalance, `balance at ${n}`);
      assert.equal(BigInt(await ok(server, 'eth_getTransactionCount', [deployer.address, tag])), e.deployerNonce, `nonce at ${n}`);
      assert.equal(BigInt(await ok(server, 'eth_getStorageAt', [contract, '0x0', tag])), e.slot, `slot at ${n}`);
      assert.equal(await ok(server, 'eth_getCode', [contract, tag]), RUNTIME);
      assert.equal(BigInt(await ok(server, 'eth_call', [{ to: contract, data: '0x' }, tag])), e.slot, `eth_call at ${n}`);
    }
    assert.equal(await ok(server, 'eth_getCode', [contract, '0x0']), '0x', 'no code before the deployment');
    assert.equal(BigInt(await ok(server, 'eth_call', [{ to: contract, data: '0x' }, 'latest'])), BigInt(blocks) * 1000n);
    const gas = BigInt(await ok(server, 'eth_estimateGas', [{ from: deployer.address, to: contract, data: word(7n) }, '0x5']));
    assert.ok(gas > 21_000n && gas < 100_000n, `estimate at block 5: ${gas}`);

    // Proofs at an early block and at the head, each verified against its block's stateRoot.
    for (const n of [4n, 6n, BigInt(blocks)]) {
      const tag = `0x${n.toString(16)}`;
      const header = await ok(server, 'eth_getBlockByNumber', [tag, false]);
      for (const a of [contract, payee.address, '0x00000000000000000000000000000000000000ee' as Address]) {
        const proof = await ok(server, 'eth_getProof', [a, ['0x0', '0x1'], tag]);
        await verifyProof(proof, header.stateRoot, a);
        if (a === contract && n < BigInt(blocks)) assert.equal(BigInt(proof.storageProof[0].value), early.get(n)!.slot);
      }
    }

    // Tracing an early transaction replays it on its parent block's state.
    const traced = early.get(6n)!.tx;
    const trace = await ok(server, 'debug_traceTransaction', [traced]);
    const receipt = await ok(server, 'eth_getTransactionReceipt', [traced]);
    assert.equal(trace.failed, false);
    assert.equal(BigInt(trace.gas), BigInt(receipt.gasUsed));
    const sstore = trace.structLogs.find((s: { op: string }) => s.op === 'SSTORE');
    assert.ok(sstore, 'the store call wrote its slot');
    const calls = await ok(server, 'debug_traceTransaction', [early.get(7n)!.tx, { tracer: 'callTracer' }]);
    assert.equal(calls.to, payee.address);
    assert.equal(BigInt(calls.value), 7n);
  } finally {
    await server.close();
    await node.close();
  }

  // --history 100: once pruning runs (every 64 blocks), early blocks are refused with the oldest kept block named.
  node = await SequencerNode.open({ dataDir: location, genesis, sealMode: 'on-demand', store: { historyBlocks: 100, synchronous: 'NORMAL' } });
  server = await startRpcServer({ node, port: 0 });
  try {
    while (node.blockNumber() % 64n !== 0n) assert.ok(await node.sealBlock(true));
    const oldest = node.blockNumber() - 100n;
    for (const [method, params] of [
      ['eth_getBalance', [payee.address, '0x5']],
      ['eth_call', [{ to: contract, data: '0x' }, '0x5']],
      ['eth_getProof', [contract, [], '0x5']],
      ['debug_traceTransaction', [early.get(6n)!.tx]],
    ] as [string, unknown[]][]) {
      const r = await rpc(server, method, params);
      assert.equal(r.error?.code, -32000, `${method}: ${JSON.stringify(r)}`);
      assert.match(r.error!.message, new RegExp(`oldest kept block is ${oldest}\\b`), method);
    }
    const tag = `0x${oldest.toString(16)}`;
    const header = await ok(server, 'eth_getBlockByNumber', [tag, false]);
    await verifyProof(await ok(server, 'eth_getProof', [contract, ['0x0'], tag]), header.stateRoot, contract);
    const atOldest = BigInt(await ok(server, 'eth_getStorageAt', [contract, '0x0', tag]));
    assert.equal(atOldest, (oldest % 2n === 0n ? oldest : oldest - 1n) * 1000n);
  } finally {
    await server.close();
    await node.close();
  }
}

test('SQLite: state at an early block after 1,050 blocks and a restart: reads, eth_call, eth_getProof, debug_traceTransaction; pruning', { timeout: 300_000 }, async () => {
  await historyScenario(dir, 1_050);
});

test('PostgreSQL: the same after 130 blocks (history reads through the synchronous bridge)', { timeout: 300_000 }, async () => {
  pg = await startPostgres();
  await historyScenario(await pg.createDatabase('history'), 130);
});
