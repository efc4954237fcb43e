// Invariant 1 with EIP-7702: high-conflict blocks of set-code transactions (sponsored authorizations that
// delegate a few shared authorities to the counter or the AMM, re-delegate or clear them, some with stale
// nonces) mixed with calls into those authorities and the shared counter, scheduled in parallel on the native
// executor. Every sealed block must equal @ethereumjs/vm replaying it (runBlock, roots checked), so the
// scheduler's read/write keys cover the authority accounts (their code and nonce change under other txs).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createTx } from '@ethereumjs/tx';
import { eoaCode7702SignAuthorization } from '@ethereumjs/util';
import { commonFor } from '../../sequencer/chain/common.js';
import { createExecutor } from '../../sequencer/executor/create-executor.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { hexToU8, type Address } from '../../sequencer/primitives/types.js';
import { seededRandom } from '../support/seeded-random.js';
import { SerialOracle } from './oracle.js';
import { ADDR, makeSenders, workloadGenesis, type Sender } from './workload.js';

const CHAIN_ID = 42069n;
const ZERO: Address = '0x0000000000000000000000000000000000000000';
const q = (v: bigint) => `0x${v.toString(16)}` as const;

function signed(s: Sender, fields: Record<string, unknown>): Uint8Array {
  const tx = createTx({ chainId: CHAIN_ID, maxFeePerGas: 5_000_000_000n, maxPriorityFeePerGas: 100_000_000n, ...fields } as never, { common: commonFor(CHAIN_ID) });
  return tx.sign(hexToU8(s.key)).serialize();
}

test('high-conflict blocks with set-code transactions equal the serial replay (native executor)', { timeout: 180_000 }, async () => {
  const rnd = seededRandom(7702);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const senders = makeSenders(10, 1);
  const authorities = makeSenders(3, 2); // never send themselves: only tuples move their nonces
  const genesis = workloadGenesis(senders);
  const executor = await createExecutor('native');
  const node = await SequencerNode.open({ dataDir: ':memory:', genesis, sealMode: 'on-demand', executor });
  const oracle = await SerialOracle.create(genesis);
  const expectedNonce = new Map(authorities.map((a) => [a.address, 0n]));
  let setCode = 0;
  let included = 0;
  try {
    for (let round = 0; round < 6; round++) {
      const batch: Uint8Array[] = [];
      for (const s of senders) {
        const k = rnd();
        if (k < 0.45) {
          const tuples = [];
          for (let i = 0, n = 1 + Math.floor(rnd() * 2); i < n; i++) {
            const a = pick(authorities);
            const nonce = expectedNonce.get(a.address)!;
            // Mostly the nonce the authority will have if the earlier tuples landed; sometimes a stale one.
            const useNonce = rnd() < 0.8 ? nonce : nonce > 0n ? nonce - 1n : nonce + 1n;
            if (useNonce === nonce) expectedNonce.set(a.address, nonce + 1n);
            tuples.push(eoaCode7702SignAuthorization({ chainId: q(pick([CHAIN_ID, 0n])), address: pick([ADDR.counter, ADDR.counter, ADDR.amm, ZERO]), nonce: q(useNonce) }, hexToU8(a.key)));
          }
          batch.push(signed(s, { type: 4, nonce: s.nonce, to: pick(authorities).address, gasLimit: 200_000n, authorizationList: tuples }));
          setCode++;
        } else if (k < 0.8) {
          batch.push(signed(s, { type: 2, nonce: s.nonce, to: pick(authorities).address, gasLimit: 150_000n, data: rnd() < 0.5 ? new Uint8Array(32) : new Uint8Array() }));
        } else {
          batch.push(signed(s, { type: 2, nonce: s.nonce, to: ADDR.counter, gasLimit: 80_000n }));
        }
        s.nonce++;
      }
      const res = await node.submitRawTransactions(batch);
      for (const r of res) if ('error' in r) assert.fail(`submission rejected: ${r.error.message}`);
      while (node.pool.size > 0) {
        const b = await node.sealBlock();
        assert.ok(b, `pool has ${node.pool.size} txs but nothing could be sealed`);
        included += await oracle.replay(node, b.header.number);
        assert.equal(await oracle.stateRoot(), b.header.stateRoot, `block ${b.header.number}`);
      }
    }
    assert.equal(included, senders.length * 6, 'every transaction was included');
    assert.ok(setCode > 15, `${setCode} set-code transactions`);
    // Tuples did land (each bumps its authority's nonce), not only get skipped.
    const applied = authorities.reduce((n, a) => n + (node.getState().getAccount(a.address)?.nonce ?? 0n), 0n);
    assert.ok(applied >= 5n, `${applied} authorizations applied`);
  } finally {
    await node.close();
    await executor.close?.();
  }
});
