// Messages for the kernels' error codes (kernels/evm/context.h, enum Err): halts and rejections.
export const HALT_ERRORS: Record<number, string> = {
  1: 'revert',
  2: 'out of gas',
  3: 'stack underflow',
  4: 'stack overflow',
  5: 'invalid JUMP',
  6: 'invalid opcode',
  7: 'static state change',
  8: 'return data out of bounds',
  9: 'create collision',
  10: 'code size to deposit exceeds maximum code size',
  11: 'initcode exceeds max initcode size',
  12: 'invalid bytecode deployed',
  13: 'out of gas',
};

export const REJECTIONS: Record<number, string> = {
  32: "nonce too low: the transaction's nonce is below the sender's account nonce",
  33: "nonce too high: the transaction's nonce is above the sender's account nonce",
  34: 'nonce has max value (EIP-2681)',
  35: "sender doesn't have enough funds to send tx (gas limit x max fee + value + blob fees)",
  36: 'gas limit is below the intrinsic gas of the transaction',
  37: 'transaction gas limit exceeds the block gas limit',
  38: 'max fee per gas is less than the block base fee',
  39: 'max priority fee per gas is higher than max fee per gas',
  40: 'invalid sender address, address is not EOA (EIP-3607)',
  41: 'max fee per blob gas is less than the block blob gas price',
  42: 'blob transaction must carry between 1 and 6 blob versioned hashes',
  43: 'blob versioned hash has an unsupported version (must be 0x01)',
  44: 'blob transactions cannot create contracts',
  45: 'initcode size exceeds the maximum (EIP-3860)',
  46: 'gas limit does not fit 63 bits',
  47: 'transaction gas limit exceeds the per-transaction cap of 16,777,216 (EIP-7825)',
  48: 'set-code transaction has an empty authorization list (EIP-7702)',
  49: 'set-code transaction cannot create a contract (EIP-7702)',
  50: 'gas limit is below the calldata floor gas cost (EIP-7623)',
  51: "transaction type not supported at the block's fork",
};

/** Transactions the kernels hand back instead of executing (the executor throws with these). */
export const RETRY_REASONS: Record<number, string> = {
  64: 'the transaction needs more memory than a native EVM instance may use',
  65: 'a precompile the native EVM could not run (precompiles not compiled in)',
  66: "the transaction calls a precompile of the block's fork that the native kernels do not implement",
  67: 'the run was aborted by its deadline (an RPC call over its time budget)',
};

/** How geth words a rejection when it answers eth_call / eth_estimateGas (wallets match on these prefixes). */
export const CALL_REJECTIONS: Record<number, string> = {
  32: 'nonce too low',
  33: 'nonce too high',
  34: 'nonce has max value',
  35: 'insufficient funds for gas * price + value',
  36: 'intrinsic gas too low',
  37: 'gas limit reached',
  38: 'max fee per gas less than block base fee',
  39: 'max priority fee per gas higher than max fee per gas',
  40: 'sender not an eoa',
  45: 'max initcode size exceeded',
  46: 'gas uint64 overflow',
  47: 'transaction gas limit too high',
  48: 'EIP-7702 transaction with empty auth list',
  49: 'EIP-7702 transaction cannot be used to create contract',
  50: 'insufficient gas for floor data gas cost',
  51: 'transaction type not supported',
};

/** Result codes beyond executed / rejected (kernels/evm/context.h, enum Outcome). */
export const OUTCOME_ABORTED = 3;
