// The benchmark contracts: a real ERC-20, a constant-product pool and a counter, compiled with npm solc
// (solc-js, optimizer on, Cancun). Runtime bytecode goes straight into the genesis alloc (no constructors,
// no immutables), with storage laid out as solc does: mapping slot = keccak256(pad32(key) ++ pad32(slot)).
import { createRequire } from 'node:module';
import { keccak256 } from '../sequencer/primitives/keccak.js';
import { bytesToHex, hexToU8, toWord, type Address, type Hex } from '../sequencer/primitives/types.js';

export const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract BenchToken {
    mapping(address => uint256) public balanceOf;                      // slot 0
    mapping(address => mapping(address => uint256)) public allowance;  // slot 1
    uint256 public totalSupply;                                        // slot 2
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function name() external pure returns (string memory) { return "Bench Token"; }
    function symbol() external pure returns (string memory) { return "BENCH"; }
    function decimals() external pure returns (uint8) { return 18; }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 a = allowance[from][msg.sender];
        if (a != type(uint256).max) {
            require(a >= value, "allowance");
            allowance[from][msg.sender] = a - value;
        }
        _move(from, to, value);
        return true;
    }
    function _move(address from, address to, uint256 value) internal {
        uint256 b = balanceOf[from];
        require(b >= value, "balance");
        unchecked { balanceOf[from] = b - value; }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}

contract BenchPool {
    uint256 public reserve0;                         // slot 0
    uint256 public reserve1;                         // slot 1
    mapping(address => uint256) public owed0;        // slot 2
    mapping(address => uint256) public owed1;        // slot 3
    event Swap(address indexed sender, bool zeroForOne, uint256 amountIn, uint256 amountOut);

    function swap(uint256 amountIn, bool zeroForOne) external returns (uint256 out) {
        (uint256 rIn, uint256 rOut) = zeroForOne ? (reserve0, reserve1) : (reserve1, reserve0);
        uint256 inWithFee = amountIn * 997;
        out = (inWithFee * rOut) / (rIn * 1000 + inWithFee);
        require(out > 0, "zero out");
        if (zeroForOne) {
            reserve0 = rIn + amountIn;
            reserve1 = rOut - out;
            owed1[msg.sender] += out;
        } else {
            reserve1 = rIn + amountIn;
            reserve0 = rOut - out;
            owed0[msg.sender] += out;
        }
        emit Swap(msg.sender, zeroForOne, amountIn, out);
    }
}

contract BenchCounter {
    uint256 public hot;                              // slot 0
    mapping(address => uint256) public own;          // slot 1
    event Hit(address indexed by, uint256 value);

    function hit() external { uint256 v = hot + 1; hot = v; emit Hit(msg.sender, v); }
    function bump() external { own[msg.sender] += 1; }
}
`;

export interface Compiled {
  token: Uint8Array;
  pool: Uint8Array;
  counter: Uint8Array;
  solcVersion: string;
}

let cached: Compiled | undefined;

export function compileContracts(): Compiled {
  if (cached) return cached;
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string; version(): string };
  const input = {
    language: 'Solidity',
    sources: { 'Bench.sol': { content: SOURCE } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun', outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { evm: { deployedBytecode: { object: string } } }>>;
  };
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const code = (name: string) => hexToU8(`0x${out.contracts['Bench.sol'][name].evm.deployedBytecode.object}` as Hex);
  cached = { token: code('BenchToken'), pool: code('BenchPool'), counter: code('BenchCounter'), solcVersion: solc.version() };
  return cached;
}

/** Storage slot of mapping[key] for a mapping declared at `slot`. */
export function mappingSlot(key: Address, slot: bigint): Hex {
  const buf = new Uint8Array(64);
  buf.set(hexToU8(key), 12);
  buf.set(hexToU8(toWord(slot)), 32);
  return bytesToHex(keccak256(buf)) as Hex;
}

function selector(sig: string): Uint8Array {
  return keccak256(new TextEncoder().encode(sig)).subarray(0, 4);
}

function word(v: bigint): Uint8Array {
  return hexToU8(toWord(v));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const SEL = {
  transfer: selector('transfer(address,uint256)'),
  swap: selector('swap(uint256,bool)'),
  hit: selector('hit()'),
  bump: selector('bump()'),
};

export const calldata = {
  transfer: (to: Address, value: bigint) => concat(SEL.transfer, word(BigInt(to)), word(value)),
  swap: (amountIn: bigint, zeroForOne: boolean) => concat(SEL.swap, word(amountIn), word(zeroForOne ? 1n : 0n)),
  hit: () => SEL.hit.slice(),
  bump: () => SEL.bump.slice(),
};
