// Block hit counts of whole call sequences, for coverage reports (sequencer/fuzz/line-coverage.ts): the
// sequences run as in fuzz_run, on the CPU pool, with kernels/evm/block_hits.h counting per block leader how
// many calls (and property checks) ran it and succeeded or failed. Nothing is merged into the session.
#pragma once
#include <cstdint>
#include <vector>

#include "fuzz_host.h"

namespace native {
namespace evm {

// program: as fuzz_run's. Returns u32 n_accounts, then per account of the snapshot that has code:
// [20] address, u32 n, and n times (u32 pc of a block leader, u32 calls that ran it and succeeded,
// u32 calls that ran it and failed), pcs ascending.
std::vector<uint8_t> fuzz_block_hits(const FuzzSession& s, const std::vector<uint8_t>& program);

}  // namespace evm
}  // namespace native
