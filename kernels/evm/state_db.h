// The read-only state snapshot the EVM instances execute against: flat arrays plus open-addressed hash
// indexes, built on the host (native/evm/state_mirror.cc) and usable as is on the host or, after a copy with
// pointer fix-up, on the CUDA device. Lookups are HD.
#pragma once
#include "uint256.h"

namespace kern {
namespace evm {

struct DbAccount {
  uint8_t addr[20];
  uint8_t has_storage;  // any non-zero slot (EIP-7610 collision rule)
  uint8_t gone;         // deleted by an update of the mirror (the entry stays for the index)
  uint8_t pad[2];
  uint64_t nonce;
  u256 balance;
  uint8_t code_hash[32];
  uint64_t code_off;  // into StateDB::code
  uint64_t code_len;
};

struct DbSlot {
  uint32_t acct;  // index into accounts
  uint32_t pad;
  u256 key;
  u256 value;
};

struct StateDB {
  const DbAccount* accounts;
  uint32_t n_accounts;
  const uint32_t* acct_index;  // slot -> account index + 1 (0 = empty); size acct_mask + 1
  uint32_t acct_mask;
  const DbSlot* slots;
  uint32_t n_slots;
  const uint32_t* slot_index;  // slot -> DbSlot index + 1
  uint32_t slot_mask;
  const uint8_t* code;
  uint64_t code_len;
  // JUMPDEST bitmap over `code` (bit i: code[i] is a valid jump target of its account's code). Every
  // account's code starts 8-aligned, so its bitmap is jumpdests + code_off / 8: frames skip the analysis.
  const uint8_t* jumpdests;
};

// keccak256(""): the code hash of every account without code.
HD_INLINE void empty_code_hash(uint8_t out[32]) {
  const uint8_t h[32] = {0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
                         0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};
  for (int k = 0; k < 32; ++k) out[k] = h[k];
}

HD_INLINE uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
HD_INLINE uint64_t addr_hash(const uint8_t a[20]) {
  uint64_t h = 0;
  for (int i = 0; i < 20; ++i) h = h * 0x100000001b3ULL ^ a[i];
  return mix64(h);
}
HD_INLINE uint64_t slot_hash(uint32_t acct, const u256& key) {
  return mix64(key.w[0] ^ mix64(key.w[1] ^ mix64(key.w[2] ^ mix64(key.w[3] ^ acct))));
}
HD_INLINE bool addr_eq(const uint8_t* a, const uint8_t* b) {
  for (int i = 0; i < 20; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Index of the account in the snapshot, or -1.
HD inline int32_t db_find_account(const StateDB& db, const uint8_t addr[20]) {
  if (db.n_accounts == 0) return -1;
  uint64_t h = addr_hash(addr);
  for (uint32_t probe = 0; probe <= db.acct_mask; ++probe) {
    uint32_t e = db.acct_index[(h + probe) & db.acct_mask];
    if (e == 0) return -1;
    if (addr_eq(db.accounts[e - 1].addr, addr)) return db.accounts[e - 1].gone ? -1 : (int32_t)(e - 1);
  }
  return -1;
}

HD inline u256 db_storage(const StateDB& db, int32_t acct, const u256& key) {
  if (acct < 0 || db.n_slots == 0) return u256_zero();
  uint64_t h = slot_hash((uint32_t)acct, key);
  for (uint32_t probe = 0; probe <= db.slot_mask; ++probe) {
    uint32_t e = db.slot_index[(h + probe) & db.slot_mask];
    if (e == 0) return u256_zero();
    const DbSlot& s = db.slots[e - 1];
    if (s.acct == (uint32_t)acct && eq(s.key, key)) return s.value;
  }
  return u256_zero();
}

}  // namespace evm
}  // namespace kern
