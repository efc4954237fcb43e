// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: a magic value compared after arithmetic on the input.
///
/// `redeem(code)` shifts the code by a salt and compares the result with a magic value. Both constants are
/// in the runtime bytecode, the code that opens the vault (MAGIC - SALT) is not (the salt is an immutable,
/// so solc cannot fold the subtraction): a dictionary of PUSH constants misses it, comparison feedback sees
/// `code + SALT` next to MAGIC and shifts the argument by the difference.
///
/// Property: echidna_vault_closed (the vault is never opened).
/// Shortest breaking sequence (one call): `redeem(0x1337c0dedeadbeef - 0xa11ce5a17)`.
contract OffsetMagic {
    uint256 private immutable SALT;
    uint256 private constant MAGIC = 0x1337c0dedeadbeef;

    bool public opened;
    uint256 public shifted;

    constructor() {
        SALT = 0xa11ce5a17;
    }

    function redeem(uint256 code) external {
        unchecked {
            shifted = code + SALT;
        }
        if (shifted == MAGIC) opened = true; // BUG: a redeem code derivable from the bytecode
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_vault_closed() external view returns (bool) {
        return !opened;
    }
}
