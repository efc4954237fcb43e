// Contract artifacts, compiled with the npm `solc` package (solc-js, same compiler forge uses here) from
// contracts/src, in a child process so that solc's memory never stays in the node. The result is cached
// under .tmp/ keyed by the sources' hash, so only the first start after a contract change pays the ~5 s compile.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Abi, Hex } from 'viem';

export interface Artifact {
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
}

export interface Artifacts {
  Rollup: Artifact;
  L2ToL1MessagePasser: Artifact;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'contracts', 'src');

function listSol(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listSol(join(dir, e.name)) : e.name.endsWith('.sol') ? [join(dir, e.name)] : [],
  );
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

/**
 * solc's standard-JSON compile in a child process (sequencer/l1/solc-child.ts): loaded in the node, solc-js
 * kept ~150 MB of RSS for the node's whole life. Imports resolve against the repository root.
 */
export function compileStandardJson(input: object): SolcOutput {
  const child = join(ROOT, 'sequencer', 'l1', 'solc-child.ts');
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', child], { cwd: ROOT, input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(stdout) as SolcOutput;
}

let memo: Artifacts | undefined;

export function loadArtifacts(): Artifacts {
  if (memo) return memo;
  const files = listSol(SRC).sort();
  const sources: Record<string, { content: string }> = {};
  const h = createHash('sha256');
  for (const f of files) {
    const key = relative(ROOT, f);
    const content = readFileSync(f, 'utf8');
    sources[key] = { content };
    h.update(key).update('\0').update(content).update('\0');
  }
  const cacheDir = join(ROOT, '.tmp');
  const cacheFile = join(cacheDir, `contracts-${h.digest('hex').slice(0, 16)}.json`);
  if (existsSync(cacheFile)) return (memo = JSON.parse(readFileSync(cacheFile, 'utf8')) as Artifacts);

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const out = compileStandardJson(input);
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  const pick = (file: string, name: string): Artifact => {
    const c = out.contracts[`contracts/src/${file}`]?.[name];
    if (!c) throw new Error(`solc output lacks ${name}`);
    return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` };
  };
  memo = { Rollup: pick('Rollup.sol', 'Rollup'), L2ToL1MessagePasser: pick('L2ToL1MessagePasser.sol', 'L2ToL1MessagePasser') };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(memo));
  return memo;
}
