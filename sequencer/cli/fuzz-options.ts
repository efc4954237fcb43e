// Command-line options of `npm run fuzz`, merged into a typed config: defaults, then a fuzz.json config file
// (`--config FILE`, else fuzz.json in the project folder when there is one), then the flags, each later one
// winning. Unknown or malformed options are FuzzErrors naming the option; the seed is drawn at random when
// not given (and always printed).
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FuzzError } from '../fuzz/types.js';
import { walkFlags } from './argv.js';
import { CONFIG_FILE_NAME, readFuzzConfig } from './fuzz-config.js';
import { defaultBatch, FUZZ_DEFAULTS, OPTION_SPECS, settingValue, type FuzzSettings, type OptionSpec } from './fuzz-option-specs.js';

export { defaultBatch };

type Defaulted = keyof typeof FUZZ_DEFAULTS | 'seed' | 'contract';

export type FuzzOptions = Omit<FuzzSettings, Defaulted> & Required<Pick<FuzzSettings, Defaulted>> & {
  /** The config file that was read, if any. */
  configFile?: string;
  help: boolean;
};

export const FUZZ_HELP = `Usage: npm run fuzz -- [--project DIR | --artifacts DIR] --contract NAME [options]

Fuzzes a contract: random call sequences from funded senders (0x10000, 0x20000, 0x30000) against the
contract deployed by 0x30000 (its setUp() run, targetContracts() honoured), checking its properties
(echidna_*/invariant_* functions returning bool), assertions (Panic(0x01)), ETH leaks to the senders and
SELFDESTRUCT. Each broken check is shrunk and written as a forge test that fails (test/FuzzRepro_*.t.sol).
Exit status: 0 nothing broken, 1 something broken, 2 bad input.

Options (switches also take --no-NAME; every option but --config and --help may be set in a config file,
under its name in camelCase, e.g. "maxExecs": 5000; flags override the file):
${helpLine('--config FILE', `settings file (default: ${CONFIG_FILE_NAME} in the project folder, when present)`)}
${OPTION_SPECS.map((s) => helpLine(`--${s.flag}${s.arg === '' ? '' : ` ${s.arg}`}`, s.help)).join('\n')}
${helpLine('-h, --help', 'this text')}
`;

function helpLine(flag: string, help: string): string {
  return `  ${flag.padEnd(22)} ${help}`;
}

/** Flags given on the command line (argv order: a later flag wins). */
function parseFlags(argv: readonly string[]): { settings: FuzzSettings; config?: string; help: boolean } {
  const byFlag = new Map<string, { spec: OptionSpec; negated: boolean }>();
  for (const spec of OPTION_SPECS) {
    byFlag.set(`--${spec.flag}`, { spec, negated: false });
    if (spec.kind.type === 'switch') byFlag.set(`--no-${spec.flag}`, { spec, negated: true });
  }
  const out: { settings: FuzzSettings; config?: string; help: boolean } = { settings: {}, help: false };
  walkFlags(
    argv,
    (flag, value) => {
      if (flag === '-h' || flag === '--help') {
        out.help = true;
        return;
      }
      if (flag === '--config') {
        out.config = value();
        return;
      }
      const known = byFlag.get(flag);
      if (known === undefined) throw new FuzzError(`unknown option ${flag} (see --help)`);
      const raw = known.spec.kind.type === 'switch' ? !known.negated : value();
      Object.assign(out.settings, { [known.spec.key]: settingValue(known.spec, raw, flag) });
    },
    (message) => new FuzzError(message),
  );
  return out;
}

export function parseFuzzOptions(argv: readonly string[]): FuzzOptions {
  const flags = parseFlags(argv);
  const discovered = join(resolve(flags.settings.project ?? '.'), CONFIG_FILE_NAME);
  const configFile = flags.config ?? (flags.settings.artifacts === undefined && existsSync(discovered) ? discovered : undefined);
  const fromFile = configFile === undefined ? {} : readFuzzConfig(configFile);
  const merged = { ...FUZZ_DEFAULTS, ...fromFile, ...flags.settings };
  const o: FuzzOptions = { ...merged, seed: merged.seed ?? randomInt(2 ** 32), contract: merged.contract ?? '', help: flags.help, ...(configFile === undefined ? {} : { configFile }) };
  if (o.help) return o;
  if (o.project !== undefined && o.artifacts !== undefined) throw new FuzzError('give --project or --artifacts, not both');
  if (merged.contract === undefined) throw new FuzzError('--contract NAME (or "contract" in a config file) is required (see --help)');
  return o;
}
