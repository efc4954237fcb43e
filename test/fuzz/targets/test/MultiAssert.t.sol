// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {MultiAssert} from "../src/MultiAssert.sol";

contract MultiAssertTest is TestBase {
    MultiAssert t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new MultiAssert();
    }

    function test_noPanicWithoutTheBugs() public {
        vm.startPrank(S1);
        t.fire(3); // not armed yet
        t.arm(1);
        t.fire(3);
        t.stamp(0xbeee);
        t.halve(type(uint256).max);
        vm.stopPrank();
    }

    /// Finding 1: fire(3) fails its assert once armed.
    function test_exploit_fire() public {
        vm.startPrank(S1);
        t.arm(0xa11ce);
        vm.expectRevert(PANIC_ASSERT);
        t.fire(3);
        vm.stopPrank();
    }

    /// Finding 2: stamp(0xbeef) fails its assert.
    function test_exploit_stamp() public {
        vm.prank(S1);
        vm.expectRevert(PANIC_ASSERT);
        t.stamp(0xbeef);
    }
}
