// What a campaign calls and checks, read from the snapshot's ABIs: the state-changing functions of the
// callable contracts (plus their receive/fallback), and the target's properties (echidna_*/invariant_*
// functions taking nothing and returning bool) and optimization targets (echidna_opt_*/optimize_*, returning
// int256). Test-harness plumbing (setUp, targetContracts, forge's
// test*/IS_TEST/failed) is never called: it is not the code under test.
import type { Abi, AbiFunction } from 'viem';
import type { Address } from '../primitives/types.js';
import { functionCodec, type FunctionCodec } from './abi.js';
import type { DeployedContract, FuzzSnapshot } from './snapshot.js';
import { FuzzError, type PropertyCall } from './types.js';

export interface FuzzFunction {
  contract: string;
  address: Address;
  /** receive()/fallback() have an empty selector and no parameters (their calls carry empty calldata). */
  codec: FunctionCodec;
  payable: boolean;
}

export interface FuzzTargets {
  functions: FuzzFunction[];
  properties: PropertyCall[];
  /** The function a call's calldata selects on its target, if it is one of ours. */
  lookup(target: Address, data: Uint8Array): FuzzFunction | undefined;
}

type AbiBare = Extract<Abi[number], { type: 'receive' | 'fallback' }>;

const PROPERTY = /^(echidna_|invariant_)/;
/** Optimization targets (Echidna's and Medusa's names): their int256 result is maximized. */
const OPTIMIZE = /^(echidna_opt_|optimize_)/;
const HARNESS = new Set(['setUp', 'targetContracts', 'targetSenders', 'failed', 'IS_TEST']);

function isProperty(name: string): boolean {
  return PROPERTY.test(name) || OPTIMIZE.test(name);
}

export function fuzzTargets(snapshot: FuzzSnapshot): FuzzTargets {
  const functions = snapshot.callable.flatMap(callableFunctions);
  if (functions.length === 0) {
    throw new FuzzError(`${snapshot.callable.map((c) => c.name).join(', ')} ha${snapshot.callable.length === 1 ? 's' : 've'} no state-changing functions to call`);
  }
  const bySelector = new Map<Address, Map<number, FuzzFunction>>();
  for (const f of functions) {
    const m = bySelector.get(f.address) ?? new Map<number, FuzzFunction>();
    m.set(selectorKey(f.codec.selector), f);
    bySelector.set(f.address, m);
  }
  return {
    functions,
    properties: properties(snapshot.target),
    lookup: (target, data) => bySelector.get(target)?.get(selectorKey(data)),
  };
}

/** The first four calldata bytes as a number; -1 for calldata too short to select (receive/fallback). */
function selectorKey(data: Uint8Array): number {
  return data.length < 4 ? -1 : ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
}

function callableFunctions(c: DeployedContract): FuzzFunction[] {
  const fns = c.abi.filter((f): f is AbiFunction => f.type === 'function');
  const out: FuzzFunction[] = fns
    .filter((f) => f.stateMutability !== 'view' && f.stateMutability !== 'pure')
    .filter((f) => !isProperty(f.name) && !HARNESS.has(f.name) && !f.name.startsWith('test'))
    .map((f) => ({ contract: c.name, address: c.address, codec: functionCodec(f), payable: f.stateMutability === 'payable' }));
  // Plain ETH transfers reach receive() when there is one, else the fallback.
  const bare = c.abi.find((f): f is AbiBare => f.type === 'receive') ?? c.abi.find((f): f is AbiBare => f.type === 'fallback');
  if (bare !== undefined) {
    out.push({
      contract: c.name,
      address: c.address,
      codec: { name: bare.type, signature: `${bare.type}()`, selector: new Uint8Array(0), params: [], paramNames: [] },
      payable: bare.stateMutability === 'payable',
    });
  }
  return out;
}

function properties(target: DeployedContract): PropertyCall[] {
  return target.abi
    .filter((f): f is AbiFunction => f.type === 'function' && isProperty(f.name))
    .map((f) => {
      const optimize = OPTIMIZE.test(f.name);
      const returns = optimize ? 'int256' : 'bool';
      if (f.inputs.length !== 0 || f.outputs.length !== 1 || f.outputs[0]!.type !== returns) {
        throw new FuzzError(`${target.name}.${f.name} is named like ${optimize ? 'an optimization target' : 'a property'} but does not take nothing and return ${returns}`);
      }
      return { name: f.name, target: target.address, data: functionCodec(f).selector, ...(optimize ? { optimize } : {}) };
    });
}
