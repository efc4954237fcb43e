// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice L2 system contract (predeploy at 0x4200000000000000000000000000000000000016): records withdrawal
/// messages. `sentMessages` MUST stay the first state variable (slot 0): the L1 Rollup contract proves
/// `sentMessages[withdrawalHash] == true` with a storage proof of slot keccak256(withdrawalHash . 0)
/// against a posted L2 state root. The ETH sent with a withdrawal stays locked here on L2 (burnt for L2
/// purposes); the L1 Rollup pays it out from the deposits it holds.
contract L2ToL1MessagePasser {
    mapping(bytes32 => bool) public sentMessages; // slot 0
    uint256 public messageNonce; // slot 1

    event MessagePassed(
        uint256 indexed nonce, address indexed sender, address indexed target, uint256 value, bytes data, bytes32 withdrawalHash
    );

    /// @notice Starts a withdrawal of msg.value to `target` on L1, calling it with `data` when finalized.
    function initiateWithdrawal(address target, bytes calldata data) external payable returns (bytes32 withdrawalHash) {
        uint256 nonce = messageNonce++;
        withdrawalHash = hashWithdrawal(nonce, msg.sender, target, msg.value, data);
        sentMessages[withdrawalHash] = true;
        emit MessagePassed(nonce, msg.sender, target, msg.value, data, withdrawalHash);
    }

    function hashWithdrawal(uint256 nonce, address sender, address target, uint256 value, bytes memory data)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(nonce, sender, target, value, data));
    }
}
