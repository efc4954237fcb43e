// The whole rollup as `npm start` runs it (node + bundled anvil), driven from outside for crash tests and
// soaks: start it in its own process group, load it with transfers, kill pieces of it, and check that L1
// (the rollup contract's batches) agrees with the L2 headers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccounts } from '../../sequencer/genesis/dev.js';
import { anvilBinary } from '../../sequencer/l1/anvil.js';
import { RollupReader, publicClientFor } from '../../sequencer/l1/l1-client.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import { freePort } from '../../sequencer/util/port.js';

export interface RollupNodePorts {
  port: number;
  consolePort: number;
  l1Port: number;
}

export interface RunningNode {
  child: ChildProcess;
  output(): string;
  url: string;
  l1Url: string;
}

export async function pickPorts(): Promise<RollupNodePorts> {
  return { port: await freePort(), consolePort: await freePort(), l1Port: await freePort() };
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const j = (await r.json()) as { result?: T; error?: { message: string } };
  if (j.error) throw new Error(`${method}: ${j.error.message}`);
  return j.result as T;
}

/** `npm start` in its own process group (so the group, anvil included, can be SIGKILLed); resolves when ready. */
export async function startRollupNode(dataDir: string, ports: RollupNodePorts, extra: string[] = []): Promise<RunningNode> {
  const args = ['--import', 'tsx', 'sequencer/cli/main.ts', '--data-dir', dataDir, '--port', String(ports.port), '--console-port', String(ports.consolePort), '--l1-port', String(ports.l1Port), '--block-time', '100', ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-2_000_000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s: ${out.slice(-4000)}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out = (out + d.toString()).slice(-2_000_000);
      if (out.includes('operator console ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out.slice(-4000)}`));
    });
  });
  return { child, output: () => out, url: `http://127.0.0.1:${ports.port}`, l1Url: `http://127.0.0.1:${ports.l1Port}` };
}

/** SIGKILLs the node's whole process group (node, anvil's watchdog, anvil) and waits for the node to be gone. */
export async function killGroup(node: RunningNode): Promise<void> {
  const exited = node.child.exitCode !== null || node.child.signalCode !== null ? Promise.resolve() : new Promise((r) => node.child.once('exit', r));
  process.kill(-node.child.pid!, 'SIGKILL');
  await exited;
  await waitFor('the L1 port to close', async () => !(await answers(node.l1Url)), 10_000);
}

export async function stopGracefully(node: RunningNode): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((r) => node.child.once('exit', r));
  node.child.kill('SIGINT');
  await exited;
}

/** The pid of the anvil binary serving `l1Port` (not its shell watchdog). */
export function anvilPid(l1Port: number): number {
  const bin = anvilBinary();
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  for (const line of ps.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m && m[2].startsWith(bin) && m[2].includes(` --port ${l1Port} `)) return Number(m[1]);
  }
  throw new Error(`no anvil process on port ${l1Port}`);
}

export async function answers(url: string): Promise<boolean> {
  try {
    await rpc(url, 'eth_chainId');
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function l2Head(url: string): Promise<bigint> {
  return BigInt(await rpc<string>(url, 'eth_blockNumber'));
}

/**
 * Keeps sending signed transfers from the dev accounts (nonces re-read from the node after each failure, so
 * it survives restarts) until stop(); counts the acknowledged ones.
 */
export function transferLoad(url: string, chainId: number, perTick = 5, tickMs = 50): { stop(): Promise<number> } {
  const senders = devAccounts(4).map((a) => privateKeyToAccount(a.privateKey as Hex));
  const nonces = new Map<string, number>();
  let running = true;
  let acked = 0;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const from = senders[i % senders.length];
      try {
        if (!nonces.has(from.address)) nonces.set(from.address, Number(BigInt(await rpc<string>(url, 'eth_getTransactionCount', [from.address, 'pending']))));
        const raws: string[] = [];
        for (let k = 0; k < perTick; k++) {
          const nonce = nonces.get(from.address)!;
          raws.push(await from.signTransaction({ chainId, type: 'eip1559', nonce, to: '0x000000000000000000000000000000000000beef', value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n }));
          nonces.set(from.address, nonce + 1);
        }
        for (const raw of raws) {
          await rpc(url, 'eth_sendRawTransaction', [raw]);
          acked++;
        }
      } catch {
        nonces.delete(from.address); // node down or a nonce refused: re-read when it answers again
        await new Promise((r) => setTimeout(r, 250));
      }
      await new Promise((r) => setTimeout(r, tickMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return acked;
    },
  };
}

export interface L1Agreement {
  batches: number;
  lastL2Block: bigint;
}

/**
 * Checks the rollup contract on the node's L1 against the node's L2 headers: batch indexes 0..n-1 each
 * posted exactly once (BatchSubmitted events on the surviving chain), contiguous block ranges, and every
 * posted root equal to the L2 header's state root. Throws on any difference.
 */
export async function checkL1AgreesWithL2(dataDir: string, node: RunningNode): Promise<L1Agreement> {
  const dep = JSON.parse(readFileSync(join(dataDir, 'l1', 'deployment.json'), 'utf8')) as { address: Address; deployBlock: string };
  const reader = new RollupReader(publicClientFor(node.l1Url), dep.address, BigInt(dep.deployBlock));
  // The node may post while we read: L1's count before and after brackets the events seen.
  const before = await reader.nextBatchIndex();
  const events = await reader.batchEvents();
  const after = await reader.nextBatchIndex();
  let nextFirst = 1n;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.batchIndex !== BigInt(i)) throw new Error(`L1 batch events out of order or repeated: position ${i} holds batch ${e.batchIndex}`);
    if (e.firstBlock !== nextFirst) throw new Error(`batch ${i} starts at L2 block ${e.firstBlock}, expected ${nextFirst}`);
    const header = await rpc<{ stateRoot: Hex }>(node.url, 'eth_getBlockByNumber', [`0x${e.lastBlock.toString(16)}`, false]);
    if (header.stateRoot !== e.newStateRoot) throw new Error(`batch ${i} (L2 ${e.firstBlock}..${e.lastBlock}) root ${e.newStateRoot} != L2 header ${header.stateRoot}`);
    nextFirst = e.lastBlock + 1n;
  }
  if (BigInt(events.length) < before || BigInt(events.length) > after) throw new Error(`L1 holds ${before}..${after} batches but ${events.length} events`);
  return { batches: events.length, lastL2Block: nextFirst - 1n };
}
