// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./Base.sol";
import {Rollup} from "../src/Rollup.sol";
import {MerkleTrie} from "../src/lib/MerkleTrie.sol";
import {RLPReader} from "../src/lib/RLPReader.sol";
import {WithdrawalFixture as F} from "./fixtures/WithdrawalFixture.sol";

contract RollupTest is Test {
    Rollup r;
    address constant SEQ = address(0x5e0);
    address constant GUARD = address(0x6a);
    address constant ALICE = address(0xa11ce);
    bytes32 constant GENESIS = keccak256("genesis");
    uint256 constant WINDOW = 1 hours;
    uint256 constant CHALLENGE = 7 days;

    function setUp() public {
        vm.warp(1_700_000_000);
        r = new Rollup(SEQ, GUARD, GENESIS, 901, WINDOW, CHALLENGE);
        vm.deal(ALICE, 100 ether);
    }

    function _h(uint256 idx, bytes32 prev, bytes32 next, uint64 first, uint64 last, uint256 q)
        internal
        pure
        returns (Rollup.BatchHeader memory)
    {
        return Rollup.BatchHeader(idx, prev, next, first, last, q);
    }

    function _post(uint256 idx, bytes32 prev, bytes32 next, uint64 first, uint64 last, uint256 q) internal {
        vm.prank(SEQ);
        r.submitBatch(_h(idx, prev, next, first, last, q), hex"01");
    }

    // ------------------------------------------------------------ batches
    function test_submitBatch_calldata_storesRootAndCommitment() public {
        bytes memory data = hex"deadbeef00";
        vm.prank(SEQ);
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 10, 0), data);
        Rollup.Batch memory b = r.batches(0);
        assertEq(b.stateRoot, bytes32(uint256(1)), "root");
        assertEq(b.dataCommitment, keccak256(data), "commitment");
        assertEq(b.daKind, 0, "da kind");
        assertEq(b.lastBlock, 10, "last block");
        assertEq(r.lastStateRoot(), bytes32(uint256(1)), "last root");
        assertEq(r.nextBatchIndex(), 1, "next index");
        _post(1, bytes32(uint256(1)), bytes32(uint256(2)), 11, 11, 0);
        assertEq(r.lastL2Block(), 11, "last l2 block");
    }

    function test_submitBatch_blobs_commitsVersionedHashes() public {
        bytes32[] memory hs = new bytes32[](2);
        hs[0] = bytes32(uint256(0x01) << 248 | 7);
        hs[1] = bytes32(uint256(0x01) << 248 | 8);
        vm.blobhashes(hs);
        vm.prank(SEQ);
        r.submitBatchBlobs(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 0));
        Rollup.Batch memory b = r.batches(0);
        assertEq(b.dataCommitment, keccak256(abi.encodePacked(hs)), "blob commitment");
        assertEq(b.daKind, 1, "da kind");
    }

    function test_submitBatchBlobs_revertsWithoutBlobs() public {
        vm.prank(SEQ);
        vm.expectRevert(Rollup.NoBlobs.selector);
        r.submitBatchBlobs(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 0));
    }

    function test_submitBatch_revertsForNonSequencer() public {
        vm.prank(ALICE);
        vm.expectRevert(Rollup.NotSequencer.selector);
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 0), hex"01");
    }

    function test_submitBatch_revertsOnEmptyData() public {
        vm.prank(SEQ);
        vm.expectRevert(Rollup.EmptyBatchData.selector);
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 0), "");
    }

    function test_submitBatch_revertsOnWrongIndex() public {
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.WrongBatchIndex.selector, 0, 1));
        r.submitBatch(_h(1, GENESIS, bytes32(uint256(1)), 1, 1, 0), hex"01");
    }

    function test_submitBatch_revertsOnReplay() public {
        _post(0, GENESIS, bytes32(uint256(1)), 1, 1, 0);
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.WrongBatchIndex.selector, 1, 0));
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 0), hex"01");
    }

    function test_submitBatch_revertsOnBrokenRootChain() public {
        _post(0, GENESIS, bytes32(uint256(1)), 1, 1, 0);
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.PrevStateRootMismatch.selector, bytes32(uint256(1)), bytes32(uint256(9))));
        r.submitBatch(_h(1, bytes32(uint256(9)), bytes32(uint256(2)), 2, 2, 0), hex"01");
    }

    function test_submitBatch_revertsOnZeroRoot() public {
        vm.prank(SEQ);
        vm.expectRevert(Rollup.ZeroStateRoot.selector);
        r.submitBatch(_h(0, GENESIS, bytes32(0), 1, 1, 0), hex"01");
    }

    function test_submitBatch_revertsOnBlockGapOrEmptyRange() public {
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.WrongBlockRange.selector, 1, 2, 3));
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 2, 3, 0), hex"01");
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.WrongBlockRange.selector, 1, 1, 0));
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 0, 0), hex"01");
    }

    function test_setSequencer_onlyOwner() public {
        vm.prank(ALICE);
        vm.expectRevert(Rollup.NotOwner.selector);
        r.setSequencer(ALICE);
        r.setSequencer(ALICE);
        vm.prank(ALICE);
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 0), hex"01");
    }

    // ------------------------------------------------------------ queue
    function test_queue_hashChainAndEvents() public {
        vm.prank(ALICE);
        r.depositETH{value: 1 ether}(address(0xb0b));
        vm.warp(block.timestamp + 5);
        vm.prank(ALICE);
        r.enqueueL2Transaction(hex"02f86b");
        assertEq(r.queueLength(), 2, "length");
        bytes32 i0 = r.hashQueueItem(0, ALICE, address(0xb0b), 1 ether, "", uint64(block.timestamp - 5));
        bytes32 a1 = keccak256(abi.encode(bytes32(0), i0));
        assertEq(r.queueAccumulators(1), a1, "acc 1");
        bytes32 i1 = r.hashQueueItem(1, ALICE, address(0), 0, hex"02f86b", uint64(block.timestamp));
        assertEq(r.queueAccumulators(2), keccak256(abi.encode(a1, i1)), "acc 2");
        assertEq(address(r).balance, 1 ether, "eth held");
    }

    function test_queue_rejectsEmptyDepositAndBadForcedTx() public {
        vm.prank(ALICE);
        vm.expectRevert(Rollup.EmptyDeposit.selector);
        r.depositETH(ALICE);
        vm.expectRevert(abi.encodeWithSelector(Rollup.ForcedTxTooLarge.selector, 0));
        r.enqueueL2Transaction("");
        bytes memory big = new bytes(32 * 1024 + 1);
        vm.expectRevert(abi.encodeWithSelector(Rollup.ForcedTxTooLarge.selector, big.length));
        r.enqueueL2Transaction(big);
        vm.prank(ALICE);
        (bool ok,) = address(r).call{value: 1}("");
        assertTrue(!ok, "plain ETH transfer must not be accepted unqueued");
    }

    function test_forcedInclusion_withinWindow_mayBeSkipped() public {
        r.enqueueL2Transaction(hex"aa");
        vm.warp(block.timestamp + WINDOW - 1);
        _post(0, GENESIS, bytes32(uint256(1)), 1, 1, 0); // skipping is fine while the window is open
        assertEq(r.queueConsumed(), 0, "nothing consumed");
    }

    function test_forcedInclusion_pastWindow_batchSkippingRevertsAndIncludingPasses() public {
        r.enqueueL2Transaction(hex"aa");
        uint256 deadline = block.timestamp + WINDOW;
        r.enqueueL2Transaction(hex"bb");
        vm.warp(deadline);
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.ForcedInclusionRequired.selector, 0, deadline));
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 0), hex"01");
        // Including only the first is not enough: the second is just as old.
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.ForcedInclusionRequired.selector, 1, deadline));
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 1), hex"01");
        _post(0, GENESIS, bytes32(uint256(1)), 1, 1, 2);
        assertEq(r.queueConsumed(), 2, "consumed");
        assertEq(r.nextForcedDeadline(), 0, "nothing pending");
    }

    function test_queue_consumptionMustBeInRangeAndMonotonic() public {
        r.enqueueL2Transaction(hex"aa");
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.QueueIndexOutOfRange.selector, 0, 1, 2));
        r.submitBatch(_h(0, GENESIS, bytes32(uint256(1)), 1, 1, 2), hex"01");
        _post(0, GENESIS, bytes32(uint256(1)), 1, 1, 1);
        vm.prank(SEQ);
        vm.expectRevert(abi.encodeWithSelector(Rollup.QueueIndexOutOfRange.selector, 1, 1, 0));
        r.submitBatch(_h(1, bytes32(uint256(1)), bytes32(uint256(2)), 2, 2, 0), hex"01");
    }

    // ------------------------------------------------------------ withdrawals
    function _w(uint256 nonce) internal pure returns (Rollup.Withdrawal memory) {
        return Rollup.Withdrawal(nonce, F.SENDER, F.TARGET, 1000 + nonce, "");
    }

    function _postFixtureRoot() internal {
        vm.prank(ALICE);
        r.depositETH{value: 1 ether}(ALICE); // liquidity for payouts
        _post(0, GENESIS, F.STATE_ROOT, 1, 5, 1);
    }

    function test_withdrawal_proveAndFinalizeAfterWindow() public {
        _postFixtureRoot();
        r.proveWithdrawal(_w(0), 0, F.accountProof(), F.storageProof0());
        r.proveWithdrawal(_w(2), 0, F.accountProof(), F.storageProof2());
        uint256 readyAt = block.timestamp + CHALLENGE;
        vm.warp(readyAt - 1);
        vm.expectRevert(abi.encodeWithSelector(Rollup.ChallengeWindowOpen.selector, readyAt));
        r.finalizeWithdrawal(_w(0));
        vm.warp(readyAt);
        r.finalizeWithdrawal(_w(0));
        assertEq(F.TARGET.balance, 1000, "paid");
        vm.expectRevert(Rollup.AlreadyFinalized.selector);
        r.finalizeWithdrawal(_w(0));
        vm.expectRevert(Rollup.AlreadyFinalized.selector);
        r.proveWithdrawal(_w(0), 0, F.accountProof(), F.storageProof0());
        r.finalizeWithdrawal(_w(2));
        assertEq(F.TARGET.balance, 2002, "paid twice");
    }

    function test_withdrawal_unprovenCannotFinalize() public {
        _postFixtureRoot();
        vm.expectRevert(Rollup.NotProven.selector);
        r.finalizeWithdrawal(_w(0));
    }

    function test_withdrawal_doubleProveReverts() public {
        _postFixtureRoot();
        r.proveWithdrawal(_w(0), 0, F.accountProof(), F.storageProof0());
        vm.expectRevert(Rollup.AlreadyProven.selector);
        r.proveWithdrawal(_w(0), 0, F.accountProof(), F.storageProof0());
    }

    function test_withdrawal_notSentIsRejectedByExclusionProof() public {
        _postFixtureRoot();
        vm.expectRevert(Rollup.WithdrawalNotInState.selector);
        r.proveWithdrawal(_w(4), 0, F.accountProof(), F.storageProof4());
    }

    function test_withdrawal_wrongFieldsDoNotMatchProof() public {
        _postFixtureRoot();
        Rollup.Withdrawal memory w = _w(0);
        w.value = 10 ether; // claim more than was sent on L2: the slot differs, the proof fails
        vm.expectRevert();
        r.proveWithdrawal(w, 0, F.accountProof(), F.storageProof0());
    }

    function test_withdrawal_tamperedProofReverts() public {
        _postFixtureRoot();
        bytes[] memory ap = F.accountProof();
        ap[1][40] = bytes1(uint8(ap[1][40]) ^ 1);
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "node hash mismatch"));
        r.proveWithdrawal(_w(0), 0, ap, F.storageProof0());
        bytes[] memory sp = F.storageProof0();
        sp[0][3] = bytes1(uint8(sp[0][3]) ^ 1);
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "root hash mismatch"));
        r.proveWithdrawal(_w(0), 0, F.accountProof(), sp);
    }

    function test_withdrawal_proofAgainstOtherRootFails() public {
        _post(0, GENESIS, keccak256("other root"), 1, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "root hash mismatch"));
        r.proveWithdrawal(_w(0), 0, F.accountProof(), F.storageProof0());
        vm.expectRevert(abi.encodeWithSelector(Rollup.UnknownBatch.selector, 1));
        r.proveWithdrawal(_w(0), 1, F.accountProof(), F.storageProof0());
    }

    /// Any single corrupted byte in either proof makes proving fail: it never proves a withdrawal.
    function testFuzz_corruptedProofNeverProves(uint256 which, uint256 node, uint256 pos, uint8 flip) public {
        if (flip == 0) flip = 1;
        _postFixtureRoot();
        bytes[] memory ap = F.accountProof();
        bytes[] memory sp = F.storageProof0();
        bytes[] memory p = which % 2 == 0 ? ap : sp;
        bytes memory n = p[node % p.length];
        n[pos % n.length] = bytes1(uint8(n[pos % n.length]) ^ flip);
        try r.proveWithdrawal(_w(0), 0, ap, sp) {
            revert("a corrupted proof proved a withdrawal");
        } catch {}
        (,, uint64 provenAt) = r.provenWithdrawals(r.hashWithdrawal(_w(0)));
        assertEq(provenAt, 0, "not proven");
    }

    // ------------------------------------------------------------ guardian rollback
    function test_rollBack_withinWindowInvalidatesProvenWithdrawal() public {
        _postFixtureRoot();
        r.proveWithdrawal(_w(0), 0, F.accountProof(), F.storageProof0());
        vm.prank(ALICE);
        vm.expectRevert(Rollup.NotGuardian.selector);
        r.rollBack(0);
        vm.prank(GUARD);
        r.rollBack(0);
        assertEq(r.nextBatchIndex(), 0, "batches gone");
        assertEq(r.lastStateRoot(), GENESIS, "root restored");
        assertEq(r.queueConsumed(), 0, "queue restored");
        vm.warp(block.timestamp + CHALLENGE);
        vm.expectRevert(Rollup.ProvenRootRolledBack.selector);
        r.finalizeWithdrawal(_w(0));
    }

    function test_rollBack_notAfterWindow() public {
        _post(0, GENESIS, bytes32(uint256(1)), 1, 1, 0);
        vm.warp(block.timestamp + CHALLENGE);
        vm.prank(GUARD);
        vm.expectRevert(abi.encodeWithSelector(Rollup.CannotRollBackFinalizedBatch.selector, 0));
        r.rollBack(0);
    }
}

