// Verifier mode from the command line: derive the L2 chain from L1 alone and check every posted root.
//   tsx sequencer/l1/verify-cli.ts --l1 http://127.0.0.1:8545 --rollup 0x... --l2-chain-id 901 \
//       --genesis alloc.json [--deploy-block N] [--watch SECONDS]
// alloc.json is a geth-style allocation: { "0xaddr": { "balance": "0x..", "nonce": "0x..", "code": "0x..",
// "storage": { "0xslot": "0xvalue" } } }. Exit status: 0 all roots verified, 2 mismatch, 1 usage/L1 error.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hexToU8, toAddress, toWord, type Address, type Hex } from '../primitives/types.js';
import type { GenesisAccount } from '../state/world-state.js';
import { Verifier } from './verifier.js';

export function parseAlloc(json: string): [Address, GenesisAccount][] {
  const raw = JSON.parse(json) as Record<string, { balance?: string; nonce?: string; code?: string; storage?: Record<string, string> }>;
  return Object.entries(raw).map(([addr, a]) => [
    toAddress(addr.startsWith('0x') ? addr : `0x${addr}`),
    {
      balance: a.balance !== undefined ? BigInt(a.balance) : undefined,
      nonce: a.nonce !== undefined ? BigInt(a.nonce) : undefined,
      code: a.code ? hexToU8(a.code) : undefined,
      storage: a.storage ? new Map(Object.entries(a.storage).map(([k, v]) => [toWord(k), BigInt(v)] as [Hex, bigint])) : undefined,
    },
  ]);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      l1: { type: 'string' },
      rollup: { type: 'string' },
      'l2-chain-id': { type: 'string' },
      genesis: { type: 'string' },
      'deploy-block': { type: 'string', default: '0' },
      watch: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.l1 || !values.rollup || !values['l2-chain-id'] || !values.genesis) {
    console.error('usage: verify-cli --l1 URL --rollup ADDRESS --l2-chain-id ID --genesis alloc.json [--deploy-block N] [--watch SECONDS]');
    return values.help ? 0 : 1;
  }
  const verifier = new Verifier({
    l1Url: values.l1,
    rollup: toAddress(values.rollup),
    deployBlock: BigInt(values['deploy-block']!),
    l2ChainId: BigInt(values['l2-chain-id']),
    genesis: parseAlloc(readFileSync(values.genesis, 'utf8')),
  });
  for (;;) {
    const report = await verifier.sync();
    if (!report.ok) {
      const b = report.firstBad!;
      console.log(`MISMATCH batch ${b.batchIndex} blocks ${b.blocks}: posted ${b.postedRoot}, derived ${b.derivedRoot ?? '-'}: ${b.error}`);
      return 2;
    }
    console.log(`ok: ${report.batches.length} batches verified, L2 head ${report.l2Head}, state root ${report.stateRoot}`);
    if (!values.watch) return 0;
    await new Promise((r) => setTimeout(r, Number(values.watch) * 1000));
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`verifier: ${e.message}`);
      process.exit(1);
    },
  );
}
