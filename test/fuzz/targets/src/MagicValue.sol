// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: a bug behind a magic value.
///
/// `unlock` takes a full uint256 but opens the vault only for one 64-bit key, a leftover debug backdoor.
/// The key is a PUSH8 immediate in the runtime bytecode (0x67 1337c0dedeadbeef), so a fuzzer that seeds its
/// value dictionary from the bytecode's PUSH constants finds it at once; guessing it among 2**256 values
/// (or even 2**64) does not.
///
/// Property: echidna_vault_closed (the vault is never opened).
/// Shortest breaking sequence (one call): `unlock(0x1337c0dedeadbeef)` from any sender.
contract MagicValue {
    uint256 private constant BACKDOOR = 0x1337c0dedeadbeef;

    bool public opened;
    uint256 public failedAttempts;

    function unlock(uint256 key) external {
        if (key == BACKDOOR) opened = true; // BUG: debug backdoor left in
        else failedAttempts += 1;
    }

    /// A decoy: a 256-bit comparison with a value that is not in the bytecode (a keccak), never reachable.
    function unlockHashed(uint256 key) external {
        if (keccak256(abi.encode(key)) == keccak256("correct horse battery staple")) opened = true;
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_vault_closed() external view returns (bool) {
        return !opened;
    }
}
