// The native ingress decoder against the reference (@ethereumjs/tx + libsecp256k1): random valid transactions
// of every type at each fork, mutated ones (flipped, cut and extended bytes; re-signed edge values), and the
// ethereum/tests TransactionTests give the same verdict (accepted, or refused with the same IngressError
// code), and for accepted ones the same sender, hash and decoded fields.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RLP } from '@ethereumjs/rlp';
import type { ForkName } from '../../sequencer/chain/forks.js';
import { decodeAndRecoverBatch, type DecodeOptions, type IngressTx } from '../../sequencer/ingress/decode.js';
import { IngressError } from '../../sequencer/ingress/errors.js';
import { defaultIngressDecoder } from '../../sequencer/ingress/ingress-decoder.js';
import { decodeAndRecoverBatchNative } from '../../sequencer/ingress/native-decode.js';
import { InlineSenderRecoverer } from '../../sequencer/ingress/recover.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { hexToU8 } from '../../sequencer/primitives/types.js';
import { randomSignedTxs, signSpec, type SignedTx } from '../support/random-txs.js';
import { seededRandom } from '../support/seeded-random.js';
import { loadCancunTransactionTests } from '../support/transaction-tests.js';

const addon = loadAddon();
const reference = new InlineSenderRecoverer();
const SECP_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

type Verdict = { code: string } | IngressTx;

/** Both decoders over the same bytes; returns the native results after checking they agree. */
async function agree(raws: Uint8Array[], opts: DecodeOptions, what: string): Promise<(IngressTx | IngressError)[]> {
  const [ref, nat] = await Promise.all([decodeAndRecoverBatch(raws, opts, reference), decodeAndRecoverBatchNative(raws, opts, addon)]);
  const verdict = (r: IngressTx | IngressError): Verdict => (r instanceof IngressError ? { code: r.code } : { ...r, exec: { ...r.exec, data: Uint8Array.from(r.exec.data) } });
  const mismatches: string[] = [];
  raws.forEach((raw, i) => {
    try {
      assert.deepStrictEqual(verdict(nat[i]), verdict(ref[i]));
    } catch {
      const say = (r: IngressTx | IngressError) => (r instanceof IngressError ? `${r.code} (${r.message.slice(0, 160)})` : `accepted from ${r.exec.from} hash ${r.exec.hash}`);
      if (mismatches.length < 5) mismatches.push(`${what} #${i} ${Buffer.from(raw.subarray(0, 24)).toString('hex')}…: native ${say(nat[i])}, reference ${say(ref[i])}`);
      else mismatches.push('');
    }
  });
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${raws.length} differ:\n${mismatches.filter(Boolean).join('\n')}`);
  return nat;
}

const FORKS: ForkName[] = ['Cancun', 'Prague', 'Osaka'];

test('random valid transactions of every type: same sender, hash and fields at each fork', async () => {
  for (const fork of FORKS) {
    const txs = randomSignedTxs(0x1e55 + fork.length, 150, { chainId: 42069n });
    const opts: DecodeOptions = { chainId: 42069n, fork, allowUnprotected: true, allowBlobTxs: true };
    const got = await agree(txs.map((t) => t.raw), opts, fork);
    let accepted = 0;
    got.forEach((r, i) => {
      const t = txs[i];
      // Refused only where the fork says so: set-code before Prague, gas over the EIP-7825 cap at Osaka.
      if (r instanceof IngressError) {
        assert.ok((t.spec.type === 4 && fork === 'Cancun') || (fork === 'Osaka' && t.spec.gas > 1n << 24n), `${fork} #${i} type ${t.spec.type}: ${r.code} ${r.message}`);
        return;
      }
      accepted++;
      assert.equal(r.exec.from, t.sender, `${fork} #${i}: sender`);
    });
    assert.ok(accepted >= 100, `${fork}: ${accepted} accepted`);
  }
});

test('gas limits around the intrinsic gas and the EIP-7623 floor: same verdicts', async () => {
  for (const fork of FORKS) {
    const txs = randomSignedTxs(0x9a5 + fork.length, 200, { chainId: 42069n, tightGas: 1 });
    const got = await agree(txs.map((t) => t.raw), { chainId: 42069n, fork, allowUnprotected: true, allowBlobTxs: true }, fork);
    const refused = got.filter((r) => r instanceof IngressError && r.code === 'INTRINSIC_GAS_TOO_LOW').length;
    assert.ok(refused > 10 && refused < 190, `${fork}: ${refused} refused for gas`);
    if (fork !== 'Cancun') assert.ok(got.some((r) => r instanceof IngressError && /floor data gas/.test(r.message)), `${fork}: the floor refused some`);
  }
});

