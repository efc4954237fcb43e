// Compiled contracts for the fuzzer: a forge project (built with its own forge, offline) or a folder of
// forge-style JSON artifacts ({ abi, bytecode: { object }, deployedBytecode: { object } }).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Abi } from 'viem';
import { hexToU8 } from '../primitives/types.js';
import { FuzzError } from './types.js';

export interface ContractArtifact {
  name: string;
  /** Source path as the compiler saw it (e.g. src/Token.sol), for imports in reproducers. */
  sourcePath: string;
  abi: Abi;
  bytecode: Uint8Array;
  deployedBytecode: Uint8Array;
  /** The artifact file it was read from (none for contracts compiled in memory). */
  file?: string;
  /** solc's source map of the deployed code, when the artifact has one. */
  deployedSourceMap?: string;
  /** The compiler's id of sourcePath (the file index source maps use), when the artifact gives it. */
  sourceId?: number;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The forge binary itself: node_modules/.bin/forge exits 0 even when forge fails. */
export const FORGE_BIN = join(ROOT, 'node_modules/@foundry-rs/forge-linux-amd64/bin/forge');

/** Runs `forge build` in the project and loads every artifact of its `out` folder. */
export function buildForgeProject(project: string): ContractArtifact[] {
  if (!existsSync(join(project, 'foundry.toml'))) throw new FuzzError(`${project} is not a forge project (no foundry.toml)`);
  if (!existsSync(FORGE_BIN)) throw new FuzzError(`forge not found at ${FORGE_BIN} (npm install)`);
  try {
    execFileSync(FORGE_BIN, ['build', '--offline'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new FuzzError(`forge build failed in ${project}:\n${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`);
  }
  const out = readOutDir(project);
  return loadArtifacts(join(project, out));
}

function readOutDir(project: string): string {
  const toml = readFileSync(join(project, 'foundry.toml'), 'utf8');
  return /^\s*out\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? 'out';
}

/** Every artifact with bytecode under dir (recursively), skipping build-info. */
export function loadArtifacts(dir: string): ContractArtifact[] {
  if (!existsSync(dir)) throw new FuzzError(`artifact folder ${dir} does not exist`);
  const found: ContractArtifact[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) {
        if (entry !== 'build-info') walk(p);
      } else if (entry.endsWith('.json')) {
        const a = parseArtifact(p);
        if (a !== undefined) found.push(a);
      }
    }
  };
  walk(dir);
  return found;
}

function parseArtifact(path: string): ContractArtifact | undefined {
  let json: {
    abi?: Abi;
    bytecode?: { object?: string } | string;
    deployedBytecode?: { object?: string; sourceMap?: string } | string;
    ast?: { absolutePath?: string };
    metadata?: { settings?: { compilationTarget?: Record<string, string> } };
    id?: number;
  };
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FuzzError(`artifact ${path} is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json.abi)) return undefined;
  const code = (v: { object?: string } | string | undefined): string => (typeof v === 'string' ? v : v?.object ?? '0x');
  const bytecode = code(json.bytecode);
  if (!/^0x[0-9a-fA-F]*$/.test(bytecode)) {
    throw new FuzzError(`artifact ${path} has unlinked library placeholders in its bytecode: link them first`);
  }
  const target = Object.entries(json.metadata?.settings?.compilationTarget ?? {})[0];
  const name = target?.[1] ?? path.replace(/^.*\//, '').replace(/\.json$/, '');
  return {
    name,
    sourcePath: target?.[0] ?? json.ast?.absolutePath ?? '',
    abi: json.abi,
    bytecode: hexToU8(bytecode),
    deployedBytecode: hexToU8(code(json.deployedBytecode)),
    file: path,
    ...(typeof json.deployedBytecode === 'object' && json.deployedBytecode.sourceMap ? { deployedSourceMap: json.deployedBytecode.sourceMap } : {}),
    ...(typeof json.id === 'number' ? { sourceId: json.id } : {}),
  };
}

/** The artifact of a contract by name (`Name` or `path/File.sol:Name`). */
export function findArtifact(artifacts: readonly ContractArtifact[], ref: string): ContractArtifact {
  const [path, name] = ref.includes(':') ? ref.split(':') : [undefined, ref];
  const matches = artifacts.filter((a) => a.name === name && (path === undefined || a.sourcePath === path));
  if (matches.length === 0) {
    const names = [...new Set(artifacts.filter((a) => a.bytecode.length > 0).map((a) => a.name))].sort().join(', ');
    throw new FuzzError(`no compiled contract named ${ref} (have: ${names})`);
  }
  if (matches.length > 1) throw new FuzzError(`${ref} is ambiguous: ${matches.map((a) => `${a.sourcePath}:${a.name}`).join(', ')}`);
  return matches[0]!;
}
