// EIP-4844 blob gas price (Cancun parameters), shared by the executors' block environment and the RPC.

/** Blob base fee from the excess blob gas: fake_exponential(1, excess_blob_gas, 3338477). */
export function blobBaseFee(excessBlobGas: bigint): bigint {
  return fakeExponential(1n, excessBlobGas, 3_338_477n);
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
