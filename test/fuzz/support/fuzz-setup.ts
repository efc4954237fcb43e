// A contract compiled in-process and deployed into a fuzz snapshot, with its targets and a fresh runner:
// the setup the campaign, generation and shrinking tests share.
import { createExecutor } from '../../../sequencer/executor/create-executor.js';
import { findArtifact } from '../../../sequencer/fuzz/artifacts.js';
import { createRunner, type RunnerName } from '../../../sequencer/fuzz/create-runner.js';
import { deploySnapshot, type FuzzSnapshot } from '../../../sequencer/fuzz/snapshot.js';
import { fuzzTargets, type FuzzTargets } from '../../../sequencer/fuzz/targets.js';
import type { SequenceRunner } from '../../../sequencer/fuzz/types.js';
import { compileSolidity } from '../../support/solidity.js';

export interface FuzzSetup {
  snapshot: FuzzSnapshot;
  targets: FuzzTargets;
  /** A new runner (its own coverage map) over the snapshot. */
  runner(): Promise<SequenceRunner>;
}

export async function fuzzSetup(source: string, contract: string, runner: RunnerName = 'native'): Promise<FuzzSetup> {
  const artifacts = compileSolidity({ [`${contract}.sol`]: source });
  const snapshot = await deploySnapshot({ executor: await createExecutor('native'), artifacts, target: findArtifact(artifacts, contract) });
  const targets = fuzzTargets(snapshot);
  return { snapshot, targets, runner: () => createRunner(runner, snapshot, targets.properties) };
}

/** Steps through a magic value and a range, then an assert on a small number: multi-step, dictionary, assertion. */
export const STEPS_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Steps {
  uint256 public step;
  uint256 public last;
  mapping(address => uint256) public deposits;
  function deposit() external payable { deposits[msg.sender] += msg.value; }
  function withdraw(uint256 amount) external {
    require(deposits[msg.sender] >= amount, "balance");
    deposits[msg.sender] -= amount;
    payable(msg.sender).transfer(amount);
  }
  function setStep(uint256 a) external {
    if (step == 0 && a == 0x1337) step = 1;
    else if (step == 1 && a > 1000 && a < 2000) step = 2;
  }
  function poke(uint256 v) external {
    last = v;
    if (step == 2) assert(v != 7);
  }
  function twice(uint256 x) external pure returns (uint256) { return x * 2; }
  function echidna_step() external view returns (bool) { return step < 2; }
  function echidna_solvent() external view returns (bool) { return address(this).balance >= 0; }
}
`;
