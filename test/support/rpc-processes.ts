// For tests and benches that drive nodes from outside: JSON-RPC over fetch, WebSocket subscriptions, child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RpcFailure {
  code: number;
  message: string;
  data?: unknown;
}

export class RpcCallError extends Error {
  constructor(readonly error: RpcFailure) {
    super(`${error.code}: ${error.message}`);
  }
}

let ids = 1;
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ids++, method, params }) });
  const body = (await res.json()) as { result?: T; error?: RpcFailure };
  if (body.error) throw new RpcCallError(body.error);
  return body.result as T;
}

export async function rpcError(url: string, method: string, params: unknown[]): Promise<RpcFailure> {
  try {
    await rpc(url, method, params);
  } catch (e) {
    if (e instanceof RpcCallError) return e.error;
    throw e;
  }
  throw new Error(`${method} succeeded, an error was expected`);
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => any;

/** A WebSocket eth_subscribe that records every notification's result. */
export async function subscribe(wsUrl: string, params: unknown[]): Promise<{ results: unknown[]; close(): void }> {
  const ws = new WebSocket(wsUrl);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const results: unknown[] = [];
  const ack = new Promise<void>((resolve, reject) =>
    ws.on('message', (m: Buffer) => {
      const msg = JSON.parse(m.toString());
      if (msg.id === 1) return msg.error ? reject(new Error(msg.error.message)) : resolve();
      if (msg.method === 'eth_subscription') results.push(msg.params.result);
    }),
  );
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params }));
  await ack;
  return { results, close: () => ws.close() };
}

/** Runs `node --import tsx <script> ...args` from the repository root; resolves once stdout shows `ready`. */
export async function startChild(script: string, args: string[], ready: RegExp, timeoutMs = 90_000): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script}: not ready within ${timeoutMs} ms: ${out}`)), timeoutMs);
    const seen = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited ${code}: ${out}`));
    });
  });
  child.removeAllListeners('exit');
  return { child, output: () => out };
}

export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
