// Command-line options of `npm start`, parsed into a typed config. Unknown or malformed options are errors.
import type { ExecutorName } from '../executor/create-executor.js';
import type { DaMode } from '../l1/batch-store.js';
import { isPostgresUrl } from '../store/open-store.js';
import { hexFlag, walkFlags } from './argv.js';

export interface NodeOptions {
  host: string;
  port: number;
  consoleHost: string;
  consolePort: number;
  console: boolean;
  consoleToken?: string;
  l1Port: number;
  /** An existing L1 to use instead of starting anvil. */
  l1Url?: string;
  /** Rollup contract on that L1 (deployed there when absent). */
  rollup?: string;
  /** Key the sequencer posts batches with (default: anvil's first dev key). */
  l1Key?: string;
  da: DaMode;
  dataDir: string;
  /** Chain store location: a postgres:// URL; default: SQLite in dataDir. */
  store?: string;
  /** Keep the state of this many recent blocks; default: every block (archive). */
  historyBlocks?: number;
  genesisFile?: string;
  blockTimeMs: number;
  /** An empty block after this long without one (0: never). */
  idleBlockMs: number;
  chainId: bigint;
  executor: ExecutorName;
  /** Unlock the dev accounts (implied by the dev genesis, i.e. without --genesis). */
  dev: boolean;
  /** Accept legacy transactions without EIP-155 replay protection. */
  allowUnprotectedTxs: boolean;
  /** Browser origins allowed to call the JSON-RPC and the console (none by default). */
  corsOrigins: string[];
  /** Host header names the JSON-RPC and the console answer (geth --http.vhosts). */
  vhosts: string[];
  /** Who may roll back batches inside their challenge window (default: the sequencer's L1 address). */
  guardian?: string;
  /** Seconds from a batch (and a withdrawal proof) to the withdrawal's finalization; default by L1 kind (l1-setup.ts). */
  challengeWindowS?: bigint;
  /** L1 blocks on top of a batch's (or deposit's) block before it counts as final. */
  l1Confirmations: number;
  /** Verifier mode: derive the L2 chain from L1 alone and check every posted root. */
  verify: boolean;
  /** Replica mode: serve JSON-RPC from --store, forward writes to this sequencer URL. */
  replicaOf?: string;
  help: boolean;
}

export const DEFAULT_OPTIONS: NodeOptions = {
  host: '127.0.0.1',
  port: 8545,
  consoleHost: '127.0.0.1',
  consolePort: 8546,
  console: true,
  l1Port: 9545,
  da: 'calldata',
  dataDir: 'data',
  blockTimeMs: 250,
  idleBlockMs: 1000,
  chainId: 42069n,
  executor: 'native',
  dev: false,
  allowUnprotectedTxs: false,
  corsOrigins: [],
  vhosts: ['localhost', '127.0.0.1'],
  // The bundled L1 mines a block and saves its state every second: a batch 3 blocks deep is on disk.
  l1Confirmations: 3,
  verify: false,
  help: false,
};

