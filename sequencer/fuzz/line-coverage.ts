// Line coverage of the deployed contracts from block hit counts (native/evm/fuzz_hits.h: per block leader,
// the calls that ran the block and succeeded or failed), mapped through the artifacts' solc source maps. A
// block's count holds for each of its instructions (it runs from its leader to the next leader or
// terminator); a line is executable when some instruction's source range starts on it, and its counts are
// those of its most-run instruction. Contracts that share a file (or a base contract's code in several
// contracts) add up per line: they are different calls.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Address } from '../primitives/types.js';
import type { ContractArtifact } from './artifacts.js';
import { mapInstructions } from './source-map.js';
import { projectOfArtifact, sourcePaths } from './source-files.js';

export interface BlockCount {
  /** Calls (and property checks) that ran the block and succeeded. */
  ok: number;
  /** ... that ran it and reverted or halted. */
  failed: number;
}

/** Per deployed account with code: block leader pc → counts (NativeSequenceRunner.blockHits). */
export type BlockHits = ReadonlyMap<Address, ReadonlyMap<number, BlockCount>>;

export interface CoveredContract {
  artifact: ContractArtifact;
  /** Block leader pc → counts; leaders never run are absent. */
  blocks: ReadonlyMap<number, BlockCount>;
}

export interface LineCount extends BlockCount {
  /** 1-based. */
  line: number;
}

export interface FileCoverage {
  /** As the compiler saw it (relative to the project). */
  path: string;
  /** Where it was read. */
  file: string;
  source: string;
  /** Executable lines, ascending. */
  lines: LineCount[];
}

export interface LineCoverage {
  files: FileCoverage[];
  /** Source paths the maps name that could not be read (left out of the report). */
  unreadable: string[];
}

const JUMPDEST = 0x5b;
/** After these the next instruction starts a block (JUMPI: its fall-through; the rest: only reached by a jump). */
const ENDS_BLOCK = new Set([0x00, 0x56, 0x57, 0xf3, 0xfd, 0xfe, 0xff]);

export function lineCoverage(contracts: readonly CoveredContract[]): LineCoverage {
  const perFile = new Map<string, { file: string; source: Buffer; lineStarts: number[]; lines: Map<number, BlockCount> }>();
  const unreadable = new Set<string>();
  for (const { artifact, blocks } of contracts) {
    if (artifact.deployedSourceMap === undefined) continue;
    const paths = sourcePaths(artifact);
    const project = projectOfArtifact(artifact) ?? '.';
    const contractLines = new Map<string, Map<number, BlockCount>>();
    let current: BlockCount | undefined;
    let prevOp = -1;
    for (const ins of mapInstructions(artifact.deployedBytecode, artifact.deployedSourceMap)) {
      if (ins.pc === 0 || ins.op === JUMPDEST || ENDS_BLOCK.has(prevOp)) current = blocks.get(ins.pc);
      prevOp = ins.op;
      const path = ins.range === undefined ? undefined : paths.get(ins.range.file);
      if (path === undefined || ins.range!.start < 0) continue;
      let file = perFile.get(path);
      if (file === undefined) {
        const full = join(project, path);
        if (!existsSync(full)) {
          unreadable.add(path);
          continue;
        }
        const source = readFileSync(full);
        file = { file: resolve(full), source, lineStarts: lineStarts(source), lines: new Map() };
        perFile.set(path, file);
      }
      const line = lineAt(file.lineStarts, ins.range!.start);
      const mine = contractLines.get(path) ?? new Map<number, BlockCount>();
      contractLines.set(path, mine);
      const best = mine.get(line);
      const count = current ?? { ok: 0, failed: 0 };
      mine.set(line, { ok: Math.max(best?.ok ?? 0, count.ok), failed: Math.max(best?.failed ?? 0, count.failed) });
    }
    for (const [path, mine] of contractLines) {
      const total = perFile.get(path)!.lines;
      for (const [line, c] of mine) {
        const t = total.get(line);
        total.set(line, { ok: (t?.ok ?? 0) + c.ok, failed: (t?.failed ?? 0) + c.failed });
      }
    }
  }
  const files = [...perFile.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, f]) => ({
      path,
      file: f.file,
      source: f.source.toString('utf8'),
      lines: [...f.lines.entries()].sort(([a], [b]) => a - b).map(([line, c]) => ({ line, ...c })),
    }));
  return { files, unreadable: [...unreadable].sort() };
}

/** Byte offsets where each line starts (source maps count bytes, not UTF-16 units). */
function lineStarts(source: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === 0x0a) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
