// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {CorrectAmm} from "../src/CorrectAmm.sol";

contract CorrectAmmTest is TestBase {
    CorrectAmm t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new CorrectAmm();
    }

    function _holds() internal view {
        assertTrue(t.echidna_token0_conserved(), "token0 conserved");
        assertTrue(t.echidna_token1_conserved(), "token1 conserved");
        assertTrue(t.echidna_shares_conserved(), "shares conserved");
        assertTrue(t.echidna_pool_not_empty(), "pool not empty");
    }

    function test_propertiesHoldThroughASequence() public {
        _holds();
        vm.prank(S1);
        uint256 out = t.swap0For1(10 ether);
        assertTrue(out > 0 && out < 10 ether, "swap with price impact and fee");
        _holds();
        vm.prank(S2);
        uint256 minted = t.addLiquidity(500 ether);
        assertTrue(minted > 0, "minted");
        _holds();
        vm.prank(DEPLOYER);
        t.swap1For0(type(uint256).max); // clamped: sells up to its whole token1 balance
        _holds();
        vm.prank(S2);
        (uint256 o0, uint256 o1) = t.removeLiquidity(minted); // all of its shares
        assertTrue(o0 > 0 && o1 > 0, "removed");
        assertEq(t.shares(S2), 0, "S2 has no shares left");
        _holds();
        // The largest possible sell still leaves both reserves positive.
        vm.startPrank(S1);
        t.swap0For1(t.balance0(S1));
        vm.stopPrank();
        _holds();
        assertEq(t.swaps(), 3, "three swaps");
    }

    function test_emptyInputsRevert() public {
        vm.startPrank(S1);
        vm.expectRevert(bytes("no output"));
        t.swap0For1(0);
        vm.expectRevert(bytes("nothing out"));
        t.removeLiquidity(5); // S1 holds no shares: clamped to 0
        vm.stopPrank();
    }
}