export const HELP = `Usage: npm start -- [options]

Starts the local L1 (anvil, with the rollup contracts), the sequencer with its JSON-RPC (HTTP and WebSocket),
the operator console, the batcher and the deposit watcher.

Options:
  --host HOST            JSON-RPC listen address                    (default ${DEFAULT_OPTIONS.host})
  --port PORT            JSON-RPC port                              (default ${DEFAULT_OPTIONS.port})
  --console-host HOST    operator console address                   (default ${DEFAULT_OPTIONS.consoleHost})
  --console-port PORT    operator console port                      (default ${DEFAULT_OPTIONS.consolePort})
  --console-token TOKEN  admin API token (default: generated once, saved in the data dir)
  --no-console           no operator console
  --l1-port PORT         port of the anvil L1 started here          (default ${DEFAULT_OPTIONS.l1Port})
  --l1 URL               use this L1 instead of starting anvil
  --rollup ADDRESS       the rollup contract on --l1 (deployed there when absent)
  --l1-key KEY           L1 key of the sequencer (default: anvil's first dev key)
  --da calldata|blobs    how batches carry their data               (default ${DEFAULT_OPTIONS.da})
  --data-dir DIR         where the chain is stored                  (default ${DEFAULT_OPTIONS.dataDir})
  --store URL            chain store: postgres://user@host:port/db  (default: SQLite in the data dir)
  --history N            keep the state of the last N blocks only   (default: every block)
  --genesis FILE         genesis file (default: dev genesis funding the 'test ... junk' accounts)
  --block-time MS        block time in milliseconds                 (default ${DEFAULT_OPTIONS.blockTimeMs})
  --idle-block-ms MS     an empty block after MS without one, so confirmations
                         arrive on an idle chain; 0: no empty blocks (default ${DEFAULT_OPTIONS.idleBlockMs})
  --chain-id ID          L2 chain id of the dev genesis             (default ${DEFAULT_OPTIONS.chainId})
  --executor NAME        reference (@ethereumjs/vm) or native       (default ${DEFAULT_OPTIONS.executor})
  --dev                  unlock the dev accounts (eth_accounts, eth_sendTransaction, signing) with --genesis FILE;
                         implied by the dev genesis
  --allow-unprotected-txs  accept legacy transactions without an EIP-155 chain id (refused by default)
  --cors ORIGINS         browser origins allowed to call the JSON-RPC and console, comma-separated, or *
                         (default: none: a request carrying any other Origin is refused)
  --vhosts HOSTS         Host names the JSON-RPC and console answer, comma-separated, or * (IP literals are
                         always answered, as geth)                  (default ${DEFAULT_OPTIONS.vhosts.join(',')})
  --l1-confirmations N   L1 blocks on top of a batch or deposit before it counts as final
                                                                    (default ${DEFAULT_OPTIONS.l1Confirmations})
  --dev                  unlock the 10 dev accounts (eth_accounts, eth_sendTransaction, eth_sign...) with
                         --genesis too (always on with the dev genesis)
  --allow-unprotected-txs
                         accept legacy transactions without EIP-155 chain id (replayable on any chain)
  --guardian ADDRESS     L1 address allowed to roll back batches inside their challenge window, set when the
                         rollup contract is deployed                (default: the sequencer's --l1-key address)
  --challenge-window S   seconds between a batch (or a withdrawal proof) and finalizing a withdrawal, fixed when
                         the rollup contract is deployed (default 30 with the bundled anvil, 604800 with --l1)
  --verify               verifier mode: re-derive L2 from --l1 and --rollup alone, check every posted root
  --replica              RPC replica: no sequencing; serves reads from --store (required, postgres://), forwards
                         writes to --sequencer URL; metrics at http://console-host:console-port/metrics
  --sequencer URL        the sequencer's JSON-RPC (with --replica)
  -h, --help             this text
`;

export class OptionError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${HELP}`);
    this.name = 'OptionError';
  }
}

function port(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new OptionError(`${name} must be a port number (0-65535), got ${value}`);
  return n;
}

function oneOf<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new OptionError(`${name} must be one of ${allowed.join(', ')}, got ${value}`);
  return value as T;
}

function hexOf(value: string, name: string, bytes: number): string {
  return hexFlag(value, name, (message) => new OptionError(message), bytes);
}

function httpUrl(value: string, name: string): string {
  const u = URL.canParse(value) ? new URL(value) : undefined;
  if (u === undefined || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new OptionError(`${name} must be an http:// or https:// URL, got ${value}`);
  return u.toString().replace(/\/$/, '');
}

function list(value: string, name: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new OptionError(`${name} needs a comma-separated list, got '${value}'`);
  return items;
}

