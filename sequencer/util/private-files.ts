// The data dir holds the chain, the mempool, the batcher's signed L1 transactions and the console's admin
// token: only the node's user may read it. Directories are 0700 and files 0600, tightened when an existing
// one is found looser (an older build, a copied or restored data dir), whatever the process umask.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates `dir` (and missing parents) as 0700, or tightens an existing one to 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/**
 * Makes `file` exist as 0600 before a library (SQLite) opens it: SQLite gives its -wal and -shm files the
 * main file's permissions, so they follow. A missing parent is created 0700; an existing one is left as it
 * is (it may be shared, e.g. /tmp: the data dir itself is tightened by ensurePrivateDir).
 */
export function ensurePrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  for (const side of [`${file}-wal`, `${file}-shm`]) if (existsSync(side) && (statSync(side).mode & 0o077) !== 0) chmodSync(side, 0o600);
}
