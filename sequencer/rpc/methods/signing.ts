// Dev-account signing (anvil / geth --dev style): eth_accounts, eth_sendTransaction and eth_signTransaction
// (fill nonce, gas, fees; sign; submit through the same ingress as raw transactions), eth_sign and
// personal_sign (EIP-191), eth_signTypedData_v4 (EIP-712). Refused on chains without dev accounts.
import { getAddress, type TransactionSerializable } from 'viem';
import type { Address, Hex } from '../../primitives/types.js';
import { hexToU8 } from '../../primitives/types.js';
import type { RpcContext } from '../context.js';
import { noDevAccounts, type DevSigner } from '../dev-signer.js';
import { invalidParams } from '../errors.js';
import { address, arity, data, object } from '../params.js';
import { callArgs, estimateGas, type CallArgs } from './execution.js';
import { suggestTip } from './fees.js';
import { rejection } from './transactions.js';
import type { Methods } from './types.js';

function signer(ctx: RpcContext, method: string): DevSigner {
  if (!ctx.signer) throw noDevAccounts(method);
  return ctx.signer;
}

/** The transaction a wallet would sign: the request's fields, the rest filled as geth does. */
async function fill(ctx: RpcContext, args: CallArgs & { from: Address }): Promise<TransactionSerializable> {
  const nonce = args.nonce ?? (await ctx.node.pendingNonce(args.from));
  const gas = args.gas ?? (await estimateGas(ctx, args, { tag: 'pending' }, new Map()));
  const common = { chainId: Number(ctx.node.chainId), nonce: Number(nonce), gas, to: args.to ?? undefined, value: args.value, data: args.data.length > 0 ? (bufHex(args.data) as Hex) : undefined };
  const accessList = args.accessList?.map((a) => ({ address: a.address, storageKeys: a.storageKeys }));
  if (args.gasPrice !== undefined) {
    return accessList ? { ...common, type: 'eip2930', gasPrice: args.gasPrice, accessList } : { ...common, type: 'legacy', gasPrice: args.gasPrice };
  }
  const tip = args.maxPriorityFeePerGas ?? (await suggestTip(ctx));
  // geth's default cap: twice the next base fee plus the tip, so the tx survives a few full blocks.
  let maxFee = args.maxFeePerGas ?? 2n * ctx.node.nextBlockEnv().baseFee + tip;
  if (maxFee < tip) maxFee = tip;
  return { ...common, type: 'eip1559', maxFeePerGas: maxFee, maxPriorityFeePerGas: tip, accessList };
}

function bufHex(b: Uint8Array): string {
  return `0x${Buffer.from(b).toString('hex')}`;
}

function sendArgs(ctx: RpcContext, v: unknown): CallArgs & { from: Address } {
  const args = callArgs(v, ctx);
  if (args.from === undefined) throw invalidParams('transaction.from: the sending account is required');
  return { ...args, from: args.from };
}

/** EIP-712 typed data: a JSON string (as ethers and cast send it) or an object. */
function typedData(v: unknown): { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; primaryType: string; message: Record<string, unknown> } {
  let parsed: unknown = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      throw invalidParams('typedData: not valid JSON');
    }
  }
  const o = object(parsed, 'typedData');
  if (typeof o.primaryType !== 'string') throw invalidParams('typedData.primaryType: expected a type name');
  const types = object(o.types, 'typedData.types') as Record<string, { name: string; type: string }[]>;
  if (!(o.primaryType in types)) throw invalidParams(`typedData.primaryType: ${o.primaryType} is not in types`);
  return { domain: object(o.domain ?? {}, 'typedData.domain'), types, primaryType: o.primaryType, message: object(o.message, 'typedData.message') };
}

async function signMessage(ctx: RpcContext, method: string, who: Address, message: Hex): Promise<Hex> {
  return signer(ctx, method).account(who).signMessage({ message: { raw: hexToU8(message) } });
}

export const signingMethods: Methods = {
  eth_accounts: (p, { ctx }) => {
    arity(p, 0, 0);
    // Checksummed, as anvil and geth list them.
    return (ctx.signer?.addresses ?? []).map((a) => getAddress(a));
  },
  eth_sendTransaction: async (p, { ctx }) => {
    arity(p, 1, 1);
    const args = sendArgs(ctx, p[0]);
    const account = signer(ctx, 'eth_sendTransaction').account(args.from);
    return ctx.signer!.inTurn(args.from, async () => {
      const raw = await account.signTransaction(await fill(ctx, args));
      try {
        return await ctx.node.submitRawTransaction(hexToU8(raw));
      } catch (e) {
        throw rejection(e);
      }
    });
  },
  eth_signTransaction: async (p, { ctx }) => {
    arity(p, 1, 1);
    const args = sendArgs(ctx, p[0]);
    const account = signer(ctx, 'eth_signTransaction').account(args.from);
    return account.signTransaction(await fill(ctx, args));
  },
  eth_sign: async (p, { ctx }) => {
    arity(p, 2, 2);
    return signMessage(ctx, 'eth_sign', address(p[0], 'address'), data(p[1], 'message'));
  },
  personal_sign: async (p, { ctx }) => {
    arity(p, 2, 3);
    return signMessage(ctx, 'personal_sign', address(p[1], 'address'), data(p[0], 'message'));
  },
  eth_signTypedData_v4: async (p, { ctx }) => {
    arity(p, 2, 2);
    const account = signer(ctx, 'eth_signTypedData_v4').account(address(p[0], 'address'));
    const td = typedData(p[1]);
    try {
      return await account.signTypedData(td as never);
    } catch (e) {
      throw invalidParams(`typedData: ${(e as Error).message.split('\n')[0]}`);
    }
  },
};
