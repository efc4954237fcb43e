// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RLPReader} from "./RLPReader.sol";

/// @notice Verifies Merkle-Patricia trie inclusion proofs in the form eth_getProof returns them: the list of
/// RLP-encoded nodes from the root down. Nodes shorter than 32 bytes embedded in their parent are followed
/// in place. Keys are the raw trie keys (already keccak-hashed for the state and storage tries).
library MerkleTrie {
    using RLPReader for bytes;

    error InvalidProof(string reason);

    /// keccak256(rlp("")): the root of the trie with no keys.
    bytes32 internal constant EMPTY_TRIE_ROOT = 0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421;

    /// @notice The value stored under `key` in the trie with root `root`, or found=false when the proof
    /// shows the key is absent. Reverts when the proof does not hash-link to `root` or is malformed.
    function get(bytes32 root, bytes memory key, bytes[] memory proof) internal pure returns (bool found, bytes memory value) {
        if (proof.length == 0) {
            // The empty trie holds no key, and eth_getProof proves that with no nodes at all (e.g. the storage
            // of a contract that never wrote a slot).
            if (root == EMPTY_TRIE_ROOT) return (false, "");
            revert InvalidProof("empty proof");
        }
        uint256 nKey = key.length * 2;
        uint256 k; // nibbles of the key consumed
        uint256 pi = 1; // next proof element
        bytes memory node = proof[0];
        if (keccak256(node) != root) revert InvalidProof("root hash mismatch");
        RLPReader.Item memory cur = node.whole();

        while (true) {
            RLPReader.Item[] memory its = node.items(cur);
            RLPReader.Item memory next;
            if (its.length == 17) {
                if (k == nKey) {
                    value = node.payload(its[16]);
                    return (value.length != 0, value);
                }
                next = its[_nibble(key, k)];
                k++;
            } else if (its.length == 2) {
                (bool ok, bool leaf, uint256 k2) = _followPath(node.payload(its[0]), key, k);
                if (!ok) return (false, "");
                k = k2;
                if (leaf) {
                    if (k != nKey) return (false, "");
                    value = node.payload(its[1]);
                    return (value.length != 0, value);
                }
                next = its[1];
            } else {
                revert InvalidProof("bad node");
            }

            // Follow the child reference: inline node, 32-byte hash, or empty.
            if (next.isList) {
                cur = next; // embedded node: keep walking inside the same buffer
            } else if (next.length == 32) {
                bytes32 h = node.toBytes32(next);
                if (pi >= proof.length) revert InvalidProof("proof too short");
                node = proof[pi++];
                if (keccak256(node) != h) revert InvalidProof("node hash mismatch");
                cur = node.whole();
            } else if (next.length == 0) {
                return (false, "");
            } else {
                revert InvalidProof("bad child reference");
            }
        }
    }

    /// Matches a leaf/extension node's compact-encoded path against the key from nibble k.
    function _followPath(bytes memory path, bytes memory key, uint256 k) private pure returns (bool ok, bool leaf, uint256 kAfter) {
        if (path.length == 0) revert InvalidProof("empty path");
        uint8 flag = uint8(path[0]) >> 4;
        if (flag > 3) revert InvalidProof("bad path flag");
        leaf = flag >= 2;
        uint256 pathStart = (flag & 1) == 1 ? 1 : 2; // nibble index within `path`
        uint256 pathLen = path.length * 2 - pathStart;
        if (k + pathLen > key.length * 2) return (false, leaf, k);
        for (uint256 i; i < pathLen; i++) {
            if (_nibble(path, pathStart + i) != _nibble(key, k + i)) return (false, leaf, k);
        }
        return (true, leaf, k + pathLen);
    }

    function _nibble(bytes memory b, uint256 i) private pure returns (uint8) {
        uint8 v = uint8(b[i / 2]);
        return i % 2 == 0 ? v >> 4 : v & 0x0f;
    }
}
