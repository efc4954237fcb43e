// A transaction chain's view of the state (the scheduler's predicted-conflict chains): the snapshot plus
// the changes of the transactions before it in its chain, run one after another on one thread. The host
// builds the overlay (native/evm/chain_overlay.cc); lookups here are HD so the kernels read it the same way
// wherever they run. Account indexes at or past the snapshot's n_accounts name overlay entries.
#pragma once
#include "state_db.h"

namespace kern {
namespace evm {

struct ChainAcctK {
  DbAccount rec;  // the account as the chain left it (its code is the snapshot's: chains stop at code changes)
  int32_t base;   // its snapshot index, or -1 (created in the chain)
  uint32_t pad;
};

struct ChainSlotK {
  uint32_t acct;  // overlay entry
  uint32_t pad;
  u256 key;
  u256 value;
};

struct ChainOverlayK {
  const ChainAcctK* accts;
  const uint32_t* acct_index;  // open-addressed by address: entry + 1 (0 = empty); size acct_mask + 1
  uint32_t acct_mask;
  const ChainSlotK* slots;
  const uint32_t* slot_index;  // by (entry, key): slot + 1
  uint32_t slot_mask;
};

// Overlay entry of the address, or -1.
HD inline int32_t chain_find(const ChainOverlayK& ch, const uint8_t addr[20]) {
  uint64_t h = addr_hash(addr);
  for (uint32_t probe = 0; probe <= ch.acct_mask; ++probe) {
    uint32_t e = ch.acct_index[(h + probe) & ch.acct_mask];
    if (e == 0) return -1;
    if (addr_eq(ch.accts[e - 1].rec.addr, addr)) return (int32_t)(e - 1);
  }
  return -1;
}

// Index of the account in the view (snapshot index, or n_accounts + overlay entry), or -1 when it does not exist.
HD inline int32_t view_find_account(const StateDB& db, const ChainOverlayK* ch, const uint8_t addr[20]) {
  if (ch != nullptr) {
    int32_t e = chain_find(*ch, addr);
    if (e >= 0) return ch->accts[e].rec.gone ? -1 : (int32_t)db.n_accounts + e;
  }
  return db_find_account(db, addr);
}

HD inline const DbAccount& view_account(const StateDB& db, const ChainOverlayK* ch, int32_t i) {
  if (ch != nullptr && (uint32_t)i >= db.n_accounts) return ch->accts[(uint32_t)i - db.n_accounts].rec;
  return db.accounts[i];
}

HD inline u256 view_storage(const StateDB& db, const ChainOverlayK* ch, int32_t i, const u256& key) {
  if (ch == nullptr || i < 0 || (uint32_t)i < db.n_accounts) return db_storage(db, i, key);
  uint32_t e = (uint32_t)i - db.n_accounts;
  uint64_t h = slot_hash(e, key);
  for (uint32_t probe = 0; probe <= ch->slot_mask; ++probe) {
    uint32_t s = ch->slot_index[(h + probe) & ch->slot_mask];
    if (s == 0) break;
    const ChainSlotK& slot = ch->slots[s - 1];
    if (slot.acct == e && eq(slot.key, key)) return slot.value;
  }
  return db_storage(db, ch->accts[e].base, key);
}

}  // namespace evm
}  // namespace kern
