// State mirror, batch decoding and CPU batch execution for the native EVM.
#include "evm_host.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "../backend/backend.h"
#include "../backend/thread_pool.h"
#include "device_state.h"
#include "../state/change_set.h"
#include "reader.h"

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

uint32_t pow2_for(size_t n) {
  uint32_t p = 16;
  while (p < 2 * n) p <<= 1;
  return p;
}

}  // namespace

StateDB StateMirror::view() const {
  StateDB db;
  db.accounts = accounts.data();
  db.n_accounts = (uint32_t)accounts.size();
  db.acct_index = acct_index.data();
  db.acct_mask = (uint32_t)acct_index.size() - 1;
  db.slots = slots.data();
  db.n_slots = (uint32_t)slots.size();
  db.slot_index = slot_index.data();
  db.slot_mask = (uint32_t)slot_index.size() - 1;
  db.code = code.data();
  db.code_len = code.size();
  db.jumpdests = jumpdests.data();
  return db;
}

uint64_t StateMirror::add_code(const uint8_t* c, uint64_t len) {
  // One spare byte keeps the last bitmap byte of this code clear of the next code's first.
  uint64_t off = align_up(code.size(), 8);
  code.resize(off);
  code.insert(code.end(), c, c + len);
  code.push_back(0);
  jumpdests.resize(code.size() / 8 + 1, 0);
  jumpdest_analysis(code.data() + off, len, jumpdests.data() + off / 8);
  return off;
}

namespace {

// Open-addressed index slot of an entry hashing to h (entry + 1 in it; 0 = empty).
uint32_t& free_slot(std::vector<uint32_t>& index, uint64_t h) {
  uint32_t mask = (uint32_t)index.size() - 1;
  for (uint32_t p = 0;; ++p) {
    uint32_t& e = index[(h + p) & mask];
    if (e == 0) return e;
  }
}

void index_accounts(StateMirror& m) {
  m.acct_index.assign(pow2_for(m.accounts.size()), 0);
  for (uint32_t i = 0; i < m.accounts.size(); ++i) free_slot(m.acct_index, addr_hash(m.accounts[i].addr)) = i + 1;
}

void index_slots(StateMirror& m) {
  m.slot_index.assign(pow2_for(m.slots.size()), 0);
  for (uint32_t i = 0; i < m.slots.size(); ++i) free_slot(m.slot_index, slot_hash(m.slots[i].acct, m.slots[i].key)) = i + 1;
}

}  // namespace

std::shared_ptr<StateMirror> build_state_mirror(const uint8_t* buf, size_t len) {
  auto m = std::make_shared<StateMirror>();
  Reader r(buf, len);
  uint32_t n = r.u32();
  m->accounts.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    DbAccount a;
    std::memset(&a, 0, sizeof a);
    std::memcpy(a.addr, r.take(20), 20);
    a.nonce = r.u64();
    a.balance = r.word();
    std::memcpy(a.code_hash, r.take(32), 32);
    uint32_t clen = r.u32();
    a.code_off = m->add_code(r.take(clen), clen);
    a.code_len = clen;
    uint32_t ns = r.u32();
    uint32_t nonzero = 0;
    for (uint32_t k = 0; k < ns; ++k) {
      DbSlot s;
      std::memset(&s, 0, sizeof s);
      s.acct = i;
      s.key = r.word();
      s.value = r.word();
      if (!is_zero(s.value)) {
        m->slots.push_back(s);
        ++nonzero;
      }
    }
    a.has_storage = nonzero > 0;
    m->accounts.push_back(a);
    m->nonzero_slots.push_back(nonzero);
  }
  if (r.off != len) throw std::runtime_error("native EVM: trailing bytes after the state buffer");
  index_accounts(*m);
  index_slots(*m);
  if (m->code.empty()) m->add_code(nullptr, 0);  // valid pointers for empty code
  return m;
}

std::shared_ptr<StateMirror> fork_state_mirror(const StateMirror& m) {
  auto f = std::make_shared<StateMirror>(m);
  f->readers = 0;
  f->pinned = false;
  return f;
}

