// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A forge-style invariant harness (forge-std StdInvariant's selectors, no forge-std): the fuzzer calls the
/// contracts targetContracts() lists (not the harness) from the senders targetSenders() lists (not its
/// defaults). The bug spans both contracts: the keeper 0xbeef registers in the Registry, then opens the
/// Vault, which must stay closed.
contract Registry {
    mapping(address => bool) public registered;

    function register() external {
        registered[msg.sender] = true;
    }
}

contract Vault {
    Registry public immutable registry;
    bool public opened;

    constructor(Registry r) {
        registry = r;
    }

    function open() external {
        require(msg.sender == address(0xbeef), "not the keeper");
        require(registry.registered(msg.sender), "not registered");
        opened = true;
    }
}

contract MultiTarget {
    Registry public registry;
    Vault public vault;

    constructor() {
        registry = new Registry();
        vault = new Vault(registry);
    }

    function targetContracts() external view returns (address[] memory a) {
        a = new address[](2);
        a[0] = address(registry);
        a[1] = address(vault);
    }

    function targetSenders() external pure returns (address[] memory a) {
        a = new address[](1);
        a[0] = address(0xbeef);
    }

    function echidna_vault_closed() external view returns (bool) {
        return !vault.opened();
    }
}
