// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target with no bug and more code per call than Correct.sol: a constant-product pool (0.3% fee) over
/// two internal token ledgers, with swaps and proportional liquidity. A fuzzer must raise no alarm on it;
/// it is the second benchmark target (bench/fuzz/), with a few SLOADs/SSTOREs and mul/div per call.
///
/// Each fuzz sender (0x10000, 0x20000, 0x30000) starts with START of both tokens; the pool is seeded from
/// the contract's own funds and those seed shares are locked (owned by the contract), so it never empties.
/// Amount arguments are clamped to what the caller holds (`x % (held + 1)`), echidna-harness style, so
/// random arguments mostly make successful calls instead of reverts.
///
/// Properties (all hold):
///  - echidna_token0_conserved / echidna_token1_conserved: the senders' balances plus the reserve always
///    equal the initial total (tokens only move between the senders and the pool).
///  - echidna_shares_conserved: the holders' shares sum to totalShares.
///  - echidna_pool_not_empty: both reserves stay positive.
contract CorrectAmm {
    uint256 public constant START = 1_000_000 ether;
    uint256 public constant SEED = 1000 ether;
    uint256 public constant TOTAL = 3 * START + SEED;

    address private constant S1 = address(0x10000);
    address private constant S2 = address(0x20000);
    address private constant S3 = address(0x30000);

    mapping(address => uint256) public balance0;
    mapping(address => uint256) public balance1;
    mapping(address => uint256) public shares;
    uint256 public reserve0;
    uint256 public reserve1;
    uint256 public totalShares;
    uint256 public swaps;

    constructor() {
        balance0[S1] = START;
        balance1[S1] = START;
        balance0[S2] = START;
        balance1[S2] = START;
        balance0[S3] = START;
        balance1[S3] = START;
        reserve0 = SEED;
        reserve1 = SEED;
        totalShares = SEED;
        shares[address(this)] = SEED; // locked forever
    }

    function swap0For1(uint256 amountIn) external returns (uint256 out) {
        amountIn = amountIn % (balance0[msg.sender] + 1);
        out = _quote(amountIn, reserve0, reserve1);
        require(out > 0, "no output");
        balance0[msg.sender] -= amountIn;
        reserve0 += amountIn;
        reserve1 -= out;
        balance1[msg.sender] += out;
        swaps += 1;
    }

    function swap1For0(uint256 amountIn) external returns (uint256 out) {
        amountIn = amountIn % (balance1[msg.sender] + 1);
        out = _quote(amountIn, reserve1, reserve0);
        require(out > 0, "no output");
        balance1[msg.sender] -= amountIn;
        reserve1 += amountIn;
        reserve0 -= out;
        balance0[msg.sender] += out;
        swaps += 1;
    }

    /// Adds `amount0` of token0 (clamped) and the matching token1 (rounded up, paid by the caller).
    function addLiquidity(uint256 amount0) external returns (uint256 minted) {
        amount0 = amount0 % (balance0[msg.sender] + 1);
        uint256 amount1 = (amount0 * reserve1 + reserve0 - 1) / reserve0;
        require(amount1 <= balance1[msg.sender], "not enough token1");
        minted = (amount0 * totalShares) / reserve0; // rounded down
        require(minted > 0, "nothing minted");
        balance0[msg.sender] -= amount0;
        balance1[msg.sender] -= amount1;
        reserve0 += amount0;
        reserve1 += amount1;
        totalShares += minted;
        shares[msg.sender] += minted;
    }

    /// Burns `share` (clamped) for its part of both reserves (rounded down).
    function removeLiquidity(uint256 share) external returns (uint256 out0, uint256 out1) {
        share = share % (shares[msg.sender] + 1);
        out0 = (share * reserve0) / totalShares;
        out1 = (share * reserve1) / totalShares;
        require(out0 > 0 || out1 > 0, "nothing out");
        shares[msg.sender] -= share;
        totalShares -= share;
        reserve0 -= out0;
        reserve1 -= out1;
        balance0[msg.sender] += out0;
        balance1[msg.sender] += out1;
    }

    function _quote(uint256 amountIn, uint256 rIn, uint256 rOut) private pure returns (uint256) {
        uint256 inWithFee = amountIn * 997;
        return (rOut * inWithFee) / (rIn * 1000 + inWithFee);
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_token0_conserved() external view returns (bool) {
        return balance0[S1] + balance0[S2] + balance0[S3] + reserve0 == TOTAL;
    }

    function echidna_token1_conserved() external view returns (bool) {
        return balance1[S1] + balance1[S2] + balance1[S3] + reserve1 == TOTAL;
    }

    function echidna_shares_conserved() external view returns (bool) {
        return shares[S1] + shares[S2] + shares[S3] + shares[address(this)] == totalShares;
    }

    function echidna_pool_not_empty() external view returns (bool) {
        return reserve0 > 0 && reserve1 > 0;
    }
}
