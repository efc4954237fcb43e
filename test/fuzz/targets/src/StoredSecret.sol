// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: a 32-byte value compared with one the constructor stored.
///
/// The "secret" is a keccak of the deployment's context, written to storage by the constructor: it is no
/// PUSH constant, yet anyone can read storage. Only comparison feedback (the stored word is an operand of
/// the EQ with the guess) finds it.
///
/// Property: echidna_vault_closed (the vault is never opened).
/// Shortest breaking sequence (one call): `guess(<storage slot 0>)`.
contract StoredSecret {
    bytes32 private secret;
    bool public opened;

    constructor() {
        secret = keccak256(abi.encode(address(this), msg.sender, block.timestamp));
    }

    function guess(bytes32 value) external {
        if (value == secret) opened = true; // BUG: storage is public, "private" only hides the getter
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_vault_closed() external view returns (bool) {
        return !opened;
    }
}
