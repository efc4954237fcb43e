// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: a key split across two arguments.
///
/// `unlock(hi, lo)` opens the vault when `hi` is a fixed tag (a PUSH constant) and `lo` is the keccak of
/// `hi`, computed at run time: the second half is in no bytecode, so only a fuzzer that sees what `lo` was
/// compared with (comparison feedback, input-to-state) gets both halves right.
///
/// Property: echidna_vault_closed (the vault is never opened).
/// Shortest breaking sequence (one call): `unlock(0x5eedf00d5eedf00d, uint256(keccak256(abi.encode(0x5eedf00d5eedf00d))))`.
contract SplitKey {
    uint256 private constant TAG = 0x5eedf00d5eedf00d;

    bool public opened;
    uint256 public attempts;

    function unlock(uint256 hi, uint256 lo) external {
        attempts += 1;
        if (hi != TAG) return;
        if (lo == uint256(keccak256(abi.encode(hi)))) opened = true; // BUG: a derivable "secret" half
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_vault_closed() external view returns (bool) {
        return !opened;
    }
}
