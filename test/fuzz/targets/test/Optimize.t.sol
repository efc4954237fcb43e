// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {Optimize} from "../src/Optimize.sol";

contract OptimizeTest is TestBase {
    Optimize t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new Optimize();
    }

    /// The maximum: both factors at int8's minimum, no penalty.
    function test_maximum() public {
        vm.startPrank(S1);
        t.setA(-128);
        t.setB(-128);
        vm.stopPrank();
        require(t.echidna_opt_product() == 16384, "(-128) * (-128) - 0");
    }

    /// The positive extremes give less, and the penalty and mixed signs go below zero.
    function test_otherSettingsGiveLess() public {
        vm.startPrank(S1);
        t.setA(127);
        t.setB(127);
        require(t.echidna_opt_product() == 16129, "127 * 127");
        t.setC(255);
        require(t.echidna_opt_product() == 16129 - 255, "penalty");
        t.setB(-128);
        require(t.echidna_opt_product() == -16256 - 255, "negative");
        vm.stopPrank();
    }
}