namespace {

void clear_storage(StateMirror& m, uint32_t acct) {
  if (m.nonzero_slots[acct] == 0) return;
  for (uint32_t k = 0; k < m.slots.size(); ++k) {
    DbSlot& s = m.slots[k];
    if (s.acct != acct || is_zero(s.value)) continue;
    s.value = u256_zero();
    m.device.journal.note(m.device.journal.slots, k);
  }
  m.nonzero_slots[acct] = 0;
}

// Index position of a new entry, recorded for the device copy (a rebuilt index is sent whole).
void index_new(std::vector<uint32_t>& index, uint64_t h, uint32_t entry, MirrorJournal& j, std::vector<uint32_t>& positions) {
  uint32_t& e = free_slot(index, h);
  e = entry;
  j.note(positions, (uint32_t)(&e - index.data()));
}

// Index of the account (live or gone); appended (gone) when absent.
uint32_t account_entry(StateMirror& m, const uint8_t addr[20]) {
  uint64_t h = addr_hash(addr);
  uint32_t mask = (uint32_t)m.acct_index.size() - 1;
  for (uint32_t p = 0;; ++p) {
    uint32_t e = m.acct_index[(h + p) & mask];
    if (e == 0) break;
    if (addr_eq(m.accounts[e - 1].addr, addr)) return e - 1;
  }
  DbAccount a;
  std::memset(&a, 0, sizeof a);
  std::memcpy(a.addr, addr, 20);
  a.gone = 1;
  m.accounts.push_back(a);
  m.nonzero_slots.push_back(0);
  uint32_t i = (uint32_t)m.accounts.size() - 1;
  if (2 * m.accounts.size() > m.acct_index.size()) {
    index_accounts(m);
    m.device.journal.acct_index_rebuilt = true;
  } else {
    index_new(m.acct_index, h, i + 1, m.device.journal, m.device.journal.acct_index_pos);
  }
  return i;
}

void set_slot(StateMirror& m, uint32_t acct, const u256& key, const u256& value) {
  uint64_t h = slot_hash(acct, key);
  uint32_t mask = (uint32_t)m.slot_index.size() - 1;
  for (uint32_t p = 0;; ++p) {
    uint32_t e = m.slot_index[(h + p) & mask];
    if (e == 0) break;
    DbSlot& s = m.slots[e - 1];
    if (s.acct == acct && eq(s.key, key)) {
      m.nonzero_slots[acct] += (uint32_t)!is_zero(value) - (uint32_t)!is_zero(s.value);
      s.value = value;
      m.device.journal.note(m.device.journal.slots, e - 1);
      return;
    }
  }
  if (is_zero(value)) return;
  DbSlot s;
  std::memset(&s, 0, sizeof s);
  s.acct = acct;
  s.key = key;
  s.value = value;
  m.slots.push_back(s);
  m.nonzero_slots[acct] += 1;
  m.device.journal.note(m.device.journal.slots, (uint32_t)m.slots.size() - 1);
  if (2 * m.slots.size() > m.slot_index.size()) {
    index_slots(m);
    m.device.journal.slot_index_rebuilt = true;
  } else {
    index_new(m.slot_index, h, (uint32_t)m.slots.size(), m.device.journal, m.device.journal.slot_index_pos);
  }
}

}  // namespace

namespace {

// One account's change, either from encodeChanges' layout or merged from the executor's records. A deletion
// drops the account and its storage; an account (re-)created from gone starts without code unless `code`
// is given. Returns the account's entry, whose slots the caller then writes (finish_account after them).
struct AccountUpdate {
  const uint8_t* addr;
  bool deleted, storage_reset;
  uint64_t nonce;
  u256 balance;
  const uint8_t* code_hash;  // with code: the new code's hash (null: the code stays)
  const uint8_t* code;
  uint32_t code_len;
};

uint32_t update_account(StateMirror& m, const AccountUpdate& u) {
  uint32_t i = account_entry(m, u.addr);
  if (u.storage_reset) clear_storage(m, i);
  DbAccount& a = m.accounts[i];
  if (u.deleted) {
    clear_storage(m, i);
    a.gone = 1;
    a.nonce = 0;
    a.balance = u256_zero();
    a.code_len = 0;
    empty_code_hash(a.code_hash);
    return i;
  }
  if (a.gone) {  // (re)created: starts empty
    a.code_len = 0;
    empty_code_hash(a.code_hash);
  }
  a.gone = 0;
  a.nonce = u.nonce;
  a.balance = u.balance;
  if (u.code_hash != nullptr) {
    std::memcpy(a.code_hash, u.code_hash, 32);
    a.code_off = m.add_code(u.code, u.code_len);
    a.code_len = u.code_len;
  }
  return i;
}

void finish_account(StateMirror& m, uint32_t i) {
  m.accounts[i].has_storage = m.nonzero_slots[i] > 0;
  m.device.journal.note(m.device.journal.accounts, i);
}

}  // namespace

