// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: an integer underflow inside `unchecked`.
///
/// A minimal token. The deployer (0x30000) gets the whole supply. `transfer` was "gas optimised" with an
/// `unchecked` block, and its balance check was written as `balance - amount >= 0`, which is always true
/// for a uint (and inside `unchecked` the subtraction wraps instead of reverting). A sender with too small a
/// balance therefore wraps its balance to nearly 2**256.
///
/// Property: no holder ever has more than the total supply (checked for the three fuzz senders).
/// Shortest breaking sequence (one call): 0x10000 (which holds nothing) calls `transfer(anyone, 1)`;
/// its balance becomes 2**256 - 1. (Or the deployer transfers more than INITIAL_SUPPLY.)
contract Overflow {
    uint256 public constant INITIAL_SUPPLY = 1_000_000 ether;

    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;

    constructor() {
        balanceOf[msg.sender] = INITIAL_SUPPLY;
        totalSupply = INITIAL_SUPPLY;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        unchecked {
            // BUG: always true for a uint; the intended check is balanceOf[msg.sender] >= amount.
            require(balanceOf[msg.sender] - amount >= 0, "insufficient balance");
            balanceOf[msg.sender] -= amount; // wraps below zero
            balanceOf[to] += amount;
        }
        return true;
    }

    /// Burning is checked (reverts on underflow): it is not the bug.
    function burn(uint256 amount) external {
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_balance_le_supply() external view returns (bool) {
        return balanceOf[address(0x10000)] <= totalSupply && balanceOf[address(0x20000)] <= totalSupply
            && balanceOf[address(0x30000)] <= totalSupply;
    }
}
