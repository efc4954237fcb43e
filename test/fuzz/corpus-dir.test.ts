// The corpus on disk: a campaign with a corpus folder writes every corpus sequence there (one file each, named
// by the SHA-256 of its content), and a second campaign that replays the folder reaches the first one's
// coverage in its first batch (the replay), on a fresh runner whose coverage map starts empty. Malformed files
// are clear errors; sequences of another target are left out, not run.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPLAY_BATCH, runCampaign, type CampaignOptions } from '../../sequencer/fuzz/campaign.js';
import { CorpusDir, corpusFileText, type CorpusScope } from '../../sequencer/fuzz/corpus-dir.js';
import { FuzzError } from '../../sequencer/fuzz/types.js';
import { forgeProject, fuzzCli } from './support/forge-project.js';
import { fuzzSetup, STEPS_SOURCE, type FuzzSetup } from './support/fuzz-setup.js';

let setup: FuzzSetup;
let dir: string;
before(async () => {
  setup = await fuzzSetup(STEPS_SOURCE, 'Steps');
  dir = mkdtempSync(join(tmpdir(), 'fuzz-corpus-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: CampaignOptions = {
  seed: 7,
  maxExecs: 40_000,
  timeoutSeconds: 0,
  depth: 20,
  batch: 128,
  checkArithmetic: false,
  cmpFeedback: true,
  stopOnFail: false,
  shrinkLimit: 0,
};

function scope(): CorpusScope {
  return { senders: setup.snapshot.senders, targets: setup.targets.functions.map((f) => f.address) };
}

test('corpus dir: the second run reaches the first run\'s coverage within its first batch', { timeout: 120_000 }, async () => {
  const folder = join(dir, 'steps');
  const saving = new CorpusDir(folder);
  const first = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, onCorpusEntry: (calls) => saving.save(calls) });
  assert.ok(first.corpus > 3 && first.coverage > 10, `the first run grows a corpus (${first.corpus}) and coverage (${first.coverage})`);

  const files = readdirSync(folder).sort();
  assert.equal(files.length, first.corpus, 'one file per corpus sequence');
  for (const f of files) {
    const text = readFileSync(join(folder, f), 'utf8');
    assert.equal(f, `${createHash('sha256').update(text).digest('hex')}.json`, 'named by the hash of its content');
  }
  assert.deepEqual(
    new Set(files.map((f) => readFileSync(join(folder, f), 'utf8'))),
    new Set(first.corpusSequences.map(corpusFileText)),
    'the files are the corpus sequences',
  );

  const loaded = new CorpusDir(folder).load(scope());
  assert.equal(loaded.sequences.length, first.corpus);
  assert.deepEqual(loaded.stale, []);
  // A different seed and a budget of one batch: what it covers beyond the replay is its own.
  const second = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, seed: 8, maxExecs: 1, replay: loaded.sequences });
  assert.equal(second.replayed, first.corpus);
  assert.equal(second.replayCoverage, first.coverage, 'the replay batch alone reaches the first run\'s coverage');

  const cold = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, seed: 8, maxExecs: OPTIONS.batch * OPTIONS.depth });
  assert.ok(cold.coverage < first.coverage, `without the corpus one batch covers less (${cold.coverage} < ${first.coverage})`);
});

test('corpus dir: a corpus larger than a replay batch is replayed whole, in several batches, before anything else', { timeout: 60_000 }, async () => {
  const fn = setup.targets.functions.find((f) => f.codec.name === 'poke')!;
  const data = new Uint8Array([...fn.codec.selector, ...new Uint8Array(32)]);
  const seq = [{ sender: setup.snapshot.senders[0]!, target: fn.address, value: 0n, timeDelta: 0n, blockDelta: 0n, data }];
  const replay = new Array(REPLAY_BATCH + 5).fill(seq);
  const r = await runCampaign(setup.snapshot, setup.targets, await setup.runner(), { ...OPTIONS, maxExecs: 0, replay });
  assert.equal(r.replayed, REPLAY_BATCH + 5);
  assert.equal(r.executions, REPLAY_BATCH + 5, 'the replay only (budget 0)');
  assert.ok(r.replayCoverage > 0 && r.replayCoverage === r.coverage);
});

test('corpus dir: a sequence is written once; malformed files are errors naming the file and field; other targets\' sequences are left out', () => {
  const folder = join(dir, 'formats');
  const corpus = new CorpusDir(folder);
  const fn = setup.targets.functions[0]!;
  const call = { sender: setup.snapshot.senders[0]!, target: fn.address, value: 0n, timeDelta: 5n, blockDelta: 1n, data: fn.codec.selector };
  const name = corpus.save([call]);
  assert.equal(corpus.save([call]), name);
  assert.equal(readdirSync(folder).length, 1);
  const [seq] = new CorpusDir(folder).load(scope()).sequences;
  assert.deepEqual(seq, [call]);

  writeFileSync(join(folder, 'other.json'), corpusFileText([{ ...call, target: '0x00000000000000000000000000000000000000aa' }]));
  assert.deepEqual(new CorpusDir(folder).load(scope()).stale, ['other.json']);

  writeFileSync(join(folder, 'bad.json'), JSON.stringify({ version: 1, calls: [{ ...JSON.parse(corpusFileText([call])).calls[0], value: '-1' }] }));
  assert.throws(() => new CorpusDir(folder).load(scope()), (e: unknown) => e instanceof FuzzError && /bad\.json: calls\[0\]\.value must be a decimal amount of wei, got "-1"/.test(e.message));
  writeFileSync(join(folder, 'bad.json'), JSON.stringify({ version: 2, calls: [] }));
  assert.throws(() => new CorpusDir(folder).load(scope()), /bad\.json: version must be 1, got 2/);
  writeFileSync(join(folder, 'bad.json'), '{ nope');
  assert.throws(() => new CorpusDir(folder).load(scope()), /corpus file .*bad\.json is not JSON/);
});

test('corpus dir through `npm run fuzz`: saved by one run, replayed first by the next', { timeout: 180_000 }, () => {
  const project = forgeProject('fuzz-corpus-cli-', { 'Steps.sol': STEPS_SOURCE });
  try {
    const corpus = join(project, 'corpus');
    const run = (seed: string, maxExecs: string): { coverage: number; corpus: number; replayed: number; replayCoverage: number } => {
      const r = fuzzCli(['--project', project, '--contract', 'Steps', '--seed', seed, '--max-execs', maxExecs, '--corpus-dir', corpus, '--no-repro', '--json']);
      assert.ok(r.status === 0 || r.status === 1, r.stderr.slice(-3000));
      return JSON.parse(r.stdout);
    };
    const first = run('4', '20000');
    assert.equal(first.replayed, 0);
    assert.equal(readdirSync(corpus).length, first.corpus);
    const second = run('5', '1');
    assert.equal(second.replayed, first.corpus);
    assert.equal(second.replayCoverage, first.coverage);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
