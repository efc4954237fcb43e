// The @ethereumjs/vm baselines: a VM loaded with the workload's genesis (default MerkleStateManager with its
// caches), transactions decoded with their senders already known (recovery is not timed here), and a
// sequential runTx loop under one outer checkpoint per batch (TOOLCHAIN.md's measured mode).
import { createBlock, type Block } from '@ethereumjs/block';
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { Account, bigIntToUnpaddedBytes, createAddressFromString, type Address as EjsAddress } from '@ethereumjs/util';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { commonFor } from '../sequencer/chain/common.js';
import type { Genesis } from '../sequencer/genesis/genesis.js';
import { hexToU8, type Address } from '../sequencer/primitives/types.js';

export async function vmFromGenesis(g: Genesis): Promise<VM> {
  const vm = await createVM({ common: commonFor(g.chainId) });
  const sm = vm.stateManager;
  await sm.checkpoint();
  for (const [a, e] of g.alloc) {
    const addr = createAddressFromString(a);
    await sm.putAccount(addr, new Account(e.nonce ?? 0n, e.balance));
    if (e.code && e.code.length > 0) await sm.putCode(addr, e.code);
    for (const [slot, v] of e.storage ?? []) if (v !== 0n) await sm.putStorage(addr, hexToU8(slot), bigIntToUnpaddedBytes(v));
  }
  await sm.commit();
  await sm.getStateRoot();
  return vm;
}

/** Decodes raw txs and pins their (known or recovered) senders, so runTx never recovers a signature. */
export function decodeWithSenders(vm: VM, raws: readonly Uint8Array[], from: readonly Address[]): TypedTransaction[] {
  return raws.map((raw, i) => {
    const tx = createTxFromRLP(raw, { common: vm.common, freeze: false });
    const sender: EjsAddress = createAddressFromString(from[i]);
    Object.assign(tx, { getSenderAddress: () => sender });
    return tx;
  });
}

export function blockFor(vm: VM, g: Genesis, number: bigint, baseFee: bigint, gasLimit: bigint): Block {
  return createBlock(
    {
      header: {
        number,
        timestamp: number,
        coinbase: createAddressFromString(g.coinbase),
        gasLimit,
        baseFeePerGas: baseFee,
        difficulty: 0n,
        excessBlobGas: 0n,
        blobGasUsed: 0n,
        parentBeaconBlockRoot: new Uint8Array(32),
      },
    },
    { common: vm.common, skipConsensusFormatValidation: true, setHardfork: false },
  );
}

export interface EjsExecResult {
  txs: number;
  executed: number;
  failed: number;
  gasUsed: bigint;
  execMs: number;
  commitRootMs: number;
}

/** Sequential execution-only baseline: runTx for each tx, one checkpoint for the batch, then commit + state root. */
export async function ejsSequentialExec(g: Genesis, raws: readonly Uint8Array[], from: readonly Address[]): Promise<EjsExecResult> {
  const vm = await vmFromGenesis(g);
  const txs = decodeWithSenders(vm, raws, from);
  // Base fee fixed at the genesis value (the fee cap is 50 gwei): execution only, no block sequence.
  const block = blockFor(vm, g, 1n, g.baseFeePerGas, g.gasLimit);
  let gasUsed = 0n;
  let failed = 0;
  const t0 = performance.now();
  await vm.stateManager.checkpoint();
  for (const tx of txs) {
    try {
      const r = await runTx(vm, { tx, block, skipHardForkValidation: true, skipBlockGasLimitValidation: true });
      gasUsed += r.totalGasSpent;
    } catch {
      failed++;
    }
  }
  const t1 = performance.now();
  await vm.stateManager.commit();
  await vm.stateManager.getStateRoot();
  const t2 = performance.now();
  return { txs: txs.length, executed: txs.length - failed, failed, gasUsed, execMs: t1 - t0, commitRootMs: t2 - t1 };
}