void update_state_mirror(StateMirror& m, const uint8_t* buf, size_t len) {
  Reader r(buf, len);
  for (uint32_t n = r.u32(); n > 0; --n) {
    AccountUpdate u{};
    u.addr = r.take(20);
    uint8_t flags = r.u8();
    u.deleted = flags & 1;
    u.storage_reset = flags & 4;
    u.nonce = r.u64();
    u.balance = r.word();
    if (flags & 2) {
      u.code_hash = r.take(32);
      u.code_len = r.u32();
      u.code = r.take(u.code_len);
    }
    uint32_t i = update_account(m, u);
    for (uint32_t k = r.u32(); k > 0; --k) {
      u256 key = r.word();
      u256 value = r.word();
      set_slot(m, i, key, value);
    }
    finish_account(m, i);
  }
  if (r.off != len) throw std::runtime_error("native EVM: trailing bytes after the state changes");
}

void update_state_mirror(StateMirror& m, const state::ChangeSet& cs) {
  static const uint8_t kNoCode[1] = {0};
  for (const state::AccountChange& c : cs.accounts) {
    if (c.has_code_hash && c.code == nullptr && c.code_len == 0 &&
        std::memcmp(c.code_hash.b, state::kEmptyCodeHash.b, 32) != 0)
      throw std::invalid_argument("native EVM: a change names code by its hash only, which the state mirror cannot store");
    AccountUpdate u{};
    u.addr = c.address.b;
    u.deleted = c.flags & state::kDeleted;
    u.storage_reset = c.flags & state::kStorageReset;
    u.nonce = c.nonce;
    if (!u.deleted) u.balance = from_be32(c.balance);
    if (c.has_code_hash) {
      u.code_hash = c.code_hash.b;
      u.code = c.code != nullptr ? c.code : kNoCode;
      u.code_len = c.code_len;
    }
    uint32_t i = update_account(m, u);
    if (!u.deleted)
      for (uint32_t s = c.slot_begin; s < c.slot_end; ++s) set_slot(m, i, from_be32(cs.slots[s].slot), from_be32(cs.slots[s].value));
    finish_account(m, i);
  }
}

void decode_env(const std::vector<uint8_t>& bytes, BlockEnvK& e) {
  Reader r(bytes.data(), bytes.size());
  e.fork = r.u8();
  if (e.fork >= kern::N_FORKS) throw std::runtime_error("native EVM: unknown fork id " + std::to_string(e.fork));
  e.chain_id = r.word();
  e.number = r.word();
  e.timestamp = r.word();
  e.gas_limit = r.word();
  e.base_fee = r.word();
  e.prev_randao = r.word();
  e.blob_base_fee = r.word();
  std::memcpy(e.coinbase, r.take(20), 20);
  e.n_block_hashes = r.u32();
  e.block_hashes = r.take(32ULL * e.n_block_hashes);
}

void decode_batch(Batch& b) {
  decode_env(b.env_bytes, b.env);
  Reader r(b.tx_bytes.data(), b.tx_bytes.size());
  uint32_t n = r.u32();
  b.txs.resize(n);
  static const uint8_t kEmpty[1] = {0};
  for (uint32_t i = 0; i < n; ++i) {
    TxK& t = b.txs[i];
    t.type = r.u8();
    t.has_to = r.u8();
    t.is_call = r.u8();
    std::memcpy(t.from, r.take(20), 20);
    std::memcpy(t.to, r.take(20), 20);
    t.nonce = r.word();
    t.gas_limit = r.word();
    t.value = r.word();
    t.gas_price = r.word();
    t.max_fee = r.word();
    t.max_priority_fee = r.word();
    t.max_fee_per_blob_gas = r.word();
    t.data_len = r.u32();
    t.data = t.data_len ? r.take(t.data_len) : kEmpty;
    t.n_access = r.u32();
    size_t start = r.off;
    for (uint32_t k = 0; k < t.n_access; ++k) {
      r.take(20);
      uint32_t nk = r.u32();
      r.take(32ULL * nk);
    }
    t.access_list = b.tx_bytes.data() + start;
    t.n_blobs = r.u32();
    t.blob_hashes = t.n_blobs ? r.take(32ULL * t.n_blobs) : kEmpty;
    t.n_auths = r.u32();
    t.auths = t.n_auths ? r.take(AUTH_BYTES * t.n_auths) : kEmpty;
  }
  if (r.off != b.tx_bytes.size()) throw std::runtime_error("native EVM: trailing bytes after the transactions");
}

