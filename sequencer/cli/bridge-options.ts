// Command-line options of `npm run bridge`, parsed into a typed config. Unknown or malformed options are
// BridgeUsageErrors naming the option (exit status 2).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEther } from 'viem';
import type { Address, Hex } from '../primitives/types.js';
import { hexFlag, walkFlags } from './argv.js';

export const BRIDGE_COMMANDS = ['deposit', 'withdraw', 'status', 'prove', 'finalize'] as const;
export type BridgeCommand = (typeof BRIDGE_COMMANDS)[number];

export interface BridgeOptions {
  command: BridgeCommand;
  l1Url: string;
  l2Url: string;
  rollup: Address;
  /** First L1 block of the rollup's events (its deploy block when read from the data dir). */
  l1FromBlock: bigint;
  /** The signing key, or ... */
  key?: Hex;
  /** ... the index of a dev account (the `test test ... junk` mnemonic; funded on the dev L1 and L2). */
  devAccount: number;
  value?: bigint;
  /** deposit: L2 recipient; withdraw: L1 target. */
  to?: Address;
  data?: Hex;
  l2TxHash?: Hex;
  index?: number;
  address?: Address;
  batch?: bigint;
  wait: boolean;
  timeoutS: number;
  json: boolean;
  help: boolean;
}

export const BRIDGE_HELP = `Usage: npm run bridge -- COMMAND [options]

Moves ETH between the L1 and the L2 of \`npm start\` from a wallet's side.

Commands:
  deposit  --value ETH [--to L2ADDR] [--wait]   deposit on L1; with --wait, until the L2 balance shows it
  withdraw --value ETH [--to L1ADDR] [--data HEX]
                                               start a withdrawal on L2 (to L1ADDR, called with HEX when finalized)
  status   --tx L2TX [--index N] | --address ADDR
                                               a withdrawal's stage, or every withdrawal ADDR started on L2
  prove    --tx L2TX [--index N] [--batch N] [--wait]
                                               prove it on L1 with the node's eth_getProof at the last block of the
                                               batch carrying it (checked here first); --wait for that batch
  finalize --tx L2TX [--index N] [--wait]      pay it out on L1 after the challenge window; --wait for the window

Options:
  --l1 URL           L1 JSON-RPC                                    (default http://127.0.0.1:9545)
  --l2 URL           the node's JSON-RPC                            (default http://127.0.0.1:8545)
  --rollup ADDRESS   the rollup contract   (default: the one \`npm start\` deployed, from DIR/l1/deployment.json)
  --data-dir DIR     the node's data dir, for the default --rollup  (default data)
  --key KEY          0x private key that signs (the same key on L1 and L2)
  --dev-account N    sign with dev account N of the 'test ... junk' mnemonic (default 1; 0 posts the batches)
  --index N          which withdrawal of the L2 transaction         (default 0)
  --timeout S        most seconds a --wait waits                    (default 300)
  --json             machine-readable output
  -h, --help         this text

Exit status: 0 done, 1 refused or failed (with what to wait for and until when), 2 bad usage.
`;

export class BridgeUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeUsageError';
  }
}

function hexOf(value: string, flag: string, bytes?: number): Hex {
  return hexFlag(value, flag, (message) => new BridgeUsageError(message), bytes);
}

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n)) throw new BridgeUsageError(`${flag} must be a non-negative integer, got ${value}`);
  return n;
}

function ether(value: string, flag: string): bigint {
  if (!/^[0-9]+(\.[0-9]{1,18})?$/.test(value)) throw new BridgeUsageError(`${flag} must be an amount of ETH such as 1 or 0.25, got ${value}`);
  return parseEther(value);
}

/** The rollup `npm start` deployed, as its data dir records it. */
function savedRollup(dataDir: string): { address: Address; deployBlock: bigint } {
  const file = join(dataDir, 'l1', 'deployment.json');
  if (!existsSync(file)) throw new BridgeUsageError(`no --rollup given and no ${file} (start the node with npm start, or pass --rollup ADDRESS)`);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { address: Address; deployBlock: string };
  return { address: saved.address, deployBlock: BigInt(saved.deployBlock) };
}

export function parseBridgeOptions(argv: readonly string[]): BridgeOptions {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { help: true } as BridgeOptions;
  if (!(BRIDGE_COMMANDS as readonly string[]).includes(first)) throw new BridgeUsageError(`unknown command ${first}: one of ${BRIDGE_COMMANDS.join(', ')}`);
  const o = { command: first as BridgeCommand, l1Url: 'http://127.0.0.1:9545', l2Url: 'http://127.0.0.1:8545', devAccount: 1, wait: false, timeoutS: 300, json: false, help: false } as BridgeOptions;
  let rollup: Address | undefined;
  let dataDir = 'data';
  walkFlags(
    rest,
    (flag, value) => {
      switch (flag) {
        case '-h':
        case '--help':
          o.help = true;
          break;
        case '--l1':
          o.l1Url = new URL(value()).toString().replace(/\/$/, '');
          break;
        case '--l2':
          o.l2Url = new URL(value()).toString().replace(/\/$/, '');
          break;
        case '--rollup':
          rollup = hexOf(value(), flag, 20);
          break;
        case '--data-dir':
          dataDir = value();
          break;
        case '--key':
          o.key = hexOf(value(), flag, 32);
          break;
        case '--dev-account':
          o.devAccount = integer(value(), flag);
          break;
        case '--value':
          o.value = ether(value(), flag);
          break;
        case '--to':
          o.to = hexOf(value(), flag, 20);
          break;
        case '--data':
          o.data = hexOf(value(), flag);
          break;
        case '--tx':
          o.l2TxHash = hexOf(value(), flag, 32);
          break;
        case '--index':
          o.index = integer(value(), flag);
          break;
        case '--address':
          o.address = hexOf(value(), flag, 20);
          break;
        case '--batch':
          o.batch = BigInt(integer(value(), flag));
          break;
        case '--wait':
          o.wait = true;
          break;
        case '--timeout':
          o.timeoutS = integer(value(), flag);
          break;
        case '--json':
          o.json = true;
          break;
        default:
          throw new BridgeUsageError(`unknown option ${flag}`);
      }
    },
    (message) => new BridgeUsageError(message),
  );
  if (o.help) return o;
  const needs = (ok: boolean, what: string) => {
    if (!ok) throw new BridgeUsageError(`${o.command} needs ${what}`);
  };
  if (o.command === 'deposit' || o.command === 'withdraw') needs(o.value !== undefined, '--value ETH');
  if (o.command === 'prove' || o.command === 'finalize') needs(o.l2TxHash !== undefined, '--tx L2TXHASH (the transaction that started the withdrawal)');
  if (o.command === 'status') needs((o.l2TxHash === undefined) !== (o.address === undefined), 'either --tx L2TXHASH or --address ADDR');
  if (o.data !== undefined) needs(o.command === 'withdraw', 'no --data (only withdraw calls its L1 target with data)');
  if (o.batch !== undefined) needs(o.command === 'prove', 'no --batch (only prove takes one)');
  const saved = rollup === undefined ? savedRollup(dataDir) : undefined;
  o.rollup = rollup ?? saved!.address;
  o.l1FromBlock = saved?.deployBlock ?? 0n;
  return o;
}
