// The node's local-L1 default in one call: start anvil (Cancun), deploy the Rollup contract for the given
// L2 genesis root, and hand back what the batcher, deposit watcher and verifier need.
import { privateKeyToAccount } from 'viem/accounts';
import { toAddress, type Address, type Hex } from '../primitives/types.js';
import { startAnvil, type AnvilHandle } from './anvil.js';
import { deployRollup, type RollupDeployment } from './l1-client.js';

/** anvil's first dev account (0xf39F...2266), funded at start: deployer, and by default sequencer and guardian. */
export const ANVIL_DEV_KEY_0: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export interface LocalL1Options {
  port: number;
  host?: string;
  genesisStateRoot: Hex;
  l2ChainId: bigint;
  /** Default: anvil dev key 0. */
  sequencerKey?: Hex;
  guardian?: Address;
  forceInclusionWindow?: bigint;
  challengeWindow?: bigint;
  blockTime?: number;
}

export interface LocalL1 {
  anvil: AnvilHandle;
  deployment: RollupDeployment;
  sequencerKey: Hex;
  stop(): Promise<void>;
}

export async function startLocalL1(o: LocalL1Options): Promise<LocalL1> {
  const anvil = await startAnvil({ port: o.port, host: o.host, hardfork: 'cancun', blockTime: o.blockTime });
  try {
    const sequencerKey = o.sequencerKey ?? ANVIL_DEV_KEY_0;
    const sequencer = toAddress(privateKeyToAccount(sequencerKey).address);
    const deployment = await deployRollup(anvil.url, ANVIL_DEV_KEY_0, {
      sequencer,
      guardian: o.guardian ?? sequencer,
      genesisStateRoot: o.genesisStateRoot,
      l2ChainId: o.l2ChainId,
      forceInclusionWindow: o.forceInclusionWindow ?? 3600n,
      challengeWindow: o.challengeWindow ?? 7n * 24n * 3600n,
    });
    return { anvil, deployment, sequencerKey, stop: () => anvil.stop() };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}
