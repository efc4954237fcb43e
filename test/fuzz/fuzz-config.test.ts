// fuzz.json: every setting a flag has can come from the config file (under the flag's name in camelCase),
// flags override it, relative paths are the file's, the project folder's fuzz.json is read without --config,
// and an unknown key or a value of the wrong kind is a clear error naming the file and the key.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { configKey, OPTION_SPECS } from '../../sequencer/cli/fuzz-option-specs.js';
import { FUZZ_HELP, parseFuzzOptions } from '../../sequencer/cli/fuzz-options.js';
import { FuzzError } from '../../sequencer/fuzz/types.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fuzz-config-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, json: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

const FULL = {
  project: 'proj',
  contract: 'Vault',
  seed: 12,
  maxExecs: 5000,
  timeout: 30,
  depth: 7,
  batch: 64,
  runner: 'serial-native',
  checkArithmetic: true,
  cmpFeedback: false,
  stopOnFail: true,
  shrinkLimit: 9,
  deployValue: '1000000000000000000000000',
  corpusDir: 'corpus',
  coverageReport: 'report',
  repro: false,
  json: true,
};

test('fuzz.json: every setting from the file, relative paths resolved against its folder', () => {
  // artifacts excludes project: it has a test of its own below.
  assert.deepEqual([...Object.keys(FULL), 'artifacts'].sort(), OPTION_SPECS.map(configKey).sort(), 'the test sets every key there is');
  const file = config('all.json', FULL);
  const o = parseFuzzOptions(['--config', file]);
  assert.deepEqual(o, {
    project: join(dir, 'proj'),
    contract: 'Vault',
    seed: 12,
    maxExecs: 5000,
    timeoutSeconds: 30,
    depth: 7,
    batch: 64,
    runner: 'serial-native',
    checkArithmetic: true,
    cmpFeedback: false,
    stopOnFail: true,
    shrinkLimit: 9,
    deployValue: 10n ** 24n,
    corpusDir: join(dir, 'corpus'),
    coverageReport: join(dir, 'report'),
    repro: false,
    json: true,
    help: false,
    configFile: file,
  });
});

test('fuzz.json: artifacts instead of a project', () => {
  const file = config('artifacts.json', { artifacts: 'out', contract: 'Vault' });
  assert.equal(parseFuzzOptions(['--config', file]).artifacts, join(dir, 'out'));
  assert.throws(() => parseFuzzOptions(['--config', file, '--project', dir]), /give --project or --artifacts, not both/);
});

test('fuzz.json: flags override the file, switches both ways', () => {
  const file = config('some.json', { contract: 'Vault', maxExecs: 5000, cmpFeedback: false, checkArithmetic: true });
  const o = parseFuzzOptions(['--config', file, '--max-execs', '77', '--cmp-feedback', '--no-check-arithmetic', '--contract', 'Other']);
  assert.equal(o.maxExecs, 77);
  assert.equal(o.cmpFeedback, true);
  assert.equal(o.checkArithmetic, false);
  assert.equal(o.contract, 'Other');
  assert.equal(o.depth, 50, 'defaults fill what neither sets');
});

test('fuzz.json: read from the project folder without --config; not with --artifacts', () => {
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'fuzz.json'), JSON.stringify({ contract: 'Found', depth: 3 }));
  const o = parseFuzzOptions(['--project', project]);
  assert.equal(o.contract, 'Found');
  assert.equal(o.depth, 3);
  assert.equal(o.configFile, join(project, 'fuzz.json'));
  assert.throws(() => parseFuzzOptions(['--project', join(dir, 'nowhere')]), /--contract NAME \(or "contract" in a config file\) is required/);
});

test('fuzz.json: unknown keys, wrong kinds and unreadable files are clear errors', () => {
  const bad = (json: unknown, pattern: RegExp): void => {
    const file = config('bad.json', json);
    assert.throws(() => parseFuzzOptions(['--config', file]), (e: unknown) => e instanceof FuzzError && pattern.test(e.message), JSON.stringify(json));
  };
  bad({ contract: 'X', maxExec: 5 }, /^config .*bad\.json: unknown key "maxExec" \(known: project, artifacts, contract, seed, maxExecs,/);
  bad({ contract: 'X', max_execs: 5 }, /unknown key "max_execs"/);
  bad({ contract: 'X', maxExecs: -1 }, /bad\.json: maxExecs must be an integer ≥ 0, got -1$/);
  bad({ contract: 'X', depth: 2.5 }, /bad\.json: depth must be an integer ≥ 1, got 2\.5$/);
  bad({ contract: 'X', cmpFeedback: 'no' }, /bad\.json: cmpFeedback must be true or false, got "no"$/);
  bad({ contract: 'X', runner: 'gpu' }, /bad\.json: runner must be one of native, /);
  bad({ contract: 'X', deployValue: 1.5 }, /bad\.json: deployValue must be an amount in wei, got 1\.5$/);
  bad({ contract: 5 }, /bad\.json: contract must be a non-empty string, got 5$/);
  bad(['contract'], /bad\.json must hold a JSON object/);
  bad('{ "contract": ', /^config .*bad\.json: .*JSON/);
  assert.throws(() => parseFuzzOptions(['--config', join(dir, 'missing.json')]), /missing\.json: no such file/);
  assert.throws(() => parseFuzzOptions(['--contract', 'X', '--bogus']), /unknown option --bogus \(see --help\)/);
});

test('fuzz help lists every setting', () => {
  for (const s of OPTION_SPECS) assert.match(FUZZ_HELP, new RegExp(`^ {2}--${s.flag}\\b`, 'm'), s.flag);
  assert.match(FUZZ_HELP, /^ {2}--config FILE/m);
});
