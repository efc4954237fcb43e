// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {Overflow} from "../src/Overflow.sol";

contract OverflowTest is TestBase {
    Overflow t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new Overflow();
    }

    function test_propertyHoldsAtDeploy() public view {
        assertEq(t.balanceOf(DEPLOYER), t.totalSupply(), "deployer holds the supply");
        assertTrue(t.echidna_balance_le_supply(), "holds at deploy");
    }

    function test_legitTransferKeepsProperty() public {
        vm.prank(DEPLOYER);
        t.transfer(S1, 5 ether);
        vm.prank(S1);
        t.transfer(S2, 2 ether);
        assertEq(t.balanceOf(S2), 2 ether, "moved");
        assertTrue(t.echidna_balance_le_supply(), "holds after legit transfers");
    }

    /// The shortest break: one call, a sender without tokens transfers 1.
    function test_exploit_underflowFromEmptySender() public {
        vm.prank(S1);
        t.transfer(S2, 1);
        assertEq(t.balanceOf(S1), type(uint256).max, "balance wrapped");
        assertFalse(t.echidna_balance_le_supply(), "property must break");
    }

    function test_exploit_deployerOverspends() public {
        vm.prank(DEPLOYER);
        t.transfer(S1, t.INITIAL_SUPPLY() + 1);
        assertFalse(t.echidna_balance_le_supply(), "property must break");
    }

    function test_burnIsChecked() public {
        vm.prank(S1);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        t.burn(1);
    }
}
