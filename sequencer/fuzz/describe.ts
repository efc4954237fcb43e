// Fuzz calls as people read them: Contract.function(name=value, ...) with the sender, ETH and time/block
// jumps, for the summary and the reproducer's comments.
import { bytesToHex } from '../primitives/types.js';
import { decodeCall } from './abi.js';
import { formatValue } from './abi-values.js';
import type { FuzzTargets } from './targets.js';
import type { FuzzCall } from './types.js';

/** Contract.function(name=value, ...), or the raw calldata when no known function matches it. */
export function describeCallData(targets: FuzzTargets, call: FuzzCall): string {
  const fn = targets.lookup(call.target, call.data);
  if (fn === undefined) return `${call.target}.call(${bytesToHex(call.data)})`;
  const args = decodeCall(fn.codec, call.data);
  const shown = fn.codec.params.map((t, i) => {
    const name = fn.codec.paramNames[i];
    return `${name ? `${name}=` : ''}${formatValue(t, args[i]!)}`;
  });
  return `${fn.contract}.${fn.codec.name}(${shown.join(', ')})`;
}

/** The call with who sends it, the ETH it carries and the time/block jump before it. */
export function describeCall(targets: FuzzTargets, call: FuzzCall): string {
  const extras = [`from ${call.sender}`];
  if (call.value > 0n) extras.push(`value ${call.value} wei`);
  if (call.timeDelta > 0n) extras.push(`after +${call.timeDelta} s`);
  if (call.blockDelta > 0n) extras.push(`after +${call.blockDelta} blocks`);
  return `${describeCallData(targets, call)}  ${extras.join(', ')}`;
}
