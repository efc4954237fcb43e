// Sync logic of the device-resident state copy (see device_state.h), and host memory standing in for the
// device under EVM_SIMULATE_DEVICE.
#include "device_state.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <tuple>

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

class HostStateMemory : public StateMemory {
 public:
  const char* name() const override { return "host"; }
  void* alloc(size_t bytes) override {
    void* p = std::malloc(bytes ? bytes : 1);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  void release(void* p) override { std::free(p); }
  void upload(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }
  void download(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }
  // The device runs one item per thread; here one after another (items are independent).
  void apply_delta(const uint8_t* buf, const StateDeltaHeader& h, const ResidentArrays& r) override {
    const uint64_t n = delta_items(h);
    for (uint64_t i = 0; i < n; ++i) apply_delta_item(buf, h, r, i);
  }
};

template <typename T> size_t bytes_of(const std::vector<T>& v) { return v.size() * sizeof(T); }

void sort_unique(std::vector<uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// A delta larger than this share of the state's entries costs about as much as uploading it whole.
size_t journal_limit(const StateMirror& m) { return std::max<size_t>(4096, (m.accounts.size() + m.slots.size()) / 4); }

}  // namespace

std::unique_ptr<StateMemory> make_host_state_memory() { return std::unique_ptr<StateMemory>(new HostStateMemory()); }

ResidentState::ResidentState(std::unique_ptr<StateMemory> memory) : memory_(std::move(memory)) {}

ResidentState::~ResidentState() {
  for (Array* a : {&accounts_, &acct_index_, &slots_, &slot_index_, &code_, &jumpdests_, &delta_, &db_})
    if (a->p != nullptr) memory_->release(a->p);
}

void ResidentState::ensure(Array& a, size_t bytes, size_t headroom_bytes) {
  if (a.p != nullptr && a.capacity >= bytes) return;
  if (a.p != nullptr) memory_->release(a.p);
  a.p = nullptr;
  a.capacity = 0;
  a.p = memory_->alloc(bytes + headroom_bytes);
  a.capacity = bytes + headroom_bytes;
}

void ResidentState::upload_index(Array& a, const std::vector<uint32_t>& index) {
  ensure(a, bytes_of(index), 0);
  memory_->upload(a.p, index.data(), bytes_of(index));
}

void ResidentState::upload_all(const StateMirror& m) {
  // Room to grow by a quarter before the next whole upload.
  auto grow = [](size_t b) { return b / 4 + 4096; };
  ensure(accounts_, bytes_of(m.accounts), grow(bytes_of(m.accounts)));
  ensure(slots_, bytes_of(m.slots), grow(bytes_of(m.slots)));
  ensure(code_, m.code.size(), grow(m.code.size()));
  ensure(jumpdests_, m.jumpdests.size(), grow(m.jumpdests.size()));
  memory_->upload(accounts_.p, m.accounts.data(), bytes_of(m.accounts));
  memory_->upload(slots_.p, m.slots.data(), bytes_of(m.slots));
  memory_->upload(code_.p, m.code.data(), m.code.size());
  memory_->upload(jumpdests_.p, m.jumpdests.data(), m.jumpdests.size());
  upload_index(acct_index_, m.acct_index);
  upload_index(slot_index_, m.slot_index);
  stats_.full_uploads++;
  stats_.full_bytes += bytes_of(m.accounts) + bytes_of(m.slots) + m.code.size() + m.jumpdests.size() +
                       bytes_of(m.acct_index) + bytes_of(m.slot_index);
}

void ResidentState::apply_delta(const StateMirror& m) {
  MirrorJournal& j = m.device.journal;
  sort_unique(j.accounts);
  sort_unique(j.slots);
  sort_unique(j.acct_index_pos);
  sort_unique(j.slot_index_pos);
  // A rebuilt (grown) index moved every entry: it travels whole instead of as writes.
  const bool acct_whole = j.acct_index_rebuilt || acct_index_len_ != m.acct_index.size();
  const bool slot_whole = j.slot_index_rebuilt || slot_index_len_ != m.slot_index.size();
  StateDeltaHeader h;
  std::memset(&h, 0, sizeof h);
  h.n_accounts = (uint32_t)j.accounts.size();
  h.n_slots = (uint32_t)j.slots.size();
  h.n_acct_index = acct_whole ? 0 : (uint32_t)j.acct_index_pos.size();
  h.n_slot_index = slot_whole ? 0 : (uint32_t)j.slot_index_pos.size();
  // Code is only appended; a new code's bitmap may share the last bitmap byte the copy holds.
  h.code_from = code_len_;
  h.code_len = m.code.size() - code_len_;
  h.jd_from = jumpdests_len_ > 0 ? jumpdests_len_ - 1 : 0;
  h.jd_len = m.jumpdests.size() - h.jd_from;
  const StateDeltaLayout l = delta_layout(h);
  std::vector<uint8_t> buf(l.total, 0);
  std::memcpy(buf.data(), &h, sizeof h);
  auto* aw = reinterpret_cast<AccountWrite*>(buf.data() + l.accounts);
  for (uint32_t k = 0; k < h.n_accounts; ++k) aw[k] = AccountWrite{j.accounts[k], 0, m.accounts[j.accounts[k]]};
  auto* sw = reinterpret_cast<SlotWrite*>(buf.data() + l.slots);
  for (uint32_t k = 0; k < h.n_slots; ++k) sw[k] = SlotWrite{j.slots[k], 0, m.slots[j.slots[k]]};
  auto* ai = reinterpret_cast<IndexWrite*>(buf.data() + l.acct_index);
  for (uint32_t k = 0; k < h.n_acct_index; ++k) ai[k] = IndexWrite{j.acct_index_pos[k], m.acct_index[j.acct_index_pos[k]]};
  auto* si = reinterpret_cast<IndexWrite*>(buf.data() + l.slot_index);
  for (uint32_t k = 0; k < h.n_slot_index; ++k) si[k] = IndexWrite{j.slot_index_pos[k], m.slot_index[j.slot_index_pos[k]]};
  if (h.code_len) std::memcpy(buf.data() + l.code, m.code.data() + h.code_from, h.code_len);
  if (h.jd_len) std::memcpy(buf.data() + l.jumpdests, m.jumpdests.data() + h.jd_from, h.jd_len);

  ensure(delta_, l.total, l.total / 2);
  memory_->upload(delta_.p, buf.data(), l.total);
  ResidentArrays r{static_cast<DbAccount*>(accounts_.p), static_cast<uint32_t*>(acct_index_.p),
                   static_cast<DbSlot*>(slots_.p),       static_cast<uint32_t*>(slot_index_.p),
                   static_cast<uint8_t*>(code_.p),       static_cast<uint8_t*>(jumpdests_.p)};
  memory_->apply_delta(static_cast<const uint8_t*>(delta_.p), h, r);
  for (auto [whole, arr, index] : {std::make_tuple(acct_whole, &acct_index_, &m.acct_index),
                                   std::make_tuple(slot_whole, &slot_index_, &m.slot_index)}) {
    if (!whole) continue;
    upload_index(*arr, *index);
    stats_.index_uploads++;
    stats_.index_bytes += bytes_of(*index);
  }
  stats_.delta_syncs++;
  stats_.delta_bytes += l.total;
  stats_.last_delta_bytes = l.total;
  stats_.last_delta_items = delta_items(h);
}

void ResidentState::publish_view(const StateMirror& m) {
  StateDB db = m.view();
  db.accounts = static_cast<const DbAccount*>(accounts_.p);
  db.acct_index = static_cast<const uint32_t*>(acct_index_.p);
  db.slots = static_cast<const DbSlot*>(slots_.p);
  db.slot_index = static_cast<const uint32_t*>(slot_index_.p);
  db.code = static_cast<const uint8_t*>(code_.p);
  db.jumpdests = static_cast<const uint8_t*>(jumpdests_.p);
  ensure(db_, sizeof db, 0);
  memory_->upload(db_.p, &db, sizeof db);
  acct_index_len_ = m.acct_index.size();
  slot_index_len_ = m.slot_index.size();
  code_len_ = m.code.size();
  jumpdests_len_ = m.jumpdests.size();
}

const StateDB* ResidentState::sync(const StateMirror& m) {
  std::lock_guard<std::mutex> lock(mu_);
  const MirrorJournal& j = m.device.journal;
  const bool fits = bytes_of(m.accounts) <= accounts_.capacity && bytes_of(m.slots) <= slots_.capacity &&
                    m.code.size() <= code_.capacity && m.jumpdests.size() <= jumpdests_.capacity;
  if (!loaded_ || !j.recording || j.overflow || !fits) {
    upload_all(m);
    loaded_ = true;
  } else if (!j.accounts.empty() || !j.slots.empty() || j.acct_index_rebuilt || j.slot_index_rebuilt ||
             m.code.size() != code_len_) {
    apply_delta(m);
  }
  publish_view(m);
  m.device.journal.restart(journal_limit(m));
  return static_cast<const StateDB*>(db_.p);
}

std::string ResidentState::compare(const StateMirror& m) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!loaded_) return "the device copy was never uploaded";
  if (acct_index_len_ != m.acct_index.size() || slot_index_len_ != m.slot_index.size() || code_len_ != m.code.size())
    return "the device copy is behind the mirror (not synced since its last update)";
  auto same = [&](const void* dev, const void* host, size_t bytes, size_t record, const char* what) -> std::string {
    std::vector<uint8_t> copy(bytes);
    memory_->download(copy.data(), dev, bytes);
    if (std::memcmp(copy.data(), host, bytes) == 0) return "";
    size_t k = 0;
    while (copy[k] == static_cast<const uint8_t*>(host)[k]) ++k;
    return std::string(what) + " differ at entry " + std::to_string(k / record);
  };
  std::string d;
  if ((d = same(accounts_.p, m.accounts.data(), bytes_of(m.accounts), sizeof(DbAccount), "accounts")).size()) return d;
  if ((d = same(slots_.p, m.slots.data(), bytes_of(m.slots), sizeof(DbSlot), "slots")).size()) return d;
  if ((d = same(acct_index_.p, m.acct_index.data(), bytes_of(m.acct_index), 4, "account index entries")).size()) return d;
  if ((d = same(slot_index_.p, m.slot_index.data(), bytes_of(m.slot_index), 4, "slot index entries")).size()) return d;
  if ((d = same(code_.p, m.code.data(), m.code.size(), 1, "code bytes")).size()) return d;
  return same(jumpdests_.p, m.jumpdests.data(), m.jumpdests.size(), 1, "JUMPDEST bitmap bytes");
}

