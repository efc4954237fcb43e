// The dev chain's unlocked accounts (the `test test ... junk` mnemonic keys, as anvil): the RPC signs with
// them for eth_sendTransaction / eth_sign / personal_sign / eth_signTypedData_v4. Only the dev chain gets a
// signer (the CLI decides); without one every signing method answers with why.
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { DevAccount } from '../genesis/dev.js';
import type { Address } from '../primitives/types.js';
import { serverError, type RpcError } from './errors.js';

export class DevSigner {
  private readonly accounts = new Map<Address, PrivateKeyAccount>();
  /** Per account: the fill-sign-submit in progress, so concurrent sends take consecutive nonces. */
  private readonly turns = new Map<Address, Promise<unknown>>();

  constructor(keys: readonly DevAccount[]) {
    for (const k of keys) this.accounts.set(k.address.toLowerCase() as Address, privateKeyToAccount(k.privateKey));
  }

  get addresses(): Address[] {
    return [...this.accounts.keys()];
  }

  /** The key of `address`; -32000 "unknown account" (as geth) when it is not one of the dev accounts. */
  account(address: Address): PrivateKeyAccount {
    const a = this.accounts.get(address);
    if (!a) throw serverError(`unknown account ${address}: this node signs only for its ${this.accounts.size} dev accounts (eth_accounts)`);
    return a;
  }

  /** Runs `fn` after the account's previous send has finished (geth's per-account nonce lock). */
  inTurn<T>(address: Address, fn: () => Promise<T>): Promise<T> {
    const run = (this.turns.get(address) ?? Promise.resolve()).then(fn);
    const settled = run.catch(() => {});
    this.turns.set(address, settled);
    void settled.then(() => {
      if (this.turns.get(address) === settled) this.turns.delete(address);
    });
    return run;
  }
}

export function noDevAccounts(method: string): RpcError {
  return serverError(`${method}: this node has no unlocked accounts (dev accounts are enabled only on the dev chain: npm start without --genesis, or with --dev)`);
}
