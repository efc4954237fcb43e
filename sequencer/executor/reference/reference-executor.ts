// The reference executor: @ethereumjs/vm at the block's fork (Cancun, Prague, Osaka: sequencer/chain/config.ts)
// running each transaction against the snapshot through a recording state manager. It is the oracle the
// native executor is compared with.
import { createBlock, type Block } from '@ethereumjs/block';
import { createTx, type TypedTransaction } from '@ethereumjs/tx';
import { Address as EjsAddress, bigIntToUnpaddedBytes, bytesToHex, createAddressFromString } from '@ethereumjs/util';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { commonFor } from '../../chain/common.js';
import { blockFork } from '../../chain/config.js';
import type { ForkName } from '../../chain/forks.js';
import { hexToU8, toAddress, type Hex } from '../../primitives/types.js';
import type { StateReader } from '../../state/world-state.js';
import {
  type BlockEnv,
  type ExecTx,
  type Executor,
  type Log,
  type TxOutcome,
} from '../types.js';
import { ChainView, chainCarries } from '../chain-view.js';
import { writeKeys } from '../write-keys.js';
import { RecordingStateManager } from './recording-state.js';

interface Instance {
  vm: VM;
  state: RecordingStateManager;
  /** Depth of EVM messages in flight; the fee credit happens after the outermost one returns. */
  depth: number;
  evmDone: boolean;
  /** The block being executed, for BLOCKHASH. */
  env?: BlockEnv;
}

export class ReferenceExecutor implements Executor {
  readonly name = 'reference';
  private readonly instances = new Map<string, Promise<Instance>>();

  async executeBatch(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv): Promise<TxOutcome[]> {
    const inst = await this.instance(env.chainId, blockFork(env));
    inst.env = env;
    const block = makeBlock(inst.vm, env);
    const out: TxOutcome[] = [];
    for (const tx of txs) out.push(await this.executeOne(inst, snapshot, tx, env, block));
    return out;
  }

  async executeChains(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv, chains: Uint32Array): Promise<(TxOutcome | undefined)[]> {
    const inst = await this.instance(env.chainId, blockFork(env));
    inst.env = env;
    const block = makeBlock(inst.vm, env);
    const views = new Map<number, ChainView>();
    const stopped = new Set<number>();
    const out: (TxOutcome | undefined)[] = [];
    for (let i = 0; i < txs.length; i++) {
      const chain = chains[i];
      if (stopped.has(chain)) {
        out.push(undefined);
        continue;
      }
      let view = views.get(chain);
      if (view === undefined) views.set(chain, (view = new ChainView(snapshot)));
      const o = await this.executeOne(inst, view, txs[i], env, block);
      if (o.kind === 'executed') {
        if (chainCarries(o.changes)) view.apply(o.changes);
        else stopped.add(chain);
      }
      out.push(o);
    }
    return out;
  }

  private async executeOne(inst: Instance, snapshot: StateReader, tx: ExecTx, env: BlockEnv, block: Block): Promise<TxOutcome> {
    const { state, vm } = inst;
    state.reset(snapshot);
    inst.depth = 0;
    inst.evmDone = false;
    let readsCoinbase = false;
    state.onAccountRead = (a) => {
      if (a === env.coinbase && !inst.evmDone) readsCoinbase = true;
    };
    let result;
    try {
      // Building the transaction already checks some fork rules (e.g. the EIP-7825 gas cap): a rejection too.
      result = await runTx(vm, { tx: toEthereumJsTx(vm, tx), block, skipHardForkValidation: true });
    } catch (e) {
      return { kind: 'rejected', error: (e as Error).message, reads: state.reads };
    }
    const exec = result.execResult;
    const coinbaseCredit = result.minerValue;
    let changes = state.changes();
    const reads = state.reads;
    if (readsCoinbase) {
      // The credit is applied at commit: report the coinbase's post values without it.
      for (const c of changes) if (c.address === env.coinbase && !c.deleted) c.balance -= coinbaseCredit;
    } else {
      changes = changes.filter((c) => c.address !== env.coinbase);
      for (const k of [...reads]) if (k.includes(env.coinbase)) reads.delete(k);
    }
    const error = exec.exceptionError?.error;
    return {
      kind: 'executed',
      status: error === undefined ? 'success' : error === 'revert' ? 'revert' : 'halt',
      error,
      gasUsed: result.totalGasSpent,
      logs: (exec.logs ?? []).map(([address, topics, data]) => ({
        address: toAddress(address),
        topics: topics.map((t) => bytesToHex(t) as Hex),
        data,
      })) satisfies Log[],
      returnData: exec.returnValue,
      createdAddress: result.createdAddress ? toAddress(result.createdAddress.toString()) : undefined,
      reads,
      writes: writeKeys(changes, snapshot),
      changes,
      coinbaseCredit,
      readsCoinbase,
      blobGasUsed: result.blobGasUsed ?? 0n,
    };
  }

