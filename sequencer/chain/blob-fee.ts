// EIP-4844 blob gas price, shared by the executors' block environment and the RPC. The update fraction is
// the fork's (EIP-7691 raised it at Prague; sequencer/chain/forks.ts, blob schedule).
import { MAINNET_BLOB_SCHEDULE } from './forks.js';

/** Blob base fee from the excess blob gas: fake_exponential(1, excess_blob_gas, update_fraction). */
export function blobBaseFee(excessBlobGas: bigint, updateFraction = MAINNET_BLOB_SCHEDULE.cancun.baseFeeUpdateFraction): bigint {
  return fakeExponential(1n, excessBlobGas, updateFraction);
}

/** The EIP-4844 integer approximation of factor * e^(numerator / denominator). */
function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n;
  let output = 0n;
  let acc = factor * denominator;
  while (acc > 0n) {
    output += acc;
    acc = (acc * numerator) / (denominator * i);
    i++;
  }
  return output / denominator;
}
