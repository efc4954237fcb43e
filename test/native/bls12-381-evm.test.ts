// EIP-2537 precompiles reached from EVM execution: transactions that CALL 0x0b..0x11 through a contract (and
// name them as the transaction's entry point), run by the native executor and by @ethereumjs/vm (reference
// executor) at Cancun (the addresses are plain empty accounts there), Prague and Osaka. Inputs: valid and
// invalid go-ethereum vectors and noble-made G2 MSM / map inputs; gas limits from ample down to running out
// inside the precompile. Compared: status, gas used, return data, post-state root.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import type { ForkName } from '../../sequencer/chain/forks.js';
import { NativeExecutor } from '../../sequencer/executor/native/native-executor.js';
import { ReferenceExecutor } from '../../sequencer/executor/reference/reference-executor.js';
import type { BlockEnv, ExecTx } from '../../sequencer/executor/types.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { WorldState } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../support/seeded-random.js';
import { postRoot } from '../support/post-root.js';
import { sharedPath } from '../support/shared-data.js';

const VECTORS = sharedPath('precompile-vectors');
const SENDER: Address = '0x00000000000000000000000000000000000a11ce';
const CALLER: Address = '0x00000000000000000000000000000000000c0001';
const COINBASE: Address = '0x00000000000000000000000000000000000cb000';

// calldata = [precompile address byte][input]: CALLs the precompile with all gas and the input, stores the
// success flag in slot 0 and keccak(returndata) in slot 1, returns the return data.
const CALLER_CODE = Buffer.from(
  [
    '36600190', '03', // len = CALLDATASIZE - 1
    '8060015f37', // CALLDATACOPY(0, 1, len)
    '5f5f825f5f', // retSize 0, retOffset 0, argsSize len, argsOffset 0, value 0
    '5f3560f81c', // address = calldata[0]
    '5af1', // GAS CALL
    '5f55', // SSTORE(0, success)
    '3d5f5f3e', // RETURNDATACOPY(0, 0, RETURNDATASIZE)
    '3d5f20600155', // SSTORE(1, keccak(returndata))
    '3d5ff3', // RETURN(0, RETURNDATASIZE)
  ].join(''),
  'hex',
);

interface Input {
  id: number;
  name: string;
  data: Buffer;
}

function vectorInputs(): Input[] {
  const pick = (file: string, id: number, idx: number[]) => {
    const vs = JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as { Name: string; Input: string }[];
    return idx.map((i) => ({ id, name: `${file}:${vs[i].Name}`, data: Buffer.from(vs[i].Input, 'hex') }));
  };
  const fp = (v: bigint) => Buffer.from(v.toString(16).padStart(128, '0'), 'hex');
  const g2 = (p: typeof bls.G2.Point.BASE) => {
    const a = p.toAffine();
    return Buffer.concat([fp(a.x.c0), fp(a.x.c1), fp(a.y.c0), fp(a.y.c1)]);
  };
  const s32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
  return [
    ...pick('blsG1Add.json', 0x0b, [0, 5]),
    ...pick('fail-blsG1Add.json', 0x0b, [2, 5]),
    ...pick('blsG1MultiExp.json', 0x0c, [0, 12]),
    ...pick('fail-blsG1MultiExp.json', 0x0c, [6]),
    ...pick('blsG2Add.json', 0x0d, [0]),
    ...pick('fail-blsG2Add.json', 0x0d, [5]),
    { id: 0x0e, name: 'G2MSM 2 pairs (noble)', data: Buffer.concat([g2(bls.G2.Point.BASE.multiply(5n)), s32(7n), g2(bls.G2.Point.BASE), s32(2n ** 255n)]) },
    ...pick('fail-blsG2MultiExp.json', 0x0e, [6]),
    ...pick('blsPairing.json', 0x0f, [0, 3]),
    ...pick('blsMapG1.json', 0x10, [0]),
    ...pick('fail-blsMapG1.json', 0x10, [3]),
    { id: 0x11, name: 'MAP_FP2_TO_G2 (1, 2)', data: Buffer.concat([fp(1n), fp(2n)]) },
    ...pick('fail-blsMapG2.json', 0x11, [4]),
  ];
}

