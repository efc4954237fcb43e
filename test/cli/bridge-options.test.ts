// `npm run bridge` options and npm start's bridge-related ones: defaults, the rollup read from the data dir,
// and bad usage refused with the option named (the CLI exits 2 on these).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BridgeUsageError, parseBridgeOptions } from '../../sequencer/cli/bridge-options.js';
import { parseOptions } from '../../sequencer/cli/options.js';

const ROLLUP = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const TX = `0x${'ab'.repeat(32)}`;

describe('npm run bridge options', () => {
  it('parses each command with the defaults of npm start', () => {
    const o = parseBridgeOptions(['withdraw', '--value', '0.25', '--to', ROLLUP, '--data', '0xC0FFEE', '--rollup', ROLLUP]);
    assert.equal(o.command, 'withdraw');
    assert.equal(o.value, 250_000_000_000_000_000n);
    assert.equal(o.data, '0xc0ffee');
    assert.deepEqual([o.l1Url, o.l2Url, o.devAccount, o.l1FromBlock], ['http://127.0.0.1:9545', 'http://127.0.0.1:8545', 1, 0n]);
    const p = parseBridgeOptions(['prove', '--tx', TX, '--batch', '7', '--wait', '--key', `0x${'11'.repeat(32)}`, '--rollup', ROLLUP, '--json']);
    assert.deepEqual([p.l2TxHash, p.batch, p.wait, p.json], [TX, 7n, true, true]);
  });

  it('reads the rollup and its deploy block from the data dir of npm start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-opts-'));
    try {
      mkdirSync(join(dir, 'l1'));
      writeFileSync(join(dir, 'l1', 'deployment.json'), JSON.stringify({ address: ROLLUP, deployBlock: '12' }));
      const o = parseBridgeOptions(['status', '--address', ROLLUP, '--data-dir', dir]);
      assert.deepEqual([o.rollup, o.l1FromBlock], [ROLLUP, 12n]);
      assert.throws(() => parseBridgeOptions(['status', '--address', ROLLUP, '--data-dir', join(dir, 'none')]), /no --rollup given and no .*deployment\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad usage naming the option', () => {
    const bad: [string[], RegExp][] = [
      [['bogus'], /unknown command bogus/],
      [['deposit', '--rollup', ROLLUP], /deposit needs --value/],
      [['deposit', '--value', '1e18', '--rollup', ROLLUP], /--value must be an amount of ETH/],
      [['prove', '--rollup', ROLLUP], /prove needs --tx/],
      [['status', '--tx', TX, '--address', ROLLUP, '--rollup', ROLLUP], /either --tx L2TXHASH or --address/],
      [['finalize', '--tx', '0x12', '--rollup', ROLLUP], /--tx must be 0x and 32 bytes/],
      [['deposit', '--value', '1', '--data', '0x00', '--rollup', ROLLUP], /only withdraw calls/],
      [['withdraw', '--value', '1', '--bogus', '--rollup', ROLLUP], /unknown option --bogus/],
      [['status', '--tx'], /--tx needs a value/],
    ];
    for (const [argv, re] of bad) assert.throws(() => parseBridgeOptions(argv), (e: Error) => e instanceof BridgeUsageError && re.test(e.message), argv.join(' '));
  });

  it('npm start takes --challenge-window and --guardian', () => {
    const o = parseOptions(['--challenge-window', '15', '--guardian', ROLLUP.toUpperCase().replace('0X', '0x')]);
    assert.deepEqual([o.challengeWindowS, o.guardian], [15n, ROLLUP]);
    assert.equal(parseOptions([]).challengeWindowS, undefined, 'default chosen by the L1 kind at deployment');
    assert.throws(() => parseOptions(['--challenge-window', '1h']), /--challenge-window must be a number of seconds/);
    assert.throws(() => parseOptions(['--guardian', '0x12']), /--guardian must be 0x and 20 bytes/);
  });
});
