// A statetest worker thread: receives file paths, runs their cases, posts back the results.
import { parentPort, workerData } from 'node:worker_threads';
import { createExecutor, type ExecutorName } from '../../sequencer/executor/create-executor.js';
import type { ForkName } from '../../sequencer/chain/forks.js';
import { readStateTestFile } from './state-test-format.js';
import { runCase, type CaseResult } from './state-test-runner.js';

const { executor: executorName, fork } = workerData as { executor: ExecutorName; fork: ForkName };
const executor = await createExecutor(executorName);

parentPort!.on('message', async (file: string) => {
  const results: CaseResult[] = [];
  try {
    for (const c of readStateTestFile(file, fork)) {
      try {
        results.push(await runCase(c, executor));
      } catch (e) {
        results.push({ label: c.label, file, pass: false, reason: `error: ${(e as Error).message}` });
      }
    }
  } catch (e) {
    results.push({ label: '(file)', file, pass: false, reason: (e as Error).message });
  }
  parentPort!.postMessage({ results });
});
