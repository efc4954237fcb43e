import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
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
    const o = parseOptions(['--port', '0', '--block-time', '100', '--chain-id', '7', '--l1', 'http://127.0.0.1:1/']);
    assert.equal(o.port, 0);
    assert.equal(o.blockTimeMs, 100);
    assert.equal(o.chainId, 7n);
    assert.equal(o.l1Url, 'http://127.0.0.1:1');
    assert.throws(() => parseOptions(['--port', '70000']), OptionError);
    assert.throws(() => parseOptions(['--bogus']), /unknown option --bogus[\s\S]*Usage/);
    assert.throws(() => parseOptions(['--port']), /needs a value/);
  });

  it('npm start --help lists the options', async () => {
    const { stdout } = await exec(process.execPath, [...TSX, 'sequencer/cli/main.ts', '--help']);
    for (const flag of ['--port', '--l1-port', '--l1', '--data-dir', '--block-time']) assert.match(stdout, new RegExp(flag));
  });

  it('starts anvil and the JSON-RPC, answers eth_chainId and web3_clientVersion, fails clearly on a taken port', async () => {
    const [port, l1Port] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [...TSX, 'sequencer/cli/main.ts', '--port', String(port), '--l1-port', String(l1Port), '--chain-id', '4242'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('JSON-RPC:')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const url = `http://127.0.0.1:${port}`;
      assert.deepEqual((await rpc(url, 'eth_chainId')).result, '0x1092');
      assert.match(String((await rpc(url, 'web3_clientVersion')).result), /gpu-evm-sequencer/);
      assert.equal((await rpc(url, 'eth_noSuchMethod')).error?.code, -32601);
      assert.equal((await rpc(`http://127.0.0.1:${l1Port}`, 'eth_chainId')).result, '0x7a69');
      const taken = await exec(process.execPath, [...TSX, 'sequencer/cli/main.ts', '--port', String(port), '--l1-port', String(await freePort())]).catch((e) => e as { code: number; stderr: string });
      assert.equal((taken as { code: number }).code, 1);
      assert.match((taken as { stderr: string }).stderr, new RegExp(`JSON-RPC: 127.0.0.1:${port} is already in use`));
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
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
