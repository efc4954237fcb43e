// Pairing precompiles on this CPU, one thread: BN254 ecAdd / ecMul / ecPairing (2 pairs, a valid check) and
// EIP-4844 point evaluation, native (kernels/precompiles via the N-API hooks) against @noble/curves and c-kzg.
// Inputs are seeded; every native result is checked before timing.
//   npx tsx bench/pairing.ts [--iters N] [--json]
import { bn254 } from '@noble/curves/bn254.js';
import { sha256 } from '@noble/hashes/sha2.js';
import kzg from 'c-kzg';
import { loadAddon } from '../sequencer/native/addon.js';
import { G1, G2, N, be32, encodeG1, encodeG2, refPairing } from '../test/support/bn254-reference.js';
import { seededRandom } from '../test/support/seeded-random.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const iters = Number(args[args.indexOf('--iters') + 1]) || 50;
const addon = loadAddon();

// Milliseconds per call: wall time and this process's CPU time (the latter is robust on a loaded machine).
function time(fn: () => unknown, n: number): { wall: number; cpu: number } {
  for (let i = 0; i < Math.min(3, n); i++) fn();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6 / n;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e3 / n };
}

const rand = seededRandom(0xbe2c);
const scalar = () => {
  let v = 0n;
  for (let i = 0; i < 16; i++) v = (v << 16n) | BigInt(Math.floor(rand() * 65536));
  return 1n + (v % (N - 1n));
};
const a = scalar(), b = scalar();
const pA = G1.BASE.multiply(a), qB = G2.BASE.multiply(b);
// e(aG1, bG2) * e(-abG1, G2) == 1
const pairing2 = Buffer.concat([encodeG1(pA), encodeG2(qB), encodeG1(G1.BASE.multiply((a * b) % N).negate()), encodeG2(G2.BASE)]);
const addIn = Buffer.concat([encodeG1(pA), encodeG1(G1.BASE.multiply(b))]);
const mulIn = Buffer.concat([encodeG1(pA), be32(scalar())]);
const check = (cond: boolean, what: string) => {
  if (!cond) throw new Error(`bench input check failed: ${what}`);
};
check(addon.bn254Pairing(pairing2).output[31] === 1 && refPairing(pairing2).output[31] === 1, 'pairing');

kzg.loadTrustedSetup(0);
const blob = new Uint8Array(kzg.BYTES_PER_BLOB);
for (let i = 0; i < blob.length; i++) blob[i] = i % 32 === 0 ? 0 : Math.floor(rand() * 256);
const commitment = kzg.blobToKzgCommitment(blob);
const z = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0x11 : Math.floor(rand() * 256)));
const [proof, y] = kzg.computeKzgProof(blob, z);
const vh = sha256(commitment);
vh[0] = 1;
const pointEval = Buffer.concat([vh, z, y, commitment, proof]);
check(addon.kzgPointEvaluation(pointEval).ok, 'point evaluation');

const pairs = [
  { g1: pA, g2: qB },
  { g1: G1.BASE.multiply((a * b) % N).negate(), g2: G2.BASE },
];
const results = {
  cpu: (await import('node:os')).cpus()[0]?.model ?? 'unknown',
  iterations: iters,
  ms: {
    bn254_add_native: time(() => addon.bn254Add(addIn), iters * 20),
    bn254_mul_native: time(() => addon.bn254Mul(mulIn), iters * 5),
    bn254_pairing_2pairs_native: time(() => addon.bn254Pairing(pairing2), iters),
    bn254_pairing_2pairs_noble: time(() => bn254.pairingBatch(pairs), Math.max(3, iters / 10)),
    point_evaluation_native: time(() => addon.kzgPointEvaluation(pointEval), iters),
    point_evaluation_ckzg_verify: time(() => kzg.verifyKzgProof(commitment, z, y, proof), iters),
  },
};
if (json) console.log(JSON.stringify(results));
else {
  console.log(`pairing precompiles, one thread, ${results.cpu}`);
  console.log(`  ${'(ms per call)'.padEnd(32)} ${'wall'.padStart(9)} ${'cpu'.padStart(9)}`);
  for (const [k, v] of Object.entries(results.ms)) console.log(`  ${k.padEnd(32)} ${v.wall.toFixed(3).padStart(9)} ${v.cpu.toFixed(3).padStart(9)}`);
}
