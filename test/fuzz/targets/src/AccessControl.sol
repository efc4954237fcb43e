// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: a missing access check (an initializer that can be called again).
///
/// A treasury written to sit behind a proxy: `initialize` sets the owner and is meant to run once, guarded
/// by `initialized`, but it never sets the flag (and the constructor calls it too). So anyone can call
/// `initialize(self)` at any time, become the owner, and withdraw the treasury. (There is deliberately no
/// legitimate ownership transfer: the deployer 0x30000 is a fuzz sender too, so the owner must never change.)
///
/// Properties:
///  - echidna_owner_unchanged: the owner is always the deployer.
///    Shortest break (one call): 0x10000 calls `initialize(0x10000)` (any address but the deployer).
///  - echidna_only_owner_withdraws: nothing is ever paid out to anyone but the deployer.
///    Shortest break (two calls): 0x10000 calls `initialize(0x10000)`, then `withdraw(1)` (1..treasury).
contract AccessControl {
    address public owner;
    bool public initialized;
    /// The deployer, fixed at construction (the property compares against it).
    address public immutable deployer;

    uint256 public treasury = 1_000_000 ether;
    mapping(address => uint256) public paid;
    /// Sum paid to addresses other than the deployer.
    uint256 public paidToOthers;

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    constructor() {
        deployer = msg.sender;
        initialize(msg.sender);
    }

    function initialize(address newOwner) public {
        require(!initialized, "already initialized");
        require(newOwner != address(0), "zero owner");
        owner = newOwner;
        // BUG: missing `initialized = true;`
    }

    /// The owner pays itself out of the treasury.
    function withdraw(uint256 amount) external onlyOwner {
        require(amount > 0 && amount <= treasury, "bad amount");
        treasury -= amount;
        paid[msg.sender] += amount;
        if (msg.sender != deployer) paidToOthers += amount;
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_owner_unchanged() external view returns (bool) {
        return owner == deployer;
    }

    function echidna_only_owner_withdraws() external view returns (bool) {
        return paidToOthers == 0;
    }
}
