// The fork a block runs under, as a dimension of the kernels' rules (opcodes, gas, precompiles, transaction
// validity). Ordered: a rule that starts at a fork applies to every later one (`fork >= FORK_PRAGUE`).
// The TypeScript side (sequencer/chain/forks.ts, FORK_IDS) uses the same numbers.
#pragma once
#include "hd.h"

namespace kern {

enum Fork : uint8_t { FORK_CANCUN = 0, FORK_PRAGUE = 1, FORK_OSAKA = 2 };
constexpr int N_FORKS = 3;

}  // namespace kern
