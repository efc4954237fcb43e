// A write's rows as one byte stream (what crosses to the SQLite writer thread as a transferred buffer, so
// posting a block costs the main thread one pass over its rows and no structured clone). Per row: statement
// id (u8), parameter count (u8), then per parameter a tag (u8) and its value:
//   0 NULL | 1 number (f64 LE) | 2 ASCII text (u32 LE length + bytes) | 3 BLOB (u32 LE length + bytes)
// sqlite-writer-worker.mjs decodes it (readRows there is the inverse of RowEncoder here).
import type { RowSink, WriteParam } from './sqlite-statements.js';

export const TAG_NULL = 0;
export const TAG_NUMBER = 1;
export const TAG_TEXT = 2;
export const TAG_BLOB = 3;

export class RowEncoder implements RowSink {
  private buf: Buffer;
  private at = 0;

  constructor(initialBytes = 1 << 16) {
    // Not from Buffer's shared pool: the whole ArrayBuffer is transferred.
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  row(statement: number, ...params: WriteParam[]): void {
    this.reserve(2);
    this.buf[this.at++] = statement;
    this.buf[this.at++] = params.length;
    for (const p of params) {
      if (p === null) {
        this.reserve(1);
        this.buf[this.at++] = TAG_NULL;
      } else if (typeof p === 'number') {
        this.reserve(9);
        this.buf[this.at] = TAG_NUMBER;
        this.buf.writeDoubleLE(p, this.at + 1);
        this.at += 9;
      } else if (typeof p === 'string') {
        // Hex and decimal strings: one byte per character.
        this.reserve(5 + p.length);
        this.buf[this.at] = TAG_TEXT;
        this.buf.writeUInt32LE(p.length, this.at + 1);
        this.at += 5 + this.buf.write(p, this.at + 5, 'latin1');
      } else {
        this.reserve(5 + p.byteLength);
        this.buf[this.at] = TAG_BLOB;
        this.buf.writeUInt32LE(p.byteLength, this.at + 1);
        this.buf.set(p, this.at + 5);
        this.at += 5 + p.byteLength;
      }
    }
  }

  /** The encoded rows: an ArrayBuffer owned by nobody else (transferable) and the length used. */
  finish(): { bytes: ArrayBuffer; length: number } {
    return { bytes: this.buf.buffer as ArrayBuffer, length: this.at };
  }
}
