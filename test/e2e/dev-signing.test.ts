// Dev accounts on the dev chain, with real clients: ethers getSigner(0).sendTransaction and signTypedData
// (checked by ecrecover in a contract on chain), `cast send --unlocked`, viem's JSON-RPC account, eth_sign /
// personal_sign; concurrent sends take consecutive nonces; a node without dev accounts refuses with why.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ethers } from 'ethers';
import { createPublicClient, createWalletClient, defineChain, getAddress, http, verifyMessage, type Hex } from 'viem';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { compileSolidity } from '../support/solidity.js';
import * as schema from '../support/rpc-schema.js';

const CAST = 'node_modules/@foundry-rs/cast-linux-amd64/bin/cast';
const DEV = devAccounts(10);
const chain = defineChain({ id: 42069, name: 'test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: ['http://127.0.0.1'] } } });

const VERIFIER = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract MailVerifier {
  bytes32 constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  bytes32 constant MAIL_TYPEHASH = keccak256("Mail(address to,uint256 amount,string note)");
  function signerOf(address to, uint256 amount, string calldata note, uint8 v, bytes32 r, bytes32 s) external view returns (address) {
    bytes32 domain = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Verifier"), keccak256("1"), block.chainid, address(this)));
    bytes32 mail = keccak256(abi.encode(MAIL_TYPEHASH, to, amount, keccak256(bytes(note))));
    return ecrecover(keccak256(abi.encodePacked("\\x19\\x01", domain, mail)), v, r, s);
  }
}`;

async function rpc(url: string, method: string, params: unknown[] = []): Promise<{ result?: any; error?: { code: number; message: string } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return (await res.json()) as { result?: any; error?: { code: number; message: string } };
}

describe('dev accounts on the dev chain', { timeout: 120_000 }, () => {
  let node: SequencerNode;
  let server: RpcServer;
  let locked: RpcServer;
  let provider: ethers.JsonRpcProvider;
  before(async () => {
    // Empty blocks while idle, so clients waiting for a receipt see new blocks.
    node = await SequencerNode.open({ dataDir: ':memory:', genesis: devGenesis(), sealMode: 'interval', blockTimeMs: 50, idleBlockMs: 50 });
    server = await startRpcServer({ node, port: 0, devAccounts: DEV });
    locked = await startRpcServer({ node, port: 0 });
    provider = new ethers.JsonRpcProvider(server.url, 42069, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  });
  after(async () => {
    provider?.destroy();
    await server?.close();
    await locked?.close();
    await node?.close();
  });

  it('eth_accounts lists the 10 dev accounts', async () => {
    const { result } = await rpc(server.url, 'eth_accounts');
    assert.deepEqual(result, DEV.map((a) => getAddress(a.address)));
    schema.validate(schema.array(schema.address), result, 'eth_accounts');
  });

  it('ethers getSigner(0).sendTransaction: nonce, gas and fees filled, signed, mined', async () => {
    const signer = await provider.getSigner(0);
    assert.equal(await signer.getAddress(), getAddress(DEV[0].address));
    const to = ethers.Wallet.createRandom().address;
    const tx = await signer.sendTransaction({ to, value: 12345n });
    const receipt = await tx.wait();
    assert.equal(receipt!.status, 1);
    assert.equal(await provider.getBalance(to), 12345n);
    const mined = (await rpc(server.url, 'eth_getTransactionByHash', [tx.hash])).result;
    schema.validate(schema.transactionInfo(true), mined, 'eth_getTransactionByHash');
    assert.equal(mined.type, '0x2');
    assert.equal(mined.gas, '0x5208', 'gas estimated: a plain transfer');
  });

  it('concurrent eth_sendTransaction from one account take consecutive nonces', async () => {
    const from = DEV[6].address;
    const sends = await Promise.all(Array.from({ length: 6 }, (_, i) => rpc(server.url, 'eth_sendTransaction', [{ from, to: DEV[7].address, value: `0x${(i + 1).toString(16)}` }])));
    assert.ok(sends.every((s) => s.result), JSON.stringify(sends));
    const nonces = await Promise.all(sends.map(async (s) => Number((await rpc(server.url, 'eth_getTransactionByHash', [s.result])).result.nonce)));
    assert.deepEqual([...nonces].sort(), [0, 1, 2, 3, 4, 5]);
  });

  it('signTypedData (ethers, eth_signTypedData_v4) recovers to the dev account with ecrecover on chain', async () => {
    const signer = await provider.getSigner(1);
    const [artifact] = compileSolidity({ 'MailVerifier.sol': VERIFIER });
    const factory = new ethers.ContractFactory(artifact.abi as ethers.InterfaceAbi, artifact.bytecode, signer);
    const verifier = await factory.deploy();
    await verifier.waitForDeployment();
    const domain = { name: 'Verifier', version: '1', chainId: 42069, verifyingContract: await verifier.getAddress() };
    const types = { Mail: [{ name: 'to', type: 'address' }, { name: 'amount', type: 'uint256' }, { name: 'note', type: 'string' }] };
    const mail = { to: DEV[2].address, amount: 10n ** 18n, note: 'lunch' };
    const sig = ethers.Signature.from(await signer.signTypedData(domain, types, mail));
    const recovered = await (verifier as unknown as { signerOf(...a: unknown[]): Promise<string> }).signerOf(mail.to, mail.amount, mail.note, sig.v, sig.r, sig.s);
    assert.equal(recovered, getAddress(DEV[1].address));
    // viem's JSON-RPC account asks the node to sign the same way.
    const wallet = createWalletClient({ chain, transport: http(server.url), account: getAddress(DEV[1].address) });
    const viemSig = await wallet.signTypedData({ domain: { ...domain, verifyingContract: domain.verifyingContract as Hex }, types, primaryType: 'Mail', message: mail });
    assert.equal(viemSig, sig.serialized);
  });

  it('cast send --unlocked', async () => {
    const to = ethers.Wallet.createRandom().address;
    const { stdout } = await promisify(execFile)(CAST, ['send', '--unlocked', '--from', DEV[3].address, '--rpc-url', server.url, '--json', to, '--value', '777'], { timeout: 60_000 });
    const receipt = JSON.parse(stdout);
    assert.equal(receipt.status, '0x1');
    schema.validate(schema.receipt, receipt, 'cast receipt');
    assert.equal(receipt.from.toLowerCase(), DEV[3].address);
    assert.equal(await provider.getBalance(to), 777n);
  });

  it('viem sendTransaction through the node (JSON-RPC account), eth_sign and personal_sign', async () => {
    const pub = createPublicClient({ chain, transport: http(server.url) });
    const wallet = createWalletClient({ chain, transport: http(server.url), account: getAddress(DEV[4].address) });
    const hash = await wallet.sendTransaction({ to: DEV[5].address, value: 5n });
    assert.equal((await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status, 'success');
    const personal = await wallet.signMessage({ message: 'hello dev chain' });
    schema.validate(schema.signature, personal, 'personal_sign');
    assert.ok(await verifyMessage({ address: getAddress(DEV[4].address), message: 'hello dev chain', signature: personal }));
    const raw = (await rpc(server.url, 'eth_sign', [DEV[4].address, '0xdeadbeef'])).result as Hex;
    assert.ok(await verifyMessage({ address: getAddress(DEV[4].address), message: { raw: '0xdeadbeef' }, signature: raw }));
    const ethersSig = await (await provider.getSigner(4)).signMessage('hello dev chain');
    assert.equal(ethersSig, personal);
  });

  it('clear errors: unknown account, missing from, and a node without dev accounts', async () => {
    const stranger = ethers.Wallet.createRandom().address;
    const unknown = await rpc(server.url, 'eth_sendTransaction', [{ from: stranger, to: DEV[0].address, value: '0x1' }]);
    assert.equal(unknown.error?.code, -32000);
    assert.match(unknown.error!.message, /^unknown account 0x[0-9a-f]{40}: this node signs only for its 10 dev accounts/);
    const noFrom = await rpc(server.url, 'eth_sendTransaction', [{ to: DEV[0].address }]);
    assert.equal(noFrom.error?.code, -32602);
    assert.deepEqual((await rpc(locked.url, 'eth_accounts')).result, []);
    for (const [method, params] of [
      ['eth_sendTransaction', [{ from: DEV[0].address, to: DEV[1].address }]],
      ['eth_sign', [DEV[0].address, '0x00']],
      ['personal_sign', ['0x00', DEV[0].address]],
      ['eth_signTypedData_v4', [DEV[0].address, '{}']],
    ] as const) {
      const r = await rpc(locked.url, method, params as unknown as unknown[]);
      assert.equal(r.error?.code, -32000, method);
      assert.match(r.error!.message, /no unlocked accounts \(dev accounts are enabled only on the dev chain/, method);
    }
  });
});