  private instance(chainId: bigint, fork: ForkName): Promise<Instance> {
    const key = `${chainId}:${fork}`;
    let p = this.instances.get(key);
    if (p === undefined) {
      p = (async () => {
        const state = new RecordingStateManager();
        const inst: Instance = { vm: undefined as unknown as VM, state, depth: 0, evmDone: false };
        const blockchain = { getBlock: async (n: number) => ({ hash: () => blockHashFor(inst, n) }) };
        inst.vm = await createVM({ common: commonFor(chainId, fork), stateManager: state, blockchain: blockchain as never });
        const evm = inst.vm.evm as unknown as { runCall: (o: unknown) => Promise<unknown> };
        const runCall = evm.runCall.bind(evm);
        evm.runCall = async (opts) => {
          inst.depth++;
          try {
            return await runCall(opts);
          } finally {
            if (--inst.depth === 0) inst.evmDone = true;
          }
        };
        return inst;
      })();
      this.instances.set(key, p);
    }
    return p;
  }
}

function blockHashFor(inst: Instance, n: number): Uint8Array {
  return recentBlockHash(inst.env, n) ?? new Uint8Array(32);
}

/** BLOCKHASH(n) from the block env's recent hashes (undefined when n is not among them). */
export function recentBlockHash(env: BlockEnv | undefined, n: number): Uint8Array | undefined {
  if (env === undefined) return undefined;
  const back = Number(env.number) - n;
  const h = back >= 1 && back <= env.recentBlockHashes.length ? env.recentBlockHashes[back - 1] : undefined;
  return h ? hexToU8(h) : undefined;
}

/** The @ethereumjs block a transaction runs in, from our BlockEnv. */
export function makeBlock(vm: VM, env: BlockEnv): Block {
  return createBlock(
    {
      header: {
        number: env.number,
        timestamp: env.timestamp,
        coinbase: createAddressFromString(env.coinbase),
        gasLimit: env.gasLimit,
        baseFeePerGas: env.baseFee,
        mixHash: hexToU8(env.prevRandao),
        difficulty: 0n,
        excessBlobGas: env.excessBlobGas,
        blobGasUsed: 0n,
        parentBeaconBlockRoot: new Uint8Array(32),
      },
    },
    { common: vm.common, skipConsensusFormatValidation: true, setHardfork: false },
  );
}

/** The @ethereumjs transaction for an ExecTx, with the sender preset (no signature needed); shared with the RPC layer. */
export function toEthereumJsTx(vm: VM, tx: ExecTx): TypedTransaction {
  const fields = {
    type: tx.type,
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    to: tx.to ?? undefined,
    value: tx.value,
    data: tx.data,
    gasPrice: tx.gasPrice,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    accessList: tx.accessList.map((i) => ({ address: i.address, storageKeys: i.storageKeys })),
    maxFeePerBlobGas: tx.maxFeePerBlobGas,
    blobVersionedHashes: tx.blobVersionedHashes,
    authorizationList: tx.authorizationList?.map((a) => [
      bigIntToUnpaddedBytes(a.chainId),
      hexToU8(a.address),
      bigIntToUnpaddedBytes(a.nonce),
      bigIntToUnpaddedBytes(a.yParity),
      bigIntToUnpaddedBytes(a.r),
      bigIntToUnpaddedBytes(a.s),
    ]),
    chainId: tx.chainId ?? vm.common.chainId(),
  };
  const ejs = createTx(fields as never, { common: vm.common, freeze: false, allowUnlimitedInitCodeSize: true });
  // The sender is already recovered (or given, in fuzzing): the VM must not need a signature.
  const sender = createAddressFromString(tx.from);
  Object.assign(ejs, {
    getSenderAddress: (): EjsAddress => sender,
    isSigned: () => true,
    hash: () => hexToU8(tx.hash),
  });
  return ejs;
}

