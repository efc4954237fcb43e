// Worker-thread bootstrap: Node 20 workers do not inherit tsx's loader, so register it here and then
// import the TypeScript entry named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
