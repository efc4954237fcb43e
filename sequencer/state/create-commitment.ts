// Which state commitment a WorldState uses: the native trie whenever the addon has it (always in tests and
// CI, where `npm install` builds the addon), else @ethereumjs/mpt with a one-time warning.
import { NativeAddonMissingError, loadAddon, type NativeAddon } from '../native/addon.js';
import { NativeStateTrie } from './native-state-trie.js';
import { ReferenceStateTrie } from './reference-state-trie.js';
import type { StateCommitment } from './state-commitment.js';

export type CommitmentKind = StateCommitment['kind'];

let warned = false;

function nativeAddon(): NativeAddon | undefined {
  try {
    const addon = loadAddon();
    return typeof addon.stateTrieNew === 'function' ? addon : undefined;
  } catch (e) {
    if (e instanceof NativeAddonMissingError) return undefined;
    throw e;
  }
}

/** The native trie unless `kind` asks for the reference or the addon lacks the state trie entry points. */
export function createStateCommitment(kind?: CommitmentKind): StateCommitment {
  if (kind === 'reference') return new ReferenceStateTrie();
  const addon = nativeAddon();
  if (addon !== undefined) return new NativeStateTrie(addon);
  if (kind === 'native') throw new Error('native state trie requested, but the addon is not built or lacks stateTrieNew (run `node native/build.mjs`)');
  if (!warned) {
    warned = true;
    process.emitWarning('native state trie unavailable (addon not built or too old): state roots use @ethereumjs/mpt, much slower');
  }
  return new ReferenceStateTrie();
}
