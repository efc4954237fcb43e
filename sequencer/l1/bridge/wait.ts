// Polling with a deadline, for the waits a user asks for (a deposit on L2, a batch, the challenge window).
import { BridgeError } from './errors.js';

export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() >= end) throw new BridgeError('TIMEOUT', `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`, { waitFor: what });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
