// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: a bug that needs a multi-step state, in order, with a time jump.
///
/// A one-slot timelock vault: deposit -> lock -> (time passes) -> release -> claim. The spec says a deposit
/// stays locked for at least MIN_LOCK (30 days), but `lock` accepts any duration from 1 day (the bug: it
/// checks against 1 days instead of MIN_LOCK). Each step has a condition on its argument and on the
/// sender, and `cancel` sends the vault back to the start, so random call orders rarely get far.
///
/// Property: echidna_no_early_claim: a claim never happens less than MIN_LOCK after its deposit.
/// Shortest breaking sequence (four calls, one sender S):
///   S: deposit(a) with 1000 <= a <= 2000
///   S: lock(d) with 1 days <= d < 30 days (the bug; 30 days .. 365 days is the legitimate range)
///   S: release() after a time jump of at least d (and the claim less than 30 days after the deposit)
///   S: claim(a) (the amount deposited)
/// e.g. deposit(1000), lock(86400), +86400 s: release(), claim(1000).
contract MultiStep {
    uint256 public constant MIN_LOCK = 30 days;

    enum Stage {
        Empty,
        Deposited,
        Locked,
        Released,
        Claimed
    }

    Stage public stage;
    address public depositor;
    uint256 public deposited;
    uint256 public depositedAt;
    uint256 public unlockAt;
    uint256 public claimedAt;

    function deposit(uint256 amount) external {
        require(stage == Stage.Empty, "not empty");
        require(amount >= 1000 && amount <= 2000, "amount out of range");
        depositor = msg.sender;
        deposited = amount;
        depositedAt = block.timestamp;
        stage = Stage.Deposited;
    }

    function lock(uint256 duration) external {
        require(stage == Stage.Deposited, "not deposited");
        require(msg.sender == depositor, "not depositor");
        // BUG: the lower bound should be MIN_LOCK.
        require(duration >= 1 days && duration <= 365 days, "duration out of range");
        unlockAt = block.timestamp + duration;
        stage = Stage.Locked;
    }

    function release() external {
        require(stage == Stage.Locked, "not locked");
        require(block.timestamp >= unlockAt, "still locked");
        stage = Stage.Released;
    }

    function claim(uint256 amount) external {
        require(stage == Stage.Released, "not released");
        require(msg.sender == depositor, "not depositor");
        require(amount == deposited, "wrong amount");
        claimedAt = block.timestamp;
        stage = Stage.Claimed;
    }

    /// The depositor gives up before the release: back to the start.
    function cancel() external {
        require(msg.sender == depositor, "not depositor");
        require(stage == Stage.Deposited || stage == Stage.Locked, "cannot cancel");
        stage = Stage.Empty;
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_no_early_claim() external view returns (bool) {
        return stage != Stage.Claimed || claimedAt >= depositedAt + MIN_LOCK;
    }
}
