// The encoded logs of a receipt and the per-block log filter: exact round trip, bad input named, and no
// block skipped that holds a match (a filter may say "maybe", never "no" for a present item).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { decodeLogs, encodeLogs } from '../../sequencer/store/log-codec.js';
import { LogFilterBuilder } from '../../sequencer/store/log-filter.js';
import { LogMatcher } from '../../sequencer/store/log-matcher.js';
import type { StoredLog } from '../../sequencer/store/store.js';
import { seededRandom } from '../support/seeded-random.js';

const rnd = seededRandom(5);
const randomHex = (bytes: number): string => `0x${Array.from({ length: bytes }, () => Math.floor(rnd() * 256).toString(16).padStart(2, '0')).join('')}`;

function randomLogs(count: number, from = 0): StoredLog[] {
  return Array.from({ length: count }, (_, i) => ({
    address: randomHex(20) as Address,
    topics: Array.from({ length: Math.floor(rnd() * 5) }, () => randomHex(32) as Hex),
    data: Uint8Array.from({ length: Math.floor(rnd() * 70) }, () => Math.floor(rnd() * 256)),
    logIndex: from + i,
  }));
}

test('logs round-trip through their encoding; none is no bytes', () => {
  const logs = randomLogs(50);
  assert.deepEqual(decodeLogs(encodeLogs(logs, new LogFilterBuilder())), logs);
  assert.equal(encodeLogs([], new LogFilterBuilder()), null);
  assert.deepEqual(decodeLogs(null), []);
  // Mixed-case input comes back lowercase.
  const upper = { address: '0xABCDEF0123456789ABCDEF0123456789ABCDEF01' as Address, topics: [`0x${'AB'.repeat(32)}` as Hex], data: new Uint8Array(0), logIndex: 7 };
  assert.deepEqual(decodeLogs(encodeLogs([upper], new LogFilterBuilder())), [{ ...upper, address: upper.address.toLowerCase(), topics: [upper.topics[0].toLowerCase()] }]);
});

test('bad logs are refused with the log named; truncated bytes are refused', () => {
  const good = randomLogs(1)[0];
  assert.throws(() => encodeLogs([{ ...good, address: '0x1234' as Address }], new LogFilterBuilder()), /log 0 address must be 20 bytes/);
  assert.throws(() => encodeLogs([{ ...good, topics: [`0x${'zz'.repeat(32)}` as Hex] }], new LogFilterBuilder()), /log 0 topic must be 32 bytes/);
  assert.throws(() => encodeLogs([{ ...good, topics: Array(5).fill(randomHex(32)) }], new LogFilterBuilder()), /5 topics/);
  const bytes = encodeLogs([{ ...good, data: new Uint8Array(40) }], new LogFilterBuilder())!;
  assert.throws(() => decodeLogs(bytes.subarray(0, bytes.length - 1)), /truncated/);
});

test('a block filter never rules out a block that holds a match, and rules out most that do not', () => {
  let ruledOut = 0;
  const absent = Array.from({ length: 200 }, () => randomHex(32));
  for (let block = 0; block < 20; block++) {
    const filter = new LogFilterBuilder();
    const logs = randomLogs(1 + block * 50);
    encodeLogs(logs, filter);
    const bits = filter.finish()!;
    for (const l of logs) {
      assert.ok(new LogMatcher([l.address], undefined).filter.mayMatch(bits), `block ${block}: address ${l.address} ruled out`);
      for (const [i, t] of l.topics.entries()) {
        const topics = Array<string[] | null>(i).fill(null).concat([[t]]);
        assert.ok(new LogMatcher(undefined, topics).filter.mayMatch(bits), `block ${block}: topic ${t} ruled out`);
      }
    }
    for (const t of absent) if (!new LogMatcher(undefined, [[t]]).filter.mayMatch(bits)) ruledOut++;
  }
  // 3 probes at 16 bits per item: about 0.5% false positives.
  assert.ok(ruledOut >= 0.97 * absent.length * 20, `${ruledOut} of ${absent.length * 20} absent topics ruled out`);
});
