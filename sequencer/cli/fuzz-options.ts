// Command-line options of `npm run fuzz`, parsed into a typed config. Unknown or malformed options are
// FuzzErrors naming the option; the seed is drawn at random when not given (and always printed).
import { randomInt } from 'node:crypto';
import { RUNNER_NAMES, type RunnerName } from '../fuzz/create-runner.js';
import { FuzzError } from '../fuzz/types.js';
import { walkFlags } from './argv.js';

export interface FuzzOptions {
  /** A forge project to build (default: the current directory), or ... */
  project?: string;
  /** ... a folder of forge-style JSON artifacts (no build, reproducers only printed). */
  artifacts?: string;
  contract: string;
  seed: number;
  maxExecs: number;
  timeoutSeconds: number;
  depth: number;
  /** Sequences per runner batch (default depends on the runner). */
  batch?: number;
  runner: RunnerName;
  checkArithmetic: boolean;
  /** Comparison feedback (operands into the dictionary, input-to-state replacement). */
  cmpFeedback: boolean;
  stopOnFail: boolean;
  shrinkLimit: number;
  deployValue: bigint;
  repro: boolean;
  json: boolean;
  help: boolean;
}

const FUZZ_DEFAULTS = {
  maxExecs: 1_000_000,
  timeoutSeconds: 0,
  depth: 50,
  runner: 'native' as RunnerName,
  shrinkLimit: 5000,
};

/** Native runners gain from wide batches; serial ones run sequences one by one, so short batches keep progress moving. */
export function defaultBatch(runner: RunnerName): number {
  return runner === 'native' ? 1024 : 16;
}

export const FUZZ_HELP = `Usage: npm run fuzz -- [--project DIR | --artifacts DIR] --contract NAME [options]

Fuzzes a contract: random call sequences from funded senders (0x10000, 0x20000, 0x30000) against the
contract deployed by 0x30000 (its setUp() run, targetContracts() honoured), checking its properties
(echidna_*/invariant_* functions returning bool), assertions (Panic(0x01)), ETH leaks to the senders and
SELFDESTRUCT. Each broken check is shrunk and written as a forge test that fails (test/FuzzRepro_*.t.sol).
Exit status: 0 nothing broken, 1 something broken, 2 bad input.

Options:
  --project DIR          forge project to build and fuzz            (default: the current directory)
  --artifacts DIR        folder of compiled forge artifacts instead (reproducers are printed, not written)
  --contract NAME        the target contract (Name or path/File.sol:Name)
  --seed N               random seed, 0 .. 2^53-1                   (default: random, always printed)
  --max-execs N          budget in calls                            (default ${FUZZ_DEFAULTS.maxExecs})
  --timeout S            budget in seconds, 0 for none              (default ${FUZZ_DEFAULTS.timeoutSeconds})
  --depth N              calls per sequence                         (default ${FUZZ_DEFAULTS.depth})
  --batch N              sequences per runner batch                 (default ${defaultBatch('native')} native, ${defaultBatch('serial-native')} serial)
  --runner NAME          ${RUNNER_NAMES.join(' | ')}   (default ${FUZZ_DEFAULTS.runner})
  --check-arithmetic     also report overflow / division-by-zero panics (Panic(0x11)/(0x12))
  --no-cmp-feedback      no comparison feedback (values the code compared arguments with, input-to-state)
  --stop-on-fail         stop at the first broken check   (default: when every property is broken, or at the budget)
  --shrink-limit N       sequences run to shrink each failure       (default ${FUZZ_DEFAULTS.shrinkLimit})
  --deploy-value WEI     ETH sent to the target's constructor       (default 0)
  --no-repro             do not write reproducers
  --json                 machine-readable summary on stdout
  -h, --help             this text
`;

function count(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new FuzzError(`${flag} must be an integer ≥ ${min}, got ${value}`);
  return n;
}

export function parseFuzzOptions(argv: readonly string[]): FuzzOptions {
  const o: Omit<FuzzOptions, 'contract'> & { contract?: string } = {
    ...FUZZ_DEFAULTS,
    seed: randomInt(2 ** 32),
    checkArithmetic: false,
    cmpFeedback: true,
    stopOnFail: false,
    deployValue: 0n,
    repro: true,
    json: false,
    help: false,
  };
  walkFlags(
    argv,
    (flag, value) => {
      switch (flag) {
        case '-h':
        case '--help':
          o.help = true;
          break;
        case '--project':
          o.project = value();
          break;
        case '--artifacts':
          o.artifacts = value();
          break;
        case '--contract':
          o.contract = value();
          break;
        case '--seed':
          o.seed = count(value(), flag, 0);
          break;
        case '--max-execs':
          o.maxExecs = count(value(), flag, 1);
          break;
        case '--timeout':
          o.timeoutSeconds = count(value(), flag, 0);
          break;
        case '--depth':
          o.depth = count(value(), flag, 1);
          break;
        case '--batch':
          o.batch = count(value(), flag, 1);
          break;
        case '--runner': {
          const v = value();
          if (!RUNNER_NAMES.includes(v as RunnerName)) throw new FuzzError(`--runner must be one of ${RUNNER_NAMES.join(', ')}, got ${v}`);
          o.runner = v as RunnerName;
          break;
        }
        case '--check-arithmetic':
          o.checkArithmetic = true;
          break;
        case '--no-cmp-feedback':
          o.cmpFeedback = false;
          break;
        case '--stop-on-fail':
          o.stopOnFail = true;
          break;
        case '--shrink-limit':
          o.shrinkLimit = count(value(), flag, 0);
          break;
        case '--deploy-value': {
          const v = value();
          if (!/^[0-9]+$/.test(v)) throw new FuzzError(`--deploy-value must be an amount in wei, got ${v}`);
          o.deployValue = BigInt(v);
          break;
        }
        case '--no-repro':
          o.repro = false;
          break;
        case '--json':
          o.json = true;
          break;
        default:
          throw new FuzzError(`unknown option ${flag} (see --help)`);
      }
    },
    (message) => new FuzzError(message),
  );
  if (o.help) return { ...o, contract: o.contract ?? '' };
  if (o.project !== undefined && o.artifacts !== undefined) throw new FuzzError('give --project or --artifacts, not both');
  if (o.contract === undefined) throw new FuzzError('--contract NAME is required (see --help)');
  return { ...o, contract: o.contract };
}