export function parseOptions(argv: readonly string[]): NodeOptions {
  const o: NodeOptions = { ...DEFAULT_OPTIONS };
  let replica = false;
  let sequencerUrl: string | undefined;
  walkFlags(
    argv,
    (flag, value) => {
      switch (flag) {
        case '-h':
        case '--help':
          o.help = true;
          break;
        case '--host':
          o.host = value();
          break;
        case '--port':
          o.port = port(value(), flag);
          break;
        case '--console-host':
          o.consoleHost = value();
          break;
        case '--console-port':
          o.consolePort = port(value(), flag);
          break;
        case '--console-token':
          o.consoleToken = value();
          break;
        case '--no-console':
          o.console = false;
          break;
        case '--l1-port':
          o.l1Port = port(value(), flag);
          break;
        case '--l1':
          o.l1Url = new URL(value()).toString().replace(/\/$/, '');
          break;
        case '--rollup':
          o.rollup = hexOf(value(), flag, 20);
          break;
        case '--l1-key':
          o.l1Key = hexOf(value(), flag, 32);
          break;
        case '--da':
          o.da = oneOf(value(), flag, ['calldata', 'blobs'] as const);
          break;
        case '--data-dir':
          o.dataDir = value();
          break;
        case '--store': {
          const v = value();
          if (!isPostgresUrl(v)) throw new OptionError(`--store must be a postgres:// URL (SQLite is the default, in --data-dir), got ${v}`);
          o.store = v;
          break;
        }
        case '--history': {
          const v = value();
          if (!/^[0-9]+$/.test(v)) throw new OptionError(`--history must be a number of blocks, got ${v}`);
          o.historyBlocks = Number(v);
          break;
        }
        case '--genesis':
          o.genesisFile = value();
          break;
        case '--block-time': {
          const v = value();
          o.blockTimeMs = Number(v);
          if (!Number.isInteger(o.blockTimeMs) || o.blockTimeMs < 1) throw new OptionError(`--block-time must be a positive integer (ms), got ${v}`);
          break;
        }
        case '--idle-block-ms': {
          const v = value();
          o.idleBlockMs = Number(v);
          if (!Number.isInteger(o.idleBlockMs) || o.idleBlockMs < 0) throw new OptionError(`--idle-block-ms must be 0 (off) or a positive integer (ms), got ${v}`);
          break;
        }
        case '--chain-id': {
          const v = value();
          if (!/^[1-9][0-9]*$/.test(v)) throw new OptionError(`--chain-id must be a positive integer, got ${v}`);
          o.chainId = BigInt(v);
          break;
        }
        case '--executor':
          o.executor = oneOf(value(), flag, ['reference', 'native'] as const);
          break;
        case '--cors':
          o.corsOrigins = list(value(), flag);
          break;
        case '--vhosts':
          o.vhosts = list(value(), flag);
          break;
        case '--l1-confirmations': {
          const v = value();
          o.l1Confirmations = Number(v);
          if (!/^[0-9]+$/.test(v) || o.l1Confirmations > 1000) throw new OptionError(`--l1-confirmations must be an integer 0-1000, got ${v}`);
          break;
        }
        case '--guardian':
          o.guardian = hexOf(value(), flag, 20);
          break;
        case '--challenge-window': {
          const v = value();
          if (!/^[0-9]+$/.test(v)) throw new OptionError(`--challenge-window must be a number of seconds, got ${v}`);
          o.challengeWindowS = BigInt(v);
          break;
        }
        case '--verify':
          o.verify = true;
          break;
        case '--replica':
          replica = true;
          break;
        case '--sequencer':
          sequencerUrl = httpUrl(value(), flag);
          break;
        case '--dev':
          o.dev = true;
          break;
        case '--allow-unprotected-txs':
          o.allowUnprotectedTxs = true;
          break;
        default:
          throw new OptionError(`unknown option ${flag}`);
      }
    },
    (message) => new OptionError(message),
  );
  if (o.verify && (!o.l1Url || !o.rollup)) throw new OptionError('--verify needs --l1 URL and --rollup ADDRESS');
  if (o.rollup && !o.l1Url) throw new OptionError('--rollup needs --l1 URL');
  if (replica && (!sequencerUrl || !o.store)) throw new OptionError('--replica needs --store postgres://... and --sequencer URL');
  if (sequencerUrl && !replica) throw new OptionError('--sequencer is for --replica');
  if (replica) o.replicaOf = sequencerUrl;
  return o;
}
