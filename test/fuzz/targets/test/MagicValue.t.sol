// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {MagicValue} from "../src/MagicValue.sol";

contract MagicValueTest is TestBase {
    MagicValue t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new MagicValue();
    }

    function test_nearMissesKeepItClosed() public {
        vm.startPrank(S1);
        t.unlock(0x1337c0dedeadbeee);
        t.unlock(0x1337c0dedeadbef0);
        t.unlock(0x1337c0de);
        t.unlock(type(uint256).max);
        t.unlockHashed(0x1337c0dedeadbeef);
        vm.stopPrank();
        assertEq(t.failedAttempts(), 4, "failed attempts");
        assertTrue(t.echidna_vault_closed(), "still closed");
    }

    /// The shortest break: one call with the magic value.
    function test_exploit_magicKey() public {
        vm.prank(S2);
        t.unlock(0x1337c0dedeadbeef);
        assertFalse(t.echidna_vault_closed(), "property must break");
    }
}
