// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Fuzz target with no bug: a capped token of the same shape as Overflow.sol (plus allowances, mint, burn),
/// with checked arithmetic and a working owner check. A fuzzer must raise no alarm on it. It is also the
/// benchmark target (bench/fuzz/): since nothing breaks, every campaign runs its full length.
///
/// Properties (all hold):
///  - echidna_supply_capped: totalSupply <= CAP.
///  - echidna_balances_le_supply: the three fuzz senders' and this contract's balances sum to at most
///    totalSupply (no holder can exceed the supply, no wrap).
///  - echidna_owner_unchanged: the owner is always the deployer (there is no ownership transfer).
contract Correct {
    uint256 public constant CAP = 10_000_000 ether;
    uint256 public constant INITIAL_SUPPLY = 1_000_000 ether;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public totalSupply;
    address public owner;
    /// The deployer, fixed at construction (the property compares against it).
    address public immutable deployer;

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    constructor() {
        owner = msg.sender;
        deployer = msg.sender;
        balanceOf[msg.sender] = INITIAL_SUPPLY;
        totalSupply = INITIAL_SUPPLY;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount; // checked: reverts above the allowance
        _move(from, to, amount);
        return true;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        require(to != address(0), "zero address");
        require(totalSupply + amount <= CAP, "cap exceeded");
        totalSupply += amount;
        balanceOf[to] += amount;
    }

    function burn(uint256 amount) external {
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;
    }

    function _move(address from, address to, uint256 amount) private {
        require(to != address(0), "zero address");
        require(balanceOf[from] >= amount, "insufficient balance");
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
    }

    // ---- properties ----------------------------------------------------------------------------------

    function echidna_supply_capped() external view returns (bool) {
        return totalSupply <= CAP;
    }

    function echidna_balances_le_supply() external view returns (bool) {
        return balanceOf[address(0x10000)] + balanceOf[address(0x20000)] + balanceOf[address(0x30000)]
            + balanceOf[address(this)] <= totalSupply;
    }

    function echidna_owner_unchanged() external view returns (bool) {
        return owner == deployer;
    }
}
