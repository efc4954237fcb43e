// Rejections at the door: each rule has its own code, and a rejected transaction leaves no trace.

export type IngressErrorCode =
  /** Bytes are not a transaction: bad RLP, unknown type, wrong field count or sizes. */
  | 'MALFORMED'
  /** Encoded transaction larger than the pool accepts. */
  | 'OVERSIZED'
  /** Signed for another chain. */
  | 'WRONG_CHAIN_ID'
  /** A legacy transaction without EIP-155 replay protection (refused unless the node allows them). */
  | 'UNPROTECTED'
  /** Signature missing, invalid (s > n/2, bad v/yParity) or recovery failed. */
  | 'INVALID_SIGNATURE'
  /** Gas limit below the intrinsic gas (base + calldata + creation + access list). */
  | 'INTRINSIC_GAS_TOO_LOW'
  /** Gas limit above the block gas limit. */
  | 'GAS_LIMIT_EXCEEDED'
  /** Nonce below the sender's account nonce. */
  | 'NONCE_TOO_LOW'
  /** Balance does not cover gasLimit * feeCap + value (+ blob gas). */
  | 'INSUFFICIENT_FUNDS'
  /** Fee cap (gasPrice or maxFeePerGas) below the current base fee, or tip above fee cap. */
  | 'FEE_CAP_TOO_LOW'
  /** Blob fee cap below the current blob base fee, or blob transaction without blobs / too many blobs. */
  | 'BLOB_INVALID'
  /** Same hash already pending or mined. */
  | 'ALREADY_KNOWN'
  /** Replacement for a pending (sender, nonce) without the required price bump. */
  | 'REPLACEMENT_UNDERPRICED'
  /** Pool (or the sender's queue) is full and this transaction does not pay enough to evict another. */
  | 'POOL_FULL'
  /** Sender has deployed code (EIP-3607). */
  | 'SENDER_NOT_EOA'
  /** Creation transaction with init code over the EIP-3860 limit. */
  | 'INITCODE_TOO_LARGE'
  /** The node is shutting down. */
  | 'CLOSED';

export class IngressError extends Error {
  constructor(
    readonly code: IngressErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IngressError';
  }
}