Limits default_limits() { return scaled_limits(1); }

Limits device_limits() {
  Limits l;
  l.accounts = 64;
  l.slots = 256;
  l.tslots = 64;
  l.journal = 1024;
  l.saves = 64;
  l.logs = 32;
  l.log_data = 8 << 10;
  l.stack_items = 4096;
  l.mem_bytes = 128 << 10;
  l.rd_bytes = 32 << 10;
  l.code_bytes = 32 << 10;
  return l;
}

std::vector<uint8_t> execute_one_as_device(const StateDB& db, const BlockEnvK& env, const TxK& tx) {
  thread_local std::vector<uint8_t> buf;
  thread_local std::unique_ptr<Ctx> ctx(new Ctx());
  Limits l = device_limits();
  uint64_t need = instance_bytes(l);
  if (buf.size() < need + 64) buf.resize(need + 64);
  uint8_t* aligned = buf.data() + ((64 - ((uintptr_t)buf.data() & 63)) & 63);
  Ctx& c = *ctx;
  ctx_init(c, aligned, l, &db, &env, &tx);
  c.on_device = true;
  c.device_precompiles = false;
  execute_tx(c);
  if (c.result.outcome == OUT_RETRY_HOST) return std::vector<uint8_t>();
  std::vector<uint8_t> out(serialize_result(c, nullptr));
  serialize_result(c, out.data());
  return out;
}

Limits scaled_limits(unsigned f) {
  Limits l;
  l.accounts = 256 * f;
  l.slots = 1024 * f;
  l.tslots = 256 * f;
  l.journal = 4096 * f;
  l.saves = 256 * f;
  l.logs = 256 * f;
  l.log_data = (64ULL << 10) * f;
  l.stack_items = 32768ULL * f;
  l.mem_bytes = (4ULL << 20) * f;
  l.rd_bytes = (1ULL << 20) * f;
  l.code_bytes = (256ULL << 10) * f;
  return l;
}

std::vector<uint8_t> execute_one_host(const StateDB& db, const BlockEnvK& env, const TxK& tx,
                                      const uint8_t* abort_flag, const ChainOverlayK* chain) {
  thread_local std::vector<uint8_t> buf;
  thread_local std::unique_ptr<Ctx> ctx(new Ctx());
  Limits l = default_limits();
  Ctx& c = *ctx;
  for (int attempt = 0;; ++attempt) {
    uint64_t need = instance_bytes(l);
    if (buf.size() < need + 64) buf.resize(need + 64);
    uint8_t* base = buf.data();
    uint8_t* aligned = base + ((64 - ((uintptr_t)base & 63)) & 63);
    ctx_init(c, aligned, l, &db, &env, &tx);
    c.chain = chain;
    c.abort_flag = abort_flag;
    execute_tx(c);
    bool retry = c.result.outcome == OUT_RETRY_HOST && c.result.error != X_PRECOMPILE_ON_HOST;
    // Raise only the limits that ran out, 4x per attempt, while the instance stays under 2 GiB.
    if (retry && attempt < 12) {
      uint32_t m = c.resource_mask;
      Limits n = l;
      if (m & RES_ACCTS) n.accounts *= 4;
      if (m & RES_SLOTS) n.slots *= 4;
      if (m & RES_TSLOTS) n.tslots *= 4;
      if (m & RES_JOURNAL) n.journal *= 4;
      if (m & RES_SAVES) n.saves *= 4;
      if (m & RES_LOGS) n.logs *= 4, n.log_data *= 4;
      if (m & RES_STACK) n.stack_items *= 4;
      if (m & RES_MEM) n.mem_bytes *= 4;
      if (m & RES_RD) n.rd_bytes *= 4;
      if (m & RES_CODE) n.code_bytes *= 4;
      if (m != 0 && instance_bytes(n) < (2ULL << 30)) {
        l = n;
        continue;
      }
    }
    std::vector<uint8_t> out(serialize_result(c, nullptr));
    serialize_result(c, out.data());
    if (buf.size() > (256ULL << 20)) buf = std::vector<uint8_t>();  // do not keep huge buffers around
    return out;
  }
}

namespace {

std::atomic<uint64_t> g_handed_back{0};  // transactions the device (or its simulation) handed to the host

}  // namespace

