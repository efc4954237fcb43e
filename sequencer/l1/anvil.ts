// The local L1: an anvil process (binary shipped in @foundry-rs/anvil-linux-amd64), started and stopped by us.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { assertPortFree } from '../util/port.js';

export interface AnvilOptions {
  host?: string;
  port: number;
  hardfork?: 'cancun' | 'prague';
  /** Seconds between blocks (interval mining); automine when absent. */
  blockTime?: number;
  gasLimit?: bigint;
  chainId?: number;
  startTimeoutMs?: number;
  /** Keep the L1 state in this file: loaded at start, written every second and at exit. */
  statePath?: string;
}

export interface AnvilHandle {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class AnvilStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnvilStartError';
  }
}

export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@foundry-rs/anvil-linux-amd64/package.json')), 'bin', 'anvil');
}

export async function startAnvil(opts: AnvilOptions): Promise<AnvilHandle> {
  const host = opts.host ?? '127.0.0.1';
  await assertPortFree(host, opts.port, 'L1 (anvil)');
  // --no-cors: no web page may read anvil's answers (only the node, a non-browser client, talks to it).
  const args = ['--host', host, '--port', String(opts.port), '--hardfork', opts.hardfork ?? 'cancun', '--silent', '--no-cors'];
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime));
  if (opts.gasLimit !== undefined) args.push('--gas-limit', opts.gasLimit.toString());
  if (opts.chainId !== undefined) args.push('--chain-id', String(opts.chainId));
  if (opts.statePath !== undefined) args.push('--state', opts.statePath, '--state-interval', '1');
  // A shell watchdog runs anvil and ends it when our process is gone, even after a SIGKILL of ours:
  // an L1 must never outlive the node that started it.
  const watchdog = `"$0" "$@" & a=$!; trap 'kill $a 2>/dev/null; wait $a; exit 0' TERM INT; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $a 2>/dev/null; do sleep 0.5; done; kill $a 2>/dev/null; wait $a`;
  const child = spawn('sh', ['-c', watchdog, anvilBinary(), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://${host}:${opts.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new AnvilStartError(`anvil exited (${code ?? signal}) before answering: ${stderr.trim()}`))),
  );
  const deadline = Date.now() + (opts.startTimeoutMs ?? 15_000);
  const ready = (async () => {
    while (Date.now() < deadline) {
      try {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new AnvilStartError(`anvil did not answer on ${url} within ${opts.startTimeoutMs ?? 15_000} ms`);
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  exited.catch(() => {}); // later exits are reported by whoever watches the process
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
