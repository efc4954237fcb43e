// What a campaign tells its user: a progress line (stderr, about once a second) and the final summary, as
// text or as JSON (for scripts and benchmarks). Every summary names the seed that reproduces the run.
import { bytesToHex } from '../primitives/types.js';
import type { CampaignResult, Progress } from './campaign.js';
import type { ReportFiles } from './coverage-report.js';
import { describeCall, describeCallData } from './describe.js';
import type { FuzzTargets } from './targets.js';
import type { FuzzCall } from './types.js';

export interface Reproducer {
  /** Where it was written (undefined when only printed). */
  path?: string;
  source: string;
}

export interface SummaryInput {
  contract: string;
  result: CampaignResult;
  targets: FuzzTargets;
  /** Per broken check name. */
  reproducers: ReadonlyMap<string, Reproducer>;
  /** The corpus folder (--corpus-dir), when there is one. */
  corpusDir?: string;
  /** The coverage report's files (--coverage-report). */
  report?: ReportFiles;
}

export function progressLine(p: Progress): string {
  const rate = p.seconds > 0 ? Math.round(p.executions / p.seconds) : 0;
  const phase = p.phase === 'shrinking' ? '  shrinking' : '';
  return `[fuzz] ${p.seconds.toFixed(1)} s  ${p.executions} calls  ${rate} calls/s  coverage ${p.coverage} edges  corpus ${p.corpus}  broken ${p.broken}/${p.checks}${phase}`;
}

function execsPerSecond(r: CampaignResult): number {
  return r.seconds > 0 ? Math.round(r.executions / r.seconds) : 0;
}

export function brokenCount(r: CampaignResult): number {
  return r.outcomes.filter((o) => o.failure !== undefined).length;
}

export function textSummary(s: SummaryInput): string {
  const r = s.result;
  const lines = [
    `fuzz ${s.contract} on ${r.backend}, seed ${r.seed}`,
    `  ${r.executions} calls in ${r.seconds.toFixed(1)} s (${execsPerSecond(r)} calls/s), coverage ${r.coverage} edges, corpus ${r.corpus}, shrinking ${r.shrinkSeconds.toFixed(1)} s`,
  ];
  if (s.corpusDir !== undefined) lines.push(`  corpus ${s.corpusDir}: ${r.replayed} saved sequences replayed first (coverage ${r.replayCoverage} edges after them)`);
  if (s.report !== undefined) lines.push(`  coverage report: ${s.report.html} (LCOV: ${s.report.lcov})`);
  for (const o of r.outcomes) {
    if (o.failure === undefined) {
      lines.push(`  passed  ${o.check.description}`);
      continue;
    }
    lines.push(`  BROKEN  ${o.check.description}: found after ${o.foundAfter} calls with seed ${r.seed}, shrunk from ${o.originalLength} to ${o.failure.calls.length} calls`);
    o.failure.calls.forEach((c, i) => lines.push(`      ${i + 1}. ${describeCall(s.targets, c)}`));
    if (o.failure.calls.length === 0) lines.push('      (broken right after deployment)');
    const repro = s.reproducers.get(o.check.name);
    if (repro !== undefined) lines.push(`      reproducer: ${repro.path ?? 'printed below (no forge project to write it into)'}`);
  }
  for (const opt of r.optimizations) {
    const found = opt.foundAfter === undefined ? '' : `, found after ${opt.foundAfter} calls, shrunk from ${opt.originalLength} to ${opt.calls.length} calls`;
    lines.push(`  optimum ${opt.name}() = ${opt.best ?? 'none (it always reverted)'}${found}`);
    opt.calls.forEach((c, i) => lines.push(`      ${i + 1}. ${describeCall(s.targets, c)}`));
  }
  const broken = brokenCount(r);
  lines.push(`${broken} of ${r.outcomes.length} checks broken (seed ${r.seed})`);
  return `${lines.join('\n')}\n`;
}

export function jsonSummary(s: SummaryInput): string {
  const r = s.result;
  return JSON.stringify(
    {
      contract: s.contract,
      seed: r.seed,
      runner: r.backend,
      executions: r.executions,
      seconds: r.seconds,
      execsPerSecond: execsPerSecond(r),
      shrinkSeconds: r.shrinkSeconds,
      coverage: r.coverage,
      corpus: r.corpus,
      replayed: r.replayed,
      replayCoverage: r.replayCoverage,
      ...(s.corpusDir === undefined ? {} : { corpusDir: s.corpusDir }),
      ...(s.report === undefined ? {} : { coverageReport: s.report }),
      broken: brokenCount(r),
      checks: r.outcomes.map((o) => ({
        name: o.check.name,
        kind: o.check.kind,
        description: o.check.description,
        status: o.failure === undefined ? 'passed' : 'broken',
        ...(o.failure === undefined
          ? {}
          : {
              seed: r.seed,
              foundAfter: o.foundAfter,
              originalLength: o.originalLength,
              shrinkRuns: o.shrinkRuns,
              calls: o.failure.calls.map((c) => callJson(s.targets, c)),
              reproducer: s.reproducers.get(o.check.name),
            }),
      })),
      optimizations: r.optimizations.map((opt) => ({
        name: opt.name,
        best: opt.best?.toString() ?? null,
        foundAfter: opt.foundAfter ?? null,
        originalLength: opt.originalLength ?? null,
        shrinkRuns: opt.shrinkRuns ?? null,
        calls: opt.calls.map((c) => callJson(s.targets, c)),
      })),
    },
    null,
    2,
  );
}

function callJson(targets: FuzzTargets, c: FuzzCall): Record<string, string> {
  return {
    sender: c.sender,
    target: c.target,
    value: c.value.toString(),
    timeDelta: c.timeDelta.toString(),
    blockDelta: c.blockDelta.toString(),
    data: bytesToHex(c.data),
    decoded: describeCallData(targets, c),
  };
}
