// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {Correct} from "../src/Correct.sol";

contract CorrectTest is TestBase {
    Correct t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new Correct();
    }

    function _holds() internal view {
        assertTrue(t.echidna_supply_capped(), "supply capped");
        assertTrue(t.echidna_balances_le_supply(), "balances <= supply");
        assertTrue(t.echidna_owner_unchanged(), "owner unchanged");
    }

    /// A sensible sequence, including every attack the vulnerable targets fall to; the properties hold
    /// after each step.
    function test_propertiesHoldThroughASequence() public {
        _holds();
        vm.prank(DEPLOYER);
        t.mint(S1, 500 ether);
        _holds();
        vm.prank(S1);
        t.transfer(S2, 200 ether);
        _holds();
        vm.prank(S2);
        t.approve(S1, 50 ether);
        vm.prank(S1);
        t.transferFrom(S2, address(t), 50 ether);
        _holds();
        vm.prank(S2);
        t.burn(150 ether);
        _holds();
        // The Overflow exploit: an empty sender transfers 1.
        vm.prank(address(0x40000));
        vm.expectRevert(bytes("insufficient balance"));
        t.transfer(S1, 1);
        // Overspending the allowance.
        vm.prank(S1);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        t.transferFrom(S2, S1, 1);
        // A non-owner mint.
        vm.prank(S1);
        vm.expectRevert(bytes("not owner"));
        t.mint(S1, 1);
        // Above the cap.
        uint256 room = t.CAP() - t.totalSupply();
        vm.startPrank(DEPLOYER);
        vm.expectRevert(bytes("cap exceeded"));
        t.mint(S2, room + 1);
        t.mint(S2, room);
        vm.stopPrank();
        _holds();
        assertEq(t.totalSupply(), t.CAP(), "at the cap");
        assertEq(t.balanceOf(S1) + t.balanceOf(S2) + t.balanceOf(DEPLOYER) + t.balanceOf(address(t)), t.totalSupply(), "every token is accounted for");
    }
}
