// Serializes one instance's outcome into a flat little-endian record (HD: written on the device too, so
// only compact results travel back). Layout (see sequencer/executor/native/native-executor.ts, decode):
//   u8 outcome, u8 status, u8 error, u8 reads_coinbase, u8 created, [20] created address,
//   u64 gas_used, u64 blob_gas_used, [32] coinbase credit (BE), u32 output_len, output,
//   u32 n_logs   { [20] address, u32 n_topics, [32]*n topics, u32 len, data }
//   u32 n_changes{ [20] address, u8 flags (1 deleted, 2 code, 4 storage reset), u64 nonce, [32] balance,
//                  if code: u32 len, code }
//   u32 n_slots  { u32 change index, [32] key, [32] value }
//   u32 n_reads  { u8 'a' | 'c' | 's', [20] address, if 's': [32] key }
//   u64 gas_refund (the refund applied; gas_used is net of it)
// With out == nullptr only the size is computed.
#pragma once
#include "tx.h"

namespace kern {
namespace evm {

struct Writer {
  uint8_t* out;
  uint64_t n;
  HD_INLINE void u8(uint8_t v) {
    if (out) out[n] = v;
    n += 1;
  }
  HD_INLINE void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) u8((uint8_t)(v >> (8 * i)));
  }
  HD_INLINE void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) u8((uint8_t)(v >> (8 * i)));
  }
  HD_INLINE void bytes(const uint8_t* p, uint64_t len) {
    if (out)
      for (uint64_t i = 0; i < len; ++i) out[n + i] = p[i];
    n += len;
  }
  HD_INLINE void word(const u256& v) {
    if (out) to_be32(v, out + n);
    n += 32;
  }
};

// Final state of an overlay account: 0 gone (or never existed), 1 exists.
HD_INLINE bool final_exists(const OAcct& a) { return a.exists && !a.destructed && !(a.touched && is_empty_acct(a)); }

HD inline bool slot_changed(const Ctx& c, const OSlot& s) {
  const OAcct& a = c.accts[s.acct];
  if (s.gen != a.storage_gen) return false;
  return a.storage_cleared ? true : !eq(s.value, s.original);
}

// Whether the transaction left the account with other code than before, compared by hash as the reference
// executor does: a creation that deploys no code, or a delegation set to what it was, changes no code (and
// does not stop a chain).
HD inline bool code_differs(const Ctx& c, const OAcct& a) {
  if (!a.code_changed) return false;
  uint8_t before[32];
  if (a.db >= 0) {
    const DbAccount& d = view_account(*c.db, c.chain, a.db);
    for (int k = 0; k < 32; ++k) before[k] = d.code_hash[k];
  } else {
    empty_code_hash(before);
  }
  for (int k = 0; k < 32; ++k)
    if (a.code_hash[k] != before[k]) return true;
  return false;
}

// Whether the account appears in the change list.
HD inline bool acct_changed(const Ctx& c, uint32_t i, bool* has_slots_out) {
  const OAcct& a = c.accts[i];
  bool before = a.db >= 0;
  if (!final_exists(a)) {
    *has_slots_out = false;
    return before;
  }
  bool has_slots = false;
  for (uint32_t k = 0; k < c.n_slots && !has_slots; ++k)
    if (c.slots[k].acct == i && slot_changed(c, c.slots[k])) has_slots = true;
  *has_slots_out = has_slots;
  if (!before) return true;
  const DbAccount& d = view_account(*c.db, c.chain, a.db);
  return code_differs(c, a) || a.storage_cleared || has_slots || !eq(a.balance, d.balance) || a.nonce != d.nonce;
}

// Whether account i is in the change list, and whether it is alive afterwards. The fee recipient is listed
// only when the transaction read it; then (like the reference executor) it is listed whenever it receives
// a credit, with its post values before that credit.
HD inline bool emit_change(const Ctx& c, uint32_t i, int32_t cb, bool reads_cb, bool force_cb, bool* alive, bool* has_slots) {
  if ((int32_t)i == cb && !reads_cb) return false;
  bool changed = acct_changed(c, i, has_slots);
  *alive = final_exists(c.accts[i]);
  if ((int32_t)i == cb && force_cb && !changed) {
    *alive = true;
    changed = true;
  } else if ((int32_t)i == cb && force_cb) {
    *alive = true;
  }
  return changed;
}

