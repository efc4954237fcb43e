// The multi-lane host keccak (native/crypto/keccak_lanes.cc) hashes independent messages side by side in
// SIMD lanes, each lane starting its next message when its current one ends: every lane width this CPU has
// must give the scalar hash and @noble/hashes' on messages of mixed lengths, block boundaries included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { packBytes } from '../../sequencer/primitives/packed-bytes.js';
import { seededRandom } from '../support/seeded-random.js';

const addon = loadAddon();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const widths = [1, 4, 8].filter((w) => w <= addon.keccakLanes());

describe('multi-lane keccak-256', () => {
  it('reports a lane width of 1, 4 or 8', () => {
    assert.ok([1, 4, 8].includes(addon.keccakLanes()));
  });

  for (const lanes of widths) {
    it(`${lanes} lane(s) match the scalar hash and @noble/hashes on random lengths 0..600 (seeded)`, () => {
      const rand = seededRandom(0x1a4e5 + lanes);
      for (let round = 0; round < 20; round++) {
        // Batch sizes below, at and past the lane count, so lanes run dry at different points.
        const count = 1 + Math.floor(rand() * 40);
        const lengths = Array.from({ length: count }, () => Math.floor(rand() * 601));
        if (round === 0) lengths.push(0, 135, 136, 137, 271, 272, 273, 600);
        const items = lengths.map((n) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256)));
        const { data, offsets } = packBytes(items);
        const lanesOut = addon.keccak256LanesSync(data, offsets, lanes);
        const scalarOut = addon.keccak256LanesSync(data, offsets, 1);
        items.forEach((it, i) => {
          const got = hex(lanesOut.subarray(32 * i, 32 * i + 32));
          assert.equal(got, hex(scalarOut.subarray(32 * i, 32 * i + 32)), `round ${round}, item ${i} (length ${it.length}) vs scalar`);
          assert.equal(got, hex(keccak_256(it)), `round ${round}, item ${i} (length ${it.length}) vs @noble/hashes`);
        });
      }
    });
  }

  it('hashes an empty batch, and refuses lane widths it does not have', () => {
    assert.equal(addon.keccak256LanesSync(new Uint8Array(0), new Uint32Array([0]), addon.keccakLanes()).length, 0);
    assert.throws(() => addon.keccak256LanesSync(new Uint8Array(0), new Uint32Array([0]), 3), RangeError);
    assert.throws(() => addon.keccak256LanesSync(new Uint8Array(0), new Uint32Array([0]), 16), /not available on this CPU/);
  });
});
