// Genesis: the dev default funds anvil's first 10 accounts on chain 42069; a genesis file round-trips
// into a node (balances, code, storage, chain id), and a data dir refuses a different chain id.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { devAccounts, devGenesis, loadGenesisFile } from '../../sequencer/genesis/dev.js';
import { DEFAULT_CHAIN_ID, DEV_BALANCE } from '../../sequencer/genesis/genesis.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { toWord } from '../../sequencer/primitives/types.js';

test('dev genesis: anvil accounts, chain 42069', () => {
  const accounts = devAccounts();
  assert.equal(accounts.length, 10);
  assert.equal(accounts[0].address, '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
  assert.equal(accounts[0].privateKey, '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
  assert.equal(accounts[9].address, '0xa0ee7a142d267c1f36714e4a8f75612f20a79720');
  const g = devGenesis();
  assert.equal(g.chainId, DEFAULT_CHAIN_ID);
  assert.equal(g.chainId, 42069n);
  for (const a of accounts) assert.equal(g.alloc.get(a.address)?.balance, DEV_BALANCE);
});

test('genesis file: loaded into a node; reopening with another chain id is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seq-genesis-'));
  try {
    const file = join(dir, 'genesis.json');
    writeFileSync(
      file,
      JSON.stringify({
        chainId: 777,
        gasLimit: '0x1c9c380',
        alloc: {
          '0x1111111111111111111111111111111111111111': { balance: '0x64' },
          '0x2222222222222222222222222222222222222222': { balance: '0', code: '0x6001600055', storage: { '0x01': '0x2a' } },
        },
      }),
    );
    const genesis = loadGenesisFile(file);
    const node = await SequencerNode.open({ dataDir: join(dir, 'db'), genesis, sealMode: 'on-demand' });
    assert.equal(node.chainId, 777n);
    assert.equal(node.getState().getAccount('0x1111111111111111111111111111111111111111')?.balance, 100n);
    assert.equal(node.getState().getStorage('0x2222222222222222222222222222222222222222', toWord(1n)), 42n);
    assert.equal(node.head().header.gasLimit, 30_000_000n);
    const root = node.head().header.stateRoot;
    await node.close();
    await assert.rejects(SequencerNode.open({ dataDir: join(dir, 'db'), genesis: devGenesis(), sealMode: 'on-demand' }), /chain 777/);
    const again = await SequencerNode.open({ dataDir: join(dir, 'db'), sealMode: 'on-demand' });
    assert.equal(again.chainId, 777n);
    assert.equal(again.head().header.stateRoot, root);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
