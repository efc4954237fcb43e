// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Forge invariant tests over the benchmark targets, set up the way our fuzzer runs them: the target is
// deployed by 0x30000 and called by 0x10000, 0x20000, 0x30000 (targetSenders), and only the target is
// called (targetContracts). Forge reads those two selectors without forge-std.
//
// Forge runs one campaign (runs x depth calls) per invariant_* function and checks only that function
// after each call, so each contract has ONE invariant that checks every echidna_* property of its target:
// one campaign per contract, every property checked after every call (as our fuzzer does).
// Runs and depth come from FOUNDRY_INVARIANT_RUNS / FOUNDRY_INVARIANT_DEPTH (fail_on_revert = false).

import {Correct} from "targets/Correct.sol";
import {CorrectAmm} from "targets/CorrectAmm.sol";

interface Vm {
    function prank(address) external;
}

abstract contract FuzzSetup {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    address internal constant DEPLOYER = address(0x30000);
    address internal target;

    function targetContracts() public view returns (address[] memory a) {
        a = new address[](1);
        a[0] = target;
    }

    function targetSenders() public pure returns (address[] memory a) {
        a = new address[](3);
        a[0] = address(0x10000);
        a[1] = address(0x20000);
        a[2] = address(0x30000);
    }
}

contract CorrectInvariants is FuzzSetup {
    Correct internal t;

    function setUp() public {
        vm.prank(DEPLOYER);
        t = new Correct();
        target = address(t);
    }

    function invariant_properties() public view {
        require(t.echidna_supply_capped(), "echidna_supply_capped");
        require(t.echidna_balances_le_supply(), "echidna_balances_le_supply");
        require(t.echidna_owner_unchanged(), "echidna_owner_unchanged");
    }
}

contract CorrectAmmInvariants is FuzzSetup {
    CorrectAmm internal t;

    function setUp() public {
        vm.prank(DEPLOYER);
        t = new CorrectAmm();
        target = address(t);
    }

    function invariant_properties() public view {
        require(t.echidna_token0_conserved(), "echidna_token0_conserved");
        require(t.echidna_token1_conserved(), "echidna_token1_conserved");
        require(t.echidna_shares_conserved(), "echidna_shares_conserved");
        require(t.echidna_pool_not_empty(), "echidna_pool_not_empty");
    }
}
