// Shared helpers for sequencer tests: dev keys, signing, a node in on-demand mode.
import { createTx } from '@ethereumjs/tx';
import { commonFor } from '../../sequencer/chain/common.js';
import { devAccounts, type DevAccount } from '../../sequencer/genesis/dev.js';
import { hexToU8, type Address, type Hex } from '../../sequencer/primitives/types.js';

export const DEV = devAccounts(10);

export interface TxFields {
  type?: 0 | 1 | 2;
  nonce: bigint;
  to?: Address | null;
  value?: bigint;
  data?: Uint8Array | Hex;
  gasLimit?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  chainId?: bigint;
}

/** Signs a transaction with @ethereumjs/tx (type 2 by default: 2 gwei fee cap, 1 gwei tip). */
export function signTx(key: Hex | DevAccount, f: TxFields, chainId = 42069n): Uint8Array {
  const pk = typeof key === 'string' ? key : key.privateKey;
  const type = f.type ?? 2;
  // Prague rules: signing is the same as at Osaka, and a gas limit above the EIP-7825 cap can still be built
  // (to test that the node refuses it).
  const common = commonFor(f.chainId ?? chainId, 'Prague');
  const data = typeof f.data === 'string' ? hexToU8(f.data) : (f.data ?? new Uint8Array(0));
  const tx = createTx(
    {
      type,
      nonce: f.nonce,
      to: f.to ?? undefined,
      value: f.value ?? 0n,
      data,
      gasLimit: f.gasLimit ?? 100_000n,
      ...(type === 2
        ? { maxFeePerGas: f.maxFeePerGas ?? 2_000_000_000n, maxPriorityFeePerGas: f.maxPriorityFeePerGas ?? 1_000_000_000n }
        : { gasPrice: f.gasPrice ?? 2_000_000_000n }),
      chainId: f.chainId ?? chainId,
    } as never,
    { common, allowUnlimitedInitCodeSize: true },
  );
  return tx.sign(hexToU8(pk)).serialize();
}
