// The corpus on disk (`--corpus-dir DIR`): every sequence that joined the campaign's corpus is written as one
// JSON file named by the SHA-256 of its content (so the same sequence is never written twice, and two
// campaigns may share a folder), and the next campaign replays every file before it generates anything.
//
// File format (version 1; README.md "Corpus files"):
//   { "version": 1, "calls": [ { "sender": "0x…20 bytes", "target": "0x…20 bytes", "value": "<wei, decimal>",
//     "timeDelta": "<seconds, decimal>", "blockDelta": "<blocks, decimal>", "data": "0x<calldata>" }, … ] }
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToU8, toAddress, type Address } from '../primitives/types.js';
import { FuzzError, type FuzzCall } from './types.js';

export const CORPUS_FORMAT_VERSION = 1;

/** The exact text of a sequence's corpus file (fixed key order, lowercase hex, decimal quantities). */
export function corpusFileText(calls: readonly FuzzCall[]): string {
  const json = {
    version: CORPUS_FORMAT_VERSION,
    calls: calls.map((c) => ({
      sender: c.sender.toLowerCase(),
      target: c.target.toLowerCase(),
      value: c.value.toString(),
      timeDelta: c.timeDelta.toString(),
      blockDelta: c.blockDelta.toString(),
      data: bytesToHex(c.data),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function corpusFileName(text: string): string {
  return `${createHash('sha256').update(text).digest('hex')}.json`;
}

export interface LoadedCorpus {
  /** The sequences, in file-name order (a run is a function of the folder's content and the seed). */
  sequences: FuzzCall[][];
  /** Files whose calls come from a sender or go to a contract this campaign does not have (another target). */
  stale: string[];
}

/** What a loaded sequence may use: the campaign's senders and callable contracts. */
export interface CorpusScope {
  senders: readonly Address[];
  targets: readonly Address[];
}

export class CorpusDir {
  private readonly written = new Set<string>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Reads every *.json file; a malformed one is a FuzzError naming the file and the field. */
  load(scope: CorpusScope): LoadedCorpus {
    const senders = new Set(scope.senders.map((a) => a.toLowerCase()));
    const targets = new Set(scope.targets.map((a) => a.toLowerCase()));
    const out: LoadedCorpus = { sequences: [], stale: [] };
    for (const name of readdirSync(this.dir).filter((n) => n.endsWith('.json')).sort()) {
      const calls = parseCorpusFile(join(this.dir, name));
      this.written.add(name);
      if (calls.every((c) => senders.has(c.sender) && targets.has(c.target))) out.sequences.push(calls);
      else out.stale.push(name);
    }
    return out;
  }

  /** Writes the sequence unless a file with its content exists; returns the file name. */
  save(calls: readonly FuzzCall[]): string {
    const text = corpusFileText(calls);
    const name = corpusFileName(text);
    if (!this.written.has(name)) {
      const path = join(this.dir, name);
      if (!existsSync(path)) writeFileSync(path, text);
      this.written.add(name);
    }
    return name;
  }
}

function parseCorpusFile(path: string): FuzzCall[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FuzzError(`corpus file ${path} is not JSON: ${(e as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new FuzzError(`corpus file ${path}: ${what}`);
  };
  if (typeof json !== 'object' || json === null) return fail('not an object');
  const file = json as { version?: unknown; calls?: unknown };
  if (file.version !== CORPUS_FORMAT_VERSION) fail(`version must be ${CORPUS_FORMAT_VERSION}, got ${JSON.stringify(file.version)}`);
  if (!Array.isArray(file.calls)) return fail('calls must be an array');
  return file.calls.map((raw: unknown, i): FuzzCall => {
    const call = (typeof raw === 'object' && raw !== null ? raw : fail(`calls[${i}] is not an object`)) as Record<string, unknown>;
    const field = (key: string, pattern: RegExp, meaning: string): string => {
      const v = call[key];
      if (typeof v !== 'string' || !pattern.test(v)) fail(`calls[${i}].${key} must be ${meaning}, got ${JSON.stringify(v)}`);
      return v as string;
    };
    const quantity = (key: string, bits: bigint, meaning: string): bigint => {
      const v = BigInt(field(key, /^[0-9]{1,78}$/, meaning));
      if (v >= 1n << bits) fail(`calls[${i}].${key} must be below 2^${bits}, got ${v}`);
      return v;
    };
    const address = /^0x[0-9a-fA-F]{40}$/;
    return {
      sender: toAddress(field('sender', address, 'a 20-byte hex address')),
      target: toAddress(field('target', address, 'a 20-byte hex address')),
      value: quantity('value', 256n, 'a decimal amount of wei'),
      timeDelta: quantity('timeDelta', 64n, 'a decimal number of seconds'),
      blockDelta: quantity('blockDelta', 64n, 'a decimal number of blocks'),
      data: hexToU8(field('data', /^0x([0-9a-fA-F]{2})*$/, '0x-hex calldata')),
    };
  });
}
