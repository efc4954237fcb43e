// The coverage report of a campaign (`--coverage-report DIR`): its corpus (every sequence that reached a new
// edge, so every branch the campaign took) and the shrunk failures are replayed once with block hit counts,
// mapped to source lines, and written as DIR/lcov.info and DIR/index.html.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractArtifact } from './artifacts.js';
import { coverageHtml } from './coverage-html.js';
import { lcovText } from './lcov.js';
import { lineCoverage, type BlockHits, type CoveredContract, type LineCoverage } from './line-coverage.js';
import { artifactOfCode, type FuzzSnapshot } from './snapshot.js';
import type { FuzzCall, SequenceRunner } from './types.js';

/** A runner that can count block hits (the native one). */
export interface BlockHitCounter {
  blockHits(sequences: readonly (readonly FuzzCall[])[]): Promise<BlockHits>;
}

export function countsBlockHits(runner: SequenceRunner): runner is SequenceRunner & BlockHitCounter {
  return typeof (runner as Partial<BlockHitCounter>).blockHits === 'function';
}

/** Line coverage of the sequences over every deployed contract whose code matches an artifact. */
export async function replayCoverage(
  runner: BlockHitCounter,
  snapshot: FuzzSnapshot,
  artifacts: readonly ContractArtifact[],
  sequences: readonly (readonly FuzzCall[])[],
): Promise<LineCoverage> {
  const contracts: CoveredContract[] = [];
  for (const [address, blocks] of await runner.blockHits(sequences)) {
    const code = snapshot.state.getAccount(address)?.code;
    const artifact = code === undefined ? undefined : artifactOfCode(code, artifacts);
    if (artifact !== undefined) contracts.push({ artifact, blocks });
  }
  return lineCoverage(contracts);
}

export interface ReportFiles {
  lcov: string;
  html: string;
}

export function writeCoverageReport(dir: string, coverage: LineCoverage, title: string): ReportFiles {
  mkdirSync(dir, { recursive: true });
  const files = { lcov: join(dir, 'lcov.info'), html: join(dir, 'index.html') };
  writeFileSync(files.lcov, lcovText(coverage, title));
  writeFileSync(files.html, coverageHtml(coverage, title));
  return files;
}
