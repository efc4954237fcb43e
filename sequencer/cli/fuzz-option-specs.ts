// Every setting of `npm run fuzz`, once: its command-line flag, its key in a fuzz.json config file (the flag's
// name in camelCase), the kind of value it takes and its help line. The flag parser, the config reader and
// the help text all read this table, so a setting cannot exist in one and not the others.
import { RUNNER_NAMES, type RunnerName } from '../fuzz/create-runner.js';
import { FuzzError } from '../fuzz/types.js';

/** What a config file or the flags may set (`help` and `config` itself are flags only). */
export interface FuzzSettings {
  /** A forge project to build (default: the current directory), or ... */
  project?: string;
  /** ... a folder of forge-style JSON artifacts (no build, reproducers only printed). */
  artifacts?: string;
  contract?: string;
  seed?: number;
  maxExecs?: number;
  timeoutSeconds?: number;
  depth?: number;
  /** Sequences per runner batch (default depends on the runner). */
  batch?: number;
  runner?: RunnerName;
  checkArithmetic?: boolean;
  /** Comparison feedback (operands into the dictionary, input-to-state replacement). */
  cmpFeedback?: boolean;
  stopOnFail?: boolean;
  shrinkLimit?: number;
  deployValue?: bigint;
  /** Saved corpus: replayed first, every new corpus sequence written (sequencer/fuzz/corpus-dir.ts). */
  corpusDir?: string;
  /** Folder for lcov.info and index.html (sequencer/fuzz/coverage-report.ts). */
  coverageReport?: string;
  repro?: boolean;
  json?: boolean;
}

type Kind =
  | { type: 'path' } // relative paths in a config file are relative to the file's folder
  | { type: 'text' }
  | { type: 'count'; min: number }
  | { type: 'wei' }
  | { type: 'runner' }
  | { type: 'switch' }; // --name sets true, --no-name false; true/false in a config file

export interface OptionSpec {
  key: keyof FuzzSettings;
  /** Without the leading dashes. */
  flag: string;
  kind: Kind;
  /** Placeholder of the value in the help ('' for switches). */
  arg: string;
  help: string;
}

export const FUZZ_DEFAULTS = {
  maxExecs: 1_000_000,
  timeoutSeconds: 0,
  depth: 50,
  runner: 'native' as RunnerName,
  checkArithmetic: false,
  cmpFeedback: true,
  stopOnFail: false,
  shrinkLimit: 5000,
  deployValue: 0n,
  repro: true,
  json: false,
};

/** Native runners gain from wide batches; serial ones run sequences one by one, so short batches keep progress moving. */
export function defaultBatch(runner: RunnerName): number {
  return runner === 'native' ? 1024 : 16;
}

const count = (min: number): Kind => ({ type: 'count', min });
const SWITCH: Kind = { type: 'switch' };
const PATH: Kind = { type: 'path' };

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'project', flag: 'project', kind: PATH, arg: 'DIR', help: 'forge project to build and fuzz (default: the current directory)' },
  { key: 'artifacts', flag: 'artifacts', kind: PATH, arg: 'DIR', help: 'folder of compiled forge artifacts instead (reproducers are printed, not written)' },
  { key: 'contract', flag: 'contract', kind: { type: 'text' }, arg: 'NAME', help: 'the target contract (Name or path/File.sol:Name)' },
  { key: 'seed', flag: 'seed', kind: count(0), arg: 'N', help: 'random seed, 0 .. 2^53-1 (default: random, always printed)' },
  { key: 'maxExecs', flag: 'max-execs', kind: count(0), arg: 'N', help: `budget in calls, the corpus replay not counted; 0: replay only (default ${FUZZ_DEFAULTS.maxExecs})` },
  { key: 'timeoutSeconds', flag: 'timeout', kind: count(0), arg: 'S', help: `budget in seconds, 0 for none (default ${FUZZ_DEFAULTS.timeoutSeconds})` },
  { key: 'depth', flag: 'depth', kind: count(1), arg: 'N', help: `calls per sequence (default ${FUZZ_DEFAULTS.depth})` },
  { key: 'batch', flag: 'batch', kind: count(1), arg: 'N', help: `sequences per runner batch (default ${defaultBatch('native')} native, ${defaultBatch('serial-native')} serial)` },
  { key: 'runner', flag: 'runner', kind: { type: 'runner' }, arg: 'NAME', help: `${RUNNER_NAMES.join(' | ')} (default ${FUZZ_DEFAULTS.runner})` },
  { key: 'checkArithmetic', flag: 'check-arithmetic', kind: SWITCH, arg: '', help: 'also report overflow / division-by-zero panics (Panic(0x11)/(0x12))' },
  { key: 'cmpFeedback', flag: 'cmp-feedback', kind: SWITCH, arg: '', help: 'comparison feedback: values the code compared arguments with, input-to-state (default on)' },
  { key: 'stopOnFail', flag: 'stop-on-fail', kind: SWITCH, arg: '', help: 'stop at the first broken check (default: when every property is broken, or at the budget)' },
  { key: 'shrinkLimit', flag: 'shrink-limit', kind: count(0), arg: 'N', help: `sequences run to shrink each failure (default ${FUZZ_DEFAULTS.shrinkLimit})` },
  { key: 'deployValue', flag: 'deploy-value', kind: { type: 'wei' }, arg: 'WEI', help: 'ETH sent to the target\'s constructor (default 0)' },
  { key: 'corpusDir', flag: 'corpus-dir', kind: PATH, arg: 'DIR', help: 'replay the corpus saved there first, save every new corpus sequence there' },
  { key: 'coverageReport', flag: 'coverage-report', kind: PATH, arg: 'DIR', help: 'write DIR/lcov.info and DIR/index.html (lines hit, reverted, never reached)' },
  { key: 'repro', flag: 'repro', kind: SWITCH, arg: '', help: 'write reproducers (default on; --no-repro: only print them)' },
  { key: 'json', flag: 'json', kind: SWITCH, arg: '', help: 'machine-readable summary on stdout' },
];

/** The config-file key of a setting: its flag in camelCase (max-execs → maxExecs). */
export function configKey(spec: OptionSpec): string {
  return spec.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A setting's value from a flag's text or a config file's JSON value; `where` names the flag or the file
 * and key in errors.
 */
export function settingValue(spec: OptionSpec, raw: unknown, where: string): FuzzSettings[keyof FuzzSettings] {
  const kind = spec.kind;
  switch (kind.type) {
    case 'path':
    case 'text':
      if (typeof raw !== 'string' || raw === '') throw new FuzzError(`${where} must be a non-empty string, got ${JSON.stringify(raw)}`);
      return raw;
    case 'count': {
      const n = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < kind.min) throw new FuzzError(`${where} must be an integer ≥ ${kind.min}, got ${String(raw)}`);
      return n;
    }
    case 'wei':
      if ((typeof raw === 'string' && /^[0-9]+$/.test(raw)) || (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0)) return BigInt(raw);
      throw new FuzzError(`${where} must be an amount in wei, got ${String(raw)}`);
    case 'runner':
      if (typeof raw !== 'string' || !RUNNER_NAMES.includes(raw as RunnerName)) throw new FuzzError(`${where} must be one of ${RUNNER_NAMES.join(', ')}, got ${String(raw)}`);
      return raw as RunnerName;
    case 'switch':
      if (typeof raw !== 'boolean') throw new FuzzError(`${where} must be true or false, got ${JSON.stringify(raw)}`);
      return raw;
  }
}
