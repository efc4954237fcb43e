// Precompiled contracts 0x01..0x0a (Cancun) and 0x0b..0x11 (EIP-2537 BLS12-381, Prague): the contract between the interpreter (kernels/evm) and the
// precompile implementations (kernels/precompiles). All functions are HD: the CPU backend and the CUDA
// device run the same code. A precompile the device cannot run says so through runs_on_device(), and the
// interpreter then hands that transaction back to the host, which completes it with this same code.
#pragma once
#include "../common/hd.h"

namespace kern {
namespace precompile {

constexpr uint8_t ECRECOVER = 0x01, SHA256 = 0x02, RIPEMD160 = 0x03, IDENTITY = 0x04, MODEXP = 0x05,
                  BN254_ADD = 0x06, BN254_MUL = 0x07, BN254_PAIRING = 0x08, BLAKE2F = 0x09,
                  POINT_EVALUATION = 0x0a;
// EIP-2537 BLS12-381, 0x0b..0x11: kernels/precompiles/bls12_381_precompiles.h (bls12::G1ADD ...).

// Precompile id of a 20-byte address, or 0 when the address is no precompile: 1..10, and 0x0b..0x11 when
// bls12_381_active (Prague or later; the kernels have no fork id yet, so the caller says).
HD uint8_t id_of(const uint8_t address[20], bool bls12_381_active = false);

// Gas the call costs for this input (UINT64_MAX when it cannot be paid by any gas limit).
HD uint64_t gas_cost(uint8_t id, const uint8_t* input, size_t len);

// Bytes run() writes on success (an upper bound is not enough: this is the exact RETURNDATASIZE).
HD size_t output_size(uint8_t id, const uint8_t* input, size_t len);

// Runs the precompile; returns false on failure (bad input: the call fails and consumes all its gas).
// `out` holds output_size(id, input, len) bytes. ECRECOVER with a bad signature succeeds with no output.
HD bool run(uint8_t id, const uint8_t* input, size_t len, uint8_t* out, size_t* out_len);

// Whether the CUDA device can run this precompile (the host always can).
HD bool runs_on_device(uint8_t id);

}  // namespace precompile
}  // namespace kern

// The definitions (header-only, HD inline): kernels/precompiles/dispatch.h.
#include "dispatch.h"
