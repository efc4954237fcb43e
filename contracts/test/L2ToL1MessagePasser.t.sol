// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./Base.sol";
import {L2ToL1MessagePasser} from "../src/L2ToL1MessagePasser.sol";
import {Rollup} from "../src/Rollup.sol";

contract L2ToL1MessagePasserTest is Test {
    L2ToL1MessagePasser p = new L2ToL1MessagePasser();
    address constant ALICE = address(0xa11ce);

    function test_initiateWithdrawal_recordsHashAtSlotZeroMappingAndBumpsNonce() public {
        vm.deal(ALICE, 5 ether);
        vm.prank(ALICE);
        bytes32 h = p.initiateWithdrawal{value: 1 ether}(address(0xbeef), hex"1234");
        assertEq(h, keccak256(abi.encode(uint256(0), ALICE, address(0xbeef), uint256(1 ether), hex"1234")), "hash");
        assertTrue(p.sentMessages(h), "recorded");
        assertEq(p.messageNonce(), 1, "nonce");
        assertEq(address(p).balance, 1 ether, "value locked");
        vm.prank(ALICE);
        bytes32 h2 = p.initiateWithdrawal(address(0xbeef), hex"1234");
        assertTrue(h2 != h, "nonce makes identical withdrawals distinct");
    }

    function test_hashMatchesRollup() public {
        Rollup r = new Rollup(address(1), address(2), bytes32(uint256(1)), 901, 1, 1);
        Rollup.Withdrawal memory w = Rollup.Withdrawal(7, ALICE, address(0xbeef), 3, hex"ff");
        assertEq(r.hashWithdrawal(w), p.hashWithdrawal(7, ALICE, address(0xbeef), 3, hex"ff"), "L1 and L2 hash alike");
    }
}
