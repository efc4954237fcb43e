import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPublicClient, createWalletClient, defineChain, http } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { startAnvil } from '../../sequencer/l1/anvil.js';
import { OptionError, parseOptions } from '../../sequencer/cli/options.js';
import { PortInUseError, freePort } from '../../sequencer/util/port.js';

const exec = promisify(execFile);
// Run TypeScript entry points in a plain node process (no npx/sh layers), so signals reach it.
const TSX = ['--import', 'tsx'];

async function rpc(url: string, method: string): Promise<{ result?: unknown; error?: { code: number } }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }) });
  return (await r.json()) as { result?: unknown; error?: { code: number } };
}

async function answers(url: string): Promise<boolean> {
  try {
    await rpc(url, 'eth_chainId');
    return true;
  } catch {
    return false;
  }
}

describe('command line', () => {
  it('parses options and rejects bad ones with the help text', () => {
    const o = parseOptions(['--port', '0', '--block-time', '100', '--chain-id', '7', '--l1', 'http://127.0.0.1:1/', '--da', 'blobs', '--executor', 'native']);
    assert.equal(o.da, 'blobs');
    assert.equal(o.executor, 'native');
    assert.throws(() => parseOptions(['--verify']), /--verify needs --l1/);
    assert.throws(() => parseOptions(['--rollup', '0x12']), /20 bytes/);
    assert.equal(o.port, 0);
    assert.equal(o.blockTimeMs, 100);
    assert.equal(o.chainId, 7n);
    assert.equal(o.l1Url, 'http://127.0.0.1:1');
    assert.throws(() => parseOptions(['--port', '70000']), OptionError);
    assert.throws(() => parseOptions(['--bogus']), /unknown option --bogus[\s\S]*Usage/);
    assert.throws(() => parseOptions(['--port']), /needs a value/);
    assert.equal(o.dev, false);
    assert.equal(o.allowUnprotectedTxs, false);
    const dev = parseOptions(['--genesis', 'g.json', '--dev', '--allow-unprotected-txs']);
    assert.equal(dev.dev, true);
    assert.equal(dev.allowUnprotectedTxs, true);
    assert.equal(parseOptions([]).idleBlockMs, 1000);
    assert.equal(parseOptions(['--idle-block-ms', '0']).idleBlockMs, 0);
    assert.throws(() => parseOptions(['--idle-block-ms', '-5']), /--idle-block-ms must be 0 \(off\) or a positive integer/);
  });

  it('npm start --help lists the options', async () => {
    const { stdout } = await exec(process.execPath, [...TSX, 'sequencer/cli/main.ts', '--help']);
    for (const flag of ['--port', '--console-port', '--l1-port', '--l1', '--data-dir', '--block-time', '--idle-block-ms', '--executor', '--verify', '--dev', '--allow-unprotected-txs']) assert.match(stdout, new RegExp(flag));
  });

  it('npm start runs L1 + sequencer + console + batcher; a tx is sealed and batched; a restart resumes; a taken port fails clearly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'node-cli-'));
    const [port, consolePort, l1Port] = [await freePort(), await freePort(), await freePort()];
    const args = [...TSX, 'sequencer/cli/main.ts', '--data-dir', dataDir, '--port', String(port), '--console-port', String(consolePort), '--l1-port', String(l1Port), '--block-time', '100'];
    const url = `http://127.0.0.1:${port}`;
    const l1Url = `http://127.0.0.1:${l1Port}`;
    const start = async () => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start within 120 s: ${out}`)), 120_000);
        // pino logs on stdout, the batcher's on stderr: watch both.
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('operator console ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      return { child, output: () => out };
    };
    const stop = async (child: ReturnType<typeof spawn>) => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    };

    let { child, output } = await start();
    try {
      assert.equal((await rpc(url, 'eth_chainId')).result, '0xa455');
      assert.match(String((await rpc(url, 'web3_clientVersion')).result), /gpu-evm-sequencer/);
      assert.equal((await rpc(url, 'eth_noSuchMethod')).error?.code, -32601);
      assert.equal(((await rpc(url, 'eth_accounts')).result as string[]).length, 10, 'the dev genesis unlocks the dev accounts');
      assert.equal((await rpc(l1Url, 'eth_chainId')).result, '0x7a69');
      const account = mnemonicToAccount('test test test test test test test test test test test junk');
      const chain = defineChain({ id: 42069, name: 'l2', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
      const wallet = createWalletClient({ account, chain, transport: http(url) });
      const client = createPublicClient({ chain, transport: http(url) });
      const hash = await wallet.sendTransaction({ to: '0x000000000000000000000000000000000000beef', value: 12345n });
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
      assert.equal(receipt.status, 'success');
      // The batcher posts the block to the rollup contract on the local L1.
      const deadline = Date.now() + 60_000;
      while (!output().includes('batch confirmed on L1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.match(output(), /batch confirmed on L1/);

      const taken = await exec(process.execPath, [...TSX, 'sequencer/cli/main.ts', '--data-dir', mkdtempSync(join(tmpdir(), 'node-cli-')), '--port', String(port), '--l1-port', String(await freePort())]).catch((e) => e as { code: number; stderr: string });
      assert.equal((taken as { code: number }).code, 1);
      assert.match((taken as { stderr: string }).stderr, new RegExp(`JSON-RPC: 127.0.0.1:${port} is already in use`));

      const height = BigInt(String((await rpc(url, 'eth_blockNumber')).result));
      await stop(child);
      ({ child, output } = await start());
      assert.equal(BigInt(String((await rpc(url, 'eth_blockNumber')).result)) >= height, true, 'the chain resumed');
      assert.equal(await client.getBalance({ address: '0x000000000000000000000000000000000000beef' }), 12345n);
    } finally {
      await stop(child);
    }
  });

  it('anvil: a taken port is a PortInUseError; stop() ends it; it dies with a SIGKILLed parent', async () => {
    const port = await freePort();
    const anvil = await startAnvil({ port });
    await assert.rejects(startAnvil({ port }), PortInUseError);
    await anvil.stop();
    assert.equal(await answers(anvil.url), false);

    const orphanPort = await freePort();
    const child = spawn(process.execPath, [...TSX, 'test/cli/fixtures/anvil-then-sigkill.ts', String(orphanPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => child.once('exit', r));
    const url = `http://127.0.0.1:${orphanPort}`;
    const deadline = Date.now() + 5000;
    while ((await answers(url)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await answers(url), false, 'anvil outlived its SIGKILLed parent');
  });
});
