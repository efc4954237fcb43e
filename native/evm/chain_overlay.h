// Host side of a transaction chain's overlay (kernels/evm/chain_view.h): the changes of the chain's
// transactions so far, over the snapshot, in the flat layout the kernels read. Chains are the scheduler's
// predicted conflicts (sequencer/scheduler/chains.ts), run in order on one thread so each transaction sees
// the earlier ones' writes instead of failing validation and coming back next round.
#pragma once
#include <cstdint>
#include <vector>

#include "../../kernels/evm/chain_view.h"
#include "evm_host.h"

namespace native {
namespace evm {

class ChainOverlay {
 public:
  explicit ChainOverlay(const StateMirror& base);
  // Takes in one transaction's result record (kernels/evm/result.h). False when the record holds a change
  // the overlay does not carry (new code, a deleted account, cleared storage): the chain stops before the
  // next transaction. A transaction that did not execute changes nothing.
  bool apply(const std::vector<uint8_t>& record);
  // The overlay as the kernels read it; valid until the next apply.
  const kern::evm::ChainOverlayK* view() const { return &view_; }

 private:
  uint32_t entry(const uint8_t addr[20]);
  void set_slot(uint32_t e, const kern::evm::u256& key, const kern::evm::u256& value);
  void publish();

  const StateMirror& base_;
  kern::evm::StateDB db_;
  std::vector<kern::evm::ChainAcctK> accts_;
  std::vector<uint32_t> acct_index_;
  std::vector<kern::evm::ChainSlotK> slots_;
  std::vector<uint32_t> slot_index_;
  std::vector<uint32_t> nonzero_;  // per entry: its non-zero slots (keeps has_storage exact)
  kern::evm::ChainOverlayK view_;
};

// Runs the batch as chains: chain_of[i] names transaction i's chain. A chain's transactions run in batch order
// on one thread, each against the snapshot plus the earlier ones' changes; different chains run in parallel.
// out[i] stays empty for a transaction after its chain stopped (ChainOverlay::apply): it did not run.
void execute_chains(const StateMirror& state, const Batch& batch, const std::vector<uint32_t>& chain_of,
                    std::vector<std::vector<uint8_t>>& out);

}  // namespace evm
}  // namespace native
