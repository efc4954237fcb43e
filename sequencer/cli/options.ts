// Command-line options of `npm start`, parsed into a typed config. Unknown or malformed options are errors.
export interface NodeOptions {
  host: string;
  port: number;
  l1Port: number;
  /** An existing L1 to use instead of starting anvil. */
  l1Url?: string;
  dataDir: string;
  blockTimeMs: number;
  chainId: bigint;
  help: boolean;
}

export const DEFAULT_OPTIONS: NodeOptions = {
  host: '127.0.0.1',
  port: 8545,
  l1Port: 9545,
  dataDir: 'data',
  blockTimeMs: 250,
  chainId: 42069n,
  help: false,
};

export const HELP = `Usage: npm start -- [options]

Starts the local L1 (anvil) and the sequencer's JSON-RPC (HTTP and WebSocket).

Options:
  --host HOST          JSON-RPC listen address            (default ${DEFAULT_OPTIONS.host})
  --port PORT          JSON-RPC port                      (default ${DEFAULT_OPTIONS.port})
  --l1-port PORT       port of the anvil L1 started here  (default ${DEFAULT_OPTIONS.l1Port})
  --l1 URL             use this L1 instead of starting anvil
  --data-dir DIR       where the chain is stored          (default ${DEFAULT_OPTIONS.dataDir})
  --block-time MS      block time in milliseconds         (default ${DEFAULT_OPTIONS.blockTimeMs})
  --chain-id ID        L2 chain id                        (default ${DEFAULT_OPTIONS.chainId})
  -h, --help           this text
`;

export class OptionError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${HELP}`);
    this.name = 'OptionError';
  }
}

function port(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new OptionError(`${name} must be a port number (0-65535), got ${value}`);
  return n;
}

export function parseOptions(argv: readonly string[]): NodeOptions {
  const o: NodeOptions = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new OptionError(`${flag} needs a value`);
      return v;
    };
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
      case '--l1-port':
        o.l1Port = port(value(), flag);
        break;
      case '--l1':
        o.l1Url = new URL(value()).toString().replace(/\/$/, '');
        break;
      case '--data-dir':
        o.dataDir = value();
        break;
      case '--block-time': {
        const v = value();
        o.blockTimeMs = Number(v);
        if (!Number.isInteger(o.blockTimeMs) || o.blockTimeMs < 1) throw new OptionError(`--block-time must be a positive integer (ms), got ${v}`);
        break;
      }
      case '--chain-id': {
        const v = value();
        if (!/^[1-9][0-9]*$/.test(v)) throw new OptionError(`--chain-id must be a positive integer, got ${v}`);
        o.chainId = BigInt(v);
        break;
      }
      default:
        throw new OptionError(`unknown option ${flag}`);
    }
  }
  return o;
}
