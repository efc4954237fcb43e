// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {Reentrancy} from "../src/Reentrancy.sol";

contract ReentrancyTest is TestBase {
    Reentrancy t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new Reentrancy();
    }

    function test_propertiesHoldAtDeploy() public view {
        assertTrue(t.echidna_bank_solvent(), "solvent");
        assertTrue(t.echidna_attacker_no_profit(), "no profit");
    }

    function test_plainDepositWithdrawKeepsProperties() public {
        vm.prank(S1);
        t.attackerDeposit(41); // clamped: deposits 1 + 41 % 100 ether = 42 wei
        assertEq(t.bank().deposits(address(t.attacker())), 42, "clamped deposit");
        assertTrue(t.echidna_bank_solvent(), "solvent after deposit");
        vm.prank(S2);
        t.attackerWithdraw(false);
        assertTrue(t.echidna_bank_solvent(), "solvent after plain withdraw");
        assertTrue(t.echidna_attacker_no_profit(), "no profit");
    }

    function test_withdrawWithoutDepositReverts() public {
        vm.prank(S1);
        vm.expectRevert(bytes("nothing deposited"));
        t.attackerWithdraw(true);
    }

    /// The shortest break: two calls.
    function test_exploit_reenterOnce() public {
        vm.prank(S1);
        t.attackerDeposit(type(uint256).max); // any value: clamped into 1..100 ether
        uint256 d = t.bank().deposits(address(t.attacker()));
        vm.prank(S1);
        t.attackerWithdraw(true);
        assertEq(t.token().balanceOf(address(t.attacker())), 100 ether + d, "paid twice");
        assertEq(t.token().balanceOf(address(t.bank())), 1000 ether - d, "the honest deposit is short");
        assertFalse(t.echidna_bank_solvent(), "solvency must break");
        assertFalse(t.echidna_attacker_no_profit(), "profit property must break");
    }
}
