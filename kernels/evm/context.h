// One EVM instance's world: the transaction and block environment, the overlay over the read-only snapshot
// (accounts, slots, transient slots, each with warm/touched flags), the journal that undoes a call frame's
// effects, logs, the explicit frame stack, and the arenas (stack, memory, return data, created code).
// All memory is carved by the caller from one fixed buffer (bounded per instance); running out of any of
// it sets `resource_fail` and the host retries the transaction with larger limits.
#pragma once
#include "../precompiles/ids.h"
#include "block_hits.h"
#include "chain_view.h"
#include "cmp_log.h"
#include "state_db.h"

namespace kern {
namespace evm {

constexpr int MAX_DEPTH = 1024;
constexpr int STACK_LIMIT = 1024;
constexpr uint64_t MAX_CODE_SIZE = 24576;
constexpr uint64_t MAX_INITCODE_SIZE = 49152;

enum Kind : uint8_t { K_CALL = 0, K_CALLCODE, K_DELEGATECALL, K_STATICCALL, K_CREATE, K_CREATE2 };
enum Status : uint8_t { ST_SUCCESS = 0, ST_REVERT = 1, ST_HALT = 2 };
enum Outcome : uint8_t { OUT_EXECUTED = 0, OUT_REJECTED = 1, OUT_RETRY_HOST = 2, OUT_ABORTED = 3 };

// Error codes (the TypeScript side maps them to messages).
enum Err : uint8_t {
  E_NONE = 0,
  E_REVERT,
  E_OOG,
  E_STACK_UNDERFLOW,
  E_STACK_OVERFLOW,
  E_BAD_JUMP,
  E_INVALID_OP,
  E_STATIC,
  E_RETURNDATA_OOB,
  E_COLLISION,
  E_CODE_SIZE,
  E_INITCODE_SIZE,
  E_EF_CODE,
  E_PRECOMPILE,
  // Rejections
  R_NONCE_LOW = 32,
  R_NONCE_HIGH,
  R_NONCE_MAX,
  R_BALANCE,
  R_INTRINSIC_GAS,
  R_BLOCK_GAS,
  R_FEE_CAP_LOW,
  R_PRIORITY_ABOVE_CAP,
  R_SENDER_CODE,
  R_BLOB_FEE_LOW,
  R_BLOB_COUNT,
  R_BLOB_VERSION,
  R_BLOB_CREATE,
  R_INITCODE_SIZE,
  R_GAS_OVERFLOW,
  R_GAS_LIMIT_CAP,     // EIP-7825 (Osaka)
  R_SETCODE_EMPTY,     // EIP-7702: a set-code transaction without authorizations
  R_SETCODE_CREATE,    // EIP-7702: a set-code transaction must have a recipient
  R_FLOOR_GAS,         // EIP-7623 (Prague): gas limit below the calldata floor
  R_TX_TYPE,           // a transaction type the block's fork does not know
  // Retry reasons
  X_RESOURCES = 64,
  X_PRECOMPILE_ON_HOST,
  X_PRECOMPILE_MISSING,  // a precompile of the block's fork that the kernels do not implement
  X_ABORTED,             // the host's cancel flag was raised (an RPC call's deadline)
};

struct BlockEnvK {
  uint8_t fork;  // Fork (kernels/common/fork.h)
  u256 chain_id;
  u256 number;
  u256 timestamp;
  u256 gas_limit;
  u256 base_fee;
  u256 prev_randao;
  u256 blob_base_fee;
  uint8_t coinbase[20];
  uint32_t n_block_hashes;
  const uint8_t* block_hashes;  // 32 * n, newest first (number-1, number-2, ...)
};

struct TxK {
  uint8_t type;
  uint8_t has_to;
  // A simulated call (eth_call, estimateGas): like geth's, no EIP-3607 sender check and no block gas limit.
  uint8_t is_call;
  uint8_t from[20];
  uint8_t to[20];
  u256 nonce;
  u256 gas_limit;
  u256 value;
  u256 gas_price;  // legacy / 2930
  u256 max_fee;    // 1559 / 4844
  u256 max_priority_fee;
  u256 max_fee_per_blob_gas;
  const uint8_t* data;
  uint64_t data_len;
  // Access list: n_access entries, each 20-byte address + u32 (LE) key count + 32-byte keys.
  const uint8_t* access_list;
  uint32_t n_access;
  uint32_t n_blobs;
  const uint8_t* blob_hashes;  // 32 * n_blobs
  // EIP-7702 authorizations (type 4): n_auths entries of AUTH_BYTES (see AuthK).
  uint32_t n_auths;
  const uint8_t* auths;
};

// One authorization tuple as the host lays it out: chain id, address, nonce, y parity, r, s (words big-endian).
constexpr uint64_t AUTH_BYTES = 32 + 20 + 32 + 32 + 32 + 32;
struct AuthK {
  const uint8_t* chain_id;
  const uint8_t* address;
  const uint8_t* nonce;
  const uint8_t* y_parity;
  const uint8_t* r;
  const uint8_t* s;
};
HD_INLINE AuthK auth_at(const TxK& tx, uint32_t i) {
  const uint8_t* p = tx.auths + AUTH_BYTES * i;
  return AuthK{p, p + 32, p + 52, p + 84, p + 116, p + 148};
}

struct OAcct {
  uint8_t addr[20];
  uint8_t exists, warm, touched, created, destructed, code_changed, storage_cleared, read_hdr, read_code;
  int32_t db;  // snapshot index or -1
  uint32_t storage_gen;
  uint64_t nonce;
  u256 balance;
  const uint8_t* code;
  uint64_t code_len;
  uint8_t code_hash[32];
  uint64_t prop_readers;  // fuzzing: the properties (bit p) whose checks looked this account up (Ctx::prop_reader)
};

struct OSlot {
  uint32_t acct;
  uint32_t gen;  // value is valid while gen == account's storage_gen
  u256 key;
  u256 value;
  u256 original;  // the snapshot's value (EIP-2200 "original")
  uint8_t warm, read, pad[2];
  uint64_t prop_readers;  // fuzzing: as OAcct::prop_readers
};

struct OTSlot {
  uint32_t acct;
  uint32_t pad;
  u256 key;
  u256 value;
};

enum JKind : uint8_t { J_BALANCE = 1, J_NONCE, J_TOUCH, J_WARM, J_SLOT, J_SLOT_WARM, J_TSLOT, J_ACCT };
struct JEntry {
  uint8_t kind;
  uint32_t idx;
  uint64_t aux;
  u256 old;
};

struct LogK {
  uint8_t addr[20];
  uint32_t n_topics;
  uint8_t topics[4][32];
  uint64_t data_off;
  uint64_t data_len;
};

struct Frame {
  uint8_t kind;
  uint8_t is_static;
  int32_t depth;
  const uint8_t* code;
  uint64_t code_len;
  const uint8_t* jumpdests;  // bitmap: the snapshot's (its code) or analysed into the memory arena
  uint64_t pc;
  int64_t gas;
  uint64_t stack_base;
  uint64_t sp;
  uint64_t mem_base;
  uint64_t mem_size;
  uint64_t rd_base;
  uint64_t rd_len;
  uint8_t address[20];
  int32_t self_acct;  // overlay index of `address`, -1 until first needed (interpreter.h, self_acct)
  uint8_t caller[20];
  u256 value;
  const uint8_t* input;
  uint64_t input_len;
  uint32_t journal_mark;
  uint32_t log_mark;
  uint64_t log_data_mark;
  int64_t refund_mark;
  uint64_t ret_off, ret_size;  // where a CALL's output goes in the parent's memory
};

// Memo of 64-byte KECCAK256 inputs (Solidity's mapping slots: keccak(key . slot)), which a transaction, and
// a fuzz sequence even more, hashes again and again for the same keys.
constexpr uint32_t KECCAK_MEMO = 64;
struct KeccakMemo {
  uint64_t in[8];
  uint8_t out[32];
  uint8_t valid;
  uint8_t pad[23];
};

// Capacities of one instance's buffers.
struct Limits {
  uint32_t accounts, slots, tslots, journal, saves, logs;
  uint64_t log_data, stack_items, mem_bytes, rd_bytes, code_bytes;
};

struct TxResult {
  uint8_t outcome;  // Outcome
  uint8_t status;   // Status
  uint8_t error;    // Err
  uint8_t reads_coinbase;
  uint8_t created;
  uint8_t created_addr[20];
  uint64_t gas_used;
  uint64_t blob_gas_used;
  u256 coinbase_credit;
  uint64_t output_len;  // in the return-data arena at offset 0
  uint64_t gas_refund;  // refund applied (gas_used is after it): what estimateGas adds back
};

struct Ctx {
  const StateDB* db;
  const ChainOverlayK* chain;  // the earlier transactions of its chain (nullptr: the snapshot alone)
  const BlockEnvK* env;
  const TxK* tx;
  Limits lim;
  OAcct* accts;
  uint32_t n_accts;
  uint32_t* acct_idx;  // size 2^k >= 2 * lim.accounts
  uint32_t acct_mask;
  OSlot* slots;
  uint32_t n_slots;
  uint32_t* slot_idx;
  uint32_t slot_mask;
  OTSlot* tslots;
  uint32_t n_tslots;
  uint32_t* tslot_idx;
  uint32_t tslot_mask;
  JEntry* journal;
  uint32_t n_journal;
  OAcct* saves;
  uint32_t n_saves;
  LogK* logs;
  uint32_t n_logs;
  uint8_t* log_data;
  uint64_t log_data_len;
  Frame* frames;  // MAX_DEPTH + 1
  u256* stack;
  uint8_t* mem;
  uint8_t* rd;
  uint8_t* code_arena;
  uint64_t code_arena_len;
  KeccakMemo* kmemo;  // KECCAK_MEMO entries
  int64_t refund;
  u256 gas_price;  // effective
  bool resource_fail;
  uint32_t resource_mask;  // which limits ran out (RES_* bits): the host retries with those raised
  bool on_device;           // running as a device thread (or simulating one on the host)
  bool device_precompiles;  // ... with the precompiles compiled into the device code
  // Fuzzing instrumentation (kernels/evm/sequence.h); cov == nullptr in the sequencer: no cost but a test.
  uint8_t* cov;               // edge-coverage bitmap, cov_mask + 1 bits
  uint32_t cov_mask;
  CmpLog* cmp;                // comparison operands (kernels/evm/cmp_log.h)
  BlockHitsK* hits;           // basic-block hit counts for coverage reports (kernels/evm/block_hits.h)
  // Property read sets (kernels/evm/sequence.h): while property p is checked, prop_reader is bit p and every
  // overlay entry looked up records it; stale_props gathers the readers of what later calls changed.
  uint64_t prop_reader;
  uint64_t stale_props;
  bool selfdestructed;        // a SELFDESTRUCT ran during the current transaction
  // The host's cancel flag for a deadline (RPC calls), polled at frame starts and taken jumps; nullptr in the
  // sequencer. Raised, it unwinds like a resource failure and the result is OUT_ABORTED.
  const uint8_t* abort_flag;
  bool aborted;
  TxResult result;
};

HD_INLINE uint64_t pow2_at_least(uint64_t n) {
  uint64_t p = 1;
  while (p < n) p <<= 1;
  return p;
}
HD_INLINE uint64_t align_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

// Bytes one instance needs for these limits.
HD inline uint64_t instance_bytes(const Limits& l) {
  uint64_t n = 0;
  n += align_up(sizeof(OAcct) * l.accounts, 64);
  n += align_up(4 * pow2_at_least(2 * (uint64_t)l.accounts), 64);
  n += align_up(sizeof(OSlot) * l.slots, 64);
  n += align_up(4 * pow2_at_least(2 * (uint64_t)l.slots), 64);
  n += align_up(sizeof(OTSlot) * l.tslots, 64);
  n += align_up(4 * pow2_at_least(2 * (uint64_t)l.tslots), 64);
  n += align_up(sizeof(JEntry) * l.journal, 64);
  n += align_up(sizeof(OAcct) * l.saves, 64);
  n += align_up(sizeof(LogK) * l.logs, 64);
  n += align_up(l.log_data, 64);
  n += align_up(sizeof(Frame) * (MAX_DEPTH + 1), 64);
  n += align_up(32 * l.stack_items, 64);
  n += align_up(l.mem_bytes, 64);
  n += align_up(l.rd_bytes, 64);
  n += align_up(l.code_bytes, 64);
  n += align_up(sizeof(KeccakMemo) * KECCAK_MEMO, 64);
  return n;
}

// Carves the buffer (instance_bytes(l) bytes, 64-byte aligned) into the context's arrays and resets it.
HD inline void ctx_init(Ctx& c, uint8_t* buf, const Limits& l, const StateDB* db, const BlockEnvK* env, const TxK* tx) {
  uint64_t off = 0;
  auto take = [&](uint64_t bytes) {
    uint8_t* p = buf + off;
    off += align_up(bytes, 64);
    return p;
  };
  c.db = db;
  c.chain = nullptr;
  c.env = env;
  c.tx = tx;
  c.lim = l;
  c.accts = (OAcct*)take(sizeof(OAcct) * l.accounts);
  uint64_t am = pow2_at_least(2 * (uint64_t)l.accounts);
  c.acct_idx = (uint32_t*)take(4 * am);
  c.acct_mask = (uint32_t)(am - 1);
  c.slots = (OSlot*)take(sizeof(OSlot) * l.slots);
  uint64_t sm = pow2_at_least(2 * (uint64_t)l.slots);
  c.slot_idx = (uint32_t*)take(4 * sm);
  c.slot_mask = (uint32_t)(sm - 1);
  c.tslots = (OTSlot*)take(sizeof(OTSlot) * l.tslots);
  uint64_t tm = pow2_at_least(2 * (uint64_t)l.tslots);
  c.tslot_idx = (uint32_t*)take(4 * tm);
  c.tslot_mask = (uint32_t)(tm - 1);
  c.journal = (JEntry*)take(sizeof(JEntry) * l.journal);
  c.saves = (OAcct*)take(sizeof(OAcct) * l.saves);
  c.logs = (LogK*)take(sizeof(LogK) * l.logs);
  c.log_data = take(l.log_data);
  c.frames = (Frame*)take(sizeof(Frame) * (MAX_DEPTH + 1));
  c.stack = (u256*)take(32 * l.stack_items);
  c.mem = take(l.mem_bytes);
  c.rd = take(l.rd_bytes);
  c.code_arena = take(l.code_bytes);
  c.kmemo = (KeccakMemo*)take(sizeof(KeccakMemo) * KECCAK_MEMO);
  for (uint32_t i = 0; i < KECCAK_MEMO; ++i) c.kmemo[i].valid = 0;
  for (uint64_t i = 0; i < am; ++i) c.acct_idx[i] = 0;
  for (uint64_t i = 0; i < sm; ++i) c.slot_idx[i] = 0;
  for (uint64_t i = 0; i < tm; ++i) c.tslot_idx[i] = 0;
  c.n_accts = c.n_slots = c.n_tslots = c.n_journal = c.n_saves = c.n_logs = 0;
  c.log_data_len = 0;
  c.code_arena_len = 0;
  c.refund = 0;
  c.gas_price = u256_zero();
  c.resource_fail = false;
  c.resource_mask = 0;
  c.on_device = false;
  c.device_precompiles = false;
  c.cov = nullptr;
  c.cov_mask = 0;
  c.cmp = nullptr;
  c.hits = nullptr;
  c.prop_reader = c.stale_props = 0;
  c.selfdestructed = false;
  c.abort_flag = nullptr;
  c.aborted = false;
  TxResult r = {};
  c.result = r;
}

enum ResBit : uint32_t {
  RES_ACCTS = 1, RES_SLOTS = 2, RES_TSLOTS = 4, RES_JOURNAL = 8, RES_SAVES = 16, RES_LOGS = 32,
  RES_STACK = 64, RES_MEM = 128, RES_RD = 256, RES_CODE = 512, RES_PRECOMPILE = 1024,
};
HD_INLINE void fail_res(Ctx& c, uint32_t bit) {
  c.resource_fail = true;
  c.resource_mask |= bit;
}

// Whether the host raised the cancel flag; if so the run unwinds (resource_fail) as aborted.
HD_INLINE bool abort_requested(Ctx& c) {
  if (c.abort_flag == nullptr) return false;
#ifdef __CUDA_ARCH__
  const bool raised = *(const volatile uint8_t*)c.abort_flag != 0;
#else
  const bool raised = __atomic_load_n(c.abort_flag, __ATOMIC_RELAXED) != 0;
#endif
  if (raised) {
    c.aborted = true;
    c.resource_fail = true;
  }
  return raised;
}

// ---- overlay ----

HD_INLINE bool is_empty_acct(const OAcct& a) { return a.nonce == 0 && is_zero(a.balance) && a.code_len == 0; }
HD_INLINE bool is_dead(const OAcct& a) { return !a.exists || is_empty_acct(a); }

// The precompile id of an address at the block's fork (0: none).
HD_INLINE uint16_t precompile_id(const Ctx& c, const uint8_t a[20]) { return precompile::id_of(a, c.env->fork); }

// The overlay entry of an address, loaded from the snapshot on first use; -1 when out of room.
HD inline int32_t acct_get(Ctx& c, const uint8_t addr[20]) {
  uint64_t h = addr_hash(addr);
  for (uint32_t probe = 0; probe <= c.acct_mask; ++probe) {
    uint32_t pos = (uint32_t)((h + probe) & c.acct_mask);
    uint32_t e = c.acct_idx[pos];
    if (e == 0) {
      if (c.n_accts >= c.lim.accounts) {
        fail_res(c, RES_ACCTS);
        return -1;
      }
      uint32_t i = c.n_accts++;
      OAcct& a = c.accts[i];
      for (int k = 0; k < 20; ++k) a.addr[k] = addr[k];
      a.db = view_find_account(*c.db, c.chain, addr);
      // Precompiles are warm in every transaction (EIP-2929) without a journal entry.
      a.warm = precompile_id(c, addr) != 0;
      a.touched = a.created = a.destructed = a.code_changed = a.storage_cleared = 0;
      a.read_hdr = a.read_code = 0;
      a.storage_gen = 0;
      a.prop_readers = c.prop_reader;
      if (a.db >= 0) {
        const DbAccount& d = view_account(*c.db, c.chain, a.db);
        a.exists = 1;
        a.nonce = d.nonce;
        a.balance = d.balance;
        a.code = c.db->code + d.code_off;
        a.code_len = d.code_len;
        for (int k = 0; k < 32; ++k) a.code_hash[k] = d.code_hash[k];
      } else {
        a.exists = 0;
        a.nonce = 0;
        a.balance = u256_zero();
        a.code = nullptr;
        a.code_len = 0;
        empty_code_hash(a.code_hash);
      }
      c.acct_idx[pos] = i + 1;
      return (int32_t)i;
    }
    if (addr_eq(c.accts[e - 1].addr, addr)) {
      c.accts[e - 1].prop_readers |= c.prop_reader;
      return (int32_t)(e - 1);
    }
  }
  fail_res(c, RES_ACCTS);
  return -1;
}

HD_INLINE bool journal_push(Ctx& c, uint8_t kind, uint32_t idx, uint64_t aux, const u256& old) {
  if (c.n_journal >= c.lim.journal) {
    fail_res(c, RES_JOURNAL);
    return false;
  }
  JEntry& j = c.journal[c.n_journal++];
  j.kind = kind;
  j.idx = idx;
  j.aux = aux;
  j.old = old;
  return true;
}

// Saves the whole account before a structural change (create, self-destruct, code).
HD_INLINE bool save_acct(Ctx& c, uint32_t i) {
  if (c.n_saves >= c.lim.saves) {
    fail_res(c, RES_SAVES);
    return false;
  }
  c.saves[c.n_saves] = c.accts[i];
  return journal_push(c, J_ACCT, i, c.n_saves++, u256_zero());
}

HD_INLINE void set_balance(Ctx& c, uint32_t i, const u256& v) {
  journal_push(c, J_BALANCE, i, 0, c.accts[i].balance);
  c.accts[i].balance = v;
}
HD_INLINE void set_nonce(Ctx& c, uint32_t i, uint64_t v) {
  journal_push(c, J_NONCE, i, c.accts[i].nonce, u256_zero());
  c.accts[i].nonce = v;
}
HD_INLINE void touch(Ctx& c, uint32_t i) {
  if (c.accts[i].touched) return;
  journal_push(c, J_TOUCH, i, 0, u256_zero());
  c.accts[i].touched = 1;
}
// Marks warm; returns whether it was warm before.
HD_INLINE bool warm_acct(Ctx& c, uint32_t i) {
  if (c.accts[i].warm) return true;
  journal_push(c, J_WARM, i, 0, u256_zero());
  c.accts[i].warm = 1;
  return false;
}
// Makes the account exist (an empty new one) if it does not.
HD_INLINE void ensure_exists(Ctx& c, uint32_t i) {
  if (c.accts[i].exists) return;
  save_acct(c, i);
  c.accts[i].exists = 1;
}

HD inline int32_t slot_get(Ctx& c, uint32_t acct, const u256& key) {
  uint64_t h = slot_hash(acct, key);
  OAcct& a = c.accts[acct];
  for (uint32_t probe = 0; probe <= c.slot_mask; ++probe) {
    uint32_t pos = (uint32_t)((h + probe) & c.slot_mask);
    uint32_t e = c.slot_idx[pos];
    if (e == 0) {
      if (c.n_slots >= c.lim.slots) {
        fail_res(c, RES_SLOTS);
        return -1;
      }
      uint32_t i = c.n_slots++;
      OSlot& s = c.slots[i];
      s.acct = acct;
      s.key = key;
      // A cleared account (created in this transaction, or deleted by an earlier one of a fuzz sequence)
      // has no snapshot storage: its original values are zero.
      s.original = a.storage_cleared ? u256_zero() : view_storage(*c.db, c.chain, a.db, key);
      s.value = s.original;
      s.gen = a.storage_gen;
      s.warm = s.read = 0;
      s.prop_readers = c.prop_reader;
      c.slot_idx[pos] = i + 1;
      return (int32_t)i;
    }
    OSlot& s = c.slots[e - 1];
    if (s.acct == acct && eq(s.key, key)) {
      if (s.gen != a.storage_gen) {  // stale after a re-creation (or its revert): refresh, not journaled
        s.value = a.storage_cleared ? u256_zero() : s.original;
        s.gen = a.storage_gen;
      }
      s.prop_readers |= c.prop_reader;
      return (int32_t)(e - 1);
    }
  }
  fail_res(c, RES_SLOTS);
  return -1;
}

HD inline int32_t tslot_get(Ctx& c, uint32_t acct, const u256& key) {
  uint64_t h = slot_hash(acct, key);
  for (uint32_t probe = 0; probe <= c.tslot_mask; ++probe) {
    uint32_t pos = (uint32_t)((h + probe) & c.tslot_mask);
    uint32_t e = c.tslot_idx[pos];
    if (e == 0) {
      if (c.n_tslots >= c.lim.tslots) {
        fail_res(c, RES_TSLOTS);
        return -1;
      }
      uint32_t i = c.n_tslots++;
      c.tslots[i].acct = acct;
      c.tslots[i].key = key;
      c.tslots[i].value = u256_zero();
      c.tslot_idx[pos] = i + 1;
      return (int32_t)i;
    }
    OTSlot& s = c.tslots[e - 1];
    if (s.acct == acct && eq(s.key, key)) return (int32_t)(e - 1);
  }
  fail_res(c, RES_TSLOTS);
  return -1;
}

HD inline void revert_to(Ctx& c, uint32_t mark) {
  while (c.n_journal > mark) {
    JEntry& j = c.journal[--c.n_journal];
    switch (j.kind) {
      case J_BALANCE: c.accts[j.idx].balance = j.old; break;
      case J_NONCE: c.accts[j.idx].nonce = j.aux; break;
      case J_TOUCH: c.accts[j.idx].touched = 0; break;
      case J_WARM: c.accts[j.idx].warm = 0; break;
      case J_SLOT:
        c.slots[j.idx].value = j.old;
        c.slots[j.idx].gen = (uint32_t)j.aux;
        break;
      case J_SLOT_WARM: c.slots[j.idx].warm = 0; break;
      case J_TSLOT: c.tslots[j.idx].value = j.old; break;
      case J_ACCT: {
        // Keep the read flags (reads are never undone) and restore everything else.
        uint8_t rh = c.accts[j.idx].read_hdr, rc = c.accts[j.idx].read_code;
        const uint64_t readers = c.accts[j.idx].prop_readers;
        c.accts[j.idx] = c.saves[j.aux];
        c.accts[j.idx].read_hdr = rh;
        c.accts[j.idx].read_code = rc;
        c.accts[j.idx].prop_readers = readers;
        c.n_saves = (uint32_t)j.aux;
        break;
      }
      default: break;
    }
  }
}

}  // namespace evm
}  // namespace kern