HD inline uint64_t serialize_result(const Ctx& c, uint8_t* out) {
  Writer w{out, 0};
  const TxResult& r = c.result;
  int32_t cb = -1;
  for (uint32_t i = 0; i < c.n_accts; ++i)
    if (addr_eq(c.accts[i].addr, c.env->coinbase)) cb = (int32_t)i;
  bool reads_cb = cb >= 0 && c.accts[cb].read_hdr;
  w.u8(r.outcome);
  w.u8(r.status);
  w.u8(r.error);
  w.u8(reads_cb ? 1 : 0);
  w.u8(r.created);
  w.bytes(r.created_addr, 20);
  w.u64(r.gas_used);
  w.u64(r.blob_gas_used);
  w.word(r.coinbase_credit);
  bool executed = r.outcome == OUT_EXECUTED;
  uint64_t olen = executed ? r.output_len : 0;
  w.u32((uint32_t)olen);
  w.bytes(c.rd, olen);
  // Logs
  w.u32(executed ? c.n_logs : 0);
  for (uint32_t i = 0; executed && i < c.n_logs; ++i) {
    const LogK& l = c.logs[i];
    w.bytes(l.addr, 20);
    w.u32(l.n_topics);
    for (uint32_t t = 0; t < l.n_topics; ++t) w.bytes(l.topics[t], 32);
    w.u32((uint32_t)l.data_len);
    w.bytes(c.log_data + l.data_off, l.data_len);
  }
  // Changes
  const bool force_cb = reads_cb && executed && !is_zero(r.coinbase_credit);
  uint32_t n_changes = 0;
  for (uint32_t i = 0; executed && i < c.n_accts; ++i) {
    bool hs, alive;
    if (emit_change(c, i, cb, reads_cb, force_cb, &alive, &hs)) ++n_changes;
  }
  w.u32(n_changes);
  for (uint32_t i = 0; executed && i < c.n_accts; ++i) {
    bool hs, alive;
    if (!emit_change(c, i, cb, reads_cb, force_cb, &alive, &hs)) continue;
    const OAcct& a = c.accts[i];
    w.bytes(a.addr, 20);
    uint8_t flags = 0;
    if (!alive) flags |= 1;
    if (alive && code_differs(c, a)) flags |= 2;
    if (a.db >= 0 && (!alive || a.storage_cleared)) flags |= 4;
    w.u8(flags);
    w.u64(alive ? a.nonce : 0);
    w.word(alive ? a.balance : u256_zero());
    if (flags & 2) {
      w.u32((uint32_t)a.code_len);
      w.bytes(a.code, a.code_len);
    }
  }
  // Slot changes, by change index.
  uint32_t n_slot_changes = 0;
  uint64_t count_pos = w.n;
  w.u32(0);
  uint32_t ci = 0;
  for (uint32_t i = 0; executed && i < c.n_accts; ++i) {
    bool hs, alive;
    if (!emit_change(c, i, cb, reads_cb, force_cb, &alive, &hs)) continue;
    if (hs && alive) {
      for (uint32_t k = 0; k < c.n_slots; ++k) {
        const OSlot& s = c.slots[k];
        if (s.acct != i || !slot_changed(c, s)) continue;
        w.u32(ci);
        w.word(s.key);
        w.word(s.value);
        ++n_slot_changes;
      }
    }
    ++ci;
  }
  if (out)
    for (int b = 0; b < 4; ++b) out[count_pos + b] = (uint8_t)(n_slot_changes >> (8 * b));
  // Reads
  uint32_t n_reads = 0;
  for (uint32_t i = 0; i < c.n_accts; ++i) {
    if ((int32_t)i == cb && !reads_cb) continue;
    n_reads += c.accts[i].read_hdr + c.accts[i].read_code;
  }
  for (uint32_t k = 0; k < c.n_slots; ++k) {
    if ((int32_t)c.slots[k].acct == cb && !reads_cb) continue;
    n_reads += c.slots[k].read;
  }
  w.u32(n_reads);
  for (uint32_t i = 0; i < c.n_accts; ++i) {
    if ((int32_t)i == cb && !reads_cb) continue;
    if (c.accts[i].read_hdr) {
      w.u8('a');
      w.bytes(c.accts[i].addr, 20);
    }
    if (c.accts[i].read_code) {
      w.u8('c');
      w.bytes(c.accts[i].addr, 20);
    }
  }
  for (uint32_t k = 0; k < c.n_slots; ++k) {
    const OSlot& s = c.slots[k];
    if ((int32_t)s.acct == cb && !reads_cb) continue;
    if (!s.read) continue;
    w.u8('s');
    w.bytes(c.accts[s.acct].addr, 20);
    w.word(s.key);
  }
  w.u64(r.gas_refund);
  return w.n;
}

}  // namespace evm
}  // namespace kern
