// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {SplitKey} from "../src/SplitKey.sol";

contract SplitKeyTest is TestBase {
    SplitKey t;
    uint256 constant TAG = 0x5eedf00d5eedf00d;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new SplitKey();
    }

    function test_halvesAloneKeepItClosed() public {
        vm.startPrank(S1);
        t.unlock(TAG, TAG);
        t.unlock(uint256(keccak256(abi.encode(TAG))), uint256(keccak256(abi.encode(TAG))));
        t.unlock(TAG + 1, uint256(keccak256(abi.encode(TAG + 1))));
        vm.stopPrank();
        assertEq(t.attempts(), 3, "attempts");
        assertTrue(t.echidna_vault_closed(), "still closed");
    }

    /// The shortest break: the tag and its keccak.
    function test_exploit_splitKey() public {
        vm.prank(S2);
        t.unlock(TAG, uint256(keccak256(abi.encode(TAG))));
        assertFalse(t.echidna_vault_closed(), "property must break");
    }
}
