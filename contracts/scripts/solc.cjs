#!/usr/bin/env node
// A solc executable for forge, offline: answers `--version` and `--standard-json` (stdin -> stdout) with the
// npm `solc` package (solc-js). Forge is pointed at it by `solc = "contracts/scripts/solc.cjs"` in foundry.toml.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const solc = require(require.resolve('solc', { paths: [path.join(__dirname, '..', '..'), process.cwd()] }));

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  // Forge parses "Version: X.Y.Z+commit.H.Platform".
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version().replace('Emscripten.clang', 'Linux.g++')}\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write(`solc.cjs: only --version and --standard-json are supported (got: ${args.join(' ')})\n`);
  process.exit(2);
}
// Paths that forge passes with --allow-paths / --base-path let imports resolve against them.
const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  if ((args[i] === '--base-path' || args[i] === '--include-path') && args[i + 1]) roots.push(path.resolve(args[i + 1]));
  if (args[i] === '--allow-paths' && args[i + 1]) for (const p of args[i + 1].split(',')) roots.push(path.resolve(p));
}
const input = fs.readFileSync(0, 'utf8');
function findImports(p) {
  for (const root of roots) {
    const full = path.isAbsolute(p) ? p : path.join(root, p);
    if (fs.existsSync(full)) return { contents: fs.readFileSync(full, 'utf8') };
  }
  return { error: `File not found: ${p}` };
}
process.stdout.write(solc.compile(input, { import: findImports }));