function env(fork: ForkName): BlockEnv {
  return {
    fork,
    chainId: 1n,
    number: 1000n,
    timestamp: 1_800_000_000n,
    coinbase: COINBASE,
    gasLimit: 30_000_000n,
    baseFee: 7n,
    prevRandao: `0x${'ab'.repeat(32)}` as Hex,
    excessBlobGas: 0n,
    recentBlockHashes: Array.from({ length: 256 }, (_, i) => `0x${(i + 1).toString(16).padStart(64, '0')}` as Hex),
  };
}

function tx(n: number, to: Address, data: Buffer, gasLimit: bigint): ExecTx {
  return {
    hash: `0x${n.toString(16).padStart(64, '0')}`,
    type: 2,
    from: SENDER,
    to,
    nonce: 0n,
    gasLimit,
    value: 0n,
    data: Uint8Array.from(data),
    maxFeePerGas: 10n,
    maxPriorityFeePerGas: 1n,
    accessList: [],
    chainId: 1n,
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('EIP-2537 precompiles in EVM execution: native vs @ethereumjs/vm', () => {
  it('agrees at Cancun, Prague and Osaka, called from a contract and as the entry point, with ample and short gas', async () => {
    const state = WorldState.fromAlloc([
      [SENDER, { balance: 10n ** 20n }],
      [CALLER, { code: Uint8Array.from(CALLER_CODE) }],
    ]);
    const native = new NativeExecutor();
    const reference = new ReferenceExecutor();
    const rand = seededRandom(0x2537e);
    const failures: string[] = [];
    let n = 0;
    let precompileSucceeded = 0;
    for (const fork of ['Cancun', 'Prague', 'Osaka'] as ForkName[]) {
      for (const input of vectorInputs()) {
        const addr = `0x${input.id.toString(16).padStart(40, '0')}` as Address;
        const viaCaller = Buffer.concat([Buffer.from([input.id]), input.data]);
        // ample gas, then limits that cut into the precompile's price (MSM and pairing cost up to ~100k)
        const limits = [2_000_000n, 60_000n + BigInt(Math.floor(rand() * 120_000)), 30_000n + BigInt(Math.floor(rand() * 30_000))];
        const cases: [string, Address, Buffer, bigint][] = [
          ...limits.map((g): [string, Address, Buffer, bigint] => ['via contract', CALLER, viaCaller, g]),
          ['entry point', addr, input.data, 2_000_000n],
        ];
        for (const [how, to, data, gas] of cases) {
          const t = tx(++n, to, data, gas);
          const [want] = await reference.executeBatch(state, [t], env(fork));
          const [got] = await native.executeBatch(state, [t], env(fork));
          const where = `${fork} ${input.name} ${how} gas ${gas}`;
          try {
            assert.equal(got.kind, want.kind, 'kind');
            if (got.kind === 'executed' && want.kind === 'executed') {
              assert.equal(got.status, want.status, `status (native ${got.error}, reference ${want.error})`);
              assert.equal(got.gasUsed, want.gasUsed, 'gasUsed');
              assert.equal(hex(got.returnData), hex(want.returnData), 'returnData');
              assert.equal(await postRoot(state, got, COINBASE), await postRoot(state, want, COINBASE), 'post-state root');
              if (fork !== 'Cancun' && got.status === 'success' && got.returnData.length > 0) precompileSucceeded++;
            }
          } catch (e) {
            failures.push(`${where}: ${(e as Error).message.split('\n')[0]}`);
          }
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${n} transactions differ:\n${failures.slice(0, 20).join('\n')}`);
    assert.ok(precompileSucceeded >= 20, `the precompiles produced output in only ${precompileSucceeded} transactions`);
  });
});
