// Call sequences for fuzzing: one EVM instance runs a whole sequence of transactions over its own overlay of
// the shared snapshot (the cheap fork: nothing is copied, each instance only holds what it touched),
// committing each transaction into the overlay before the next, and checks the properties (bool view
// calls, run and rolled back) on the snapshot and after every call. Branch coverage goes to the instance's
// bitmap (Ctx::cov), block hit counts for coverage reports to Ctx::hits. HD: the same code runs on CPU threads
// and as one CUDA thread per sequence.
//
// A property is a function of what it reads (plus the block values, which change only with a time or block
// jump), so after a call it is checked again only when the call changed an account or slot its earlier
// checks looked up (Ctx::prop_reader / stale_props): its answer, coverage and comparisons would repeat.
// Counting block hits, every property runs at every check point (the counts are what is asked for).
#pragma once
#include "result.h"

namespace kern {
namespace evm {

struct FuzzCallK {
  uint8_t from[20];
  uint8_t to[20];
  u256 value;
  uint64_t time_delta;
  uint64_t block_delta;
  const uint8_t* data;
  uint64_t data_len;
};

// A property (a bool view call that must return true) or an optimization target (returns int256, and the
// campaign maximizes it: Echidna's echidna_opt_*, optimize_*).
enum FuzzPropKind : uint8_t { FP_PROPERTY = 0, FP_OPTIMIZE = 1 };

struct FuzzPropK {
  uint8_t to[20];
  uint8_t kind;  // FuzzPropKind
  const uint8_t* data;
  uint64_t data_len;
};

struct FuzzConfigK {
  const FuzzPropK* props;
  uint32_t n_props;
  const uint8_t* senders;  // 20 * n_senders
  uint32_t n_senders;
  uint8_t prop_sender[20];
  uint64_t call_gas;
  u256 initial_wealth;  // the senders' total balance in the snapshot
};

constexpr uint32_t FUZZ_OUTPUT_CAP = 256;
enum CallFlag : uint8_t { CF_SELFDESTRUCT = 1 };

struct CallOutK {
  uint8_t outcome, status, error, flags;
  uint32_t out_len;
  uint64_t gas_used;
  uint8_t out[FUZZ_OUTPUT_CAP];
};

// Ends a transaction inside a sequence: its effects become the state the next one starts from (accounts it
// deleted are gone, storage originals are the committed values) and per-transaction state is reset.
HD inline void commit_tx(Ctx& c) {
  for (uint32_t i = 0; i < c.n_accts; ++i) {
    OAcct& a = c.accts[i];
    if (a.exists && !final_exists(a)) {
      a.exists = 0;
      a.nonce = 0;
      a.balance = u256_zero();
      a.code = nullptr;
      a.code_len = 0;
      empty_code_hash(a.code_hash);
      a.storage_cleared = 1;
      a.storage_gen++;
    }
    a.warm = precompile_id(c, a.addr) != 0;
    a.touched = a.created = a.destructed = 0;
  }
  for (uint32_t k = 0; k < c.n_slots; ++k) {
    OSlot& s = c.slots[k];
    const OAcct& a = c.accts[s.acct];
    if (s.gen != a.storage_gen) {
      s.value = a.storage_cleared ? u256_zero() : s.original;
      s.gen = a.storage_gen;
    }
    s.original = s.value;
    s.warm = 0;
  }
  if (c.n_tslots) {
    for (uint32_t i = 0; i <= c.tslot_mask; ++i) c.tslot_idx[i] = 0;
    c.n_tslots = 0;
  }
  c.n_journal = c.n_saves = c.n_logs = 0;
  c.log_data_len = 0;
  c.refund = 0;
  c.selfdestructed = false;
  TxResult r = {};
  c.result = r;
}

// Properties past this many are checked after every call that changed something (one bit each in a word).
constexpr uint32_t READ_TRACKED_PROPS = 64;
HD_INLINE uint64_t prop_bit(uint32_t p) { return p < READ_TRACKED_PROPS ? 1ULL << p : 0; }

// Adds to c.stale_props the properties that read what the current transaction changed (its journal, before
// commit_tx): balances, nonces and slots written; any structural change (create, self-destruct, code, an
// empty account deleted) makes every property stale.
HD inline void note_changes(Ctx& c) {
  for (uint32_t i = 0; i < c.n_journal; ++i) {
    const JEntry& j = c.journal[i];
    switch (j.kind) {
      case J_BALANCE:
      case J_NONCE: c.stale_props |= c.accts[j.idx].prop_readers; break;
      case J_SLOT: c.stale_props |= c.slots[j.idx].prop_readers; break;
      case J_ACCT: c.stale_props = ~0ULL; break;
      case J_TOUCH:
        if (c.accts[j.idx].exists && !final_exists(c.accts[j.idx])) c.stale_props = ~0ULL;
        break;
      default: break;
    }
  }
}

// Calls a property or optimization target (no arguments) on the current state and rolls everything back.
// True when it succeeded and returned one word (into *word); sets c.resource_fail when the instance ran out
// of room. Every overlay entry it looks up records `reader` (its bit).
HD inline bool call_view(Ctx& c, const FuzzConfigK& cfg, const FuzzPropK& p, uint64_t reader, u256* word) {
  TxK view = {};
  for (int k = 0; k < 20; ++k) view.from[k] = cfg.prop_sender[k];
  const TxK* saved_tx = c.tx;
  c.tx = &view;  // ORIGIN
  c.gas_price = u256_zero();
  const uint32_t mark = c.n_journal, log_mark = c.n_logs;
  const uint64_t log_data_mark = c.log_data_len;
  const int64_t refund_mark = c.refund;
  bool ok = false;
  c.prop_reader = reader;
  int32_t ti = acct_read(c, p.to);
  if (ti >= 0 && c.accts[ti].code_len != 0) {
    Frame* f = push_frame(c, nullptr, K_CALL, c.accts[ti].code, c.accts[ti].code_len, (int64_t)cfg.call_gas);
    if (f) {
      for (int k = 0; k < 20; ++k) {
        f->address[k] = p.to[k];
        f->caller[k] = cfg.prop_sender[k];
      }
      f->value = u256_zero();
      f->is_static = 0;
      f->input = p.data;
      f->input_len = p.data_len;
      f->journal_mark = mark;
      c.result.output_len = 0;
      int64_t gas_left = 0;
      uint8_t status = run_frames(c, &gas_left);
      if (c.hits) block_hits_flush(*c.hits, status != ST_SUCCESS);
      if (status == ST_SUCCESS && c.result.output_len == 32) {
        ok = true;
        *word = from_be32(c.rd);
      }
    }
  }
  c.prop_reader = 0;
  revert_to(c, mark);
  c.n_logs = log_mark;
  c.log_data_len = log_data_mark;
  c.refund = refund_mark;
  c.selfdestructed = false;
  c.tx = saved_tx;
  TxResult r = {};
  c.result = r;
  return ok;
}

// Whether the senders together hold more ETH than in the snapshot; -1 when out of room.
HD inline int senders_gained(Ctx& c, const FuzzConfigK& cfg) {
  u256 sum = u256_zero();
  for (uint32_t i = 0; i < cfg.n_senders; ++i) {
    int32_t a = acct_get(c, cfg.senders + 20 * i);
    if (a < 0) return -1;
    sum = add(sum, c.accts[a].balance);
  }
  return gt(sum, cfg.initial_wealth) ? 1 : 0;
}

// Property, optimization and ETH-leak checks at check point `point` (0: the snapshot, k: after call k): the
// properties not broken yet and the optimization targets that are stale (all of them at the snapshot and
// after a time or block jump). Per property prop_at is the first failing point; per optimization target the
// first point where it returned its best value (prop_best, signed) so far.
HD inline bool check_point(Ctx& c, const FuzzConfigK& cfg, int32_t point, int32_t* prop_at, u256* prop_best, int32_t* leak_at) {
  const uint64_t stale = c.hits ? ~0ULL : c.stale_props;
  c.stale_props = 0;
  for (uint32_t p = 0; p < cfg.n_props; ++p) {
    const uint64_t bit = prop_bit(p);
    const bool optimize = cfg.props[p].kind == FP_OPTIMIZE;
    if ((!optimize && prop_at[p] >= 0) || (bit != 0 && !(stale & bit))) continue;
    u256 word = u256_zero();
    bool ok = call_view(c, cfg, cfg.props[p], bit, &word);
    if (c.resource_fail) return false;
    if (optimize) {
      if (ok && (prop_at[p] < 0 || slt(prop_best[p], word))) {
        prop_at[p] = point;
        prop_best[p] = word;
      }
    } else if (!ok || !eq(word, u256_from(1))) {
      prop_at[p] = point;
    }
  }
  if (*leak_at < 0) {
    int gained = senders_gained(c, cfg);
    if (gained < 0) return false;
    if (gained) *leak_at = point;
  }
  return true;
}

// Runs one sequence in a fresh instance (ctx_init done by the caller, c.cov and c.cmp set for feedback). env is the
// instance's own copy (time and block jumps change it). Returns false when the instance ran out of room
// (or, on the device, met a precompile it cannot run): the caller reruns the whole sequence with more.
HD inline bool run_sequence(Ctx& c, BlockEnvK& env, const FuzzConfigK& cfg, const FuzzCallK* calls, uint32_t n,
                            CallOutK* out, int32_t* prop_at, u256* prop_best, int32_t* leak_at) {
  for (uint32_t p = 0; p < cfg.n_props; ++p) {
    prop_at[p] = -1;
    prop_best[p] = u256_zero();
  }
  *leak_at = -1;
  c.env = &env;
  c.stale_props = ~0ULL;
  if (!check_point(c, cfg, 0, prop_at, prop_best, leak_at)) return false;
  for (uint32_t k = 0; k < n; ++k) {
    const FuzzCallK& call = calls[k];
    env.timestamp = add(env.timestamp, u256_from(call.time_delta));
    env.number = add(env.number, u256_from(call.block_delta));
    int32_t si = acct_get(c, call.from);
    if (si < 0) return false;
    TxK tx = {};
    tx.type = 0;
    tx.has_to = 1;
    for (int b = 0; b < 20; ++b) {
      tx.from[b] = call.from[b];
      tx.to[b] = call.to[b];
    }
    tx.nonce = u256_from(c.accts[si].nonce);  // fuzz senders never get their nonce wrong
    tx.gas_limit = u256_from(cfg.call_gas);
    tx.value = call.value;
    tx.data = call.data;
    tx.data_len = call.data_len;
    c.tx = &tx;
    if (c.cmp) c.cmp->call = k;
    execute_tx(c);
    if (c.result.outcome == OUT_RETRY_HOST) return false;
    if (c.hits) block_hits_flush(*c.hits, c.result.outcome != OUT_EXECUTED || c.result.status != ST_SUCCESS);
    CallOutK& o = out[k];
    o.outcome = c.result.outcome;
    o.status = c.result.status;
    o.error = c.result.error;
    o.flags = (c.result.outcome == OUT_EXECUTED && c.result.status == ST_SUCCESS && c.selfdestructed) ? CF_SELFDESTRUCT : 0;
    o.gas_used = c.result.gas_used;
    uint64_t len = c.result.outcome == OUT_EXECUTED ? c.result.output_len : 0;
    if (len > FUZZ_OUTPUT_CAP) len = FUZZ_OUTPUT_CAP;
    o.out_len = (uint32_t)len;
    for (uint64_t b = 0; b < len; ++b) o.out[b] = c.rd[b];
    // A call that failed changed nothing a property can see (gas is free, the sender's nonce is invisible
    // to EVM code): without a time or block jump the checks would repeat the previous point's answers.
    const bool jumped = call.time_delta != 0 || call.block_delta != 0;
    const bool unchanged = (o.outcome != OUT_EXECUTED || o.status != ST_SUCCESS) && !jumped;
    note_changes(c);
    if (jumped) c.stale_props = ~0ULL;
    commit_tx(c);
    c.tx = nullptr;
    if (!unchanged && !check_point(c, cfg, (int32_t)k + 1, prop_at, prop_best, leak_at)) return false;
  }
  return true;
}

}  // namespace evm
}  // namespace kern
