// The first JSON-RPC: answers eth_chainId and web3_clientVersion, -32601 for the rest.
// Replaced by sequencer/rpc/ (issue #5) once the node serves wallets.
import Fastify from 'fastify';
import { assertPortFree } from '../util/port.js';

export const CLIENT_VERSION = 'gpu-evm-sequencer/v0.1.0';

export async function startPlaceholderRpc(host: string, port: number, chainId: bigint): Promise<{ url: string; close(): Promise<void> }> {
  await assertPortFree(host, port, 'JSON-RPC');
  const app = Fastify({ bodyLimit: 1 << 20 });
  app.post('/', async (req) => {
    const body = req.body as { id?: unknown; method?: unknown } | null;
    const id = body?.id ?? null;
    if (body?.method === 'eth_chainId') return { jsonrpc: '2.0', id, result: `0x${chainId.toString(16)}` };
    if (body?.method === 'web3_clientVersion') return { jsonrpc: '2.0', id, result: CLIENT_VERSION };
    return { jsonrpc: '2.0', id, error: { code: -32601, message: `the method ${String(body?.method)} does not exist/is not available` } };
  });
  const url = await app.listen({ host, port });
  return { url, close: () => app.close() };
}
