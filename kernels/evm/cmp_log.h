// Comparison log for fuzzing: the operands of EQ, LT, GT, SLT, SGT, SUB, XOR and ISZERO (against 0) that an
// instance executed (solc's optimizer compiles `a == b` as EQ, as ISZERO(SUB), as XOR or, against a constant C,
// as ADD(a, ~(C-1)) before a JUMPI: an ADD of a negative word is logged as the SUB it is), in a fixed hash table (CMP_SLOTS entries, indexed by the operands so a repeated
// comparison takes its own slot again). The host feeds them back: the values into the dictionary, and an
// argument equal to one operand replaced by the other (input-to-state). Null in the sequencer, like Ctx::cov.
#pragma once
#include "state_db.h"
#include "uint256.h"

namespace kern {
namespace evm {

constexpr uint32_t CMP_SLOTS = 256;

struct CmpEntry {
  u256 a, b;      // operands in stack order (a: the top)
  uint32_t site;  // the comparing instruction (code and pc), for the EQ distance signal
  uint32_t call;  // index of the sequence's call that ran it
  uint8_t op;     // opcode; 0: empty slot
};

struct CmpLog {
  CmpEntry slots[CMP_SLOTS];
  uint32_t call;  // set by the sequence runner before each call
};

HD_INLINE bool is_logged_cmp(uint8_t op) { return op == 0x01 || op == 0x03 || (op >= 0x10 && op <= 0x15) || op == 0x18; }

// Small operands on both sides are offsets, lengths and booleans (and a fuzzer guesses those anyway).
HD_INLINE bool cmp_worth_logging(const u256& a, const u256& b) {
  const bool small = (a.w[3] | a.w[2] | a.w[1] | b.w[3] | b.w[2] | b.w[1]) == 0 && a.w[0] < 0x10000 && b.w[0] < 0x10000;
  return !small && !eq(a, b);
}

HD_INLINE void cmp_record(CmpLog& log, uint8_t op, uint32_t site, const u256& a, const u256& b) {
  if (!cmp_worth_logging(a, b)) return;
  uint64_t h = op;
  for (int i = 0; i < 4; ++i) h = mix64(h ^ a.w[i] ^ (b.w[i] * 0x9e3779b97f4a7c15ULL));
  CmpEntry& e = log.slots[h & (CMP_SLOTS - 1)];
  e.a = a;
  e.b = b;
  e.site = site;
  e.call = log.call;
  e.op = op;
}

}  // namespace evm
}  // namespace kern
