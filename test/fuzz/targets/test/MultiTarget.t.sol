// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {MultiTarget, Vault} from "../src/MultiTarget.sol";

contract MultiTargetTest is TestBase {
    MultiTarget t;
    address constant KEEPER = address(0xbeef);

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new MultiTarget();
    }

    function test_harnessLists() public view {
        address[] memory contracts = t.targetContracts();
        assertEq(contracts.length, 2, "two target contracts");
        assertEq(contracts[0], address(t.registry()), "registry");
        assertEq(contracts[1], address(t.vault()), "vault");
        address[] memory senders = t.targetSenders();
        assertEq(senders.length, 1, "one sender");
        assertEq(senders[0], KEEPER, "the keeper");
    }

    function test_othersCannotOpen() public {
        vm.startPrank(S1);
        t.registry().register();
        Vault v = t.vault();
        vm.expectRevert(bytes("not the keeper"));
        v.open();
        vm.stopPrank();
        vm.prank(KEEPER);
        vm.expectRevert(bytes("not registered"));
        v.open();
        assertTrue(t.echidna_vault_closed(), "still closed");
    }

    /// The finding: the keeper registers, then opens the vault.
    function test_exploit_keeperOpens() public {
        vm.startPrank(KEEPER);
        t.registry().register();
        t.vault().open();
        vm.stopPrank();
        assertFalse(t.echidna_vault_closed(), "vault opened");
    }
}
