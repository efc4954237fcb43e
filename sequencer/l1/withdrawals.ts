// Withdrawals, L2 side: the message passer predeploy's storage layout, withdrawal hashes, and the
// Merkle-Patricia proofs (account + storage, eth_getProof shape) the L1 Rollup contract verifies.
import { encodeAbiParameters, keccak256, type Hex as VHex } from 'viem';
import type { GenesisAccount, WorldState } from '../state/world-state.js';
import { loadArtifacts } from './artifacts.js';
import { hexToU8, type Address, type Hex } from '../primitives/types.js';

export const L2_MESSAGE_PASSER: Address = '0x4200000000000000000000000000000000000016';

export interface WithdrawalMessage {
  nonce: bigint;
  sender: Address;
  target: Address;
  value: bigint;
  data: Hex;
}

export function hashWithdrawal(w: WithdrawalMessage): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'address' }, { type: 'address' }, { type: 'uint256' }, { type: 'bytes' }],
      [w.nonce, w.sender, w.target, w.value, w.data as VHex],
    ),
  );
}

/** Storage slot of sentMessages[withdrawalHash] (mapping at slot 0). */
export function sentMessageSlot(withdrawalHash: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [withdrawalHash, 0n]));
}

export interface WithdrawalProof {
  stateRoot: Hex;
  accountProof: Hex[];
  storageProof: Hex[];
}

/** Proofs of sentMessages[hash] in `state` (its tries are brought up to date first). */
export async function proveWithdrawalInState(state: WorldState, withdrawalHash: Hex): Promise<WithdrawalProof> {
  if (state.getAccount(L2_MESSAGE_PASSER) === undefined) throw new Error('message passer does not exist in this state');
  const proof = await state.proof(L2_MESSAGE_PASSER, [sentMessageSlot(withdrawalHash)]);
  return { stateRoot: proof.stateRoot, accountProof: proof.accountProof, storageProof: proof.storageProofs[0] };
}

/** The L2 genesis entry of the message passer predeploy (the node must include it in its genesis alloc). */
export function messagePasserGenesis(): [Address, GenesisAccount] {
  return [L2_MESSAGE_PASSER, { code: hexToU8(loadArtifacts().L2ToL1MessagePasser.deployedBytecode) }];
}
