// The serial oracle: replays sealed blocks with @ethereumjs/vm runBlock (transactions one by one, in block
// order) on a fresh MerkleStateManager built from the genesis, with generate=false so runBlock itself
// checks the header's stateRoot, receiptsRoot, logsBloom and gasUsed. BLOCKHASH sees the hashes of the
// blocks replayed so far (their stored hashes, checked against each child's parentHash).
import { createBlock, valuesArrayToHeaderData } from '@ethereumjs/block';
import { createTxFromRLP } from '@ethereumjs/tx';
import { Account, bytesToHex, createAddressFromString } from '@ethereumjs/util';
import { createVM, runBlock, runTx, type VM } from '@ethereumjs/vm';
import { QUEUE_ETH_DEPOSIT, type L1QueueItem } from '../../sequencer/l1/types.js';
import { commonFor } from '../../sequencer/chain/common.js';
import type { Genesis } from '../../sequencer/genesis/genesis.js';
import { hexToU8, type Hex } from '../../sequencer/primitives/types.js';
import { headerFromRlp } from '../../sequencer/block/builder.js';
import type { SequencerNode } from '../../sequencer/node/node.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';

/** The block hashes BLOCKHASH reads in the oracle's VM (the EVM's mock blockchain answers zero). */
class ReplayedHashes {
  readonly byNumber = new Map<bigint, Uint8Array>();
  async getBlock(n: number | bigint) {
    const hash = this.byNumber.get(BigInt(n));
    if (!hash) throw new Error(`BLOCKHASH(${n}): block not replayed`);
    return { hash: () => hash };
  }
  async putBlock() {}
  shallowCopy() {
    return this;
  }
}

export class SerialOracle {
  private constructor(
    private readonly vm: VM,
    private readonly hashes: ReplayedHashes,
  ) {}

  static async create(genesis: Genesis): Promise<SerialOracle> {
    const hashes = new ReplayedHashes();
    const vm = await createVM({ common: commonFor(genesis.chainId), blockchain: hashes as never });
    const sm = vm.stateManager;
    await sm.checkpoint();
    for (const [addr, a] of genesis.alloc) {
      const address = createAddressFromString(addr);
      await sm.putAccount(address, new Account(a.nonce ?? 0n, a.balance));
      if (a.code && a.code.length > 0) await sm.putCode(address, a.code);
      for (const [slot, v] of a.storage ?? []) {
        if (v !== 0n) await sm.putStorage(address, hexToU8(slot), hexToU8(`0x${v.toString(16)}`));
      }
    }
    await sm.commit();
    return new SerialOracle(vm, hashes);
  }

  async stateRoot(): Promise<Hex> {
    return bytesToHex(await this.vm.stateManager.getStateRoot()) as Hex;
  }

  /**
   * Replays block n of `node`; throws when anything differs. Returns the block's tx count. `queue` are the L1
   * queue items the block consumed: deposits are minted and forced txs run (runTx, skipped when invalid) first.
   */
  async replay(node: SequencerNode, n: bigint, queue: readonly L1QueueItem[] = []): Promise<number> {
    const stored = await node.store.blockByNumber(n);
    if (!stored) throw new Error(`block ${n} missing`);
    const common = commonFor(node.chainId);
    const header = headerFromRlp(stored.header, common);
    const txs = (await node.store.txsOfBlock(n)).map((t) => createTxFromRLP(t.raw, { common }));
    const block = createBlock(
      { header: valuesArrayToHeaderData(header.raw()), transactions: txs, withdrawals: [] },
      { common, setHardfork: false, skipConsensusFormatValidation: true },
    );
    if (bytesToHex(block.hash()) !== stored.hash) throw new Error(`block ${n}: hash ${bytesToHex(block.hash())} != stored ${stored.hash}`);
    if (!(await block.transactionsTrieIsValid())) throw new Error(`block ${n}: transactions root mismatch`);
    if (bytesToHex(keccak256(header.serialize())) !== stored.hash) throw new Error(`block ${n}: hash is not keccak(rlp(header))`);
    const parent = this.hashes.byNumber.get(n - 1n);
    if (parent && bytesToHex(parent) !== bytesToHex(header.parentHash)) throw new Error(`block ${n}: parentHash ${bytesToHex(header.parentHash)} != replayed block ${n - 1n} ${bytesToHex(parent)}`);
    this.hashes.byNumber.set(n - 1n, header.parentHash);
    for (const item of queue) {
      if (item.kind === QUEUE_ETH_DEPOSIT) {
        const to = createAddressFromString(item.to);
        const acc = (await this.vm.stateManager.getAccount(to)) ?? new Account();
        acc.balance += item.value;
        await this.vm.stateManager.putAccount(to, acc);
        continue;
      }
      let forced;
      try {
        forced = createTxFromRLP(hexToU8(item.data), { common });
        if (forced.type === 3) continue;
      } catch {
        continue;
      }
      try {
        await runTx(this.vm, { tx: forced, block, skipHardForkValidation: true });
      } catch {
        // invalid for this state: consumed without effect
      }
    }
    await runBlock(this.vm, { block, generate: false, skipBlockValidation: true, skipHeaderValidation: true, skipHardForkValidation: true, setHardfork: false });
    this.hashes.byNumber.set(n, block.hash());
    return txs.length;
  }
}
