// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// The cheatcodes these tests use (no forge-std offline).
interface Vm {
    function prank(address) external;
    function startPrank(address) external;
    function stopPrank() external;
    function warp(uint256) external;
    function expectRevert(bytes calldata) external;
    function expectRevert() external;
    function load(address target, bytes32 slot) external view returns (bytes32);
}

/// A tiny test base. The targets are deployed as the fuzzer deploys them: from 0x30000 (the deployer, also
/// a fuzz sender), called by 0x10000, 0x20000, 0x30000, at block timestamp 1.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address internal constant S1 = address(0x10000);
    address internal constant S2 = address(0x20000);
    address internal constant DEPLOYER = address(0x30000);

    bytes internal constant PANIC_ASSERT = abi.encodeWithSignature("Panic(uint256)", 0x01);

    function assertTrue(bool c, string memory m) internal pure {
        require(c, m);
    }

    function assertFalse(bool c, string memory m) internal pure {
        require(!c, m);
    }

    function assertEq(uint256 a, uint256 b, string memory m) internal pure {
        require(a == b, m);
    }

    function assertEq(address a, address b, string memory m) internal pure {
        require(a == b, m);
    }
}
