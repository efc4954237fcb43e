// A state delta: what changed in the state mirror since its device-resident copy was last synced, as one
// flat buffer the device applies in place (instead of re-uploading the whole state per batch). The host
// mirror decides every entry's position (its arrays and open-addressed indexes, kernels/evm/state_db.h),
// so applying a delta is a scatter: every item writes one distinct location and items are independent,
// one GPU thread each. Layout and apply are HD: EVM_SIMULATE_DEVICE runs exactly this code on the CPU.
#pragma once
#include "state_db.h"

namespace kern {
namespace evm {

struct AccountWrite {
  uint32_t index;  // into StateDB::accounts
  uint32_t pad;
  DbAccount value;
};

struct SlotWrite {
  uint32_t index;  // into StateDB::slots
  uint32_t pad;
  DbSlot value;
};

struct IndexWrite {
  uint32_t pos;    // into an open-addressed index
  uint32_t value;  // entry + 1 (0 = empty)
};

// Counts and byte ranges; the records follow the header in this order, each section 8-aligned.
struct StateDeltaHeader {
  uint32_t n_accounts, n_slots, n_acct_index, n_slot_index;
  uint64_t code_from, code_len;  // bytes of StateDB::code replaced from code_from on
  uint64_t jd_from, jd_len;      // bytes of the JUMPDEST bitmap, likewise
};

// Byte offsets of each section inside the delta buffer.
struct StateDeltaLayout {
  uint64_t accounts, slots, acct_index, slot_index, code, jumpdests, total;
};

HD_INLINE uint64_t delta_align8(uint64_t n) { return (n + 7) & ~7ULL; }

HD_INLINE StateDeltaLayout delta_layout(const StateDeltaHeader& h) {
  StateDeltaLayout l;
  l.accounts = delta_align8(sizeof(StateDeltaHeader));
  l.slots = l.accounts + sizeof(AccountWrite) * (uint64_t)h.n_accounts;
  l.acct_index = l.slots + sizeof(SlotWrite) * (uint64_t)h.n_slots;
  l.slot_index = l.acct_index + sizeof(IndexWrite) * (uint64_t)h.n_acct_index;
  l.code = l.slot_index + sizeof(IndexWrite) * (uint64_t)h.n_slot_index;
  l.jumpdests = delta_align8(l.code + h.code_len);
  l.total = delta_align8(l.jumpdests + h.jd_len);
  return l;
}

// The writable arrays of a resident state copy (same layout as StateDB's, in the copy's memory space).
struct ResidentArrays {
  DbAccount* accounts;
  uint32_t* acct_index;
  DbSlot* slots;
  uint32_t* slot_index;
  uint8_t* code;
  uint8_t* jumpdests;
};

// Items of a delta: one per record and one per byte of code and bitmap.
HD_INLINE uint64_t delta_items(const StateDeltaHeader& h) {
  return (uint64_t)h.n_accounts + h.n_slots + h.n_acct_index + h.n_slot_index + h.code_len + h.jd_len;
}

// Applies item `i` of the delta at `buf` (a copy in the same memory space as `r`). The sections are walked
// in layout order; each item writes exactly one record or byte.
HD inline void apply_delta_item(const uint8_t* buf, const StateDeltaHeader& h, const ResidentArrays& r, uint64_t i) {
  StateDeltaLayout l = delta_layout(h);
  if (i < h.n_accounts) {
    const AccountWrite& w = reinterpret_cast<const AccountWrite*>(buf + l.accounts)[i];
    r.accounts[w.index] = w.value;
    return;
  }
  i -= h.n_accounts;
  if (i < h.n_slots) {
    const SlotWrite& w = reinterpret_cast<const SlotWrite*>(buf + l.slots)[i];
    r.slots[w.index] = w.value;
    return;
  }
  i -= h.n_slots;
  if (i < h.n_acct_index) {
    const IndexWrite& w = reinterpret_cast<const IndexWrite*>(buf + l.acct_index)[i];
    r.acct_index[w.pos] = w.value;
    return;
  }
  i -= h.n_acct_index;
  if (i < h.n_slot_index) {
    const IndexWrite& w = reinterpret_cast<const IndexWrite*>(buf + l.slot_index)[i];
    r.slot_index[w.pos] = w.value;
    return;
  }
  i -= h.n_slot_index;
  if (i < h.code_len) {
    r.code[h.code_from + i] = buf[l.code + i];
    return;
  }
  i -= h.code_len;
  if (i < h.jd_len) r.jumpdests[h.jd_from + i] = buf[l.jumpdests + i];
}

}  // namespace evm
}  // namespace kern
