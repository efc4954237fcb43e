// Differential test of the RPC's call paths: random contracts (storage, transient storage, arithmetic,
// hashing, logs, bounded loops, nested CALL/STATICCALL/DELEGATECALL, GAS, BALANCE, reverts, invalid opcodes)
// called with random calldata, values, gas limits and state overrides, on the native EVM (what eth_call runs)
// and on @ethereumjs/vm (the reference): statuses, return data, gas used and logs must agree. eth_estimateGas
// (exact search) must give a limit at which the reference succeeds and one below which it does not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maxTxGas } from '../../sequencer/chain/config.js';
import { bytesToHex, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { CallValidationError, type CallMessage } from '../../sequencer/rpc/call-message.js';
import { createRpcContext } from '../../sequencer/rpc/context.js';
import { resolveLimits } from '../../sequencer/rpc/limits.js';
import { estimateGas, searchGasLimit } from '../../sequencer/rpc/methods/execution.js';
import type { AccountOverride } from '../../sequencer/rpc/overlay-state.js';
import { hashCode } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../support/seeded-random.js';
import { FUNDED, stubNode } from './stub-node.js';

const CONTRACTS = 6;
const CALLS = 160;
const contractAddress = (j: number): Address => `0x${(0xc0 + j).toString(16).padStart(40, '0')}` as Address;

/** A tiny assembler: snippets that leave the stack as they found it, with jump targets resolved. */
class Program {
  private readonly bytes: number[] = [];
  get pc(): number {
    return this.bytes.length;
  }
  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  push(v: bigint | number, width = 0): this {
    let hex = BigInt(v).toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    const n = Math.max(width, hex.length / 2, 1);
    hex = hex.padStart(2 * n, '0');
    this.bytes.push(0x5f + n, ...Buffer.from(hex, 'hex'));
    return this;
  }
  /** Overwrites the 2-byte operand at `at` (a PUSH2 placeholder) with `value`. */
  patch(at: number, value: number): void {
    this.bytes[at] = value >> 8;
    this.bytes[at + 1] = value & 0xff;
  }
  code(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const ARITH = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d];

function randomContract(rnd: () => number, self: number): Uint8Array {
  const p = new Program();
  const int = (n: number) => Math.floor(rnd() * n);
  const word = () => (rnd() < 0.5 ? BigInt(int(1000)) : BigInt(`0x${Buffer.from(Array.from({ length: 32 }, () => int(256))).toString('hex')}`));
  const mem = () => 32 * int(4);
  for (let k = 2 + int(8); k > 0; k--) {
    switch (int(12)) {
      case 0:
        p.push(word()).push(int(8)).op(0x55); // SSTORE
        break;
      case 1:
        p.push(int(8)).op(0x54).push(mem()).op(0x52); // SLOAD -> memory
        break;
      case 2:
        p.push(word()).push(word()).op(ARITH[int(ARITH.length)]).push(mem()).op(0x52);
        break;
      case 3:
        p.push(32 * int(3)).op(0x35).push(mem()).op(0x52); // CALLDATALOAD
        break;
      case 4:
        p.push(word()).push(32).push(mem()).op(0xa1); // LOG1
        break;
      case 5:
      case 6: {
        // CALL / STATICCALL / DELEGATECALL to another contract; the success flag goes to memory.
        const kind = [0xf1, 0xfa, 0xf4][int(3)];
        const target = contractAddress((self + 1 + int(CONTRACTS - 1)) % CONTRACTS);
        p.push(32).push(0).push(32 * int(3)).push(0);
        if (kind === 0xf1) p.push(rnd() < 0.2 ? 1 : 0);
        p.push(BigInt(target), 20).push(rnd() < 0.5 ? 100_000 : 5_000).op(kind).push(mem()).op(0x52);
        break;
      }
      case 7: {
        // A bounded loop (JUMPI back to a JUMPDEST).
        p.push(1 + int(20));
        const top = p.pc;
        p.op(0x5b).push(1).op(0x90, 0x03, 0x80).push(top, 2).op(0x57, 0x50);
        break;
      }
      case 8:
        p.push(word()).push(int(4)).op(0x5d).push(int(4)).op(0x5c).push(mem()).op(0x52); // TSTORE, TLOAD
        break;
      case 9:
        p.push(64).push(0).op(0x20).push(mem()).op(0x52); // KECCAK256
        break;
      case 10:
        p.op(0x5a).push(mem()).op(0x52); // GAS
        break;
      case 11:
        p.push(BigInt(rnd() < 0.5 ? FUNDED : contractAddress(int(CONTRACTS))), 20).op(0x31).push(mem()).op(0x52); // BALANCE
        break;
    }
  }
  // A quarter of the calldata words revert here: each contract can both succeed and revert.
  const branch = p.pc;
  p.push(0).op(0x35).push(3).op(0x16, 0x15).push(0, 2).op(0x57);
  const end = rnd();
  if (end < 0.55) p.push(32 * (1 + int(3))).push(0).op(0xf3); // RETURN
  else if (end < 0.75) p.push(32).push(0).op(0xfd); // REVERT
  else if (end < 0.9) p.op(0x00); // STOP
  else p.op(0xfe); // INVALID
  p.patch(branch + 8, p.pc);
  p.op(0x5b).push(32).push(0).op(0xfd);
  return p.code();
}

describe('native eth_call / estimateGas agree with @ethereumjs/vm', { timeout: 120_000 }, () => {
  it(`${CALLS} random calls: status, return data, gas used, logs; exact estimates`, async (t) => {
    const node = await stubNode();
    const world = node.latestState();
    const rnd = seededRandom(1813);
    const codes = Array.from({ length: CONTRACTS }, (_, j) => randomContract(rnd, j));
    world.applyChanges(
      codes.map((code, j) => ({
        address: contractAddress(j),
        deleted: false,
        balance: 1000n,
        nonce: 1n,
        code,
        storageReset: false,
        storage: new Map(Array.from({ length: 4 }, (_, k) => [`0x${k.toString(16).padStart(64, '0')}` as Hex, BigInt(k * 7 + j + 1)])),
      })),
    );
    assert.equal(hashCode(codes[0]), world.getAccount(contractAddress(0))!.codeHash);
    const ctx = createRpcContext(node, resolveLimits({}));
    const statuses = new Map<string, number>();
    let estimates = 0;
    for (let i = 0; i < CALLS; i++) {
      const to = contractAddress(Math.floor(rnd() * CONTRACTS));
      const data = Uint8Array.from({ length: Math.floor(rnd() * 96) }, () => Math.floor(rnd() * 256));
      const gas = [21_000n, 25_000n, 40_000n, 120_000n, 1_000_000n, 3_000_000n][Math.floor(rnd() * 6)];
      const value = rnd() < 0.15 ? 1n : 0n;
      const msg: CallMessage = { from: FUNDED, to, gas, value, data };
      const overrides = new Map<Address, AccountOverride>();
      if (rnd() < 0.25) {
        const target = contractAddress(Math.floor(rnd() * CONTRACTS));
        overrides.set(target, rnd() < 0.5 ? { stateDiff: new Map([[`0x${'0'.repeat(63)}1` as Hex, 99n]]) } : { code: codes[Math.floor(rnd() * CONTRACTS)], balance: 5n });
      }
      const setting = await ctx.callSetting({ tag: 'latest' }, overrides);
      const deadline = Date.now() + 10_000;
      const where = `call ${i} to ${to} gas ${gas} data ${bytesToHex(data)} overrides ${overrides.size}`;
      try {
        const ref = await ctx.tracer.run(setting.state, setting.env, msg, { noBaseFee: true, allowContractSender: true, deadline }).catch((e: unknown) => e as Error);
        const nat = await ctx.calls.run(setting, msg, deadline).catch((e: unknown) => e as Error);
        if (ref instanceof Error || nat instanceof Error) {
          assert.ok(ref instanceof CallValidationError && nat instanceof CallValidationError, `${where}: ${String(ref)} / ${String(nat)}`);
          assert.equal(nat.message, ref.message, where);
          statuses.set('rejected', (statuses.get('rejected') ?? 0) + 1);
          continue;
        }
        assert.equal(nat.status, ref.status, `${where}: status (${nat.error} / ${ref.error})`);
        assert.equal(bytesToHex(nat.returnData), bytesToHex(ref.returnData), `${where}: return data`);
        assert.equal(nat.gasUsed, ref.gasUsed, `${where}: gas used`);
        assert.equal(nat.gasUsedBeforeRefund, ref.gasUsedBeforeRefund, `${where}: gas before refund`);
        assert.deepEqual(
          nat.logs.map((l) => [l.address, l.topics, bytesToHex(l.data)]),
          ref.logs.map((l) => [l.address, l.topics, bytesToHex(l.data)]),
          `${where}: logs`,
        );
        statuses.set(nat.status, (statuses.get(nat.status) ?? 0) + 1);
      } finally {
        setting.mirror.release();
      }
      // Exact estimate (error ratio 0) of calls that succeed with the full cap: the reference agrees on the edge.
      if (overrides.size === 0 && i % 3 === 0) {
        const args = { from: FUNDED, to, value, data };
        let estimate: bigint;
        try {
          estimate = await estimateGas(ctx, args, { tag: 'latest' }, new Map(), 0);
        } catch {
          continue; // reverts or halts at any gas: nothing to search
        }
        const s2 = await ctx.callSetting({ tag: 'latest' });
        try {
          const refRun = (g: bigint) => ctx.tracer.run(s2.state, s2.env, { ...msg, gas: g }, { noBaseFee: true, allowContractSender: true }).catch(() => undefined);
          const at = await refRun(estimate);
          const below = estimate > 21_000n ? await refRun(estimate - 1n) : undefined;
          if (at?.status !== 'success' || below?.status === 'success') {
            // Gas use need not be monotonic (a failing inner call burns what it was given): then geth's
            // search on the reference must land on the same limit.
            const refEstimate = await searchGasLimit(async (g) => {
              const r = await refRun(g);
              return { ok: r?.status === 'success', result: r };
            }, maxTxGas(s2.env) < ctx.limits.gasCap ? maxTxGas(s2.env) : ctx.limits.gasCap, 0);
            assert.equal(estimate, refEstimate, `${where}: estimate ${estimate} is not the edge on the reference (at: ${at?.status}, below: ${below?.status}) nor its estimate`);
          }
          estimates++;
        } finally {
          s2.mirror.release();
        }
      }
    }
    t.diagnostic(`outcomes ${JSON.stringify(Object.fromEntries(statuses))}, ${estimates} estimates checked`);
    // The generator must reach every outcome, or the comparison proves little.
    for (const s of ['success', 'revert', 'halt']) assert.ok((statuses.get(s) ?? 0) >= 5, `${s}: ${statuses.get(s) ?? 0} calls (${JSON.stringify([...statuses])})`);
    assert.ok(estimates >= 10, `${estimates} estimates checked`);
  });
});
