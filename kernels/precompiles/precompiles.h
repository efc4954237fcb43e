// Precompiled contracts (Cancun 0x01..0x0a, Prague adds EIP-2537 BLS12-381 at 0x0b..0x11, Osaka adds EIP-7951
// P256VERIFY at 0x100): the contract between the interpreter (kernels/evm) and the precompile
// implementations (kernels/precompiles). A precompile id is the address's low 16 bits. All functions are HD:
// the CPU backend and the CUDA device run the same code. A precompile the device cannot run says so through
// runs_on_device(), and the interpreter then hands that transaction back to the host, which completes it with
// this same code.
#pragma once
#include "ids.h"

namespace kern {
namespace precompile {

// Whether the kernels have an implementation of this id (the interpreter refuses, with a clear error, to run
// a transaction that calls a precompile of its fork that is not implemented).
HD bool implemented(uint16_t id);

// Gas the call costs for this input at this fork (UINT64_MAX when it cannot be paid by any gas limit).
HD uint64_t gas_cost(uint16_t id, const uint8_t* input, size_t len, uint8_t fork);

// Bytes run() writes on success (an upper bound is not enough: this is the exact RETURNDATASIZE).
HD size_t output_size(uint16_t id, const uint8_t* input, size_t len);

// Runs the precompile; returns false on failure (bad input: the call fails and consumes all its gas).
// `out` holds output_size(id, input, len) bytes. ECRECOVER and P256VERIFY with a bad signature succeed with
// no output.
HD bool run(uint16_t id, const uint8_t* input, size_t len, uint8_t* out, size_t* out_len, uint8_t fork);

// Whether the CUDA device can run this precompile (the host always can).
HD bool runs_on_device(uint16_t id);

}  // namespace precompile
}  // namespace kern

// The definitions (header-only, HD inline): kernels/precompiles/dispatch.h.
#include "dispatch.h"
