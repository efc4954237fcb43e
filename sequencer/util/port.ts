import { createServer } from 'node:net';

export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number, what: string) {
    super(`${what}: ${host}:${port} is already in use (pick another with the matching --*-port option)`);
    this.name = 'PortInUseError';
  }
}

/** Throws PortInUseError when host:port cannot be bound; port 0 always succeeds. */
export async function assertPortFree(host: string, port: number, what: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new PortInUseError(host, port, what) : e));
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

/** A port the OS says is free right now (for tests and child processes). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
