// The fuzzer's ABI codec against viem: the same calldata for the same values, the same values back from
// calldata, on seeded random values of every supported type shape; and random calldata from the generator
// is always valid ABI (viem decodes it and re-encodes the same bytes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFunctionData, encodeFunctionData, parseAbi, type AbiFunction, type Hex } from 'viem';
import { bytesToHex, type Address } from '../../sequencer/primitives/types.js';
import { decodeCall, Encoder, encodeCall, functionCodec, type AbiType, type AbiValue } from '../../sequencer/fuzz/abi.js';
import { dictionaryOf, interestingValues } from '../../sequencer/fuzz/dictionary.js';
import { CallGenerator } from '../../sequencer/fuzz/generate.js';
import { Rng } from '../../sequencer/fuzz/rng.js';
import type { FuzzFunction, FuzzTargets } from '../../sequencer/fuzz/targets.js';
import { seededRandom } from '../support/seeded-random.js';

const ABI = parseAbi([
  'function words(uint8 a, int16 b, uint256 c, int256 d, address e, bool f, bytes4 g, bytes32 h, uint24 i, int136 j)',
  'function dynamic(bytes data, string s, uint256[] xs, int8[3] fixed, bytes1 one)',
  'function nested((uint256 amount, address to)[] orders, (bytes, string)[2] pairs, uint64[][] grid)',
  'function mixed(address who, (uint256[] xs, bool ok, (int32, bytes) inner) t, string[] names, bytes32[2][] pairs)',
  'function none()',
]);
const FUNCTIONS: readonly AbiFunction[] = ABI;

function randomValue(t: AbiType, rand: () => number): AbiValue {
  const int = (max: number): number => Math.floor(rand() * max);
  const randomBytes = (n: number): Hex => bytesToHex(Uint8Array.from({ length: n }, () => int(256))) as Hex;
  switch (t.kind) {
    case 'uint':
    case 'int': {
      const width = 1 + int(t.bits);
      const v = BigInt(randomBytes(32)) >> BigInt(256 - width);
      return t.kind === 'uint' ? v : BigInt.asIntN(t.bits, v) * (rand() < 0.5 ? 1n : -1n) || 0n;
    }
    case 'address':
      return randomBytes(20);
    case 'bool':
      return rand() < 0.5;
    case 'fixedBytes':
      return randomBytes(t.size);
    case 'bytes':
      return randomBytes(int(70));
    case 'string':
      // Multi-byte UTF-8 too: lengths are in bytes, not characters.
      return Array.from({ length: int(40) }, () => (rand() < 0.8 ? String.fromCharCode(32 + int(95)) : 'é€😀'[int(3)]!)).join('');
    case 'array':
      return Array.from({ length: t.length ?? int(4) }, () => randomValue(t.element, rand));
    case 'tuple':
      return t.components.map((c) => randomValue(c, rand));
  }
}

/** viem's decoded values in our shape: tuples as arrays (viem gives objects for named components), hex lowercase, bigints. */
function normalize(t: AbiType, v: unknown): AbiValue {
  switch (t.kind) {
    case 'address':
    case 'fixedBytes':
    case 'bytes':
      return (v as string).toLowerCase();
    case 'uint':
    case 'int':
      // viem decodes widths up to 48 bits as numbers.
      return BigInt(v as number | bigint);
    case 'array':
      return (v as unknown[]).map((x) => normalize(t.element, x));
    case 'tuple': {
      const items = Array.isArray(v) ? v : Object.values(v as object);
      return t.components.map((c, i) => normalize(c, items[i]));
    }
    default:
      return v as AbiValue;
  }
}

test('abi: encoding random values gives viem encodeFunctionData bytes, decoding gives viem decodeFunctionData values', () => {
  const rand = seededRandom(0xab1);
  const enc = new Encoder();
  for (const fn of FUNCTIONS) {
    const codec = functionCodec(fn);
    for (let i = 0; i < 200; i++) {
      const args = codec.params.map((t) => randomValue(t, rand));
      const ours = encodeCall(enc, codec, args);
      const viem = encodeFunctionData({ abi: [fn], functionName: fn.name, args: args as never });
      assert.equal(bytesToHex(ours), viem, `${codec.signature} args ${JSON.stringify(args, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}`);
      const decoded = decodeFunctionData({ abi: [fn], data: viem });
      const expected = codec.params.map((t, j) => normalize(t, (decoded.args ?? [])[j]));
      assert.deepEqual(decodeCall(codec, ours), expected, codec.signature);
    }
  }
});

test('abi: selectors and canonical signatures match viem (tuples, arrays, aliases)', () => {
  const [fn] = parseAbi(['function f(uint x, (int a, bytes4[] b)[2] t)']);
  const codec = functionCodec(fn);
  assert.equal(codec.signature, 'f(uint256,(int256,bytes4[])[2])');
  assert.equal(bytesToHex(codec.selector), encodeFunctionData({ abi: [fn], functionName: 'f', args: [0n, [{ a: 0n, b: [] }, { a: 0n, b: [] }]] }).slice(0, 10));
});

test('abi: generated calldata is valid ABI: viem decodes it and re-encodes the same bytes', () => {
  const actors: Address[] = ['0x0000000000000000000000000000000000010000', '0x00000000000000000000000000000000000000aa'];
  const functions: FuzzFunction[] = FUNCTIONS.map((f) => ({ contract: 'T', address: actors[1]!, codec: functionCodec(f), payable: false }));
  const targets: FuzzTargets = { functions, properties: [], lookup: () => undefined };
  const gen = new CallGenerator(targets, dictionaryOf([...interestingValues(), 0xdeadbeefn], actors), actors, new Rng(7));
  for (const fn of functions) {
    for (let i = 0; i < 300; i++) {
      const data = gen.calldata(fn);
      const hex = bytesToHex(data) as Hex;
      const decoded = decodeFunctionData({ abi: FUNCTIONS, data: hex });
      assert.equal(encodeFunctionData({ abi: FUNCTIONS, functionName: decoded.functionName, args: decoded.args as never }), hex);
      assert.deepEqual(decodeCall(fn.codec, data), fn.codec.params.map((t, j) => normalize(t, (decoded.args ?? [])[j])));
    }
  }
});

test('abi: malformed calldata is a FuzzError, not a crash or a garbage value', () => {
  const codec = functionCodec(FUNCTIONS[1]!);
  const good = encodeCall(new Encoder(), codec, ['0x1234', 'hi', [1n], [1n, 2n, 3n], '0xff']);
  assert.throws(() => decodeCall(codec, good.subarray(0, good.length - 40)), { name: 'FuzzError' });
  const huge = good.slice();
  huge[4] = 0xff; // the first offset word is now beyond any calldata
  assert.throws(() => decodeCall(codec, huge), { name: 'FuzzError' });
});
