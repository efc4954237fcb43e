// The ingress stage's seam: raw transactions in, IngressTx (plain decoded fields with the sender) or the
// IngressError that refused each one out. The native decoder (one addon call per batch, no per-transaction
// @ethereumjs object) is the default; the reference (@ethereumjs/tx + a SenderRecoverer) is what it is
// checked against and what runs when the addon is not built.
import { decodeAndRecoverBatch, type DecodeOptions, type IngressTx } from './decode.js';
import type { IngressError } from './errors.js';
import { decodeAndRecoverBatchNative, TX_RECORD_SIZE, type NativeTxDecodeAddon } from './native-decode.js';
import { defaultSenderRecoverer, type SenderRecoverer } from './recover.js';

export interface IngressDecoder {
  readonly name: string;
  /** One result per input, in order. */
  decodeBatch(raws: readonly Uint8Array[], opts: DecodeOptions): Promise<(IngressTx | IngressError)[]>;
  close?(): Promise<void>;
}

export class NativeIngressDecoder implements IngressDecoder {
  readonly name = 'native';
  constructor(private readonly addon: NativeTxDecodeAddon) {
    if (addon.txRecordSize !== TX_RECORD_SIZE) throw new Error(`native addon writes ${addon.txRecordSize}-byte transaction records, the decoder reads ${TX_RECORD_SIZE}: rebuild the addon`);
  }
  decodeBatch(raws: readonly Uint8Array[], opts: DecodeOptions): Promise<(IngressTx | IngressError)[]> {
    return decodeAndRecoverBatchNative(raws, opts, this.addon);
  }
}

export class ReferenceIngressDecoder implements IngressDecoder {
  readonly name: string;
  constructor(private readonly recoverer: SenderRecoverer) {
    this.name = `reference (${recoverer.name})`;
  }
  decodeBatch(raws: readonly Uint8Array[], opts: DecodeOptions): Promise<(IngressTx | IngressError)[]> {
    return decodeAndRecoverBatch(raws, opts, this.recoverer);
  }
  async close(): Promise<void> {
    await this.recoverer.close?.();
  }
}

/** The native decoder when the loaded addon has it, else the reference with the default recoverer. */
export async function defaultIngressDecoder(): Promise<IngressDecoder> {
  const { loadAddon, NativeAddonMissingError } = await import('../native/addon.js');
  let addon: Partial<NativeTxDecodeAddon> | undefined;
  try {
    addon = loadAddon();
  } catch (e) {
    if (!(e instanceof NativeAddonMissingError)) throw e;
  }
  // A build older than this decoder has no decodeTransactions.
  if (typeof addon?.decodeTransactions === 'function') return new NativeIngressDecoder(addon as NativeTxDecodeAddon);
  return new ReferenceIngressDecoder(await defaultSenderRecoverer());
}
