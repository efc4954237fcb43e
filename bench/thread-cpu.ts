// CPU time of the process's main (JavaScript) thread alone: process.cpuUsage() also counts V8's background
// threads and the addon's pools, and Node 20 has no per-thread figure of its own.
import { loadAddon } from '../sequencer/native/addon.js';

const addon = loadAddon();

/** Milliseconds of CPU the calling (main) thread has used so far. */
export function mainThreadCpuMs(): number {
  return addon.threadCpuMs();
}