ThreadPool& evm_pool() {
  static std::unique_ptr<ThreadPool> pool;
  static std::once_flag once;
  std::call_once(once, [] {
    const char* t = std::getenv("EVM_THREADS");
    unsigned n = t ? (unsigned)std::strtoul(t, nullptr, 10) : 0;
    if (n == 0) n = std::thread::hardware_concurrency();
    if (n == 0) n = 1;
    pool.reset(new ThreadPool(n));
  });
  return *pool;
}

void note_handed_back(uint64_t n) { g_handed_back += n; }

EvmInfo evm_info() {
  EvmInfo i;
  BackendInfo b = active_backend().info();
  i.backend = b.kind;
  i.instance_bytes = instance_bytes(default_limits());
  i.device_instance_bytes = 0;
#ifdef EVM_WITH_CUDA
  i.device_instance_bytes = instance_bytes(device_limits());
#endif
  i.threads = evm_pool().size();
  i.handed_back = g_handed_back.load();
  return i;
}

void rebase_tx(TxK& t, const uint8_t* from, size_t size, const uint8_t* to) {
  t.data = rebase_ptr(t.data, from, size, to);
  t.access_list = rebase_ptr(t.access_list, from, size, to);
  t.blob_hashes = rebase_ptr(t.blob_hashes, from, size, to);
  t.auths = rebase_ptr(t.auths, from, size, to);
}

Batch batch_subset(const Batch& batch, const std::vector<uint32_t>& which) {
  Batch sub;
  sub.env_bytes = batch.env_bytes;
  sub.tx_bytes = batch.tx_bytes;
  sub.env = batch.env;
  sub.env.block_hashes = rebase_ptr(batch.env.block_hashes, batch.env_bytes.data(), batch.env_bytes.size(), sub.env_bytes.data());
  sub.txs.reserve(which.size());
  for (uint32_t i : which) {
    TxK t = batch.txs[i];
    rebase_tx(t, batch.tx_bytes.data(), batch.tx_bytes.size(), sub.tx_bytes.data());
    sub.txs.push_back(t);
  }
  return sub;
}

bool simulating_device() {
  const char* sim = std::getenv("EVM_SIMULATE_DEVICE");
  return sim != nullptr && std::string(sim) == "1";
}

bool device_runs_batches() {
#ifdef EVM_WITH_CUDA
  if (active_backend().info().kind == "cuda") return true;
#endif
  return simulating_device();
}

void execute_batch(const StateMirror& state, const Batch& batch, std::vector<std::vector<uint8_t>>& out) {
  out.assign(batch.txs.size(), std::vector<uint8_t>());
  StateDB db = state.view();
#ifdef EVM_WITH_CUDA
  if (active_backend().info().kind == "cuda") {
    std::string why;
    if (cuda_execute_batch(state, batch, out, why)) {
      // Transactions the device handed back are completed here with the same code.
      std::vector<size_t> back;
      for (size_t i = 0; i < out.size(); ++i)
        if (out[i].empty()) back.push_back(i);
      g_handed_back += back.size();
      evm_pool().parallel_for(back.size(), [&](size_t k) {
        size_t i = back[k];
        out[i] = execute_one_host(db, batch.env, batch.txs[i]);
      });
      return;
    }
    throw std::runtime_error("native EVM: CUDA batch failed: " + why);
  }
#endif
  if (device_runs_batches()) {
    // As on the device: against the resident copy, synced by a delta; hand-backs complete on the mirror.
    ResidentView device = resident_state(state, false);
    evm_pool().parallel_for(batch.txs.size(), [&](size_t i) {
      out[i] = execute_one_as_device(*device.db, batch.env, batch.txs[i]);
      if (out[i].empty()) {  // handed back
        g_handed_back++;
        out[i] = execute_one_host(db, batch.env, batch.txs[i]);
      }
    });
    return;
  }
  evm_pool().parallel_for(batch.txs.size(), [&](size_t i) { out[i] = execute_one_host(db, batch.env, batch.txs[i]); });
}

void execute_batch_cancellable(const StateMirror& state, const Batch& batch, const uint8_t* abort_flag,
                               std::vector<std::vector<uint8_t>>& out) {
  out.assign(batch.txs.size(), std::vector<uint8_t>());
  StateDB db = state.view();
  for (size_t i = 0; i < batch.txs.size(); ++i) out[i] = execute_one_host(db, batch.env, batch.txs[i], abort_flag);
}

}  // namespace evm
}  // namespace native
