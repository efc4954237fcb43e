// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Optimization-mode target (no bug): echidna_opt_product() returns a * b - c over two int8 settings and a
/// uint8 penalty. Its maximum, (-128) * (-128) - 0 = 16384, needs both factors at int8's minimum (127 * 127
/// is only 16129) and the penalty at 0; values run from -16511 to 16384, so an unsigned comparison would
/// pick the wrong best.
contract Optimize {
    int8 public a;
    int8 public b;
    uint8 public c;

    function setA(int8 v) external {
        a = v;
    }

    function setB(int8 v) external {
        b = v;
    }

    function setC(uint8 v) external {
        c = v;
    }

    function echidna_opt_product() external view returns (int256) {
        return int256(a) * int256(b) - int256(uint256(c));
    }
}