test('mutated transactions: flipped, cut and extended bytes and re-signed edge values get the same verdicts', async () => {
  const rand = seededRandom(0x3c7);
  const int = (n: number) => Math.floor(rand() * n);
  const base = randomSignedTxs(0x77, 120, { chainId: 42069n });
  const mutants: Uint8Array[] = [];
  for (const t of base) {
    const raw = t.raw;
    const flip = Uint8Array.from(raw);
    flip[int(raw.length)] ^= 1 << int(8);
    mutants.push(flip, raw.subarray(0, int(raw.length)), Uint8Array.from([...raw, int(256)]));
    const b = Uint8Array.from(raw);
    b[int(Math.min(raw.length, 8))] = int(256);
    mutants.push(b);
  }
  // Edge values, properly signed: each is refused (or not) for one reason only.
  const key = hexToU8(`0x${'11'.repeat(32)}`);
  const edge = (over: Partial<SignedTx['spec']>) => signSpec({ ...base[3].spec, type: 2, to: base[3].spec.to ?? new Uint8Array(20), ...over }, key).raw;
  mutants.push(
    edge({ chainId: 1n }),
    edge({ nonce: (1n << 64n) - 1n }),
    edge({ nonce: (1n << 64n) - 2n }),
    edge({ gas: 1n << 64n }),
    edge({ gas: (1n << 24n) + 1n }),
    edge({ tip: 10n, feeCap: 9n }),
    edge({ value: 1n << 256n }),
    edge({ feeCap: (1n << 256n) - 1n, gas: 2n }),
    edge({ type: 3, blobHashes: [], maxFeePerBlobGas: 1n }),
    edge({ type: 3, blobHashes: Array.from({ length: 7 }, () => Uint8Array.from([1, ...new Uint8Array(31)])), maxFeePerBlobGas: 1n }),
    edge({ type: 3, blobHashes: [Uint8Array.from([2, ...new Uint8Array(31)])], maxFeePerBlobGas: 1n }),
    edge({ type: 3, to: null, blobHashes: [Uint8Array.from([1, ...new Uint8Array(31)])], maxFeePerBlobGas: 1n }),
    edge({ type: 4, auths: [] }),
    edge({ type: 4, to: null, auths: [[new Uint8Array(0), new Uint8Array(20), new Uint8Array(0), new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(1)]] }),
    edge({ type: 0, chainId: null }),
    edge({ type: 1, to: null, data: new Uint8Array(49153).fill(1), gas: 16_000_000n }),
    edge({ accessList: [[new Uint8Array(19), []]] }),
    edge({ accessList: [[new Uint8Array(20), [new Uint8Array(31)]]] }),
  );
  // Signature fields rewritten after signing (the rest stays as signed).
  const resign = (raw: Uint8Array, f: (sig: [bigint, bigint, bigint]) => [bigint, bigint, bigint]) => {
    const typed = raw[0] < 0x7f;
    const fields = RLP.decode(typed ? raw.subarray(1) : raw) as Uint8Array[];
    const n = fields.length;
    const big = (x: Uint8Array) => (x.length ? BigInt(`0x${Buffer.from(x).toString('hex')}`) : 0n);
    const [v, r, s] = f([big(fields[n - 3]), big(fields[n - 2]), big(fields[n - 1])]);
    const e = (x: bigint) => (x === 0n ? new Uint8Array(0) : Uint8Array.from(Buffer.from(x.toString(16).padStart(Math.ceil(x.toString(16).length / 2) * 2, '0'), 'hex')));
    const body = RLP.encode([...fields.slice(0, n - 3), e(v), e(r), e(s)] as never);
    return typed ? Uint8Array.from([raw[0], ...body]) : body;
  };
  for (const t of base.slice(0, 30)) {
    mutants.push(
      resign(t.raw, ([v, r, s]) => [v, r, SECP_N - s]),
      resign(t.raw, ([v, r]) => [v, r, 0n]),
      resign(t.raw, ([v, , s]) => [v, SECP_N, s]),
      resign(t.raw, ([v, r, s]) => [v + 2n, r, s]),
      resign(t.raw, ([v, r, s]) => [v, r + 1n, s]),
    );
  }
  for (const fork of FORKS) {
    for (const allow of [false, true]) {
      const got = await agree(mutants, { chainId: 42069n, fork, allowUnprotected: allow, allowBlobTxs: allow, maxTxSize: 4000 }, `${fork} allow=${allow}`);
      assert.ok(got.filter((r) => r instanceof IngressError).length > mutants.length / 3, 'most mutants are refused');
    }
  }
});

test('ethereum/tests TransactionTests (Cancun): both decoders agree and match the expected results', async () => {
  const cases = loadCancunTransactionTests();
  assert.ok(cases.length > 140, `${cases.length} cases`);
  const got = await agree(cases.map((c) => c.raw), { chainId: 1n, allowUnprotected: true, fork: 'Cancun' }, 'TransactionTests');
  cases.forEach((c, i) => {
    const r = got[i];
    if (c.expect.exception !== undefined) assert.ok(r instanceof IngressError, `${c.name}: accepted, expected ${c.expect.exception}`);
    else {
      assert.ok(!(r instanceof IngressError), `${c.name}: ${r instanceof IngressError ? r.message : ''}`);
      assert.equal(r.exec.hash, c.expect.hash);
      assert.equal(r.exec.from, c.expect.sender);
    }
  });
});

test('bad arguments to the addon are typed errors, and an empty batch is empty', async () => {
  const config = { chainId: 1n, fork: 0, maxTxSize: 1000, allowUnprotected: false, limitInitCode: true, allowBlobTxs: false };
  assert.throws(() => addon.decodeTransactionsSync(new Uint8Array(4), Uint32Array.of(0, 5), config), /past the end of data/);
  assert.throws(() => addon.decodeTransactionsSync(new Uint8Array(4), Uint32Array.of(3, 1), config), /out of order/);
  assert.throws(() => addon.decodeTransactionsSync(new Uint8Array(4), Uint32Array.of(0, 4), { ...config, chainId: 1n << 62n }), /below 2\^62/);
  assert.throws(() => addon.decodeTransactionsSync(new Uint8Array(4), Uint32Array.of(0, 4), { ...config, fork: 9 }), /unknown fork/);
  assert.throws(() => addon.decodeTransactionsSync('x' as never, Uint32Array.of(0), config), TypeError);
  assert.equal(addon.decodeTransactionsSync(new Uint8Array(0), Uint32Array.of(0), config).length, 0);
  assert.deepEqual(await decodeAndRecoverBatchNative([], { chainId: 1n }, addon), []);
});

test('the node\'s default ingress decoder is the native one when the addon is built', async () => {
  assert.equal((await defaultIngressDecoder()).name, 'native');
});
