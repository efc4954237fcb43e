import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { packBytes } from '../../sequencer/primitives/packed-bytes.js';
import { seededRandom } from '../support/seeded-random.js';

const addon = loadAddon();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('native keccak-256 batch', () => {
  it('reports its backend and why', () => {
    const info = addon.backendInfo();
    assert.ok(info.kind === 'cpu' || info.kind === 'cuda');
    assert.ok(info.reason.length > 0);
    if (info.kind === 'cpu') assert.ok(info.threads >= 1);
  });

  it('matches known vectors', () => {
    const vectors: [string, string][] = [
      ['', 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
      ['abc', '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'],
      ['The quick brown fox jumps over the lazy dog', '4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15'],
    ];
    const { data, offsets } = packBytes(vectors.map(([s]) => new TextEncoder().encode(s)));
    const out = addon.keccak256BatchSync(data, offsets);
    vectors.forEach(([, want], i) => assert.equal(hex(out.subarray(32 * i, 32 * i + 32)), want));
  });

  it('matches @noble/hashes on random inputs across block boundaries (seeded)', async () => {
    const rand = seededRandom(0xc0ffee);
    const lengths = [0, 1, 31, 32, 135, 136, 137, 271, 272, 273, 1000, 4096];
    for (let i = 0; i < 500; i++) lengths.push(Math.floor(rand() * 600));
    const items = lengths.map((n) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256)));
    const { data, offsets } = packBytes(items);
    const out = await addon.keccak256Batch(data, offsets);
    items.forEach((it, i) => assert.equal(hex(out.subarray(32 * i, 32 * i + 32)), hex(keccak_256(it)), `item ${i} (length ${it.length})`));
  });

  it('rejects malformed offsets with a clear error', () => {
    assert.throws(() => addon.keccak256BatchSync(new Uint8Array(4), new Uint32Array([0, 5])), /out of order or past the end/);
    assert.throws(() => addon.keccak256BatchSync(new Uint8Array(4), new Uint32Array([])), /count \+ 1/);
    assert.throws(() => addon.keccak256BatchSync('x' as never, new Uint32Array([0])), TypeError);
  });
});
