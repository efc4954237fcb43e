// One solc standard-JSON compile in a process of its own (see compileStandardJson in artifacts.ts): solc-js
// is a large WebAssembly module (~150 MB of RSS once loaded) that no process gives back until it exits.
// stdin: the standard-JSON input; stdout: solc's output. Imports resolve against the working directory
// (the repository root).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const solc = createRequire(import.meta.url)('solc') as { compile(input: string, callbacks: { import(path: string): { contents: string } }): string };
process.stdout.write(solc.compile(readFileSync(0, 'utf8'), { import: (path) => ({ contents: readFileSync(path, 'utf8') }) }));
