// A broken check as a self-contained forge test that fails while the bug is there: it rebuilds the fuzz
// snapshot with cheatcodes (funded senders, the target deployed by the deployer at the snapshot's address,
// setUp()), replays the shrunk calls as low-level calls from the same senders at the same times, and then
// asserts what the check says. No forge-std: the few cheatcodes it needs are declared inline.
import { getAddress } from 'viem';
import { bytesToHex, type Address } from '../primitives/types.js';
import { PANIC_ASSERT, type Check, type Failure } from './checks.js';
import { describeCallData } from './describe.js';
import type { FuzzSnapshot } from './snapshot.js';
import type { FuzzTargets } from './targets.js';
import type { FuzzCall } from './types.js';

export interface ReproducerInput {
  snapshot: FuzzSnapshot;
  targets: FuzzTargets;
  failure: Failure;
  /** Wei the target's constructor received. */
  deployValue: bigint;
  /** The target's source as the test file imports it (relative to the test file, or as the compiler saw it). */
  importPath: string;
  seed: number;
}

/** Contract (and file) name of the reproducer of check on contract. */
export function reproducerName(contract: string, check: Check): string {
  return `FuzzRepro_${contract}_${check.name}`;
}

const SELF_DESTRUCT_KIND = 5; // AccountAccessKind.SelfDestruct in forge's state diff

export function reproducer(r: ReproducerInput): string {
  const { snapshot, failure } = r;
  const { target, deployer, env } = snapshot;
  const name = reproducerName(target.name, failure.check);
  const stateDiff = failure.check.kind === 'self-destruct';
  const actors = [...new Set([...snapshot.senders, deployer])];
  const body: string[] = [
    ...actors.map((a) => `vm.deal(${addr(a)}, ${snapshot.senderBalance});`),
    `vm.warp(${env.timestamp});`,
    `vm.roll(${env.number});`,
    `vm.prank(${addr(deployer)}, ${addr(deployer)});`,
    `${target.name} target = new ${target.name}${r.deployValue > 0n ? `{value: ${r.deployValue}}` : ''}();`,
    `require(address(target) == ${addr(target.address)}, "the target was deployed at another address than in the fuzz snapshot");`,
  ];
  if (target.abi.some((f) => f.type === 'function' && f.name === 'setUp' && f.inputs.length === 0)) {
    body.push(`vm.prank(${addr(deployer)}, ${addr(deployer)});`, 'target.setUp();');
  }
  if (failure.check.kind === 'eth-leak') body.push(`uint256 before = ${wealth(snapshot.senders)};`);
  body.push('bool ok;', 'bytes memory ret;');
  let number = env.number;
  let timestamp = env.timestamp;
  failure.calls.forEach((call, i) => {
    body.push('', `// ${i + 1}. ${describeCallData(r.targets, call)}`);
    if (call.timeDelta > 0n) body.push(`vm.warp(${(timestamp += call.timeDelta)});`);
    if (call.blockDelta > 0n) body.push(`vm.roll(${(number += call.blockDelta)});`);
    if (stateDiff && i === failure.calls.length - 1) body.push('vm.startStateDiffRecording();');
    body.push(...callLines(call));
  });
  body.push('', ...verdict(r));
  return [
    '// SPDX-License-Identifier: UNLICENSED',
    `// Reproduces "${failure.check.description}" on ${target.name}, found by the fuzzer (seed ${r.seed}).`,
    `// It fails while the bug is there: forge test --match-contract ${name}`,
    'pragma solidity >=0.8.0 <0.9.0;',
    '',
    `import {${target.name}} from "${r.importPath}";`,
    '',
    ...vmInterface(stateDiff),
    '',
    `contract ${name} {`,
    '    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));',
    '',
    `    function test_${failure.check.name}() public {`,
    ...body.map((l) => (l === '' ? '' : `        ${l}`)),
    '    }',
    '}',
    '',
  ].join('\n');
}

function callLines(call: FuzzCall): string[] {
  const value = call.value > 0n ? `{value: ${call.value}}` : '';
  return [`vm.prank(${addr(call.sender)}, ${addr(call.sender)});`, `(ok, ret) = ${addr(call.target)}.call${value}(hex"${bytesToHex(call.data).slice(2)}");`];
}

/** The final assertion: it reverts (the test fails) exactly when the check is broken. */
function verdict(r: ReproducerInput): string[] {
  const check = r.failure.check;
  switch (check.kind) {
    case 'property': {
      const p = r.targets.properties[check.property]!;
      return [
        `// The property: ${p.name}() must return true.`,
        `vm.prank(${addr(r.snapshot.deployer)}, ${addr(r.snapshot.deployer)});`,
        `(ok, ret) = ${addr(p.target)}.call(hex"${bytesToHex(p.data).slice(2)}");`,
        `require(ok && ret.length == 32 && abi.decode(ret, (bool)), "${p.name}() is broken");`,
      ];
    }
    case 'assertion':
      return [
        '// The last call must not fail an assertion.',
        `require(ok || keccak256(ret) != keccak256(abi.encodeWithSignature("Panic(uint256)", ${PANIC_ASSERT})), "assertion failure: Panic(0x01)");`,
      ];
    case 'arithmetic':
      return [
        '// The last call must not overflow or divide by zero.',
        'require(ok || (keccak256(ret) != keccak256(abi.encodeWithSignature("Panic(uint256)", 0x11)) && keccak256(ret) != keccak256(abi.encodeWithSignature("Panic(uint256)", 0x12))), "arithmetic panic");',
      ];
    case 'eth-leak':
      return ['// The senders must not end up with more ETH than they started with.', `require(${wealth(r.snapshot.senders)} <= before, "ETH leaked to the senders");`];
    case 'self-destruct':
      return [
        '// The last call must not run SELFDESTRUCT.',
        'Vm.AccountAccess[] memory accesses = vm.stopAndReturnStateDiff();',
        'for (uint256 i = 0; i < accesses.length; i++) {',
        `    require(accesses[i].kind != ${SELF_DESTRUCT_KIND} || accesses[i].reverted, "SELFDESTRUCT ran");`,
        '}',
      ];
  }
}

function vmInterface(stateDiff: boolean): string[] {
  const lines = [
    'interface Vm {',
    '    function prank(address sender, address origin) external;',
    '    function deal(address who, uint256 amount) external;',
    '    function warp(uint256 timestamp) external;',
    '    function roll(uint256 number) external;',
  ];
  if (stateDiff) {
    // The leading fields of forge's AccountAccess: decoding a prefix of each entry is enough for kind/reverted.
    lines.push(
      '    struct ChainInfo { uint256 forkId; uint256 chainId; }',
      '    struct AccountAccess { ChainInfo chainInfo; uint8 kind; address account; address accessor; bool initialized; uint256 oldBalance; uint256 newBalance; bytes deployedCode; uint256 value; bytes data; bool reverted; }',
      '    function startStateDiffRecording() external;',
      '    function stopAndReturnStateDiff() external returns (AccountAccess[] memory);',
    );
  }
  lines.push('}');
  return lines;
}

function wealth(senders: readonly Address[]): string {
  return senders.map((s) => `${addr(s)}.balance`).join(' + ');
}

/** A checksummed address literal (solc rejects unchecksummed ones). */
function addr(a: Address): string {
  return getAddress(a);
}
