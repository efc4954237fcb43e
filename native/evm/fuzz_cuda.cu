// CUDA path of fuzzing: one call sequence per GPU thread, running kernels/evm/sequence.h (the same code the
// CPU threads run) over the device copy of the snapshot, each thread with its own instance memory and its
// own coverage bitmap (and comparison log, for comparison feedback). Sequences a thread cannot finish (instance memory, a precompile the device does not
// run) are left for the host.
#include <cuda_runtime.h>

#define EVM_DEVICE_PRECOMPILES 0

#include <algorithm>
#include <string>
#include <vector>

#include "cuda_util.cuh"
#include "device_state.h"
#include "fuzz_host.h"

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

constexpr uint64_t COV_BYTES = COVERAGE_BITS / 8;

__global__ void fuzz_kernel(const StateDB* db, const BlockEnvK* env, const FuzzConfigK* cfg, const FuzzCallK* calls,
                            const uint32_t* first, const uint32_t* len, uint32_t n, uint8_t* arena, uint64_t ib,
                            Limits lim, CallOutK* outs, int32_t* props, u256* best, int32_t* leak, uint8_t* cov,
                            CmpLog* cmps, uint8_t* ok) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  Ctx c;
  ctx_init(c, arena + (uint64_t)i * ib, lim, db, env, nullptr);
  c.on_device = true;
  c.device_precompiles = EVM_DEVICE_PRECOMPILES != 0;
  uint8_t* bitmap = cov + (uint64_t)i * COV_BYTES;
  for (uint64_t b = 0; b < COV_BYTES; ++b) bitmap[b] = 0;
  c.cov = bitmap;
  c.cov_mask = COVERAGE_BITS - 1;
  if (cmps) {
    cmp_clear(cmps[i]);
    c.cmp = cmps + i;
  }
  BlockEnvK e = *env;
  ok[i] = run_sequence(c, e, *cfg, calls + first[i], len[i], outs + first[i], props + (uint64_t)i * cfg->n_props,
                       best + (uint64_t)i * cfg->n_props, leak + i)
              ? 1
              : 0;
}

}  // namespace

