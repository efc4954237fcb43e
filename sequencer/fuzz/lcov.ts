// LCOV tracefile (lcov.info, as genhtml, Codecov and editors read it) of a line coverage: one record per
// source file, DA:<line>,<calls that ran it> for every executable line, LF/LH the lines found and hit.
import type { LineCoverage } from './line-coverage.js';

export function lcovText(coverage: LineCoverage, testName: string): string {
  const out: string[] = [];
  for (const f of coverage.files) {
    out.push(`TN:${testName}`, `SF:${f.file}`);
    for (const l of f.lines) out.push(`DA:${l.line},${l.ok + l.failed}`);
    out.push(`LF:${f.lines.length}`, `LH:${f.lines.filter((l) => l.ok + l.failed > 0).length}`, 'end_of_record');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
