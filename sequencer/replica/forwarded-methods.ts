// The RPC methods a replica cannot answer from the store, served by forwarding the request to the sequencer
// unchanged: the dev-account signing methods (the keys and the per-account send lock live with the sequencer)
// and the txpool namespace (the pool is the sequencer's). eth_sendRawTransaction needs no entry here: it goes
// through RpcNode.submitRawTransaction, which a ReplicaNode forwards.
import type { Methods } from '../rpc/methods/types.js';
import type { SequencerClient } from './sequencer-client.js';

export const FORWARDED_METHODS = [
  'eth_accounts',
  'eth_sendTransaction',
  'eth_signTransaction',
  'eth_sign',
  'personal_sign',
  'eth_signTypedData_v4',
  'txpool_status',
  'txpool_content',
  'txpool_contentFrom',
  'txpool_inspect',
] as const;

export function forwardedMethods(sequencer: SequencerClient): Methods {
  const out: Methods = {};
  for (const name of FORWARDED_METHODS) out[name] = (params) => sequencer.call(name, params);
  return out;
}
