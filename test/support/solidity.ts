// Compiles Solidity sources in-process with npm solc (Cancun, optimizer on) into the fuzzer's artifact shape.
import { createRequire } from 'node:module';
import type { ContractArtifact } from '../../sequencer/fuzz/artifacts.js';
import { hexToU8 } from '../../sequencer/primitives/types.js';

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: ContractArtifact['abi']; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

export function compileSolidity(sources: Record<string, string>): ContractArtifact[] {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([k, content]) => [k, { content }])),
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  return Object.entries(out.contracts).flatMap(([sourcePath, byName]) =>
    Object.entries(byName).map(([name, c]) => ({
      name,
      sourcePath,
      abi: c.abi,
      bytecode: hexToU8(`0x${c.evm.bytecode.object}`),
      deployedBytecode: hexToU8(`0x${c.evm.deployedBytecode.object}`),
    })),
  );
}
