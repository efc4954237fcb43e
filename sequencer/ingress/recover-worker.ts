// Piscina worker body for PiscinaSenderRecoverer: recovers one chunk of signatures.
import { recoverSenderSync, type RecoveryInput } from './recover.js';

export default function recoverChunk(inputs: RecoveryInput[]): (string | null)[] {
  return inputs.map((i) => recoverSenderSync({ msgHash: new Uint8Array(i.msgHash), sig64: new Uint8Array(i.sig64), recId: i.recId }));
}