contract TrieHarness {
    function get(bytes32 root, bytes memory key, bytes[] memory proof) external pure returns (bool, bytes memory) {
        return MerkleTrie.get(root, key, proof);
    }

    function rlpWhole(bytes memory b) external pure returns (uint256 offset, uint256 length, bool isList) {
        RLPReader.Item memory it = RLPReader.whole(b);
        return (it.offset, it.length, it.isList);
    }
}

contract MerkleTrieTest is Test {
    TrieHarness t = new TrieHarness();

    function test_accountProof_yieldsAccountRlp() public view {
        (bool found, bytes memory acc) =
            t.get(F.STATE_ROOT, abi.encodePacked(keccak256(abi.encodePacked(address(0x4200000000000000000000000000000000000016)))), F.accountProof());
        assertTrue(found, "account found");
        assertTrue(acc.length > 64, "account rlp");
    }

    function test_proofOfAnotherKeyReverts() public {
        // The passer's proof diverges from 0xdead's path below the root: the next node is not in it.
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "node hash mismatch"));
        t.get(F.STATE_ROOT, abi.encodePacked(keccak256(abi.encodePacked(address(0xdead)))), F.accountProof());
    }

    function test_inlineNodes_areFollowedInPlace() public view {
        (bool found, bytes memory v) = t.get(F.SMALL_ROOT, hex"0101", F.inlineProof0101());
        assertTrue(found, "inline leaf found");
        assertEq(keccak256(v), keccak256(hex"22"), "inline value");
        // Only the hashed nodes are needed: the embedded ones may be left out, as geth does.
        bytes[] memory full = F.inlineProof0101();
        bytes[] memory hashedOnly = new bytes[](2);
        hashedOnly[0] = full[0];
        hashedOnly[1] = full[1];
        (found, v) = t.get(F.SMALL_ROOT, hex"0101", hashedOnly);
        assertTrue(found && keccak256(v) == keccak256(hex"22"), "hashed nodes suffice");
    }

    function test_absentKey_exclusionProof() public view {
        (bool found,) = t.get(F.SMALL_ROOT, hex"0103", F.absentProof0103());
        assertTrue(!found, "absent key not found");
        (found,) = t.get(F.SMALL_ROOT, hex"0102", F.inlineProof0101());
        assertTrue(found, "sibling in the same inline branch is found too");
    }

    function test_emptyProofReverts() public {
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "empty proof"));
        t.get(F.STATE_ROOT, hex"00", new bytes[](0));
    }

    function test_emptyTrie_absenceNeedsNoNodes() public view {
        (bool found,) = t.get(keccak256(hex"80"), hex"00", new bytes[](0));
        assertTrue(!found, "nothing is in the empty trie");
    }

    function test_truncatedProofReverts() public {
        bytes[] memory full = F.accountProof();
        bytes[] memory p = new bytes[](1);
        p[0] = full[0];
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "proof too short"));
        t.get(F.STATE_ROOT, abi.encodePacked(keccak256(abi.encodePacked(address(0x4200000000000000000000000000000000000016)))), p);
    }

    function test_rlp_rejectsNonCanonicalAndOverflow() public {
        (uint256 o, uint256 l, bool list) = t.rlpWhole(hex"c3010203");
        assertEq(o, 1, "offset");
        assertEq(l, 3, "len");
        assertTrue(list, "list");
        vm.expectRevert(RLPReader.RLPMalformed.selector);
        t.rlpWhole(hex"8101"); // single byte < 0x80 must not be prefixed
        vm.expectRevert(RLPReader.RLPMalformed.selector);
        t.rlpWhole(hex"c5010203"); // list longer than the buffer
        vm.expectRevert(RLPReader.RLPMalformed.selector);
        t.rlpWhole(hex"b801ff"); // long form for a short string
    }
}
