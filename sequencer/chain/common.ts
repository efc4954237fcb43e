// The @ethereumjs Common for our chain at a fork (by default the newest fork its schedule reaches), with our
// chain id. Cached per (chain id, fork).
import { Common, Mainnet, createCustomCommon } from '@ethereumjs/common';
import { forkScheduleOf } from './config.js';
import { HARDFORK_OF, latestFork, type ForkName } from './forks.js';
import { ethereumJsKzg } from './kzg.js';

const cache = new Map<string, Common>();

export function commonFor(chainId: bigint, fork: ForkName = latestFork(forkScheduleOf(chainId))): Common {
  const key = `${chainId}:${fork}`;
  let common = cache.get(key);
  if (common === undefined) {
    const hardfork = HARDFORK_OF[fork];
    // Blob (EIP-4844) transactions cannot even be decoded without a KZG implementation.
    const customCrypto = { kzg: ethereumJsKzg() };
    common =
      chainId === 1n
        ? new Common({ chain: Mainnet, hardfork, customCrypto })
        : createCustomCommon({ chainId: Number(chainId), name: `l2-${chainId}` }, Mainnet, { hardfork, customCrypto });
    cache.set(key, common);
  }
  return common;
}
