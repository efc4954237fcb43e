// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Per-function assertion checks: two functions fail an assert (Panic(0x01)) for different reasons, two
/// never do; each function's failures are its own finding.
///  - fire(v) asserts v != 3 once arm(0xa11ce) armed it (2 calls);
///  - stamp(x) asserts x != 0xbeef (1 call);
///  - arm and halve never fail an assertion.
contract MultiAssert {
    bool public armed;
    uint256 public last;

    function arm(uint256 key) external {
        if (key == 0xa11ce) armed = true;
    }

    function fire(uint256 v) external {
        last = v;
        if (armed) assert(v != 3);
    }

    function stamp(uint16 x) external {
        last = x;
        assert(x != 0xbeef);
    }

    function halve(uint256 x) external {
        last = x / 2;
    }
}
