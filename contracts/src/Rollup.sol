// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RLPReader} from "./lib/RLPReader.sol";
import {MerkleTrie} from "./lib/MerkleTrie.sol";

/// @notice The L1 side of the rollup, in one contract:
///  - state commitments: the sequencer posts batches (index, previous and new L2 state root, L2 block range,
///    queue position and a commitment to the batch data: keccak256 of the calldata, or the keccak256 of the
///    EIP-4844 blob versioned hashes read with BLOBHASH in the same transaction); roots must chain.
///  - the L1 queue (deposits and forced inclusion): anyone enqueues an ETH deposit or a signed L2
///    transaction; items are hash-chained; a batch must consume every item older than the inclusion window.
///  - withdrawals: proven with a Merkle-Patricia storage proof against a posted L2 state root (slot of
///    L2ToL1MessagePasser.sentMessages), finalized after the challenge window, paid from deposited ETH.
/// There are no fraud or validity proofs: posted roots are trusted, and the challenge window only gives the
/// guardian time to roll back bad batches (see contracts/README.md).
contract Rollup {
    using RLPReader for bytes;

    // ---------------------------------------------------------------- types
    uint8 public constant DA_CALLDATA = 0;
    uint8 public constant DA_BLOBS = 1;
    uint8 public constant QUEUE_ETH_DEPOSIT = 0;
    uint8 public constant QUEUE_L2_TX = 1;
    uint256 public constant MAX_FORCED_TX_SIZE = 32 * 1024;
    address public constant L2_MESSAGE_PASSER = 0x4200000000000000000000000000000000000016;

    struct BatchHeader {
        uint256 batchIndex;
        bytes32 prevStateRoot;
        bytes32 newStateRoot;
        uint64 firstBlock;
        uint64 lastBlock;
        /// Total number of queue items consumed once this batch's blocks are applied.
        uint256 queueIndexAfter;
    }

    struct Batch {
        bytes32 stateRoot;
        bytes32 dataCommitment;
        uint64 firstBlock;
        uint64 lastBlock;
        uint64 postedAt;
        uint8 daKind;
        uint256 queueIndexAfter;
    }

    struct Withdrawal {
        uint256 nonce;
        address sender; // L2 sender
        address target; // L1 target
        uint256 value;
        bytes data;
    }

    struct ProvenWithdrawal {
        bytes32 stateRoot;
        uint64 batchIndex;
        uint64 provenAt;
    }

    // ---------------------------------------------------------------- errors
    error NotSequencer();
    error NotOwner();
    error NotGuardian();
    error WrongBatchIndex(uint256 expected, uint256 got);
    error PrevStateRootMismatch(bytes32 expected, bytes32 got);
    error ZeroStateRoot();
    error WrongBlockRange(uint64 expectedFirst, uint64 first, uint64 last);
    error QueueIndexOutOfRange(uint256 consumed, uint256 length, uint256 got);
    error ForcedInclusionRequired(uint256 queueIndex, uint256 deadline);
    error NoBlobs();
    error EmptyBatchData();
    error EmptyDeposit();
    error ForcedTxTooLarge(uint256 size);
    error UnknownBatch(uint256 batchIndex);
    error AccountNotInState();
    error WithdrawalNotInState();
    error AlreadyProven();
    error NotProven();
    error AlreadyFinalized();
    error ChallengeWindowOpen(uint256 finalizableAt);
    error ProvenRootRolledBack();
    error WithdrawalCallFailed();
    error CannotRollBackFinalizedBatch(uint256 batchIndex);

    // ---------------------------------------------------------------- events
    event BatchSubmitted(
        uint256 indexed batchIndex,
        bytes32 prevStateRoot,
        bytes32 newStateRoot,
        uint64 firstBlock,
        uint64 lastBlock,
        uint256 queueIndexAfter,
        uint8 daKind,
        bytes32 dataCommitment
    );
    event QueueItemAdded(
        uint256 indexed queueIndex,
        uint8 kind,
        address indexed l1Sender,
        address indexed to,
        uint256 value,
        bytes data,
        uint64 timestamp,
        bytes32 accumulator
    );
    event WithdrawalProven(bytes32 indexed withdrawalHash, uint256 indexed batchIndex);
    event WithdrawalFinalized(bytes32 indexed withdrawalHash, address indexed target, uint256 value);
    event BatchesRolledBack(uint256 fromBatchIndex, bytes32 restoredStateRoot);
    event SequencerChanged(address sequencer);

    // ---------------------------------------------------------------- state
    address public owner;
    address public sequencer;
    address public guardian;
    uint256 public immutable forceInclusionWindow; // seconds
    uint256 public immutable challengeWindow; // seconds
    uint256 public immutable l2ChainId;

    bytes32 public genesisStateRoot;
    Batch[] internal _batches;

    /// queueAccumulators[i] is the hash chain over items 0..i-1 (queueAccumulators[0] = 0).
    bytes32[] public queueAccumulators;
    uint64[] public queueTimestamps;
    uint256 public queueConsumed;

    mapping(bytes32 => ProvenWithdrawal) public provenWithdrawals;
    mapping(bytes32 => bool) public finalizedWithdrawals;

    constructor(
        address sequencer_,
        address guardian_,
        bytes32 genesisStateRoot_,
        uint256 l2ChainId_,
        uint256 forceInclusionWindow_,
        uint256 challengeWindow_
    ) {
        if (genesisStateRoot_ == bytes32(0)) revert ZeroStateRoot();
        owner = msg.sender;
        sequencer = sequencer_;
        guardian = guardian_;
        genesisStateRoot = genesisStateRoot_;
        l2ChainId = l2ChainId_;
        forceInclusionWindow = forceInclusionWindow_;
        challengeWindow = challengeWindow_;
        queueAccumulators.push(bytes32(0));
    }

    // ---------------------------------------------------------------- views
    function nextBatchIndex() public view returns (uint256) {
        return _batches.length;
    }

    function lastStateRoot() public view returns (bytes32) {
        return _batches.length == 0 ? genesisStateRoot : _batches[_batches.length - 1].stateRoot;
    }

    function lastL2Block() public view returns (uint64) {
        return _batches.length == 0 ? 0 : _batches[_batches.length - 1].lastBlock;
    }

    function batches(uint256 i) external view returns (Batch memory) {
        if (i >= _batches.length) revert UnknownBatch(i);
        return _batches[i];
    }

    function queueLength() public view returns (uint256) {
        return queueTimestamps.length;
    }

    /// @notice When the oldest unconsumed queue item must be included by (0 when nothing is queued).
    function nextForcedDeadline() external view returns (uint256) {
        return queueConsumed < queueTimestamps.length ? uint256(queueTimestamps[queueConsumed]) + forceInclusionWindow : 0;
    }

    function hashQueueItem(uint8 kind, address l1Sender, address to, uint256 value, bytes memory data, uint64 timestamp)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(kind, l1Sender, to, value, keccak256(data), timestamp));
    }

    function hashWithdrawal(Withdrawal calldata w) public pure returns (bytes32) {
        return keccak256(abi.encode(w.nonce, w.sender, w.target, w.value, w.data));
    }

    // ---------------------------------------------------------------- batches
    /// @notice Posts a batch whose data travels in this transaction's calldata.
    function submitBatch(BatchHeader calldata h, bytes calldata data) external {
        if (data.length == 0) revert EmptyBatchData();
        _submit(h, DA_CALLDATA, keccak256(data));
    }

    /// @notice Posts a batch whose data travels in this (type 3) transaction's blobs; the commitment is
    /// keccak256 of the concatenated versioned hashes, read with BLOBHASH.
    function submitBatchBlobs(BatchHeader calldata h) external {
        uint256 n;
        while (blobhash(n) != bytes32(0)) n++;
        if (n == 0) revert NoBlobs();
        bytes32[] memory hashes = new bytes32[](n);
        for (uint256 i; i < n; i++) hashes[i] = blobhash(i);
        _submit(h, DA_BLOBS, keccak256(abi.encodePacked(hashes)));
    }

    function _submit(BatchHeader calldata h, uint8 daKind, bytes32 commitment) internal {
        if (msg.sender != sequencer) revert NotSequencer();
        if (h.batchIndex != _batches.length) revert WrongBatchIndex(_batches.length, h.batchIndex);
        bytes32 last = lastStateRoot();
        if (h.prevStateRoot != last) revert PrevStateRootMismatch(last, h.prevStateRoot);
        if (h.newStateRoot == bytes32(0)) revert ZeroStateRoot();
        uint64 expectedFirst = lastL2Block() + 1;
        if (h.firstBlock != expectedFirst || h.lastBlock < h.firstBlock) revert WrongBlockRange(expectedFirst, h.firstBlock, h.lastBlock);
        uint256 qlen = queueTimestamps.length;
        if (h.queueIndexAfter < queueConsumed || h.queueIndexAfter > qlen) {
            revert QueueIndexOutOfRange(queueConsumed, qlen, h.queueIndexAfter);
        }
        // Forced inclusion: the first item left unconsumed must still be inside its window (items are in
        // timestamp order, so the later ones are too).
        if (h.queueIndexAfter < qlen) {
            uint256 deadline = uint256(queueTimestamps[h.queueIndexAfter]) + forceInclusionWindow;
            if (block.timestamp >= deadline) revert ForcedInclusionRequired(h.queueIndexAfter, deadline);
        }
        queueConsumed = h.queueIndexAfter;
        _batches.push(
            Batch({
                stateRoot: h.newStateRoot,
                dataCommitment: commitment,
                firstBlock: h.firstBlock,
                lastBlock: h.lastBlock,
                postedAt: uint64(block.timestamp),
                daKind: daKind,
                queueIndexAfter: h.queueIndexAfter
            })
        );
        emit BatchSubmitted(h.batchIndex, h.prevStateRoot, h.newStateRoot, h.firstBlock, h.lastBlock, h.queueIndexAfter, daKind, commitment);
    }

    // ---------------------------------------------------------------- queue
    /// @notice Deposits msg.value, minted on L2 to `to` at the start of the L2 block that consumes it.
    function depositETH(address to) external payable {
        if (msg.value == 0) revert EmptyDeposit();
        _enqueue(QUEUE_ETH_DEPOSIT, to, msg.value, "");
    }

    /// @notice Forces a signed L2 transaction (raw EIP-2718 bytes) into the L2 chain: the sequencer must
    /// apply it, in queue order, within the inclusion window. An invalid one (bad nonce, signature, chain id)
    /// is consumed without effect.
    function enqueueL2Transaction(bytes calldata signedTx) external {
        if (signedTx.length == 0 || signedTx.length > MAX_FORCED_TX_SIZE) revert ForcedTxTooLarge(signedTx.length);
        _enqueue(QUEUE_L2_TX, address(0), 0, signedTx);
    }

    function _enqueue(uint8 kind, address to, uint256 value, bytes memory data) internal {
        uint256 index = queueTimestamps.length;
        uint64 ts = uint64(block.timestamp);
        bytes32 acc = keccak256(abi.encode(queueAccumulators[index], hashQueueItem(kind, msg.sender, to, value, data, ts)));
        queueAccumulators.push(acc);
        queueTimestamps.push(ts);
        emit QueueItemAdded(index, kind, msg.sender, to, value, data, ts, acc);
    }

    // ---------------------------------------------------------------- withdrawals
    /// @notice Proves that L2ToL1MessagePasser.sentMessages[hash(w)] is true in the state root of batch
    /// `batchIndex`. accountProof is the eth_getProof accountProof of the message passer, storageProof the
    /// proof of its storage slot keccak256(abi.encode(withdrawalHash, 0)).
    function proveWithdrawal(
        Withdrawal calldata w,
        uint256 batchIndex,
        bytes[] calldata accountProof,
        bytes[] calldata storageProof
    ) external {
        if (batchIndex >= _batches.length) revert UnknownBatch(batchIndex);
        bytes32 wh = hashWithdrawal(w);
        if (finalizedWithdrawals[wh]) revert AlreadyFinalized();
        ProvenWithdrawal memory prev = provenWithdrawals[wh];
        // Re-proving is allowed only when the root it was proven against has been rolled back.
        if (prev.provenAt != 0 && _rootStillPosted(prev)) revert AlreadyProven();

        bytes32 root = _batches[batchIndex].stateRoot;
        bytes32 storageRoot = _storageRoot(root, L2_MESSAGE_PASSER, accountProof);
        bytes32 slot = keccak256(abi.encode(wh, uint256(0)));
        (bool found, bytes memory enc) = MerkleTrie.get(storageRoot, abi.encodePacked(keccak256(abi.encode(slot))), storageProof);
        if (!found) revert WithdrawalNotInState();
        RLPReader.Item memory v = enc.whole();
        if (enc.toUint(v) != 1) revert WithdrawalNotInState();

        provenWithdrawals[wh] = ProvenWithdrawal({stateRoot: root, batchIndex: uint64(batchIndex), provenAt: uint64(block.timestamp)});
        emit WithdrawalProven(wh, batchIndex);
    }

    /// @notice Pays a proven withdrawal once the challenge window has passed since both the batch was posted
    /// and the withdrawal was proven.
    function finalizeWithdrawal(Withdrawal calldata w) external {
        bytes32 wh = hashWithdrawal(w);
        if (finalizedWithdrawals[wh]) revert AlreadyFinalized();
        ProvenWithdrawal memory p = provenWithdrawals[wh];
        if (p.provenAt == 0) revert NotProven();
        if (!_rootStillPosted(p)) revert ProvenRootRolledBack();
        uint256 readyAt = _max(uint256(_batches[p.batchIndex].postedAt), uint256(p.provenAt)) + challengeWindow;
        if (block.timestamp < readyAt) revert ChallengeWindowOpen(readyAt);
        finalizedWithdrawals[wh] = true;
        (bool ok,) = w.target.call{value: w.value}(w.data);
        if (!ok) revert WithdrawalCallFailed();
        emit WithdrawalFinalized(wh, w.target, w.value);
    }

    function _rootStillPosted(ProvenWithdrawal memory p) internal view returns (bool) {
        return p.batchIndex < _batches.length && _batches[p.batchIndex].stateRoot == p.stateRoot;
    }

    function _storageRoot(bytes32 stateRoot, address account, bytes[] calldata accountProof) internal pure returns (bytes32) {
        (bool found, bytes memory acc) = MerkleTrie.get(stateRoot, abi.encodePacked(keccak256(abi.encodePacked(account))), accountProof);
        if (!found) revert AccountNotInState();
        RLPReader.Item[] memory f = acc.items(acc.whole()); // [nonce, balance, storageRoot, codeHash]
        if (f.length != 4) revert AccountNotInState();
        return acc.toBytes32(f[2]);
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }

    // ---------------------------------------------------------------- admin
    /// @notice The trust assumption made explicit: the guardian may discard batches whose challenge window
    /// is still open (a bad root seen by a verifier). Queue consumption is restored with them.
    function rollBack(uint256 fromBatchIndex) external {
        if (msg.sender != guardian) revert NotGuardian();
        if (fromBatchIndex >= _batches.length) revert UnknownBatch(fromBatchIndex);
        if (block.timestamp >= uint256(_batches[fromBatchIndex].postedAt) + challengeWindow) {
            revert CannotRollBackFinalizedBatch(fromBatchIndex);
        }
        while (_batches.length > fromBatchIndex) _batches.pop();
        queueConsumed = _batches.length == 0 ? 0 : _batches[_batches.length - 1].queueIndexAfter;
        emit BatchesRolledBack(fromBatchIndex, lastStateRoot());
    }

    function setSequencer(address s) external {
        if (msg.sender != owner) revert NotOwner();
        sequencer = s;
        emit SequencerChanged(s);
    }

    receive() external payable {
        revert EmptyDeposit(); // deposits go through depositETH so they are queued
    }
}
