// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {MultiStep} from "../src/MultiStep.sol";

contract MultiStepTest is TestBase {
    MultiStep t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new MultiStep();
    }

    /// The shortest break: four calls from one sender, a one-day time jump before release().
    function test_exploit_shortLockThenEarlyClaim() public {
        vm.startPrank(S1);
        t.deposit(1000);
        t.lock(1 days);
        vm.warp(1 + 1 days);
        t.release();
        t.claim(1000);
        vm.stopPrank();
        assertFalse(t.echidna_no_early_claim(), "property must break");
    }

    /// The intended path (a 30-day lock) keeps the property.
    function test_legitLockKeepsProperty() public {
        vm.startPrank(S2);
        t.deposit(2000);
        t.lock(30 days);
        vm.warp(1 + 30 days);
        t.release();
        t.claim(2000);
        vm.stopPrank();
        assertTrue(t.echidna_no_early_claim(), "holds after a full lock");
    }

    function test_eachStepIsGuarded() public {
        vm.startPrank(S1);
        vm.expectRevert(bytes("amount out of range"));
        t.deposit(999);
        vm.expectRevert(bytes("not deposited"));
        t.lock(1 days);
        t.deposit(1500);
        vm.expectRevert(bytes("duration out of range"));
        t.lock(1 days - 1);
        t.lock(2 days);
        vm.expectRevert(bytes("still locked"));
        t.release();
        vm.warp(1 + 2 days);
        t.release();
        vm.expectRevert(bytes("wrong amount"));
        t.claim(1000);
        vm.stopPrank();
        vm.prank(S2);
        vm.expectRevert(bytes("not depositor"));
        t.claim(1500);
        assertTrue(t.echidna_no_early_claim(), "nothing claimed yet");
    }

    function test_cancelGoesBackToStart() public {
        vm.startPrank(S1);
        t.deposit(1000);
        t.lock(1 days);
        t.cancel();
        vm.warp(1 + 1 days);
        vm.expectRevert(bytes("not locked"));
        t.release();
        vm.stopPrank();
        assertEq(uint256(t.stage()), 0, "empty again");
    }
}
