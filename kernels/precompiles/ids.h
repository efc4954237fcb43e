// Precompile ids and addresses by fork (no implementations: the interpreter's overlay needs only which
// addresses are precompiles, they are warm in every transaction). An id is the address's low 16 bits.
#pragma once
#include "../common/fork.h"

namespace kern {
namespace precompile {

constexpr uint16_t ECRECOVER = 0x01, SHA256 = 0x02, RIPEMD160 = 0x03, IDENTITY = 0x04, MODEXP = 0x05,
                   BN254_ADD = 0x06, BN254_MUL = 0x07, BN254_PAIRING = 0x08, BLAKE2F = 0x09,
                   POINT_EVALUATION = 0x0a;
// EIP-2537 (Prague).
constexpr uint16_t BLS12_G1ADD = 0x0b, BLS12_G1MSM = 0x0c, BLS12_G2ADD = 0x0d, BLS12_G2MSM = 0x0e,
                   BLS12_PAIRING_CHECK = 0x0f, BLS12_MAP_FP_TO_G1 = 0x10, BLS12_MAP_FP2_TO_G2 = 0x11;
// EIP-7951 (Osaka).
constexpr uint16_t P256VERIFY = 0x100;

// The fork from which a precompile id exists (N_FORKS: not a precompile at any fork).
HD_INLINE uint8_t introduced(uint16_t id) {
  if (id >= ECRECOVER && id <= POINT_EVALUATION) return FORK_CANCUN;
  if (id >= BLS12_G1ADD && id <= BLS12_MAP_FP2_TO_G2) return FORK_PRAGUE;
  if (id == P256VERIFY) return FORK_OSAKA;
  return N_FORKS;
}

// Precompile id of a 20-byte address at a fork, or 0 when the address is no precompile there.
HD_INLINE uint16_t id_of(const uint8_t address[20], uint8_t fork) {
  for (int i = 0; i < 18; ++i)
    if (address[i] != 0) return 0;
  uint16_t id = (uint16_t)(((uint16_t)address[18] << 8) | address[19]);
  return introduced(id) <= fork ? id : 0;
}

}  // namespace precompile
}  // namespace kern
