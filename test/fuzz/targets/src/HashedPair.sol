// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: a key split across two arguments, compared by hash with one the constructor derived.
///
/// `unlock(a, b)` opens the vault when `keccak256(abi.encode(a, b)) == keccak256(abi.encode(keyA, keyB))`
/// (the idiom for comparing tuples, strings and bytes). keyA and keyB are 128-bit words the constructor
/// derives from the deployment: in no bytecode, and never compared themselves, only their hash is. The raw
/// hashes tell a fuzzer nothing; only comparison feedback that maps both compared hashes back to their input
/// words (kernels/evm/cmp_log.h) learns the key.
///
/// Property: echidna_vault_closed (the vault is never opened).
/// Shortest breaking sequence (one call): `unlock(<storage slot 0>, <storage slot 1>)`.
contract HashedPair {
    uint256 private keyA;
    uint256 private keyB;
    bool public opened;

    constructor() {
        keyA = uint256(keccak256(abi.encode(address(this), block.chainid))) >> 128;
        keyB = uint256(keccak256(abi.encode(msg.sender, block.timestamp))) >> 128;
    }

    function unlock(uint256 a, uint256 b) external {
        if (keccak256(abi.encode(a, b)) == keccak256(abi.encode(keyA, keyB))) opened = true; // BUG: storage is readable
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_vault_closed() external view returns (bool) {
        return !opened;
    }
}
