// Temporary forge projects for fuzzer end-to-end tests: offline, solc through contracts/scripts/solc.cjs (by
// absolute path, so forge may run from anywhere), no libs. Runs forge itself, never node_modules/.bin/forge
// (that wrapper exits 0 even when forge fails).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORGE_BIN } from '../../../sequencer/fuzz/artifacts.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** evmVersion: the solc target (Osaka for contracts that use CLZ); optimizer off keeps one code range per statement. */
export function forgeProject(prefix: string, sources: Record<string, string>, evmVersion = 'cancun', optimizer = true): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'test'));
  writeFileSync(
    join(dir, 'foundry.toml'),
    [
      '[profile.default]',
      'src = "src"',
      'test = "test"',
      'out = "out"',
      'libs = []',
      'offline = true',
      `evm_version = "${evmVersion}"`,
      `optimizer = ${optimizer}`,
      'optimizer_runs = 200',
      `solc = "${join(ROOT, 'contracts/scripts/solc.cjs')}"`,
      '',
    ].join('\n'),
  );
  for (const [name, source] of Object.entries(sources)) writeFileSync(join(dir, 'src', name), source);
  return dir;
}

export interface ForgeTestRun {
  status: number | null;
  output: string;
  /** test function name → failure reason ('' for passing tests). */
  results: Map<string, { passed: boolean; reason: string }>;
}

/** `forge test` in the project; results parsed from its `[PASS]` / `[FAIL: reason]` lines. */
export function forgeTest(project: string, ...args: string[]): ForgeTestRun {
  const r = spawnSync(FORGE_BIN, ['test', '--offline', ...args], { cwd: project, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  const output = `${r.stdout}\n${r.stderr}`;
  const results = new Map<string, { passed: boolean; reason: string }>();
  for (const m of output.matchAll(/^\[(PASS|FAIL(?:: (.*))?)\] (\w+)\(\)/gm)) results.set(m[3]!, { passed: m[1] === 'PASS', reason: m[2] ?? '' });
  return { status: r.status, output, results };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run fuzz -- args` (as tsx sequencer/cli/fuzz.ts, without npm's own output). */
export function fuzzCli(args: readonly string[], timeoutMs = 120_000): CliRun {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'sequencer/cli/fuzz.ts'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
