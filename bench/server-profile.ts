// `npx tsx bench/server-profile.ts <main-thread .cpuprofile> [--txs N] [--top N]`: the server main thread's
// CPU per transaction while it handled the bench's transactions (issue #13), from a V8 profile of the server
// process taken under the end-to-end bench:
//   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" npm run bench -- erc20 --txs 5000 --e2e ours
// (the main thread's file is the one whose name has thread id 0). Only samples between the first one inside
// sequencer/ingress and the last one inside sequencer/producer count, so start-up and shut-down do not.
// Self time by function, and by project file, where a builtin's or native call's self time is charged to the
// nearest project frame above it (so "which of our files pays for this Buffer#toString"). Prints JSON.
// Note: V8 charges an inlined function's time to the function it was inlined into.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { walkBenchFlags } from './bench-flags.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const USAGE = 'usage: npx tsx bench/server-profile.ts <main-thread .cpuprofile> [--txs N] [--top N]';
const [file, ...flags] = process.argv.slice(2);
if (file === undefined || file.startsWith('--')) throw new Error(USAGE);
const args = { file, txs: 5000, top: 30 };
walkBenchFlags(flags, USAGE, (flag, v) => {
  if (flag === '--txs') args.txs = v.positiveInt();
  else if (flag === '--top') args.top = v.positiveInt();
  else return false;
  return true;
});

const profile = JSON.parse(readFileSync(args.file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** The node's frames, innermost first. */
function stack(id: number): CallFrame[] {
  const out: CallFrame[] = [];
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) out.push(byId.get(x)!.callFrame);
  return out;
}
const projectPath = (url: string): string | undefined => {
  const i = url.indexOf('/sequencer/');
  return i < 0 ? undefined : url.slice(i + 1);
};
const inside = (id: number, dir: string) => stack(id).some((f) => f.url.includes(`/sequencer/${dir}/`));

const { samples, timeDeltas } = profile;
const first = samples.findIndex((id) => inside(id, 'ingress'));
let last = -1;
for (let i = samples.length - 1; i >= 0 && last < 0; i--) if (inside(samples[i], 'producer')) last = i;
if (first < 0 || last < first) throw new Error(`${args.file}: no samples inside sequencer/ingress .. sequencer/producer (is this the main thread's profile?)`);

const selfUs = new Map<string, number>();
const fileUs = new Map<string, number>();
const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
let busyUs = 0;
let idleUs = 0;
let windowUs = 0;
for (let i = first; i <= last; i++) {
  // A sample's delta is the time until the next one.
  const us = timeDeltas[i + 1] ?? 0;
  windowUs += us;
  const frame = byId.get(samples[i])!.callFrame;
  if (frame.functionName === '(idle)') {
    idleUs += us;
    continue;
  }
  busyUs += us;
  const path = projectPath(frame.url);
  add(selfUs, `${frame.functionName || '(anonymous)'} ${path ?? (frame.url.split('/').pop() || '(native)')}`, us);
  const owner = path ?? stack(samples[i]).map((f) => projectPath(f.url)).find((p) => p !== undefined);
  add(fileUs, owner ?? (frame.url.includes('node_modules/') ? `node_modules/${frame.url.split('node_modules/')[1].split('/')[0]}` : frame.functionName), us);
}

const perTx = (us: number) => Number((us / args.txs).toFixed(2));
const top = (m: Map<string, number>) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, args.top).map(([name, us]) => ({ name, usPerTx: perTx(us), share: Number((us / busyUs).toFixed(4)) }));
const out = {
  bench: 'server-profile',
  file: args.file,
  txs: args.txs,
  windowMs: Number((windowUs / 1000).toFixed(1)),
  busyUsPerTx: perTx(busyUs),
  idleUsPerTx: perTx(idleUs),
  byFunction: top(selfUs),
  byFile: top(fileUs),
  loadAverage: loadavg(),
};
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
