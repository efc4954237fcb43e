// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target: reentrancy. The harness (`Reentrancy`, the contract the fuzzer deploys and calls) creates a
/// token with a receive hook, a vulnerable bank, and an attacker contract, and exposes functions that drive
/// the attacker. The fuzz senders are EOAs and fuzz calls may carry no ETH, so the asset is a token whose
/// `transfer` calls the recipient's `onTokenReceived` hook (ERC-777/ERC-1363 style) instead of ETH and
/// `receive()`: the reentrancy is the same, and no call needs a value.
///
/// The bug: `Bank.withdraw` transfers before it zeroes the caller's deposit (checks-effects-interactions
/// violated). The attacker's hook re-enters `withdraw` once and is paid its deposit twice, out of the honest
/// depositor's funds.
///
/// Properties:
///  - echidna_bank_solvent: the bank holds at least the sum of the recorded deposits (harness + attacker).
///  - echidna_attacker_no_profit: the attacker never owns more than the 100 tokens it started with.
/// Shortest breaking sequence (two calls): `attackerDeposit(x)` (any x: it is clamped to 1..100 tokens),
/// then `attackerWithdraw(true)`. `attackerWithdraw(false)` is a plain, harmless withdrawal.

interface ITokenReceiver {
    function onTokenReceived(address from, uint256 amount) external;
}

/// A token that notifies contract recipients of a `transfer`.
contract HookToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    address public immutable minter;

    constructor() {
        minter = msg.sender;
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == minter, "not minter");
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        if (to.code.length > 0) ITokenReceiver(to).onTokenReceived(msg.sender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        return true;
    }
}

contract Bank {
    HookToken public immutable token;
    mapping(address => uint256) public deposits;

    constructor(HookToken t) {
        token = t;
    }

    function deposit(uint256 amount) external {
        token.transferFrom(msg.sender, address(this), amount);
        deposits[msg.sender] += amount;
    }

    function withdraw() external {
        uint256 amount = deposits[msg.sender];
        require(amount > 0, "nothing deposited");
        token.transfer(msg.sender, amount); // BUG: the interaction (recipient hook) comes before the effect
        deposits[msg.sender] = 0;
    }
}

contract Attacker is ITokenReceiver {
    HookToken public immutable token;
    Bank public immutable bank;
    address public immutable harness;
    bool public reenter;

    constructor(HookToken t, Bank b) {
        token = t;
        bank = b;
        harness = msg.sender;
    }

    modifier onlyHarness() {
        require(msg.sender == harness, "not harness");
        _;
    }

    function deposit(uint256 amount) external onlyHarness {
        token.approve(address(bank), amount);
        bank.deposit(amount);
    }

    function withdraw(bool reenterOnce) external onlyHarness {
        reenter = reenterOnce;
        bank.withdraw();
        reenter = false;
    }

    function onTokenReceived(address, uint256) external {
        require(msg.sender == address(token), "not token");
        if (reenter) {
            reenter = false;
            bank.withdraw(); // re-enters while deposits[this] is still set
        }
    }
}

contract Reentrancy {
    uint256 public constant HONEST_DEPOSIT = 1000 ether;
    uint256 public constant ATTACKER_FUNDS = 100 ether;

    HookToken public immutable token;
    Bank public immutable bank;
    Attacker public immutable attacker;

    constructor() {
        token = new HookToken();
        bank = new Bank(token);
        attacker = new Attacker(token, bank);
        // An honest depositor (the harness itself) puts 1000 tokens in the bank; the attacker holds 100.
        token.mint(address(this), HONEST_DEPOSIT);
        token.approve(address(bank), HONEST_DEPOSIT);
        bank.deposit(HONEST_DEPOSIT);
        token.mint(address(attacker), ATTACKER_FUNDS);
    }

    /// The attacker deposits 1..(its token balance) tokens: `amount` is clamped, so any value works while it
    /// has tokens (reverts when it has none).
    function attackerDeposit(uint256 amount) external {
        uint256 funds = token.balanceOf(address(attacker));
        require(funds > 0, "attacker has no tokens");
        attacker.deposit(1 + (amount % funds));
    }

    /// The attacker withdraws its deposit; with `reenterOnce` its hook re-enters the bank once.
    function attackerWithdraw(bool reenterOnce) external {
        attacker.withdraw(reenterOnce);
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_bank_solvent() external view returns (bool) {
        return token.balanceOf(address(bank)) >= bank.deposits(address(this)) + bank.deposits(address(attacker));
    }

    function echidna_attacker_no_profit() external view returns (bool) {
        return token.balanceOf(address(attacker)) + bank.deposits(address(attacker)) <= ATTACKER_FUNDS;
    }
}