ResidentStats ResidentState::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

namespace {

std::mutex g_resident_mu;  // guards every mirror's device.resident pointer

}  // namespace

std::shared_ptr<ResidentState> resident_of(const StateMirror& m) {
  std::lock_guard<std::mutex> lock(g_resident_mu);
  return m.device.resident;
}

ResidentView resident_state(const StateMirror& m, bool cuda) {
  std::shared_ptr<ResidentState> r;
  {
    std::lock_guard<std::mutex> lock(g_resident_mu);
    if (m.device.resident == nullptr) {
#ifdef EVM_WITH_CUDA
      m.device.resident = std::make_shared<ResidentState>(cuda ? make_cuda_state_memory() : make_host_state_memory());
#else
      if (cuda) throw std::runtime_error("native EVM: a CUDA state copy needs the CUDA build");
      m.device.resident = std::make_shared<ResidentState>(make_host_state_memory());
#endif
    }
    r = m.device.resident;
  }
  if ((std::string(r->memory_name()) == "cuda") != cuda)
    throw std::runtime_error(std::string("native EVM: this state's device copy lives in ") + r->memory_name() +
                             " memory, not " + (cuda ? "cuda" : "host"));
  return ResidentView{r, r->sync(m)};
}

}  // namespace evm
}  // namespace native
