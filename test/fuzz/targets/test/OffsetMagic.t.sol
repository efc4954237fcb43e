// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {OffsetMagic} from "../src/OffsetMagic.sol";

contract OffsetMagicTest is TestBase {
    OffsetMagic t;

    function setUp() public {
        vm.warp(1);
        vm.prank(DEPLOYER);
        t = new OffsetMagic();
    }

    function test_constantsKeepItClosed() public {
        vm.startPrank(S1);
        t.redeem(0x1337c0dedeadbeef);
        t.redeem(0xa11ce5a17);
        t.redeem(0x1337c0dedeadbeef - 0xa11ce5a17 + 1);
        vm.stopPrank();
        assertTrue(t.echidna_vault_closed(), "still closed");
    }

    /// The shortest break: the magic value less the salt.
    function test_exploit_offsetMagic() public {
        vm.prank(S2);
        t.redeem(0x1337c0dedeadbeef - 0xa11ce5a17);
        assertFalse(t.echidna_vault_closed(), "property must break");
    }
}
