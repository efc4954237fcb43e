// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Minimal RLP decoding over `bytes memory`, by offsets (no copies until asked).
/// An item is (offset of its payload, payload length, isList). Every read is bounds-checked and
/// non-canonical length prefixes are rejected, so a malformed proof reverts instead of being misread.
library RLPReader {
    error RLPMalformed();

    struct Item {
        uint256 start; // offset of the item's first (prefix) byte
        uint256 offset; // offset of the payload
        uint256 length; // payload length
        bool isList;
    }

    /// @notice Decodes the header of the item starting at `start`; the item must end within `b`.
    function readAt(bytes memory b, uint256 start) internal pure returns (Item memory it) {
        if (start >= b.length) revert RLPMalformed();
        uint256 p = uint8(b[start]);
        it.start = start;
        if (p < 0x80) {
            it.offset = start;
            it.length = 1;
        } else if (p < 0xb8) {
            it.offset = start + 1;
            it.length = p - 0x80;
            if (it.length == 1 && (start + 1 >= b.length || uint8(b[start + 1]) < 0x80)) revert RLPMalformed();
        } else if (p < 0xc0) {
            uint256 ll = p - 0xb7;
            it.length = _be(b, start + 1, ll);
            if (it.length < 56) revert RLPMalformed();
            it.offset = start + 1 + ll;
        } else if (p < 0xf8) {
            it.offset = start + 1;
            it.length = p - 0xc0;
            it.isList = true;
        } else {
            uint256 ll = p - 0xf7;
            it.length = _be(b, start + 1, ll);
            if (it.length < 56) revert RLPMalformed();
            it.offset = start + 1 + ll;
            it.isList = true;
        }
        if (it.offset + it.length > b.length) revert RLPMalformed();
    }

    /// @notice The whole of `b` as one item (trailing bytes are an error).
    function whole(bytes memory b) internal pure returns (Item memory it) {
        it = readAt(b, 0);
        if (it.offset + it.length != b.length) revert RLPMalformed();
    }

    /// @notice The elements of a list item.
    function items(bytes memory b, Item memory list) internal pure returns (Item[] memory out) {
        if (!list.isList) revert RLPMalformed();
        uint256 end = list.offset + list.length;
        uint256 n;
        for (uint256 pos = list.offset; pos < end; n++) {
            Item memory e = readAt(b, pos);
            pos = e.offset + e.length;
            if (pos > end) revert RLPMalformed();
        }
        out = new Item[](n);
        uint256 pos2 = list.offset;
        for (uint256 i; i < n; i++) {
            out[i] = readAt(b, pos2);
            pos2 = out[i].offset + out[i].length;
        }
    }

    /// @notice The payload of a string item, copied.
    function payload(bytes memory b, Item memory it) internal pure returns (bytes memory out) {
        if (it.isList) revert RLPMalformed();
        out = slice(b, it.offset, it.length);
    }

    /// @notice The full encoding (prefix + payload) of an item, copied.
    function encoding(bytes memory b, Item memory it) internal pure returns (bytes memory) {
        return slice(b, it.start, it.offset + it.length - it.start);
    }

    /// @notice A string item of at most 32 bytes read as a big-endian unsigned integer.
    function toUint(bytes memory b, Item memory it) internal pure returns (uint256) {
        if (it.isList || it.length > 32) revert RLPMalformed();
        return _be(b, it.offset, it.length);
    }

    /// @notice A 32-byte string item as bytes32.
    function toBytes32(bytes memory b, Item memory it) internal pure returns (bytes32 r) {
        if (it.isList || it.length != 32) revert RLPMalformed();
        uint256 o = it.offset;
        assembly {
            r := mload(add(add(b, 32), o))
        }
    }

    function slice(bytes memory b, uint256 off, uint256 len) internal pure returns (bytes memory out) {
        if (off + len > b.length) revert RLPMalformed();
        out = new bytes(len);
        for (uint256 i; i < len; i++) out[i] = b[off + i];
    }

    function _be(bytes memory b, uint256 off, uint256 len) private pure returns (uint256 v) {
        if (len > 32 || off + len > b.length) revert RLPMalformed();
        for (uint256 i; i < len; i++) v = (v << 8) | uint8(b[off + i]);
    }
}
