// Account state: balance, nonce, code, storage, and EIP-1186 proofs from the state trie.
import { bigIntToHex } from '@ethereumjs/util';
import { EMPTY_CODE_HASH, type WorldState } from '../../state/world-state.js';
import { bytesToHex, type Address, type Hex } from '../../primitives/types.js';
import { serverError, invalidParams } from '../errors.js';
import { q } from '../format.js';
import { address, arity, blockSelector, storageKey } from '../params.js';
import type { Methods } from './types.js';

const MAX_PROOF_KEYS = 1024;

export const stateMethods: Methods = {
  eth_getBalance: async (p, { ctx }) => {
    arity(p, 1, 2);
    const a = address(p[0], 'address');
    const state = await ctx.stateFor(blockSelector(p[1], 'block'));
    return q(state.getAccount(a)?.balance ?? 0n);
  },
  eth_getTransactionCount: async (p, { ctx }) => {
    arity(p, 1, 2);
    const a = address(p[0], 'address');
    const sel = blockSelector(p[1], 'block');
    if ('tag' in sel && sel.tag === 'pending') return q(await ctx.node.pendingNonce(a));
    const state = await ctx.stateFor(sel);
    return q(state.getAccount(a)?.nonce ?? 0n);
  },
  eth_getCode: async (p, { ctx }) => {
    arity(p, 1, 2);
    const a = address(p[0], 'address');
    const state = await ctx.stateFor(blockSelector(p[1], 'block'));
    return bytesToHex(state.getAccount(a)?.code ?? new Uint8Array());
  },
  eth_getStorageAt: async (p, { ctx }) => {
    arity(p, 2, 3);
    const a = address(p[0], 'address');
    const slot = storageKey(p[1], 'slot');
    const state = await ctx.stateFor(blockSelector(p[2], 'block'));
    return `0x${state.getStorage(a, slot).toString(16).padStart(64, '0')}`;
  },
  /** EIP-1186, at the head or any kept block (older states' tries are rebuilt from the state history). */
  eth_getProof: async (p, { ctx }) => {
    arity(p, 2, 3);
    const a = address(p[0], 'address');
    if (!Array.isArray(p[1])) throw invalidParams('storageKeys: expected array of storage keys');
    if (p[1].length > MAX_PROOF_KEYS) throw invalidParams(`storageKeys: at most ${MAX_PROOF_KEYS} keys`);
    const keys = p[1].map((k, i) => ({ raw: k as string, slot: storageKey(k, `storageKeys[${i}]`) }));
    const sel = blockSelector(p[2], 'block');
    const n = await ctx.resolveNumber(sel);
    const head = ctx.node.headNumber();
    const atHead = n === head || ('tag' in sel && sel.tag === 'pending');
    if (n === undefined || (n > head && !atHead)) throw serverError('header not found');
    if (!atHead) {
      const state = await ctx.node.provableStateAt?.(n);
      if (state === undefined) throw serverError(`proofs are served for the head block only on this node (requested ${n}, head ${head})`);
      return (await proofOf(state, a, keys)).answer;
    }
    // The live state is the head's unless the producer has already committed the next block (it executes
    // ahead of what is announced): the proof is kept only when its root is the head header's.
    for (let attempt = 0; attempt < 3; attempt++) {
      const headBefore = ctx.node.headNumber();
      const header = (await ctx.node.getBlockByNumber(headBefore))?.header;
      const state = ctx.node.latestState();
      const proof = await proofOf(state, a, keys);
      if (ctx.node.headNumber() === headBefore && header !== undefined && proof.root === header.stateRoot) return proof.answer;
    }
    // Still ahead: rebuild the head's state from the history.
    const state = await ctx.node.provableStateAt?.(head);
    if (state === undefined) throw serverError('state changed while building the proof, retry');
    return (await proofOf(state, a, keys)).answer;
  },
};

/** The EIP-1186 answer from a state, and the state root it proves against. */
async function proofOf(state: WorldState, a: Address, keys: { raw: string; slot: Hex }[]) {
  const account = state.getAccount(a);
  const values = keys.map((k) => (account ? state.getStorage(a, k.slot) : 0n));
  const [root, proof] = await Promise.all([state.stateRoot(), state.proof(a, keys.map((k) => k.slot))]);
  return {
    root,
    answer: {
      address: a,
      accountProof: proof.accountProof,
      balance: q(account?.balance ?? 0n),
      codeHash: account?.codeHash ?? EMPTY_CODE_HASH,
      nonce: q(account?.nonce ?? 0n),
      storageHash: proof.storageHash,
      storageProof: keys.map((k, i) => ({ key: k.raw, value: bigIntToHex(values[i]), proof: proof.storageProofs[i] })),
    },
  };
}
