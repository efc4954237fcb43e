// `npm run fuzz`: builds the forge project (or loads artifacts), deploys the target into the fuzz snapshot,
// runs a campaign on the chosen sequence runner, and reports: progress on stderr, the summary (or JSON) on
// stdout, and each broken check as a failing forge test written into the project's test folder.
import { resolve } from 'node:path';
import { createExecutor } from '../executor/create-executor.js';
import { buildForgeProject, findArtifact, loadArtifacts } from '../fuzz/artifacts.js';
import { runCampaign } from '../fuzz/campaign.js';
import { CorpusDir } from '../fuzz/corpus-dir.js';
import { countsBlockHits, replayCoverage, writeCoverageReport, type ReportFiles } from '../fuzz/coverage-report.js';
import { createRunner } from '../fuzz/create-runner.js';
import { brokenCount, jsonSummary, progressLine, textSummary, type Reproducer } from '../fuzz/report.js';
import { importPathFrom, reproducerPath, writeReproducer } from '../fuzz/repro-file.js';
import { reproducer, reproducerName } from '../fuzz/reproducer.js';
import { deploySnapshot } from '../fuzz/snapshot.js';
import { fuzzTargets } from '../fuzz/targets.js';
import { FuzzError } from '../fuzz/types.js';
import { defaultBatch, FUZZ_HELP, parseFuzzOptions } from './fuzz-options.js';

async function main(argv: readonly string[]): Promise<number> {
  const o = parseFuzzOptions(argv);
  if (o.help) {
    process.stdout.write(FUZZ_HELP);
    return 0;
  }
  const project = o.artifacts === undefined ? resolve(o.project ?? '.') : undefined;
  const artifacts = project === undefined ? loadArtifacts(o.artifacts!) : buildForgeProject(project);
  const artifact = findArtifact(artifacts, o.contract);
  const ctor = artifact.abi.find((f) => f.type === 'constructor');
  if (ctor !== undefined && ctor.inputs.length > 0) {
    throw new FuzzError(`${artifact.name}'s constructor takes arguments: fuzz targets are deployed without any (wrap it in a harness contract)`);
  }
  const executor = await createExecutor(o.runner === 'serial-reference' ? 'reference' : 'native');
  const snapshot = await deploySnapshot({ executor, artifacts, target: artifact, deployValue: o.deployValue });
  const targets = fuzzTargets(snapshot);
  const runner = await createRunner(o.runner, snapshot, targets.properties);
  if (o.coverageReport !== undefined && !countsBlockHits(runner)) throw new FuzzError(`--coverage-report needs the native runner (not ${o.runner})`);
  const corpusDir = o.corpusDir === undefined ? undefined : new CorpusDir(resolve(o.corpusDir));
  const saved = corpusDir?.load({ senders: snapshot.senders, targets: targets.functions.map((f) => f.address) });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.stderr.write(`[fuzz] ${artifact.name} on ${runner.backend}, seed ${o.seed}: ${targets.functions.length} functions, ${targets.properties.length} properties\n`);
  if (o.configFile !== undefined) process.stderr.write(`[fuzz] settings from ${o.configFile}\n`);
  if (saved !== undefined) {
    const stale = saved.stale.length === 0 ? '' : `; ${saved.stale.length} left out (their senders or contracts are not this campaign's)`;
    process.stderr.write(`[fuzz] corpus ${corpusDir!.dir}: replaying ${saved.sequences.length} sequences first${stale}\n`);
  }

  const result = await runCampaign(snapshot, targets, runner, {
    seed: o.seed,
    maxExecs: o.maxExecs,
    timeoutSeconds: o.timeoutSeconds,
    depth: o.depth,
    batch: o.batch ?? defaultBatch(o.runner),
    checkArithmetic: o.checkArithmetic,
    cmpFeedback: o.cmpFeedback,
    stopOnFail: o.stopOnFail,
    shrinkLimit: o.shrinkLimit,
    ...(saved === undefined ? {} : { replay: saved.sequences, onCorpusEntry: (calls) => corpusDir!.save(calls) }),
    onProgress: (p) => process.stderr.write(`${progressLine(p)}\n`),
    signal: stop.signal,
  });

  const reproducers = new Map<string, Reproducer>();
  for (const { check, failure } of result.outcomes) {
    if (failure === undefined || !o.repro) continue;
    const name = reproducerName(artifact.name, check);
    const path = project === undefined ? undefined : reproducerPath(project, name);
    const importPath = path === undefined ? artifact.sourcePath : importPathFrom(path, project!, artifact.sourcePath);
    const source = reproducer({ snapshot, targets, failure, deployValue: o.deployValue, importPath, seed: o.seed });
    if (path !== undefined) writeReproducer(path, source);
    reproducers.set(check.name, { path, source });
  }

  let report: ReportFiles | undefined;
  if (o.coverageReport !== undefined && countsBlockHits(runner)) {
    const failures = result.outcomes.flatMap((x) => (x.failure === undefined ? [] : [x.failure.calls]));
    const coverage = await replayCoverage(runner, snapshot, artifacts, [...result.corpusSequences, ...failures]);
    report = writeCoverageReport(resolve(o.coverageReport), coverage, `fuzz ${artifact.name}, seed ${o.seed}`);
  }

  const summary = { contract: artifact.name, result, targets, reproducers, ...(report === undefined ? {} : { report }), ...(corpusDir === undefined ? {} : { corpusDir: corpusDir.dir }) };
  if (o.json) {
    process.stdout.write(`${jsonSummary(summary)}\n`);
  } else {
    process.stdout.write(textSummary(summary));
    for (const r of reproducers.values()) process.stdout.write(`\n// ---- ${r.path ?? 'reproducer'} ----\n${r.source}`);
  }
  return brokenCount(result) > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(e instanceof FuzzError ? `fuzz: ${e.message}\n` : `fuzz: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
