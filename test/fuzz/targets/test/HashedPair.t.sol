// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {HashedPair} from "../src/HashedPair.sol";

contract HashedPairTest is TestBase {
    HashedPair t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new HashedPair();
    }

    function test_oneHalfKeepsItClosed() public {
        uint256 keyA = uint256(vm.load(address(t), bytes32(uint256(0))));
        uint256 keyB = uint256(vm.load(address(t), bytes32(uint256(1))));
        vm.startPrank(S1);
        t.unlock(keyA, 0);
        t.unlock(0, keyB);
        t.unlock(keyB, keyA);
        vm.stopPrank();
        assertTrue(t.echidna_vault_closed(), "still closed");
    }

    /// The shortest break: the two words the constructor stored.
    function test_exploit_hashedPair() public {
        uint256 keyA = uint256(vm.load(address(t), bytes32(uint256(0))));
        uint256 keyB = uint256(vm.load(address(t), bytes32(uint256(1))));
        vm.prank(S2);
        t.unlock(keyA, keyB);
        assertFalse(t.echidna_vault_closed(), "property must break");
    }
}
