// Where reproducers go in a forge project: its test folder (foundry.toml's `test`, default "test"), importing
// the target's source by a path relative to the test file, so `forge test` in the project compiles them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

function projectTestDir(project: string): string {
  const toml = join(project, 'foundry.toml');
  const configured = existsSync(toml) ? /^\s*test\s*=\s*"([^"]+)"/m.exec(readFileSync(toml, 'utf8'))?.[1] : undefined;
  return join(project, configured ?? 'test');
}

export function reproducerPath(project: string, name: string): string {
  return join(projectTestDir(project), `${name}.t.sol`);
}

/** The import path of sourcePath (relative to the project) from the test file at file. */
export function importPathFrom(file: string, project: string, sourcePath: string): string {
  const rel = relative(dirname(file), join(project, sourcePath));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function writeReproducer(file: string, source: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
}
