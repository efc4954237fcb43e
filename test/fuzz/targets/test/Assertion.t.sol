// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {Assertion} from "../src/Assertion.sol";

contract AssertionTest is TestBase {
    Assertion t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new Assertion();
    }

    function test_otherDiscountsWork() public {
        vm.startPrank(S1);
        assertEq(t.buy(0), 250, "full price");
        assertEq(t.buy(99), 2, "99% off");
        vm.expectRevert(bytes("discount above 100%"));
        t.buy(101);
        vm.stopPrank();
        assertTrue(t.echidna_discount_bounded(), "property holds");
    }

    /// The finding: buy(100) fails its assert (Panic(0x01)).
    function test_exploit_fullDiscountPanics() public {
        vm.prank(S1);
        vm.expectRevert(PANIC_ASSERT);
        t.buy(100);
    }
}
