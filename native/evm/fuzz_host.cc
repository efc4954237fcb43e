#include "fuzz_host.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "../backend/backend.h"
#include "reader.h"

namespace native {
namespace evm {

using namespace kern::evm;

std::vector<FuzzSequence> decode_program(const std::vector<uint8_t>& program) {
  Reader r(program.data(), program.size());
  uint32_t n = r.u32();
  if (n > program.size()) throw std::runtime_error("native fuzz: sequence count exceeds the program size");
  std::vector<FuzzSequence> seqs(n);
  static const uint8_t kEmpty[1] = {0};
  for (auto& s : seqs) {
    uint32_t m = r.u32();
    if (m > program.size()) throw std::runtime_error("native fuzz: call count exceeds the program size");
    s.calls.resize(m);
    for (auto& c : s.calls) {
      std::memcpy(c.from, r.take(20), 20);
      std::memcpy(c.to, r.take(20), 20);
      c.value = r.word();
      c.time_delta = r.u64();
      c.block_delta = r.u64();
      c.data_len = r.u32();
      c.data = c.data_len ? r.take(c.data_len) : kEmpty;
    }
  }
  if (r.off != program.size()) throw std::runtime_error("native fuzz: trailing bytes after the program");
  return seqs;
}

// One sequence on the calling thread, with larger limits after running out of room. With
// EVM_SIMULATE_DEVICE=1 it first runs exactly as a device thread would (device limits, no device
// precompiles), so the hand-back to the host is exercised without a GPU.
void run_one(const FuzzSession& s, const FuzzSequence& seq, FuzzSequenceOut& out, bool comparisons, BlockHitsK* hits) {
  thread_local std::vector<uint8_t> buf;
  thread_local std::unique_ptr<CmpLog> cmp(new CmpLog());
  thread_local std::unique_ptr<Ctx> ctx(new Ctx());
  thread_local std::vector<uint8_t> cov(COVERAGE_BITS / 8);
  const StateDB db = s.mirror->view();
  out.calls.assign(seq.calls.size(), CallOutK{});
  out.prop_failed_at.assign(s.props.size(), -1);
  out.prop_best.assign(s.props.size(), u256_zero());
  auto attempt = [&](const Limits& l, bool as_device) {
    uint64_t need = instance_bytes(l);
    if (buf.size() < need + 64) buf.resize(need + 64);
    uint8_t* aligned = buf.data() + ((64 - ((uintptr_t)buf.data() & 63)) & 63);
    Ctx& c = *ctx;
    ctx_init(c, aligned, l, &db, &s.env, nullptr);
    c.on_device = as_device;
    std::memset(cov.data(), 0, cov.size());
    c.cov = cov.data();
    c.cov_mask = COVERAGE_BITS - 1;
    if (comparisons) {
      cmp_clear(*cmp);
      c.cmp = cmp.get();
    }
    if (hits) {  // a retry counts from zero again
      for (uint32_t i = 0; i < hits->n_seen; ++i) hits->ok[hits->seen[i]] = hits->failed[hits->seen[i]] = 0;
      hits->n_seen = hits->n_pending = 0;
      ++hits->call;
      c.hits = hits;
    }
    BlockEnvK env = s.env;
    return run_sequence(c, env, s.cfg, seq.calls.data(), (uint32_t)seq.calls.size(), out.calls.data(),
                        out.prop_failed_at.data(), out.prop_best.data(), &out.leak_at);
  };
  const bool sim = simulating_device();
  bool ok = sim && attempt(device_limits(), true);
  if (!ok) note_handed_back(sim ? 1 : 0);
  for (unsigned factor = 1; !ok; factor *= 4) {
    if (instance_bytes(scaled_limits(factor)) >= (2ULL << 30))
      throw std::runtime_error("native fuzz: a sequence needs more memory than an EVM instance may use");
    ok = attempt(scaled_limits(factor), false);
  }
  if (buf.size() > (256ULL << 20)) buf = std::vector<uint8_t>();
  bitmap_edges(cov.data(), out.edges);
  out.cmps.clear();
  if (comparisons) collect_comparisons(cmp->slots, out.cmps);
}

void collect_comparisons(const CmpEntry* slots, std::vector<CmpEntry>& out) {
  out.clear();
  for (uint32_t i = 0; i < CMP_SLOTS; ++i)
    if (slots[i].op != 0) out.push_back(slots[i]);
}

namespace {

// Appends little-endian integers and big-endian words to the result buffer, a few bytes at a time through
// resize + memcpy (a push_back per byte dominated writing a batch's results).
struct Writer {
  std::vector<uint8_t>& b;
  uint8_t* grow(size_t n) {
    size_t at = b.size();
    b.resize(at + n);
    return b.data() + at;
  }
  void u8(uint8_t v) { b.push_back(v); }
  void u32(uint32_t v) {
    uint8_t* p = grow(4);
    for (int i = 0; i < 4; ++i) p[i] = (uint8_t)(v >> (8 * i));
  }
  void u64(uint64_t v) {
    uint8_t* p = grow(8);
    for (int i = 0; i < 8; ++i) p[i] = (uint8_t)(v >> (8 * i));
  }
  void bytes(const uint8_t* v, size_t n) {
    if (n) std::memcpy(grow(n), v, n);
  }
  void word_be(const u256& v) {
    uint8_t* p = grow(32);
    for (int i = 0; i < 32; ++i) p[31 - i] = (uint8_t)(v.w[i / 8] >> (8 * (i % 8)));
  }
};

uint32_t matching_bytes(const u256& a, const u256& b) {
  uint32_t n = 0;
  for (int i = 0; i < 32; ++i) n += (uint8_t)(a.w[i / 8] >> (8 * (i % 8))) == (uint8_t)(b.w[i / 8] >> (8 * (i % 8)));
  return n;
}

uint64_t pair_hash(const CmpEntry& e) {
  uint64_t h = e.op;
  for (int i = 0; i < 4; ++i) h = mix64(h ^ e.a.w[i] ^ (e.b.w[i] * 0x9e3779b97f4a7c15ULL));
  return h;
}

// Merges a sequence's comparisons into the session (s.mu held): writes how many EQ sites it brought closer
// than ever (matching bytes) and the operand pairs no earlier sequence reported, more of them for a
// sequence that reached something new (random arguments make most pairs new, and most are noise).
void merge_comparisons(FuzzSession& s, const FuzzSequenceOut& o, bool reached_new, Writer& w) {
  uint32_t closer = 0;
  std::vector<const CmpEntry*> fresh;
  for (const CmpEntry& e : o.cmps) {
    if (e.op == 0x14 || e.op == 0x15 || e.op == 0x18) {  // EQ, ISZERO, XOR: how solc compiles x == C
      uint8_t& best = s.eq_best[e.site & (EQ_SITES - 1)];
      uint32_t m = matching_bytes(e.a, e.b);
      if (m > best) {
        best = (uint8_t)m;
        ++closer;
      }
    }
    const size_t cap = reached_new || closer > 0 ? CMP_EMIT_CAP : CMP_EMIT_CAP_PLAIN;
    if (fresh.size() < cap && s.cmp_seen.insert(pair_hash(e)).second) fresh.push_back(&e);
  }
  if (s.cmp_seen.size() > CMP_SEEN_CAP) s.cmp_seen.clear();  // bounded: old pairs may be reported again
  w.u32(closer);
  w.u32((uint32_t)fresh.size());
  for (const CmpEntry* e : fresh) {
    w.u8(e->op);
    w.u32(e->call);
    w.word_be(e->a);
    w.word_be(e->b);
  }
}

}  // namespace

void bitmap_edges(const uint8_t* bitmap, std::vector<uint32_t>& out) {
  out.clear();
  for (uint32_t w = 0; w < COVERAGE_BITS / 64; ++w) {
    uint64_t x;
    std::memcpy(&x, bitmap + 8 * w, 8);
    for (; x; x &= x - 1) out.push_back(w * 64 + (uint32_t)__builtin_ctzll(x));
  }
}

std::shared_ptr<FuzzSession> make_fuzz_session(std::shared_ptr<StateMirror> mirror, std::vector<uint8_t> env,
                                               std::vector<uint8_t> config) {
  auto s = std::make_shared<FuzzSession>();
  s->mirror = std::move(mirror);
  s->env_bytes = std::move(env);
  s->config_bytes = std::move(config);
  decode_env(s->env_bytes, s->env);
  Reader r(s->config_bytes.data(), s->config_bytes.size());
  FuzzConfigK& cfg = s->cfg;
  cfg.call_gas = r.u64();
  if (cfg.call_gas == 0 || cfg.call_gas > 0x7fffffffffffffffULL) throw std::runtime_error("native fuzz: bad call gas");
  std::memcpy(cfg.prop_sender, r.take(20), 20);
  cfg.n_senders = r.u32();
  cfg.senders = r.take(20ULL * cfg.n_senders);
  uint32_t np = r.u32();
  if (np > s->config_bytes.size()) throw std::runtime_error("native fuzz: property count exceeds the config size");
  s->props.resize(np);
  for (auto& p : s->props) {
    std::memcpy(p.to, r.take(20), 20);
    p.kind = r.u8();
    if (p.kind != FP_PROPERTY && p.kind != FP_OPTIMIZE) throw std::runtime_error("native fuzz: unknown property kind");
    p.data_len = r.u32();
    p.data = r.take(p.data_len);
  }
  if (r.off != s->config_bytes.size()) throw std::runtime_error("native fuzz: trailing bytes after the config");
  cfg.props = s->props.data();
  cfg.n_props = np;
  const StateDB db = s->mirror->view();
  u256 wealth = u256_zero();
  for (uint32_t i = 0; i < cfg.n_senders; ++i) {
    int32_t a = db_find_account(db, cfg.senders + 20 * i);
    if (a >= 0) wealth = add(wealth, db.accounts[a].balance);
  }
  cfg.initial_wealth = wealth;
  s->coverage.assign(COVERAGE_BITS / 8, 0);
  s->eq_best.assign(EQ_SITES, 0);
  return s;
}

namespace {

// Waits for the ticket's turn at the gate and holds it; the next ticket's turn comes when this goes (also
// when the run failed, so later runs never wait forever).
class GateTurn {
 public:
  GateTurn(TicketGate& g, uint64_t ticket) : g_(g), lock_(g.mu) {
    g.cv.wait(lock_, [&] { return g.next == ticket; });
  }
  ~GateTurn() {
    ++g_.next;
    lock_.unlock();
    g_.cv.notify_all();
  }

