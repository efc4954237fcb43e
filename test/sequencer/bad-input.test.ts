// Invariant 5 at the node's door: each rejection rule gives its own IngressError code and a specific
// message, and leaves no trace (state root, pool, persisted mempool rows, pending nonce, tx lookup).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RLP } from '@ethereumjs/rlp';
import { IngressError, type IngressErrorCode } from '../../sequencer/ingress/errors.js';
import { devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { bytesToHex, hexToU8, type Hex } from '../../sequencer/primitives/types.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { DEV, signTx } from './helpers.js';

const SECP_N: bigint = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A type-2 transaction with a chosen (possibly invalid) signature, encoded by hand. */
function withSignature(mutate: (sig: { v: bigint; r: bigint; s: bigint }) => { v: bigint; r: bigint; s: bigint }): Uint8Array {
  const signed = signTx(DEV[0], { nonce: 1n, to: DEV[1].address, gasLimit: 21000n });
  const fields = RLP.decode(signed.subarray(1)) as Uint8Array[];
  const big = (b: Uint8Array) => (b.length === 0 ? 0n : BigInt(bytesToHex(b)));
  const sig = mutate({ v: big(fields[9]), r: big(fields[10]), s: big(fields[11]) });
  const enc = (n: bigint) => (n === 0n ? new Uint8Array(0) : hexToU8(`0x${n.toString(16)}`));
  const body = RLP.encode([...fields.slice(0, 9), enc(sig.v), enc(sig.r), enc(sig.s)] as never);
  return Uint8Array.from([2, ...body]);
}

test('every rejection rule: specific code, no trace in state or mempool', async () => {
  const genesis = devGenesis({
    extraAlloc: new Map([[DEV[9].address, { balance: 10n ** 20n, code: hexToU8('0x00') }]]),
  });
  const node = await SequencerNode.open({ dataDir: ':memory:', genesis, sealMode: 'on-demand', mempool: { maxPerSender: 3 } });
  const rows = async () => (await node.store.loadMempool()).length;
  try {
    // One mined tx (nonce 0 of DEV[0]) and one pending (nonce 0 of DEV[1]) as background.
    await node.submitRawTransaction(signTx(DEV[0], { nonce: 0n, to: DEV[2].address, value: 1n, gasLimit: 21000n }));
    assert.ok(await node.sealBlock());
    const pendingHash = await node.submitRawTransaction(signTx(DEV[1], { nonce: 0n, to: DEV[2].address, value: 1n, gasLimit: 21000n }));

    // A pre-EIP-155 legacy signature (v = 27/28): valid on every chain, so replayable.
    const { privateKeyToAccount } = await import('viem/accounts');
    const unprotected = hexToU8(await privateKeyToAccount(DEV[0].privateKey).signTransaction({ type: 'legacy', nonce: 1, to: DEV[2].address, gas: 21000n, gasPrice: 2_000_000_000n }));
    // The dev chain runs Osaka: one transaction may ask for at most 16,777,216 gas (signed with viem, which does not check).
    const aboveTxGasCap = hexToU8(await privateKeyToAccount(DEV[0].privateKey).signTransaction({ chainId: 42069, type: 'eip1559', nonce: 1, to: DEV[2].address, gas: 16_777_217n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n }));
    const cases: [IngressErrorCode, string, Uint8Array][] = [
      ['UNPROTECTED', 'legacy without chain id', unprotected],
      ['MALFORMED', 'garbage', hexToU8('0x0102030405')],
      ['MALFORMED', 'empty', new Uint8Array(0)],
      ['MALFORMED', 'truncated', signTx(DEV[0], { nonce: 1n, to: DEV[2].address, gasLimit: 21000n }).slice(0, 40)],
      ['MALFORMED', 'trailing byte', Uint8Array.from([...signTx(DEV[0], { nonce: 1n, to: DEV[2].address, gasLimit: 21000n }), 0x00])],
      ['OVERSIZED', '130 KiB', signTx(DEV[0], { nonce: 1n, to: DEV[2].address, data: new Uint8Array(130 * 1024), gasLimit: 3_000_000n })],
      ['WRONG_CHAIN_ID', 'typed, chain 1', signTx(DEV[0], { nonce: 1n, to: DEV[2].address, gasLimit: 21000n, chainId: 1n })],
      ['WRONG_CHAIN_ID', 'legacy EIP-155, chain 1', signTx(DEV[0], { type: 0, nonce: 1n, to: DEV[2].address, gasLimit: 21000n, chainId: 1n })],
      ['INVALID_SIGNATURE', 'high s', withSignature((g) => ({ v: 1n - g.v, r: g.r, s: SECP_N - g.s }))],
      ['INVALID_SIGNATURE', 'r = 0', withSignature((g) => ({ ...g, r: 0n }))],
      ['INTRINSIC_GAS_TOO_LOW', 'gas 20999', signTx(DEV[0], { nonce: 1n, to: DEV[2].address, gasLimit: 20999n })],
      // EIP-7623 (Prague on): 1,000 non-zero calldata bytes cost 37,000 intrinsic gas but 61,000 as the floor.
      ['INTRINSIC_GAS_TOO_LOW', 'gas below the calldata floor', signTx(DEV[0], { nonce: 1n, to: DEV[2].address, data: new Uint8Array(1000).fill(1), gasLimit: 40_000n })],
      ['GAS_LIMIT_EXCEEDED', 'gas above the EIP-7825 cap', aboveTxGasCap],
      ['NONCE_TOO_LOW', 'mined nonce', signTx(DEV[0], { nonce: 0n, to: DEV[3].address, gasLimit: 21000n })],
      ['INSUFFICIENT_FUNDS', 'unfunded sender', signTx(('0x' + '42'.repeat(32)) as Hex, { nonce: 0n, to: DEV[2].address, gasLimit: 21000n })],
      ['INSUFFICIENT_FUNDS', 'value above balance', signTx(DEV[0], { nonce: 1n, to: DEV[2].address, value: 10n ** 23n, gasLimit: 21000n })],
      ['FEE_CAP_TOO_LOW', 'fee cap below base fee', signTx(DEV[0], { nonce: 1n, to: DEV[2].address, gasLimit: 21000n, maxFeePerGas: 7n, maxPriorityFeePerGas: 1n })],
      ['FEE_CAP_TOO_LOW', 'legacy gas price below base fee', signTx(DEV[0], { type: 0, nonce: 1n, to: DEV[2].address, gasLimit: 21000n, gasPrice: 1n })],
      ['ALREADY_KNOWN', 'same tx twice', signTx(DEV[1], { nonce: 0n, to: DEV[2].address, value: 1n, gasLimit: 21000n })],
      ['REPLACEMENT_UNDERPRICED', '5% bump', signTx(DEV[1], { nonce: 0n, to: DEV[2].address, value: 2n, gasLimit: 21000n, maxFeePerGas: 2_100_000_000n, maxPriorityFeePerGas: 1_050_000_000n })],
      ['SENDER_NOT_EOA', 'sender with code', signTx(DEV[9], { nonce: 0n, to: DEV[2].address, gasLimit: 21000n })],
      ['INITCODE_TOO_LARGE', '49153-byte init code', signTx(DEV[0], { nonce: 1n, to: null, data: new Uint8Array(49153).fill(1), gasLimit: 1_500_000n })],
    ];
    const before = { root: node.head().header.stateRoot, pool: node.pool.size, rows: await rows(), nonce0: node.pendingNonce(DEV[0].address), nonce1: node.pendingNonce(DEV[1].address) };
    assert.equal(before.rows, 1);
    const seen = new Set<IngressErrorCode>();
    for (const [code, what, raw] of cases) {
      let err: unknown;
      try {
        await node.submitRawTransaction(raw);
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof IngressError, `${what}: expected IngressError ${code}, got ${err}`);
      assert.equal(err.code, code, `${what}: ${err.message}`);
      assert.ok(err.message.length > 10, `${what}: message says why`);
      assert.doesNotMatch(err.message, /=>|\bfunction\b|\(\) \{|this\./, `${what}: no library source in the message`);
      if (code === 'WRONG_CHAIN_ID') assert.match(err.message, /^invalid chain id: transaction is signed for chain 1, this chain is 42069$/);
      if (what === 'gas below the calldata floor') assert.equal(err.message, 'insufficient gas for floor data gas cost: have 40000, want 61000');
      seen.add(code);
      assert.equal(node.pool.size, before.pool, `${what}: pool unchanged`);
      assert.equal(await rows(), before.rows, `${what}: persisted mempool unchanged`);
      assert.equal(node.pendingNonce(DEV[0].address), before.nonce0);
      assert.equal(node.pendingNonce(DEV[1].address), before.nonce1);
      const hash = bytesToHex(keccak256(raw)) as Hex;
      if (code !== 'ALREADY_KNOWN' && hash !== pendingHash) assert.equal(await node.getTransaction(hash), null, `${what}: unknown afterwards`);
    }
    // The pool limit per sender (3 here).
    for (let n = 1n; n <= 2n; n++) await node.submitRawTransaction(signTx(DEV[1], { nonce: n, to: DEV[2].address, gasLimit: 21000n }));
    await assert.rejects(node.submitRawTransaction(signTx(DEV[1], { nonce: 3n, to: DEV[2].address, gasLimit: 21000n })), (e: IngressError) => e.code === 'POOL_FULL');
    seen.add('POOL_FULL');
    assert.equal(await rows(), 3);
    // Nothing of the rejected ones reached a block.
    const b = await node.sealBlock();
    assert.ok(b);
    assert.equal(b.txHashes.length, 3, 'exactly the three accepted txs of DEV[1] (nonces 0..2, one per round)');
    assert.equal(node.recentStats().at(-1)!.rounds, 3);
    assert.equal(node.pool.size, 0);
    assert.equal(await rows(), 0, 'included txs left the persisted mempool with the block');
    assert.notEqual(node.head().header.stateRoot, before.root);
    assert.ok(seen.size >= 15, `codes covered: ${[...seen].join(', ')}`);
  } finally {
    await node.close();
  }
});

test('blob transactions: refused by default with BLOB_INVALID, decoded correctly', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    // type 3: [chainId, nonce, tip, feeCap, gas, to, value, data, accessList, maxFeePerBlobGas, hashes, v, r, s], signed by hand.
    const enc = (n: bigint) => (n === 0n ? new Uint8Array(0) : hexToU8(`0x${n.toString(16)}`));
    const hashes = [hexToU8(`0x01${'00'.repeat(31)}`)];
    const unsigned = [enc(42069n), enc(0n), enc(1n), enc(2_000_000_000n), enc(21000n), hexToU8(DEV[1].address), enc(0n), new Uint8Array(0), [], enc(10n), hashes];
    const msg = keccak256(Uint8Array.from([3, ...RLP.encode(unsigned as never)]));
    const { secp256k1 } = await import('@noble/curves/secp256k1.js');
    const sig = secp256k1.sign(msg, hexToU8(DEV[0].privateKey), { prehash: false, format: 'recovered' });
    const raw = Uint8Array.from([3, ...RLP.encode([...unsigned, enc(BigInt(sig[0])), sig.slice(1, 33), sig.slice(33, 65)] as never)]);
    await assert.rejects(node.submitRawTransaction(raw), (e: IngressError) => e.code === 'BLOB_INVALID' && e.message === 'blob transactions are not accepted on this chain');
    // The network form (with blobs, ~128 KiB each) is refused for the same reason, not as oversized data.
    const wrapped = Uint8Array.from([3, ...RLP.encode([RLP.decode(raw.subarray(1)), [new Uint8Array(131072)], [new Uint8Array(48)], [new Uint8Array(48)]] as never)]);
    await assert.rejects(node.submitRawTransaction(wrapped), (e: IngressError) => e.code === 'BLOB_INVALID' && e.message === 'blob transactions are not accepted on this chain');
    assert.equal(node.pool.size, 0);
    // The decoder itself reads it and recovers the sender when blob transactions are allowed.
    const { decodeAndRecoverBatch } = await import('../../sequencer/ingress/decode.js');
    const { InlineSenderRecoverer } = await import('../../sequencer/ingress/recover.js');
    const [d] = await decodeAndRecoverBatch([raw], { chainId: 42069n, allowBlobTxs: true }, new InlineSenderRecoverer());
    assert.ok(!(d instanceof IngressError), String(d));
    assert.equal(d.exec.from, DEV[0].address);
    assert.equal(d.exec.type, 3);
    assert.equal(d.exec.maxFeePerBlobGas, 10n);
  } finally {
    await node.close();
  }
});
