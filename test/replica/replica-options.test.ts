// `npm start -- --replica --store postgres://... --sequencer URL`: the flags parse, and incomplete or stray
// combinations are refused with the help text.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OptionError, parseOptions } from '../../sequencer/cli/options.js';

test('--replica needs --store postgres://... and --sequencer URL; --sequencer alone is refused', () => {
  const o = parseOptions(['--replica', '--store', 'postgres://u@127.0.0.1:5432/chain', '--sequencer', 'http://10.0.0.5:8545/']);
  assert.equal(o.replicaOf, 'http://10.0.0.5:8545');
  assert.equal(o.store, 'postgres://u@127.0.0.1:5432/chain');
  assert.equal(parseOptions([]).replicaOf, undefined, 'a sequencer by default');
  const refused = (argv: string[], why: RegExp) => assert.throws(() => parseOptions(argv), (e: Error) => e instanceof OptionError && why.test(e.message) && /Usage/.test(e.message));
  refused(['--replica', '--sequencer', 'http://127.0.0.1:8545'], /--replica needs --store postgres:\/\/\.\.\. and --sequencer URL/);
  refused(['--replica', '--store', 'postgres://u@h/db'], /--replica needs --store postgres:\/\/\.\.\. and --sequencer URL/);
  refused(['--sequencer', 'http://127.0.0.1:8545'], /--sequencer is for --replica/);
  refused(['--replica', '--store', 'postgres://u@h/db', '--sequencer', 'not a url'], /--sequencer must be an http:\/\/ or https:\/\/ URL, got not a url/);
  refused(['--replica', '--store', 'postgres://u@h/db', '--sequencer', 'ws://127.0.0.1:8545'], /--sequencer must be an http/);
});
