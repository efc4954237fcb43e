// The node's L1 at start: a local anvil keeping its state in the data dir (default), or a given L1; the
// rollup contract deployed once for the L2 genesis root and remembered in the data dir.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { superviseAnvil, type SupervisedAnvil } from '../l1/anvil-supervisor.js';
import type { LogFn } from '../l1/batcher.js';
import { deployRollup, publicClientFor, type RollupDeployment } from '../l1/l1-client.js';
import { ANVIL_DEV_KEY_0 } from '../l1/local-l1.js';
import { toAddress, type Address, type Hex } from '../primitives/types.js';
import type { NodeOptions } from './options.js';
import { ensurePrivateDir } from '../util/private-files.js';

export interface L1Setup {
  url: string;
  /** The bundled anvil (restarted whenever it exits), absent with --l1. */
  anvil?: SupervisedAnvil;
  deployment: RollupDeployment;
  sequencerKey: Hex;
}

export class L1SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'L1SetupError';
  }
}

interface SavedDeployment {
  l1Url: string;
  address: Address;
  deployBlock: string;
  l1ChainId: number;
  genesisStateRoot: Hex;
  l2ChainId: string;
  sequencer: Address;
  guardian: Address;
  forceInclusionWindow: string;
  challengeWindow: string;
}

/** Challenge windows by default: seconds on the bundled dev L1 (the whole withdrawal flow runs in under a
 * minute), the usual 7 days on any other L1. */
const DEV_CHALLENGE_WINDOW = 30n;
const L1_CHALLENGE_WINDOW = 7n * 24n * 3600n;

/** Seconds between bundled-L1 blocks: confirmations (--l1-confirmations) need blocks to keep coming. */
const LOCAL_L1_BLOCK_TIME = 1;

export async function setUpL1(opts: NodeOptions, l2: { chainId: bigint; genesisStateRoot: Hex; headNumber: bigint }, log?: LogFn): Promise<L1Setup> {
  const dir = join(opts.dataDir, 'l1');
  ensurePrivateDir(dir);
  const sequencerKey = (opts.l1Key ?? ANVIL_DEV_KEY_0) as Hex;
  const anvil = opts.l1Url
    ? undefined
    : await superviseAnvil({ port: opts.l1Port, hardfork: 'cancun', blockTime: LOCAL_L1_BLOCK_TIME, statePath: join(dir, 'anvil-state.json') }, { log });
  const url = opts.l1Url ?? anvil!.url;
  try {
    return { url, anvil, sequencerKey, deployment: await rollupDeployment(opts, dir, url, sequencerKey, l2) };
  } catch (e) {
    await anvil?.stop();
    throw e;
  }
}

async function rollupDeployment(
  opts: NodeOptions,
  dir: string,
  url: string,
  sequencerKey: Hex,
  l2: { chainId: bigint; genesisStateRoot: Hex; headNumber: bigint },
): Promise<RollupDeployment> {
  const file = join(dir, 'deployment.json');
  const pub = publicClientFor(url);
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SavedDeployment) : undefined;
  const address = (opts.rollup as Address | undefined) ?? (saved?.l1Url === url ? saved.address : undefined);
  if (address !== undefined) {
    const code = await pub.getCode({ address });
    if (!code || code === '0x') throw new L1SetupError(`no rollup contract at ${address} on ${url} (was the L1's state lost? start with a new --data-dir)`);
    if (saved?.address === address) {
      const deployed = fromSaved(saved);
      // Both are immutable in the contract: a different value asked for now cannot take effect.
      const fixed = (flag: string, asked: unknown, has: unknown) => {
        if (asked !== undefined && asked !== has) throw new L1SetupError(`${flag} ${asked}: the rollup contract at ${address} was deployed with ${has} (fixed at deployment); start with a new --data-dir to change it`);
      };
      fixed('--challenge-window', opts.challengeWindowS, deployed.challengeWindow);
      fixed('--guardian', opts.guardian, deployed.guardian);
      return deployed;
    }
    throw new L1SetupError(`--rollup ${address}: this data dir has no record of that deployment (deploy block unknown)`);
  }
  if (l2.headNumber > 0n) {
    throw new L1SetupError(`the L2 chain in ${opts.dataDir} is at block ${l2.headNumber} but its rollup contract is unknown on ${url}: pass --rollup, or start with a new --data-dir`);
  }
  const sequencer = toAddress(privateKeyToAccount(sequencerKey).address);
  const deployment = await deployRollup(url, sequencerKey, {
    sequencer,
    guardian: opts.guardian ? toAddress(opts.guardian) : sequencer,
    genesisStateRoot: l2.genesisStateRoot,
    l2ChainId: l2.chainId,
    forceInclusionWindow: 3600n,
    challengeWindow: opts.challengeWindowS ?? (opts.l1Url ? L1_CHALLENGE_WINDOW : DEV_CHALLENGE_WINDOW),
  });
  const record: SavedDeployment = {
    l1Url: url,
    address: deployment.address,
    deployBlock: deployment.deployBlock.toString(),
    l1ChainId: deployment.l1ChainId,
    genesisStateRoot: deployment.genesisStateRoot,
    l2ChainId: deployment.l2ChainId.toString(),
    sequencer: deployment.sequencer,
    guardian: deployment.guardian,
    forceInclusionWindow: deployment.forceInclusionWindow.toString(),
    challengeWindow: deployment.challengeWindow.toString(),
  };
  writeFileSync(file, JSON.stringify(record, null, 2));
  return deployment;
}

function fromSaved(s: SavedDeployment): RollupDeployment {
  return {
    address: s.address,
    deployBlock: BigInt(s.deployBlock),
    l1ChainId: s.l1ChainId,
    genesisStateRoot: s.genesisStateRoot,
    l2ChainId: BigInt(s.l2ChainId),
    sequencer: s.sequencer,
    guardian: s.guardian,
    forceInclusionWindow: BigInt(s.forceInclusionWindow),
    challengeWindow: BigInt(s.challengeWindow),
  };
}
