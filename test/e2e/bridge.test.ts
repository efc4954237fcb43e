// The bridge from a wallet's side, on `npm start`'s real anvil + node (challenge window 15 s): deposit →
// L2 balance; an ETH withdrawal and a call withdrawal → posted batch → proven with the node's eth_getProof
// → finalized after the window → L1 balance / target storage, once through the library with viem and once
// through `npm run bridge` (concurrently). Each refusal of the library (wrong batch, never sent, proven
// twice, finalized early or twice, rolled back) names the contract error the same request hits on L1, and
// the test sends that request to the contract to check it; a batch posting a root the node does not have
// is caught before any L1 gas is spent. Last, a guardian rollback: status, the CLI and the console say so
// and finalize refuses, until the batcher re-posts the blocks and the withdrawal is proven again.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { encodeAbiParameters, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { devAccounts } from '../../sequencer/genesis/dev.js';
import {
  BridgeError,
  bridgeClients,
  bridgeWallet,
  buildWithdrawalProof,
  decodeRevert,
  depositETH,
  finalizeWithdrawal,
  initiateWithdrawal,
  proveWithdrawal,
  RollupView,
  waitForDepositOnL2,
  provable,
  waitForStage,
  waitForStatus,
  withdrawalStatus,
  type BridgeClients,
  type BridgeErrorCode,
  type LocatedWithdrawal,
} from '../../sequencer/l1/bridge/index.js';
import { deployRollup, rollupAbi } from '../../sequencer/l1/l1-client.js';
import { L2_MESSAGE_PASSER, hashWithdrawal, sentMessageSlot } from '../../sequencer/l1/withdrawals.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { pickPorts, startRollupNode, stopGracefully, type RunningNode } from '../support/rollup-node.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const WINDOW_S = 15;
const ETH = 10n ** 18n;
// dev accounts: 0 posts the batches; 1-2 use the CLI, 3-4 the library, 5 the rollback, 6 posts a bad root
// to a second rollup; 9 is the guardian.
const dev = devAccounts(10).map((a) => privateKeyToAccount(a.privateKey));
const GUARDIAN = dev[9]!;
// L1 targets of call withdrawals: `calldataload(0)` goes to slot 0 and `callvalue` to slot 1
// (PUSH0 CALLDATALOAD PUSH0 SSTORE CALLVALUE PUSH1 1 SSTORE STOP).
const RECORDER_CODE: Hex = '0x5f355f553460015500';
const LIB_TARGET: Address = '0x00000000000000000000000000000000000b1b1b';
const CLI_TARGET: Address = '0x00000000000000000000000000000000000c1c1c';
const word = (n: bigint): Hex => encodeAbiParameters([{ type: 'uint256' }], [n]) as Hex;
const fresh = (): Address => privateKeyToAccount(generatePrivateKey()).address.toLowerCase() as Address;

let dir: string;
let node: RunningNode;
let consoleUrl: string;
let c: BridgeClients;
let rollup: Address;

