// solc source maps instruction by instruction: PUSH immediates move the pc but not the instruction index,
// empty fields repeat the previous entry's, and instructions past the map (the metadata trailer) have none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSourceMap, mapInstructions } from '../../sequencer/fuzz/source-map.js';

test('source map: compressed entries inherit the previous fields', () => {
  assert.deepEqual(decodeSourceMap('10:5:0:-:0;;12::;:3;-1:0:-1'), [
    { start: 10, length: 5, file: 0 },
    { start: 10, length: 5, file: 0 },
    { start: 12, length: 5, file: 0 },
    { start: 12, length: 3, file: 0 },
    { start: -1, length: 0, file: -1 },
  ]);
  assert.deepEqual(decodeSourceMap(''), []);
});

test('source map: instruction pcs step over PUSH1..PUSH32 immediates', () => {
  // PUSH1 0x80, PUSH32 <32 bytes>, JUMPDEST, PUSH0, STOP, then a metadata byte past the map
  const code = new Uint8Array([0x60, 0x80, 0x7f, ...new Array(32).fill(0xaa), 0x5b, 0x5f, 0x00, 0xa2]);
  const ins = mapInstructions(code, '1:1:0;2:2:0;3:3:0;4:4:0;5:5:0');
  assert.deepEqual(
    ins.map((i) => [i.pc, i.op, i.range?.start]),
    [
      [0, 0x60, 1],
      [2, 0x7f, 2],
      [35, 0x5b, 3],
      [36, 0x5f, 4],
      [37, 0x00, 5],
      [38, 0xa2, undefined],
    ],
  );
});
