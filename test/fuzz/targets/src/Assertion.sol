// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: an assertion failure (Panic(0x01)) reachable with one specific input.
///
/// `buy` applies a percentage discount to a fixed price. The author asserts the discounted price is never
/// zero, but the range check allows a 100% discount (`<=` where `<` was meant), and then the price is 0.
/// A uint8 argument has 256 values and only one of them (100) fails; 100 is also a PUSH1 constant (0x64).
///
/// Property: echidna_discount_bounded holds (it is here so the target has one; it never breaks). The
/// finding is the assertion: one call, `buy(100)` from any sender, reverts with Panic(0x01).
contract Assertion {
    uint256 public constant PRICE = 250;

    uint8 public lastDiscount;
    uint256 public lastPrice;
    uint256 public sold;

    function buy(uint8 discountPct) external returns (uint256 price) {
        require(discountPct <= 100, "discount above 100%"); // BUG: should be < 100
        price = (PRICE * (100 - discountPct)) / 100;
        assert(price > 0); // fails for discountPct == 100
        lastDiscount = discountPct;
        lastPrice = price;
        sold += 1;
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_discount_bounded() external view returns (bool) {
        return lastDiscount <= 100;
    }
}