bool cuda_fuzz_run(const FuzzSession& s, const std::vector<uint8_t>& program, const std::vector<FuzzSequence>& seqs,
                   std::vector<FuzzSequenceOut>& outs, std::vector<uint8_t>& done, bool comparisons, std::string& why) {
  try {
    const uint32_t n = (uint32_t)seqs.size();
    if (n == 0) return true;
    check(cudaSetDevice(0), "cudaSetDevice");
    check(cudaDeviceSetLimit(cudaLimitStackSize, 32 << 10), "stack size");
    ResidentView d_state = resident_state(*s.mirror, true);  // the session's mirror is pinned: uploaded once
    // Block values, config and program: pointers into host bytes become pointers into their device copies.
    DevBuf d_envb(s.env_bytes.size()), d_cfgb(s.config_bytes.size()), d_prog(program.size());
    up(d_envb, s.env_bytes.data(), s.env_bytes.size());
    up(d_cfgb, s.config_bytes.data(), s.config_bytes.size());
    up(d_prog, program.data(), program.size());
    BlockEnvK env = s.env;
    env.block_hashes = fix_ptr(env.block_hashes, s.env_bytes, d_envb);
    DevBuf d_env(sizeof(BlockEnvK));
    up(d_env, &env, 1);
    std::vector<FuzzPropK> props = s.props;
    for (auto& p : props) p.data = fix_ptr(p.data, s.config_bytes, d_cfgb);
    DevBuf d_props(props.size() * sizeof(FuzzPropK));
    up(d_props, props.data(), props.size());
    FuzzConfigK cfg = s.cfg;
    cfg.props = d_props.as<FuzzPropK>();
    cfg.senders = fix_ptr(cfg.senders, s.config_bytes, d_cfgb);
    DevBuf d_cfg(sizeof(FuzzConfigK));
    up(d_cfg, &cfg, 1);
    std::vector<FuzzCallK> calls;
    std::vector<uint32_t> first(n), len(n);
    for (uint32_t i = 0; i < n; ++i) {
      first[i] = (uint32_t)calls.size();
      len[i] = (uint32_t)seqs[i].calls.size();
      for (FuzzCallK c : seqs[i].calls) {
        c.data = fix_ptr(c.data, program, d_prog);
        calls.push_back(c);
      }
    }
    DevBuf d_calls(calls.size() * sizeof(FuzzCallK)), d_first(n * 4ULL), d_len(n * 4ULL);
    up(d_calls, calls.data(), calls.size());
    up(d_first, first.data(), n);
    up(d_len, len.data(), n);
    // Results for every sequence; instance memory and bitmaps per chunk.
    const uint32_t np = cfg.n_props;
    DevBuf d_outs(calls.size() * sizeof(CallOutK)), d_propout((uint64_t)n * np * 4), d_best((uint64_t)n * np * sizeof(u256)),
        d_leak(n * 4ULL), d_ok(n);
    Limits lim = device_limits();
    uint64_t ib = align_up(instance_bytes(lim), 256);
    const uint64_t cmp_bytes = comparisons ? sizeof(CmpLog) : 0;
    uint32_t chunk = device_chunk(n, ib + COV_BYTES + cmp_bytes);
    DevBuf d_arena(chunk * ib), d_cov(chunk * COV_BYTES), d_cmp(chunk * cmp_bytes);
    std::vector<uint8_t> cov(chunk * COV_BYTES);
    // Only the logged entries come back (CmpLog::slots of each log, strided), not the hash table.
    std::vector<CmpEntry> cmp_slots(comparisons ? (size_t)chunk * CMP_SLOTS : 0);
    std::vector<uint8_t> ok(n);
    for (uint32_t start = 0; start < n; start += chunk) {
      uint32_t m = std::min(chunk, n - start);
      const unsigned block = 64;
      fuzz_kernel<<<(m + block - 1) / block, block>>>(
          d_state.db, d_env.as<BlockEnvK>(), d_cfg.as<FuzzConfigK>(), d_calls.as<FuzzCallK>(),
          d_first.as<uint32_t>() + start, d_len.as<uint32_t>() + start, m, d_arena.as<uint8_t>(), ib, lim,
          d_outs.as<CallOutK>(), d_propout.as<int32_t>() + (uint64_t)start * np, d_best.as<u256>() + (uint64_t)start * np,
          d_leak.as<int32_t>() + start,
          d_cov.as<uint8_t>(), comparisons ? d_cmp.as<CmpLog>() : nullptr, d_ok.as<uint8_t>() + start);
      check(cudaGetLastError(), "launch fuzz_kernel");
      check(cudaDeviceSynchronize(), "fuzz_kernel");
      down(cov.data(), d_cov, (size_t)m * COV_BYTES);
      if (comparisons)
        check(cudaMemcpy2D(cmp_slots.data(), sizeof(CmpLog::slots), d_cmp.as<uint8_t>(), sizeof(CmpLog), sizeof(CmpLog::slots), m,
                           cudaMemcpyDeviceToHost),
              "copy comparison logs");
      std::vector<uint8_t> ok_chunk(m);
      check(cudaMemcpy(ok_chunk.data(), d_ok.as<uint8_t>() + start, m, cudaMemcpyDeviceToHost), "copy ok");
      for (uint32_t k = 0; k < m; ++k) {
        ok[start + k] = ok_chunk[k];
        if (!ok_chunk[k]) continue;
        bitmap_edges(cov.data() + (uint64_t)k * COV_BYTES, outs[start + k].edges);
        if (comparisons)
          collect_comparisons(cmp_slots.data() + (size_t)k * CMP_SLOTS, outs[start + k].cmps);
      }
    }
    std::vector<CallOutK> h_outs(calls.size());
    std::vector<int32_t> h_props((size_t)n * np), h_leak(n);
    std::vector<u256> h_best((size_t)n * np);
    down(h_outs.data(), d_outs, h_outs.size());
    down(h_props.data(), d_propout, h_props.size());
    down(h_best.data(), d_best, h_best.size());
    down(h_leak.data(), d_leak, h_leak.size());
    for (uint32_t i = 0; i < n; ++i) {
      if (!ok[i]) continue;
      done[i] = 1;
      outs[i].calls.assign(h_outs.begin() + first[i], h_outs.begin() + first[i] + len[i]);
      outs[i].prop_failed_at.assign(h_props.begin() + (size_t)i * np, h_props.begin() + (size_t)(i + 1) * np);
      outs[i].prop_best.assign(h_best.begin() + (size_t)i * np, h_best.begin() + (size_t)(i + 1) * np);
      outs[i].leak_at = h_leak[i];
    }
    return true;
  } catch (const std::exception& e) {
    why = e.what();
    return false;
  }
}

}  // namespace evm
}  // namespace native
