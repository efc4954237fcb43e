// solc source maps of deployed code, instruction by instruction: each instruction's pc (PUSH1..PUSH32 carry
// 1..32 immediate bytes, so instruction index and pc part after the first PUSH) and the source range it was
// compiled from ("s:l:f:j:m" entries separated by ';', an empty field repeating the previous entry's).
// The trailing CBOR metadata has no entries: instructions past the map's end have no range.

export interface SourceRange {
  /** Byte offset into the source file. */
  start: number;
  length: number;
  /** The compiler's source id (-1: no source, e.g. compiler-inserted code). */
  file: number;
}

export interface Instruction {
  pc: number;
  op: number;
  /** Undefined past the source map's end. */
  range?: SourceRange;
}

const PUSH1 = 0x60;
const PUSH32 = 0x7f;

/** The instructions of code, each with its source range when map covers it. */
export function mapInstructions(code: Uint8Array, map: string): Instruction[] {
  const ranges = decodeSourceMap(map);
  const out: Instruction[] = [];
  for (let pc = 0; pc < code.length; ) {
    const op = code[pc]!;
    const range = ranges[out.length];
    out.push(range === undefined ? { pc, op } : { pc, op, range });
    pc += op >= PUSH1 && op <= PUSH32 ? op - PUSH1 + 2 : 1;
  }
  return out;
}

export function decodeSourceMap(map: string): SourceRange[] {
  if (map === '') return [];
  const out: SourceRange[] = [];
  let prev: SourceRange = { start: -1, length: 0, file: -1 };
  for (const entry of map.split(';')) {
    const [s, l, f] = entry.split(':');
    const field = (v: string | undefined, old: number): number => (v === undefined || v === '' ? old : Number(v));
    prev = { start: field(s, prev.start), length: field(l, prev.length), file: field(f, prev.file) };
    out.push(prev);
  }
  return out;
}
