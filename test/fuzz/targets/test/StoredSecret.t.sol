// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {StoredSecret} from "../src/StoredSecret.sol";

contract StoredSecretTest is TestBase {
    StoredSecret t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new StoredSecret();
    }

    function test_wrongGuessesKeepItClosed() public {
        bytes32 secret = vm.load(address(t), bytes32(0));
        vm.startPrank(S1);
        t.guess(bytes32(0));
        t.guess(bytes32(uint256(secret) ^ 1));
        vm.stopPrank();
        assertTrue(t.echidna_vault_closed(), "still closed");
    }

    /// The shortest break: the word the constructor stored in slot 0.
    function test_exploit_storedSecret() public {
        bytes32 secret = vm.load(address(t), bytes32(0));
        vm.prank(S2);
        t.guess(secret);
        assertFalse(t.echidna_vault_closed(), "property must break");
    }
}
