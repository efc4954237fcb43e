// Reads GeneralStateTests files (ethereum/tests, execution-spec-tests) into executable cases: one per
// (data, gas, value) index of one fork's post states. The transaction comes from the case's signed
// `txbytes`, decoded as any wallet's at that fork.
import { readFileSync } from 'node:fs';
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { bytesToHex } from '@ethereumjs/util';
import { execTxFromEthereumJs } from '../../sequencer/ingress/decode.js';
import { commonFor } from '../../sequencer/chain/common.js';
import { FORKS, isForkName, type ForkName } from '../../sequencer/chain/forks.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { hexToU8, toAddress, toWord, type Address, type Hex } from '../../sequencer/primitives/types.js';
import type { GenesisAccount } from '../../sequencer/state/world-state.js';
import type { BlockEnv, ExecTx } from '../../sequencer/executor/types.js';

export interface StateTestCase {
  file: string;
  name: string;
  label: string;
  pre: [Address, GenesisAccount][];
  env: BlockEnv;
  /** The decoded transaction, or why decoding rejected it. */
  tx: ExecTx | { decodeError: string };
  expectedRoot: Hex;
  expectedLogsHash: Hex;
  expectException?: string;
}

interface RawTest {
  env: Record<string, string>;
  pre: Record<string, { balance: string; code: string; nonce: string; storage: Record<string, string> }>;
  config?: { chainid?: string };
  transaction: { sender?: string };
  post: Record<string, { hash: string; logs: string; txbytes: string; indexes: { data: number; gas: number; value: number }; expectException?: string }[]>;
}

export class StateTestFormatError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: not a GeneralStateTests file (${detail})`);
    this.name = 'StateTestFormatError';
  }
}

function readJson(file: string): Record<string, RawTest> {
  let json: Record<string, RawTest>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new StateTestFormatError(file, (e as Error).message);
  }
  for (const [name, test] of Object.entries(json)) {
    if (!test || typeof test !== 'object' || !test.env || !test.pre || !test.post) throw new StateTestFormatError(file, `test ${name} lacks env/pre/post`);
  }
  return json;
}

/** The forks (of those we run) that a file has post states for; none for an unreadable file (its run reports why). */
export function postForks(file: string): Set<ForkName> {
  const forks = new Set<ForkName>();
  let json: Record<string, RawTest>;
  try {
    json = readJson(file);
  } catch {
    return forks;
  }
  for (const test of Object.values(json)) for (const f of Object.keys(test.post)) if (isForkName(f)) forks.add(f);
  return forks;
}

/** The newest fork in a set (undefined for none). */
export function newestFork(forks: Iterable<ForkName>): ForkName | undefined {
  const have = new Set(forks);
  return [...FORKS].reverse().find((f) => have.has(f));
}

/** The cases of a file at one fork (tests without post states for it are left out). */
export function readStateTestFile(file: string, fork: ForkName): StateTestCase[] {
  const json = readJson(file);
  const cases: StateTestCase[] = [];
  for (const [name, test] of Object.entries(json)) {
    const posts = test.post[fork];
    if (!posts) continue;
    const pre = Object.entries(test.pre).map(([addr, a]): [Address, GenesisAccount] => [
      toAddress(addr),
      {
        balance: BigInt(a.balance),
        nonce: BigInt(a.nonce),
        code: hexToU8(a.code),
        storage: new Map(Object.entries(a.storage ?? {}).map(([k, v]) => [toWord(k), BigInt(v)])),
      },
    ]);
    const chainId = BigInt(test.config?.chainid ?? '0x01');
    const env = blockEnv(test.env, chainId, fork);
    posts.forEach((post, i) => {
      const { data, gas, value } = post.indexes;
      cases.push({
        file,
        name,
        label: `${name}[${i}] d=${data},g=${gas},v=${value}`,
        pre,
        env,
        tx: decodeTx(post.txbytes, test.transaction.sender, chainId, fork),
        expectedRoot: post.hash as Hex,
        expectedLogsHash: post.logs as Hex,
        expectException: post.expectException,
      });
    });
  }
  return cases;
}

function blockEnv(env: Record<string, string>, chainId: bigint, fork: ForkName): BlockEnv {
  const number = BigInt(env.currentNumber);
  // The fillers' BLOCKHASH is keccak256 of the block number's decimal string (geth's vmTestBlockHash).
  const recentBlockHashes: Hex[] = [];
  for (let k = 1n; k <= 256n && k <= number; k++) {
    recentBlockHashes.push(bytesToHex(keccak256(new TextEncoder().encode((number - k).toString()))) as Hex);
  }
  return {
    fork,
    chainId,
    number,
    timestamp: BigInt(env.currentTimestamp),
    coinbase: toAddress(env.currentCoinbase),
    gasLimit: BigInt(env.currentGasLimit),
    baseFee: BigInt(env.currentBaseFee ?? '0x0a'),
    prevRandao: toWord(env.currentRandom ?? env.currentDifficulty ?? '0x0'),
    excessBlobGas: BigInt(env.currentExcessBlobGas ?? '0x0'),
    recentBlockHashes,
  };
}

function decodeTx(txbytes: string, sender: string | undefined, chainId: bigint, fork: ForkName): ExecTx | { decodeError: string } {
  let tx: TypedTransaction;
  try {
    tx = createTxFromRLP(hexToU8(txbytes), { common: commonFor(chainId, fork) });
    if (!tx.isSigned()) return { decodeError: 'transaction is not signed' };
  } catch (e) {
    return { decodeError: (e as Error).message };
  }
  return execTxFromEthereumJs(tx, sender);
}
