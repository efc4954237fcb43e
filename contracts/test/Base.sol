// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// The cheatcodes we use (forge-std is not available offline here).
interface Vm {
    function prank(address) external;
    function startPrank(address) external;
    function stopPrank() external;
    function deal(address, uint256) external;
    function warp(uint256) external;
    function expectRevert(bytes calldata) external;
    function expectRevert(bytes4) external;
    function expectRevert() external;
    function blobhashes(bytes32[] calldata) external;
    function expectEmit(bool, bool, bool, bool) external;
}

/// A tiny test base: cheatcodes and assertions that revert with a readable message.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    function assertTrue(bool c, string memory m) internal pure {
        require(c, m);
    }

    function assertEq(uint256 a, uint256 b, string memory m) internal pure {
        if (a != b) revert(string.concat(m, ": ", _u(a), " != ", _u(b)));
    }

    function assertEq(bytes32 a, bytes32 b, string memory m) internal pure {
        if (a != b) revert(string.concat(m, ": bytes32 differ"));
    }

    function assertEq(address a, address b, string memory m) internal pure {
        if (a != b) revert(string.concat(m, ": addresses differ"));
    }

    function _u(uint256 v) private pure returns (string memory) {
        if (v == 0) return "0";
        bytes memory b;
        while (v != 0) {
            b = abi.encodePacked(bytes1(uint8(48 + (v % 10))), b);
            v /= 10;
        }
        return string(b);
    }
}
