// Runs a benchmark child process (`node --import tsx SCRIPT ARGS`) that prints one `RESULT <json>` line, so
// per-process settings (EVM_THREADS) apply to a fresh addon and a crash cannot take the bench down.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function runResultChild<T>(script: string, args: string[], env: NodeJS.ProcessEnv, what: string, timeoutMs = 300_000): Promise<T | { available: false; reason: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code, sig) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) return done(JSON.parse(line.slice(7)) as T);
      done({ available: false, reason: `${what} exited (${code ?? sig}) without a result: ${err.trim().split('\n').slice(-3).join(' | ')}` });
    });
  });
}
