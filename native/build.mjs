// `npm install` hook: builds the CPU addon with node-gyp, then the CUDA addon with cmake-js wherever nvcc
// exists (CI compiles the .cu code even though no GPU can run it). EVM_SKIP_CUDA=1 skips the CUDA build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;

function run(cmd, args) {
  console.log(`[native] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[native] failed: ${cmd} ${args.join(' ')} (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

function findNvcc() {
  const candidates = [process.env.CUDACXX, '/usr/local/cuda/bin/nvcc'];
  if (existsSync('/usr/local')) {
    for (const d of readdirSync('/usr/local')) if (d.startsWith('cuda-')) candidates.push(`/usr/local/${d}/bin/nvcc`);
  }
  const which = spawnSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' });
  if (which.status === 0) candidates.unshift(which.stdout.trim());
  return candidates.find((c) => c && existsSync(c));
}

// Node's headers are installed locally; never let node-gyp try to download them.
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = join(process.execPath, '../..');
  return existsSync(join(prefix, 'include/node/node_api.h')) ? prefix : undefined;
}

const jobs = String(Math.max(1, (await import('node:os')).cpus().length));
const dir = nodeDir();
run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '-j', jobs, ...(dir ? [`--nodedir=${dir}`] : [])]);

const nvcc = findNvcc();
if (process.env.EVM_SKIP_CUDA === '1') {
  console.log('[native] EVM_SKIP_CUDA=1: CUDA addon not built');
} else if (!nvcc) {
  console.log('[native] nvcc not found: CUDA addon not built (the CPU addon is complete on its own)');
} else {
  run(process.execPath, [
    join(root, 'node_modules/cmake-js/bin/cmake-js'), 'build', '-O', 'build-cuda', '-p', jobs,
    `--CDCMAKE_CUDA_COMPILER=${nvcc}`,
  ]);
}
