// The @ethereumjs Common for our chain: Cancun rules with our chain id. Cached per chain id.
import { Common, Hardfork, Mainnet, createCustomCommon } from '@ethereumjs/common';

const cache = new Map<bigint, Common>();

export const HARDFORK = Hardfork.Cancun;

export function commonFor(chainId: bigint): Common {
  let common = cache.get(chainId);
  if (common === undefined) {
    common =
      chainId === 1n
        ? new Common({ chain: Mainnet, hardfork: HARDFORK })
        : createCustomCommon({ chainId: Number(chainId), name: `l2-${chainId}` }, Mainnet, { hardfork: HARDFORK });
    cache.set(chainId, common);
  }
  return common;
}