async function l1Rpc(method: string, params: unknown[] = []): Promise<unknown> {
  const r = await fetch(node.l1Url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const j = (await r.json()) as { result?: unknown; error?: { message: string } };
  if (j.error) throw new Error(`${method}: ${j.error.message}`);
  return j.result;
}

const wallets = (a: PrivateKeyAccount) => ({ l1: bridgeWallet(node.l1Url, a), l2: bridgeWallet(node.url, a) });

/** The BridgeError `p` is refused with, checked to carry `code`. */
async function refusal(p: Promise<unknown>, code: BridgeErrorCode): Promise<BridgeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BridgeError, `expected a BridgeError ${code}, got ${(e as Error).stack}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  throw new assert.AssertionError({ message: `expected a ${code} refusal, but it went through` });
}

/** Sends the request to the Rollup contract anyway (simulated from `from`): the custom error it reverts with. */
async function contractRevert(functionName: string, args: unknown[], from: PrivateKeyAccount): Promise<{ errorName: string; args: readonly unknown[] }> {
  try {
    await c.l1.simulateContract({ address: rollup, abi: rollupAbi(), functionName, args, account: from });
  } catch (e) {
    const r = decodeRevert(e);
    if (r) return r;
    throw e;
  }
  throw new assert.AssertionError({ message: `${functionName} did not revert` });
}

/** The proof a careless wallet would send: the node's eth_getProof of a withdrawal's slot at L2 block `block`. */
async function rawProof(hash: Hex, block: bigint): Promise<[Hex[], Hex[]]> {
  const p = await c.l2.getProof({ address: L2_MESSAGE_PASSER, storageKeys: [sentMessageSlot(hash)], blockNumber: block });
  return [p.accountProof, p.storageProof[0]!.proof];
}

/** `npm run bridge -- ARGS --json` (or the same file straight through tsx): exit status and parsed output. */
async function cli(args: string[], viaNpm = false): Promise<{ code: number; out: { ok: boolean; result?: any; error?: { code: string; message: string; details: any } } }> {
  const common = ['--l1', node.l1Url, '--l2', node.url, '--rollup', rollup, '--json', '--timeout', '90'];
  const [cmd, argv] = viaNpm ? ['npm', ['run', '-s', 'bridge', '--', ...args, ...common]] : [process.execPath, ['--import', 'tsx', 'sequencer/cli/bridge.ts', ...args, ...common]];
  try {
    const { stdout } = await run(cmd, argv, { cwd: ROOT, timeout: 120_000 });
    return { code: 0, out: JSON.parse(stdout) };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number' || !err.stdout) throw new Error(`bridge ${args.join(' ')} failed: ${err.stderr ?? e}`);
    return { code: err.code, out: JSON.parse(err.stdout) };
  }
}

async function storageWord(address: Address, slot: bigint): Promise<bigint> {
  return BigInt((await c.l1.getStorageAt({ address, slot: word(slot) })) ?? '0x0');
}

describe('the bridge on npm start (anvil + node, 15 s challenge window)', { timeout: 300_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-e2e-'));
    const ports = await pickPorts();
    consoleUrl = `http://127.0.0.1:${ports.consolePort}`;
    node = await startRollupNode(dir, ports, ['--challenge-window', String(WINDOW_S), '--guardian', GUARDIAN.address, '--l1-confirmations', '1']);
    const dep = JSON.parse(readFileSync(join(dir, 'l1', 'deployment.json'), 'utf8')) as { address: Address; deployBlock: string; challengeWindow: string; guardian: string };
    assert.equal(dep.challengeWindow, String(WINDOW_S), '--challenge-window reached the contract');
    assert.equal(dep.guardian, GUARDIAN.address.toLowerCase());
    rollup = dep.address;
    c = bridgeClients({ l1Url: node.l1Url, l2Url: node.url, rollup, l1FromBlock: BigInt(dep.deployBlock) });
    for (const target of [LIB_TARGET, CLI_TARGET]) await l1Rpc('anvil_setCode', [target, RECORDER_CODE]);
  });

  after(async () => {
    if (node) await stopGracefully(node);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('deposit, withdraw, prove, finalize', { concurrency: true }, () => {
    it('through the library with viem, every refusal matching the contract', async () => {
      const [user, caller] = [dev[3]!, dev[4]!];
      const w = wallets(user);
      const l2Recipient = fresh();
      const deposit = await depositETH(c, w.l1, { to: l2Recipient, value: 2n * ETH });
      assert.equal(await waitForDepositOnL2(c, deposit, 60_000), 2n * ETH, 'the deposit arrives on L2');

      const l1Recipient = fresh();
      const [ethW, callW] = await Promise.all([
        initiateWithdrawal(c, w.l2, { target: l1Recipient, value: ETH / 2n }),
        initiateWithdrawal(c, wallets(caller).l2, { target: LIB_TARGET, value: ETH / 10n, data: word(0xc0ffeen) }),
      ]);
      assert.equal(ethW.message.sender, user.address.toLowerCase());
      const first = await withdrawalStatus(c, ethW);
      assert.ok(['initiated', 'in-posted-batch'].includes(first.stage), first.stage);
      const posted = await waitForStage(c, ethW, ['in-posted-batch'], 60_000);

      // A batch that ends before the withdrawal's block, and a message never sent.
      const view = new RollupView(c);
      const early = await view.batch(posted.batchIndex - 1n);
      const wrong = await refusal(proveWithdrawal(c, w.l1, ethW, { batchIndex: early.index }), 'WRONG_BATCH');
      assert.equal((await contractRevert('proveWithdrawal', [ethW.message, early.index, ...(await rawProof(ethW.hash, early.lastBlock))], user)).errorName, wrong.details.contractError);
      const never = { ...ethW.message, nonce: 1_000_000n };
      const notSent = await refusal(proveWithdrawal(c, w.l1, { message: never }), 'WITHDRAWAL_NOT_FOUND');
      assert.equal((await contractRevert('proveWithdrawal', [never, posted.batchIndex, ...(await rawProof(hashWithdrawal(never), (await view.batch(posted.batchIndex)).lastBlock))], user)).errorName, notSent.details.contractError);

      // Proven with the node's eth_getProof at the last block of the batch carrying it.
      const proven = await proveWithdrawal(c, w.l1, ethW);
      assert.equal(proven.batchIndex, posted.batchIndex);
      const batch = await view.batch(proven.batchIndex);
      const record = await view.proofRecord(ethW.hash);
      assert.equal(record?.stateRoot, (await c.l2.getBlock({ blockNumber: batch.lastBlock })).stateRoot, 'proven against the L2 root of the batch’s last block');
      await waitForStage(c, callW, ['in-posted-batch'], 60_000);
      await proveWithdrawal(c, wallets(caller).l1, callW);
      const status = await withdrawalStatus(c, ethW);
      assert.equal(status.stage, 'proven');
      assert.ok(status.stage === 'proven' && status.finalizableAt === (batch.postedAt > record!.provenAt ? batch.postedAt : record!.provenAt) + BigInt(WINDOW_S));

      // Proven twice, finalized early.
      const twice = await refusal(proveWithdrawal(c, w.l1, ethW, { batchIndex: proven.batchIndex }), 'ALREADY_PROVEN');
      const proof = await buildWithdrawalProof(c, view, ethW, proven.batchIndex);
      assert.equal((await contractRevert('proveWithdrawal', [ethW.message, proven.batchIndex, proof.accountProof, proof.storageProof], user)).errorName, twice.details.contractError);
      const soon = await refusal(finalizeWithdrawal(c, w.l1, ethW), 'CHALLENGE_WINDOW_OPEN');
      assert.equal(soon.details.until, status.stage === 'proven' ? status.finalizableAt : -1n, 'says until when');
      const early2 = await contractRevert('finalizeWithdrawal', [ethW.message], user);
      assert.deepEqual([early2.errorName, early2.args[0]], [soon.details.contractError, soon.details.until]);

      // After the window: paid on L1, the call made with its data.
      await waitForStage(c, ethW, ['finalizable'], 60_000);
      await finalizeWithdrawal(c, w.l1, ethW);
      assert.equal(await c.l1.getBalance({ address: l1Recipient }), ETH / 2n, 'ETH withdrawal paid on L1');
      await waitForStage(c, callW, ['finalizable'], 60_000);
      await finalizeWithdrawal(c, wallets(caller).l1, callW);
      assert.equal(await storageWord(LIB_TARGET, 0n), 0xc0ffeen, 'the L1 target was called with the data');
      assert.equal(await storageWord(LIB_TARGET, 1n), ETH / 10n, 'and the value');
      assert.equal((await withdrawalStatus(c, ethW)).stage, 'finalized');
      const again = await refusal(finalizeWithdrawal(c, w.l1, ethW), 'ALREADY_FINALIZED');
      assert.equal((await contractRevert('finalizeWithdrawal', [ethW.message], user)).errorName, again.details.contractError);
    });

    it('a batch whose posted root is not the node’s: refused before any L1 gas, and the contract rejects the proof', async () => {
      // A second rollup on the same L1, whose sequencer (dev account 6) posts a made-up root for the node's blocks.
      const sequencer = dev[6]!;
      const w = await initiateWithdrawal(c, wallets(sequencer).l2, { value: 1000n });
      const genesisRoot = (await c.l2.getBlock({ blockNumber: 0n })).stateRoot;
      const bad = await deployRollup(node.l1Url, devAccounts(7)[6]!.privateKey, { sequencer: sequencer.address.toLowerCase() as Address, guardian: GUARDIAN.address.toLowerCase() as Address, genesisStateRoot: genesisRoot, l2ChainId: BigInt(await c.l2.getChainId()), forceInclusionWindow: 3600n, challengeWindow: 3600n });
      const header = { batchIndex: 0n, prevStateRoot: genesisRoot, newStateRoot: word(0xbadn), firstBlock: 1n, lastBlock: w.l2Block, queueIndexAfter: 0n };
      const posted = await wallets(sequencer).l1.writeContract({ address: bad.address, abi: rollupAbi(), functionName: 'submitBatch', args: [header, '0x01'], chain: null });
      assert.equal((await c.l1.waitForTransactionReceipt({ hash: posted, pollingInterval: 100 })).status, 'success');

      const onBad = { ...c, rollup: bad.address, l1FromBlock: bad.deployBlock };
      assert.equal((await withdrawalStatus(onBad, w)).stage, 'in-posted-batch');
      const nonceBefore = await c.l1.getTransactionCount({ address: sequencer.address });
      const refused = await refusal(proveWithdrawal(onBad, wallets(sequencer).l1, w), 'ROOT_MISMATCH');
      assert.match(refused.message, /has state root 0x[0-9a-f]{64}, but batch 0 posted 0x0+bad/);
      assert.equal(await c.l1.getTransactionCount({ address: sequencer.address }), nonceBefore, 'nothing was sent to L1');
      const revert = await (async () => {
        try {
          await c.l1.simulateContract({ address: bad.address, abi: rollupAbi(), functionName: 'proveWithdrawal', args: [w.message, 0n, ...(await rawProof(w.hash, w.l2Block))], account: sequencer });
        } catch (e) {
          return decodeRevert(e);
        }
      })();
      assert.deepEqual([revert?.errorName, revert?.args[0]], [refused.details.contractError, 'root hash mismatch']);
    });

    it('through npm run bridge', async () => {
      const [l2Recipient, l1Recipient] = [fresh(), fresh()];
      const [dep, a, b] = await Promise.all([
        cli(['deposit', '--value', '1.5', '--to', l2Recipient, '--dev-account', '1', '--wait'], true),
        cli(['withdraw', '--value', '0.25', '--to', l1Recipient, '--dev-account', '1']),
        cli(['withdraw', '--value', '0.05', '--to', CLI_TARGET, '--data', word(0xbeefn), '--dev-account', '2']),
      ]);
      assert.deepEqual([dep.code, a.code, b.code], [0, 0, 0], JSON.stringify([dep.out, a.out, b.out]));
      assert.equal(await c.l2.getBalance({ address: l2Recipient }), parseEther('1.5'), 'the deposit arrives on L2');
      const [txA, txB] = [a.out.result.l2TxHash as Hex, b.out.result.l2TxHash as Hex];
      const proofs = await Promise.all([cli(['prove', '--tx', txA, '--wait', '--dev-account', '1']), cli(['prove', '--tx', txB, '--wait', '--dev-account', '2'])]);
      assert.deepEqual(proofs.map((p) => p.code), [0, 0], JSON.stringify(proofs.map((p) => p.out)));
      const done = await Promise.all([cli(['finalize', '--tx', txA, '--wait', '--dev-account', '1']), cli(['finalize', '--tx', txB, '--wait', '--dev-account', '2'])]);
      assert.deepEqual(done.map((d) => d.code), [0, 0], JSON.stringify(done.map((d) => d.out)));
      assert.equal(await c.l1.getBalance({ address: l1Recipient }), parseEther('0.25'), 'ETH withdrawal paid on L1');
      assert.equal(await storageWord(CLI_TARGET, 0n), 0xbeefn, 'the L1 target was called with the data');
      assert.equal(await storageWord(CLI_TARGET, 1n), parseEther('0.05'));
      const [all, again] = await Promise.all([cli(['status', '--address', dev[1]!.address]), cli(['finalize', '--tx', txA, '--dev-account', '1'])]);
      assert.deepEqual(all.out.result.map((s: { l2TxHash: string; stage: string }) => [s.l2TxHash, s.stage]), [[txA, 'finalized']]);
      assert.equal(again.code, 1, 'a refusal exits 1');
      assert.equal(again.out.error?.code, 'ALREADY_FINALIZED', again.out.error?.message);
      assert.equal(again.out.error?.details.contractError, 'AlreadyFinalized');
    });
  });

  it('after a guardian rollback, status and the console say so and finalize refuses', async () => {
    const user = dev[5]!;
    const w: LocatedWithdrawal = await initiateWithdrawal(c, wallets(user).l2, { target: fresh(), value: ETH / 5n });
    await waitForStage(c, w, ['in-posted-batch'], 60_000);
    const proven = await proveWithdrawal(c, wallets(user).l1, w);
    // L1 stops mining, so the batcher cannot re-post between the rollback and the reads below.
    await l1Rpc('evm_setIntervalMining', [0]);
    let browser: Browser | undefined;
    try {
      const guardian = bridgeWallet(node.l1Url, GUARDIAN);
      const tx = await guardian.writeContract({ address: rollup, abi: rollupAbi(), functionName: 'rollBack', args: [proven.batchIndex], chain: null });
      await l1Rpc('evm_mine');
      assert.equal((await c.l1.getTransactionReceipt({ hash: tx })).status, 'success');

      const s = await withdrawalStatus(c, w);
      assert.equal(s.stage, 'rolled-back');
      assert.ok(s.stage === 'rolled-back' && s.proven && s.batchIndex === proven.batchIndex);
      const refused = await refusal(finalizeWithdrawal(c, wallets(user).l1, w), 'ROLLED_BACK');
      assert.equal((await contractRevert('finalizeWithdrawal', [w.message], user)).errorName, refused.details.contractError);
      const st = await cli(['status', '--tx', w.l2TxHash]);
      assert.equal(st.out.result.stage, 'rolled-back');

      // The console's withdrawals view (headless chromium): this one rolled back, the earlier ones finalized.
      if (!existsSync(CHROMIUM)) throw new Error(`headless chromium not found at ${CHROMIUM} (sudo bash scripts/install-system-deps.sh, or set CHROMIUM_PATH)`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
      const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
      await page.goto(consoleUrl);
      const table = page.getByTestId('l1-withdrawals');
      await table.locator(`tr[data-stage="rolled-back"]`).first().waitFor({ timeout: 30_000 });
      assert.match(await table.locator('tr[data-stage="rolled-back"]').first().innerText(), /rolled back \(batch #\d+\)/);
      assert.ok((await table.locator('tr[data-stage="finalized"]').count()) >= 4, 'the four finalized withdrawals are listed');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.getByTestId('l1-status').screenshot({ path: join(ARTIFACTS, 'console-withdrawals.png') });
    } finally {
      await browser?.close();
      await l1Rpc('evm_setIntervalMining', [1]);
    }
    // The batcher re-posts the rolled-back blocks (grouped anew, so the batch's root may differ): the withdrawal
    // is then proven again against the new batch, or, where the same root came back, its proof counts again.
    const s = await waitForStatus(c, w, 'to be re-posted', provable, 60_000);
    if (s.stage === 'rolled-back') await proveWithdrawal(c, wallets(user).l1, w);
    assert.ok(['proven', 'finalizable'].includes((await withdrawalStatus(c, w)).stage));
  });
});
