// Comparison log for fuzzing: the operands of EQ, LT, GT, SLT, SGT, SUB, XOR and ISZERO (against 0) that an
// instance executed (solc's optimizer compiles `a == b` as EQ, as ISZERO(SUB), as XOR or, against a constant C,
// as ADD(a, ~(C-1)) before a JUMPI: an ADD of a negative word is logged as the SUB it is), in a fixed hash table (CMP_SLOTS entries, indexed by the operands so a repeated
// comparison takes its own slot again). The host feeds them back: the values into the dictionary, and an
// argument equal to one operand replaced by the other (input-to-state). Null in the sequencer, like Ctx::cov.
//
// Comparisons of KECCAK256 outputs (`keccak256(abi.encode(a, b)) == keccak256(abi.encode(x, y))`, the idiom
// for comparing tuples, strings and bytes) are useless as raw hashes: the log also remembers the instance's
// recent hashes with their first input words (a direct-mapped table, KECCAK_SLOTS entries) and, when both
// operands of a two-operand comparison are such hashes, logs each pair of differing input words as a
// comparison of its own (op OP_PREIMAGES), so input-to-state can set an argument to the other side's word.
#pragma once
#include "state_db.h"
#include "uint256.h"

namespace kern {
namespace evm {

constexpr uint32_t CMP_SLOTS = 256;
constexpr uint32_t KECCAK_SLOTS = 64;    // recent hashes remembered (direct-mapped by the output's low bits)
constexpr uint32_t PREIMAGE_WORDS = 4;   // input words kept per hash (abi.encode of up to four values)
constexpr uint8_t OP_PREIMAGES = 0x20;   // CmpEntry::op of input words of two compared hashes (KECCAK256's opcode)

struct CmpEntry {
  u256 a, b;      // operands in stack order (a: the top)
  uint32_t site;  // the comparing instruction (code and pc), for the EQ distance signal
  uint32_t call;  // index of the sequence's call that ran it
  uint8_t op;     // opcode; 0: empty slot
};

// A KECCAK256 the instance ran: its output and its input, word by word (the last one zero-padded on the right,
// as ABI encoding pads).
struct HashedInput {
  u256 out;
  u256 words[PREIMAGE_WORDS];
  uint32_t n_words;  // 0: empty slot
};

struct CmpLog {
  CmpEntry slots[CMP_SLOTS];
  HashedInput hashes[KECCAK_SLOTS];
  uint32_t call;  // set by the sequence runner before each call
};

// Empties the log for a new sequence (only the markers that tell a slot is used: entries are written whole).
// The checks before the first call log as call 0.
HD_INLINE void cmp_clear(CmpLog& log) {
  for (uint32_t i = 0; i < CMP_SLOTS; ++i) log.slots[i].op = 0;
  for (uint32_t i = 0; i < KECCAK_SLOTS; ++i) log.hashes[i].n_words = 0;
  log.call = 0;
}

// ADD, SUB, LT, GT, SLT, SGT, EQ, ISZERO, XOR as bits of one word: the interpreter asks this for every
// instruction, so it must be a shift and a mask, not a chain of compares.
constexpr uint64_t LOGGED_CMP_OPS = (1ULL << 0x01) | (1ULL << 0x03) | (0x3FULL << 0x10) | (1ULL << 0x18);
HD_INLINE bool is_logged_cmp(uint8_t op) { return op < 64 && ((LOGGED_CMP_OPS >> op) & 1) != 0; }

// Small operands on both sides are offsets, lengths and booleans (and a fuzzer guesses those anyway).
HD_INLINE bool cmp_worth_logging(const u256& a, const u256& b) {
  const bool small = (a.w[3] | a.w[2] | a.w[1] | b.w[3] | b.w[2] | b.w[1]) == 0 && a.w[0] < 0x10000 && b.w[0] < 0x10000;
  return !small && !eq(a, b);
}

// Stores a pair worth logging (the caller checked cmp_worth_logging). The slot: one mix of the operands'
// folded limbs (a chain of four mixes per comparison was a visible share of the log's cost; the table has
// only CMP_SLOTS entries, so the index needs spread, not strength).
HD_INLINE void cmp_record(CmpLog& log, uint8_t op, uint32_t site, const u256& a, const u256& b) {
  const uint64_t fa = a.w[0] ^ a.w[1] ^ a.w[2] ^ a.w[3], fb = b.w[0] ^ b.w[1] ^ b.w[2] ^ b.w[3];
  const uint64_t h = mix64(fa ^ (fb * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)op << 56));
  CmpEntry& e = log.slots[h & (CMP_SLOTS - 1)];
  e.a = a;
  e.b = b;
  e.site = site;
  e.call = log.call;
  e.op = op;
}

// Remembers a hash and the first PREIMAGE_WORDS words of its input (len bytes at in).
HD_INLINE void cmp_note_hash(CmpLog& log, const uint8_t* in, uint64_t len, const u256& out) {
  if (len == 0) return;
  HashedInput& h = log.hashes[out.w[0] & (KECCAK_SLOTS - 1)];
  const uint64_t words = (len + 31) / 32;
  h.n_words = (uint32_t)(words < PREIMAGE_WORDS ? words : PREIMAGE_WORDS);
  // Whole words load limb by limb; only a last partial word goes through a zero-padded copy (a per-byte
  // bounds check on every word ran on every KECCAK256, mapping reads included).
  for (uint32_t i = 0; i < h.n_words; ++i) {
    const uint64_t at = 32ULL * i;
    if (at + 32 <= len) {
      load_be(h.words[i], in + at, 32);
    } else {
      uint8_t word[32] = {};
      for (uint64_t b = 0; at + b < len; ++b) word[b] = in[at + b];
      load_be(h.words[i], word, 32);
    }
  }
  h.out = out;
}

HD_INLINE const HashedInput* cmp_hashed(const CmpLog& log, const u256& v) {
  const HashedInput& h = log.hashes[v.w[0] & (KECCAK_SLOTS - 1)];
  return h.n_words != 0 && eq(h.out, v) ? &h : nullptr;
}

// Both operands hashes the instance computed: the differing input words, pair by pair (site told apart by the
// word's index).
HD_INLINE void cmp_record_preimages(CmpLog& log, uint32_t site, const u256& a, const u256& b) {
  const HashedInput* ha = cmp_hashed(log, a);
  const HashedInput* hb = ha ? cmp_hashed(log, b) : nullptr;
  if (!hb) return;
  const uint32_t n = ha->n_words < hb->n_words ? ha->n_words : hb->n_words;
  for (uint32_t i = 0; i < n; ++i)
    if (cmp_worth_logging(ha->words[i], hb->words[i])) cmp_record(log, OP_PREIMAGES, site + i, ha->words[i], hb->words[i]);
}

}  // namespace evm
}  // namespace kern
