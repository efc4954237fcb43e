// Basic-block hit counts for coverage reports (sequencer/fuzz/line-coverage.ts): per offset of the snapshot's
// code arena, how many calls ran the block starting there and succeeded, and how many ran it and failed
// (reverted or halted). Blocks are marked at their leaders only — pc 0 of a frame, every JUMPDEST executed,
// a JUMPI's fall-through — so the interpreter pays a null test at those points alone; the host expands a
// leader to its block's instructions. A block left midway (out of gas) counts as run. Code created during
// the run is not counted. Null in the sequencer and in fuzz batches (only the report's replay sets it).
#pragma once
#include "state_db.h"

namespace kern {
namespace evm {

struct BlockHitsK {
  uint64_t len;        // bytes of the code arena (every array below has len entries)
  uint32_t call;       // id of the current call (never 0: stamps start at 0)
  uint32_t* stamp;     // the call that last marked each offset
  uint32_t* pending;   // offsets marked during the current call, each once
  uint32_t n_pending;
  uint32_t* ok;        // calls that ran the block at each offset and succeeded
  uint32_t* failed;    // ... and reverted or halted
  uint32_t* seen;      // offsets whose counts left zero (so the host collects them without a scan)
  uint32_t n_seen;
};

// Marks the block starting at pc of code, when that code lies in the snapshot's arena.
HD_INLINE void block_hit(BlockHitsK& h, const StateDB* db, const uint8_t* code, uint64_t pc) {
  if (code < db->code || code >= db->code + db->code_len) return;
  const uint64_t at = (uint64_t)(code - db->code) + pc;
  if (at >= h.len || h.stamp[at] == h.call) return;
  h.stamp[at] = h.call;
  h.pending[h.n_pending++] = (uint32_t)at;
}

// Ends a call: every block it marked counts once, as succeeded or failed.
HD_INLINE void block_hits_flush(BlockHitsK& h, bool failed) {
  for (uint32_t i = 0; i < h.n_pending; ++i) {
    const uint32_t at = h.pending[i];
    if (h.ok[at] == 0 && h.failed[at] == 0) h.seen[h.n_seen++] = at;
    if (failed) ++h.failed[at];
    else ++h.ok[at];
  }
  h.n_pending = 0;
  ++h.call;
}

}  // namespace evm
}  // namespace kern
