// A withdrawal initiated on L2 (L2ToL1MessagePasser predeploy), posted in a batch, proven on L1 with a
// Merkle-Patricia storage proof against the posted root, and finalized after the challenge window.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Batcher } from '../../sequencer/l1/batcher.js';
import { BatchStore } from '../../sequencer/l1/batch-store.js';
import { DepositWatcher } from '../../sequencer/l1/deposit-watcher.js';
import { L2_MESSAGE_PASSER, hashWithdrawal, proveWithdrawalInState, type WithdrawalMessage } from '../../sequencer/l1/withdrawals.js';
import { toAddress, type Address } from '../../sequencer/primitives/types.js';
import { SEQUENCER_KEY, USER_L1_KEY, rollupWrite, startL1Env, type L1Env } from './support/l1-env.js';
import { L2_CHAIN_ID } from './support/l2-test-chain.js';

const quiet = () => {};
const L1_TARGET: Address = '0x00000000000000000000000000000000000e1e1e';
const ETH = 10n ** 18n;

describe('withdrawals', { timeout: 120_000 }, () => {
  let env: L1Env;
  before(async () => {
    env = await startL1Env({ challengeWindow: 3600n });
  });
  after(async () => env?.close());

  test('proven against the posted root, finalized only after the challenge window', async () => {
    const { l2 } = env;
    const user = toAddress(l2.users[0].address);
    // Liquidity on L1: a deposit locks 2 ETH in the Rollup contract.
    await rollupWrite(env, USER_L1_KEY, 'depositETH', [user], 2n * ETH);
    await new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: l2, log: quiet }).poll();
    await l2.produceBlock([]);
    const value = ETH / 2n;
    await l2.produceBlock([await l2.withdraw(0, L1_TARGET, value)]);
    const w: WithdrawalMessage = { nonce: 0n, sender: user, target: L1_TARGET, value, data: '0x' };
    const wh = hashWithdrawal(w);
    assert.equal(l2.state.getAccount(L2_MESSAGE_PASSER)?.balance, value, 'ETH locked in the passer on L2');
    assert.equal(l2.state.getStorage(L2_MESSAGE_PASSER, `0x${'0'.repeat(63)}1`), 1n, 'messageNonce bumped');

    const store = new BatchStore(join(env.dir, 'w.sqlite'));
    await store.init();
    await new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: l2, store, log: quiet }).flush(30_000);
    await store.close();
    const proof = await proveWithdrawalInState(l2.state, wh);
    assert.equal(proof.stateRoot, await env.reader.lastStateRoot(), 'proof is against the posted root');

    const wArg = { ...w };
    await assert.rejects(rollupWrite(env, USER_L1_KEY, 'finalizeWithdrawal', [wArg]), /NotProven/);
    // Claiming more than was withdrawn on L2 fails the proof.
    await assert.rejects(rollupWrite(env, USER_L1_KEY, 'proveWithdrawal', [{ ...wArg, value: ETH }, 0n, proof.accountProof, proof.storageProof]), /WithdrawalNotInState|InvalidProof/);
    await rollupWrite(env, USER_L1_KEY, 'proveWithdrawal', [wArg, 0n, proof.accountProof, proof.storageProof]);
    await assert.rejects(rollupWrite(env, USER_L1_KEY, 'finalizeWithdrawal', [wArg]), /ChallengeWindowOpen/);
    await env.rpc('evm_increaseTime', [3601]);
    await env.rpc('evm_mine');
    const before = await env.reader.client.getBalance({ address: L1_TARGET });
    await rollupWrite(env, USER_L1_KEY, 'finalizeWithdrawal', [wArg]);
    assert.equal((await env.reader.client.getBalance({ address: L1_TARGET })) - before, value, 'paid on L1');
    await assert.rejects(rollupWrite(env, USER_L1_KEY, 'finalizeWithdrawal', [wArg]), /AlreadyFinalized/);
  });
});