 private:
  TicketGate& g_;
  std::unique_lock<std::mutex> lock_;
};

// Every sequence of the program run (device first when there is one, then the host pool); outs in program order.
void execute_program(FuzzSession& s, const std::vector<uint8_t>& program, const std::vector<FuzzSequence>& seqs,
                     std::vector<FuzzSequenceOut>& outs, bool comparisons) {
  std::vector<uint8_t> done(seqs.size(), 0);
#ifdef EVM_WITH_CUDA
  if (active_backend().info().kind == "cuda") {
    std::string why;
    if (!cuda_fuzz_run(s, program, seqs, outs, done, comparisons, why)) throw std::runtime_error("native fuzz: CUDA run failed: " + why);
  }
#endif
  std::vector<size_t> host;  // sequences the device did not run (all of them on the CPU backend)
  for (size_t i = 0; i < seqs.size(); ++i)
    if (!done[i]) host.push_back(i);
#ifdef EVM_WITH_CUDA
  if (active_backend().info().kind == "cuda") note_handed_back(host.size());
#endif
  std::exception_ptr failure;
  std::mutex failure_mu;
  evm_pool().parallel_for(host.size(), [&](size_t k) {
    size_t i = host[k];
    try {
      run_one(s, seqs[i], outs[i], comparisons, nullptr);
    } catch (...) {
      std::lock_guard<std::mutex> g(failure_mu);
      if (!failure) failure = std::current_exception();
    }
  });
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::vector<uint8_t> fuzz_run(FuzzSession& s, const std::vector<uint8_t>& program, bool merge_coverage, bool comparisons,
                              uint64_t ticket) {
  std::vector<FuzzSequence> seqs;
  std::vector<FuzzSequenceOut> outs;
  std::exception_ptr failure;
  try {
    seqs = decode_program(program);
    outs.resize(seqs.size());
  } catch (...) {
    failure = std::current_exception();
  }
  {  // every ticket passes both gates, failed or not
    GateTurn executing(s.executing, ticket);
    if (!failure) try {
        execute_program(s, program, seqs, outs, comparisons);
      } catch (...) {
        failure = std::current_exception();
      }
  }
  GateTurn merging(s.merging, ticket);
  if (failure) std::rethrow_exception(failure);
  std::vector<uint8_t> bytes;
  size_t estimate = 0;  // one allocation for the usual batch: headers, outputs, a few comparisons
  for (auto& o : outs) {
    estimate += 64 + o.prop_failed_at.size() * 36 + (comparisons ? CMP_EMIT_CAP_PLAIN * 69 : 0);
    for (auto& c : o.calls) estimate += 16 + c.out_len;
  }
  bytes.reserve(estimate);
  Writer w{bytes};
  std::lock_guard<std::mutex> g(s.mu);
  for (auto& o : outs) {
    // A summary first, so the campaign reads a call's record only when one may have tripped something.
    uint32_t record_bytes = 0, failed = 0;
    uint8_t watch = 0;
    for (auto& c : o.calls) {
      record_bytes += 16 + c.out_len;
      bool halted = c.outcome == 1 || c.status > 1;  // rejected, or halted in the EVM
      failed += halted || c.status != 0;
      watch |= (c.flags & 1) || (!halted && c.status == 1 && c.out_len == 36);
    }
    w.u32((uint32_t)o.calls.size());
    w.u32(record_bytes);
    w.u32(failed);
    w.u8(watch);
    for (auto& c : o.calls) {
      w.u8(c.outcome);
      w.u8(c.status);
      w.u8(c.error);
      w.u8(c.flags);
      w.u64(c.gas_used);
      w.u32(c.out_len);
      w.bytes(c.out, c.out_len);
    }
    w.u32((uint32_t)o.prop_failed_at.size());
    for (size_t p = 0; p < o.prop_failed_at.size(); ++p) {
      w.u32((uint32_t)o.prop_failed_at[p]);
      if (s.props[p].kind == FP_OPTIMIZE) w.word_be(o.prop_best[p]);
    }
    w.u32((uint32_t)o.leak_at);
    uint32_t fresh = 0;
    if (merge_coverage) {
      for (uint32_t e : o.edges) {
        uint8_t& byte = s.coverage[e >> 3];
        uint8_t bit = (uint8_t)(1u << (e & 7));
        if (!(byte & bit)) {
          byte |= bit;
          ++fresh;
        }
      }
      s.edges += fresh;
    }
    w.u32(fresh);
    if (merge_coverage) {
      merge_comparisons(s, o, fresh > 0, w);
    } else {
      w.u32(0);
      w.u32(0);
    }
  }
  return bytes;
}

}  // namespace evm
}  // namespace native
