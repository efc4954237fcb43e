// The @ethereumjs Common for our chain: Cancun rules with our chain id. Cached per chain id.
import { Common, Hardfork, Mainnet, createCustomCommon } from '@ethereumjs/common';
import { ethereumJsKzg } from './kzg.js';

const cache = new Map<bigint, Common>();

export const HARDFORK = Hardfork.Cancun;

export function commonFor(chainId: bigint): Common {
  let common = cache.get(chainId);
  if (common === undefined) {
    // Blob (EIP-4844) transactions cannot even be decoded without a KZG implementation.
    const customCrypto = { kzg: ethereumJsKzg() };
    common =
      chainId === 1n
        ? new Common({ chain: Mainnet, hardfork: HARDFORK, customCrypto })
        : createCustomCommon({ chainId: Number(chainId), name: `l2-${chainId}` }, Mainnet, { hardfork: HARDFORK, customCrypto });
    cache.set(chainId, common);
  }
  return common;
}
