// The dispatcher's bounds on batches and heavy work, with counting handlers: the response budget stops a
// batch early (the rest never runs), heavy items run a few at a time, light ones all at once and in order,
// and the per-connection / global caps hold across clients.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher } from '../../sequencer/rpc/dispatch.js';

const request = (method: string, id: number) => ({ jsonrpc: '2.0', id, method, params: [] });
const tick = () => new Promise((r) => setTimeout(r, 2));

describe('dispatch limits', () => {
  it('a batch stops running heavy items once its responses pass the size budget', async () => {
    let ran = 0;
    const d = new Dispatcher({}, { maxBatchSize: 1000, maxBatchResponseBytes: 50_000, batchConcurrency: 4 }).register({
      eth_feeHistory: async () => {
        ran++;
        await tick();
        return 'x'.repeat(1000);
      },
    });
    const out = JSON.parse((await d.handleText(JSON.stringify(Array.from({ length: 1000 }, (_, i) => request('eth_feeHistory', i)))))!);
    assert.equal(out.length, 1000);
    assert.deepEqual(out.map((r: { id: number }) => r.id), Array.from({ length: 1000 }, (_, i) => i));
    // ~1 KB each: about 50 fit; the ones already in flight when the budget was passed also finish.
    assert.ok(ran >= 45 && ran <= 60, `${ran} handlers ran`);
    const cut = out.filter((r: { error?: { code: number } }) => r.error?.code === -32003);
    assert.equal(cut.length, 1000 - out.filter((r: { result?: string }) => r.result !== undefined).length);
    assert.ok(cut.length >= 940);
  });

  it('heavy items of a batch run a few at a time; light ones start at once, in order', async () => {
    let heavyNow = 0;
    let heavyMax = 0;
    const started: number[] = [];
    const d = new Dispatcher({}, { maxBatchSize: 1000, batchConcurrency: 3 }).register({
      eth_call: async () => {
        heavyMax = Math.max(heavyMax, ++heavyNow);
        await tick();
        heavyNow--;
        return '0x';
      },
      eth_sendRawTransaction: async (p) => {
        started.push(p[0] as number);
        await tick();
        return p[0];
      },
    });
    const batch = Array.from({ length: 60 }, (_, i) => (i % 2 ? request('eth_call', i) : { ...request('eth_sendRawTransaction', i), params: [i] }));
    const out = JSON.parse((await d.handleText(JSON.stringify(batch)))!);
    assert.equal(out.length, 60);
    assert.equal(heavyMax, 3);
    assert.deepEqual(started, Array.from({ length: 30 }, (_, i) => 2 * i));
  });

  it('heavy requests are capped per connection and server-wide; light ones never wait', async () => {
    const running = new Map<string, number>();
    let total = 0;
    let maxTotal = 0;
    const maxPer = new Map<string, number>();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const d = new Dispatcher({}, { maxBatchSize: 100, maxHeavyPerConnection: 2, maxHeavyGlobal: 3 }).register({
      eth_getLogs: async (p) => {
        const who = p[0] as string;
        running.set(who, (running.get(who) ?? 0) + 1);
        maxPer.set(who, Math.max(maxPer.get(who) ?? 0, running.get(who)!));
        maxTotal = Math.max(maxTotal, ++total);
        await gate;
        running.set(who, running.get(who)! - 1);
        total--;
        return [];
      },
      eth_blockNumber: () => '0x1',
    });
    const clients = { a: {}, b: {}, c: {} };
    const calls = Object.entries(clients).flatMap(([name, client]) =>
      Array.from({ length: 4 }, (_, i) => d.handleText(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'eth_getLogs', params: [name] }), undefined, client)),
    );
    await tick();
    assert.equal(total, 3, 'three heavy requests run, the rest wait');
    // A light request is answered while every heavy slot is taken.
    assert.equal(JSON.parse((await d.handleText(JSON.stringify(request('eth_blockNumber', 1)), undefined, clients.a))!).result, '0x1');
    release();
    await Promise.all(calls);
    assert.equal(maxTotal, 3);
    for (const [who, m] of maxPer) assert.ok(m <= 2, `${who} ran ${m} at once`);
  });
});
