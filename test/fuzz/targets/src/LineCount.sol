// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Coverage-report fixture (test/fuzz/coverage-report.test.ts): its corpus is written by hand, so how many
// calls run each line is known. Not a bug target: it has no properties.
contract LineCount {
  uint256 internal total;
  uint256 internal marks;

  function add(uint256 x) external {
    require(x < 100, "too big");
    total += x;
  }

  function addTwice(uint256 x) external {
    if (x == 0) {
      revert("zero");
    }
    total += 2 * x;
  }

  function never(uint256 x) external {
    marks = x + 7;
  }

  function fail(uint256 x) external {
    marks = x;
    revert("always");
  }
}
