// `npm run bridge -- deposit|withdraw|status|prove|finalize ...`: the bridge library (sequencer/l1/bridge)
// from the command line. Output is one line per result, or JSON with --json (bigints as decimal strings).
// Refusals print their code, what to wait for and until when, and exit 1; bad usage exits 2.
import { formatEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccounts } from '../genesis/dev.js';
import {
  BridgeError,
  l1TimeIso,
  bridgeClients,
  bridgeWallet,
  depositETH,
  finalizeWithdrawal,
  initiateWithdrawal,
  locateWithdrawal,
  provable,
  proveWithdrawal,
  waitForDepositOnL2,
  waitForStage,
  waitForStatus,
  withdrawalStatus,
  withdrawalsFrom,
  type BridgeClients,
  type LocatedWithdrawal,
  type WithdrawalStatus,
} from '../l1/bridge/index.js';
import { BRIDGE_HELP, BridgeUsageError, parseBridgeOptions, type BridgeOptions } from './bridge-options.js';

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

function describeStatus(s: WithdrawalStatus): string {
  const head = `withdrawal ${s.hash} (L2 tx ${s.l2TxHash}, block ${s.l2Block}): ${formatEther(s.message.value)} ETH to ${s.message.target}${s.message.data === '0x' ? '' : ` with data ${s.message.data}`}`;
  switch (s.stage) {
    case 'initiated':
      return `${head}\n  initiated: waiting for a batch carrying L2 block ${s.l2Block} (L1 has up to block ${s.lastPostedL2Block})`;
    case 'in-posted-batch':
      return `${head}\n  in posted batch ${s.batchIndex}: ready to prove`;
    case 'proven':
      return `${head}\n  proven against batch ${s.batchIndex}: finalizable at ${l1TimeIso(s.finalizableAt)} (in ${s.finalizableAt - s.l1Time} s of L1 time)`;
    case 'finalizable':
      return `${head}\n  finalizable since ${l1TimeIso(s.finalizableAt)}: run finalize`;
    case 'finalized':
      return `${head}\n  finalized on L1`;
    case 'rolled-back':
      return `${head}\n  rolled back: batch ${s.batchIndex} was rolled back by the guardian${s.proven ? ' after the proof' : ''}; ${s.reprovableIn !== undefined ? `prove again against batch ${s.reprovableIn}` : 'wait for its block to be posted again, then prove again'}`;
  }
}

function signer(o: BridgeOptions) {
  if (o.key) return privateKeyToAccount(o.key);
  const all = devAccounts(Math.max(10, o.devAccount + 1));
  return privateKeyToAccount(all[o.devAccount]!.privateKey);
}

async function locate(c: BridgeClients, o: BridgeOptions): Promise<LocatedWithdrawal> {
  return locateWithdrawal(c, { l2TxHash: o.l2TxHash!, index: o.index });
}

async function run(o: BridgeOptions): Promise<unknown> {
  const c = bridgeClients({ l1Url: o.l1Url, l2Url: o.l2Url, rollup: o.rollup, l1FromBlock: o.l1FromBlock });
  const account = signer(o);
  const timeoutMs = o.timeoutS * 1000;
  const say = (line: string) => {
    if (!o.json) process.stdout.write(`${line}\n`);
  };
  switch (o.command) {
    case 'deposit': {
      const d = await depositETH(c, bridgeWallet(o.l1Url, account), { to: o.to, value: o.value! });
      say(`deposited ${formatEther(d.value)} ETH to ${d.to} on L2: queue item ${d.queueIndex}, L1 tx ${d.l1TxHash}`);
      if (!o.wait) return d;
      const l2Balance = await waitForDepositOnL2(c, d, timeoutMs);
      say(`arrived on L2: ${d.to} holds ${formatEther(l2Balance)} ETH`);
      return { ...d, l2Balance };
    }
    case 'withdraw': {
      const w = await initiateWithdrawal(c, bridgeWallet(o.l2Url, account), { target: o.to, value: o.value!, data: o.data });
      say(`withdrawal ${w.hash} initiated in L2 block ${w.l2Block} (L2 tx ${w.l2TxHash}); prove it once a batch carries that block: npm run bridge -- prove --tx ${w.l2TxHash} --wait`);
      return w;
    }
    case 'status': {
      if (o.l2TxHash) {
        const s = await withdrawalStatus(c, await locate(c, o));
        say(describeStatus(s));
        return s;
      }
      const all = await Promise.all((await withdrawalsFrom(c, o.address!)).map((w) => withdrawalStatus(c, w)));
      say(all.length === 0 ? `no withdrawals from ${o.address} on L2` : all.map(describeStatus).join('\n'));
      return all;
    }
    case 'prove': {
      const w = await locate(c, o);
      if (o.wait && o.batch === undefined) await waitForStatus(c, w, 'to be carried by a posted batch', provable, timeoutMs);
      const p = await proveWithdrawal(c, bridgeWallet(o.l1Url, account), w, { batchIndex: o.batch });
      say(`withdrawal ${w.hash} proven against batch ${p.batchIndex} (L1 tx ${p.l1TxHash})`);
      return p;
    }
    case 'finalize': {
      const w = await locate(c, o);
      if (o.wait) await waitForStage(c, w, ['finalizable', 'finalized', 'rolled-back', 'initiated', 'in-posted-batch'], timeoutMs);
      const f = await finalizeWithdrawal(c, bridgeWallet(o.l1Url, account), w);
      say(`withdrawal ${w.hash} finalized: ${formatEther(w.message.value)} ETH paid to ${w.message.target} (L1 tx ${f.l1TxHash})`);
      return f;
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let o: BridgeOptions;
  try {
    o = parseBridgeOptions(argv);
  } catch (e) {
    if (!(e instanceof BridgeUsageError)) throw e;
    process.stderr.write(`bridge: ${e.message}\n\n${BRIDGE_HELP}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(BRIDGE_HELP);
    return 0;
  }
  try {
    const result = await run(o);
    if (o.json) process.stdout.write(`${json({ ok: true, command: o.command, result })}\n`);
    return 0;
  } catch (e) {
    // Anything else (an unreachable node, a key without funds) is reported the same way, as FAILED.
    const viemError = e as { shortMessage?: string; url?: string };
    const failed = viemError.shortMessage ? `${viemError.shortMessage}${viemError.url ? ` (${viemError.url})` : ''}` : (e as Error).message;
    const err = e instanceof BridgeError ? e : { code: 'FAILED', message: failed, details: {} as BridgeError['details'] };
    if (o.json) process.stdout.write(`${json({ ok: false, command: o.command, error: { code: err.code, message: err.message, details: err.details } })}\n`);
    else process.stderr.write(`bridge ${o.command}: ${err.code}: ${err.message}${err.details.until !== undefined ? ` (until ${l1TimeIso(err.details.until)})` : ''}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bridge: ${(e as Error).message ?? String(e)}\n`);
    process.exit(1);
  },
);
