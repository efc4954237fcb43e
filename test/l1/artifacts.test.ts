// Contract compiles run in a child process (issue #18): solc-js loaded into the node kept ~150 MB of RSS for
// the node's whole life after a first start that had no cached artifacts.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { compileStandardJson } from '../../sequencer/l1/artifacts.js';

test('a compile returns solc output without loading solc into this process', () => {
  const out = compileStandardJson({
    language: 'Solidity',
    sources: { 'Seven.sol': { content: 'pragma solidity ^0.8.0; contract Seven { function f() external pure returns (uint) { return 7; } }' } },
    settings: { outputSelection: { '*': { '*': ['evm.bytecode.object'] } } },
  });
  assert.deepEqual((out.errors ?? []).filter((e) => e.severity === 'error'), []);
  assert.match(out.contracts['Seven.sol'].Seven.evm.bytecode.object, /^[0-9a-f]{40,}$/);
  const solcModules = Object.keys(createRequire(import.meta.url).cache).filter((path) => /node_modules[\\/]solc[\\/]/.test(path));
  assert.deepEqual(solcModules, []);
});

test('a source that does not compile comes back as solc errors', () => {
  const out = compileStandardJson({ language: 'Solidity', sources: { 'Bad.sol': { content: 'contract Bad { function }' } }, settings: {} });
  assert.ok((out.errors ?? []).some((e) => e.severity === 'error'), JSON.stringify(out.errors));
});
