// Definitions of the precompile interface declared in precompiles.h (Cancun 0x01..0x0a, Prague's EIP-2537
// 0x0b..0x11, Osaka's P256VERIFY 0x100): header-only HD inline, so every .cc and .cu translation unit that
// includes precompiles.h gets them (the CUDA build has separable compilation off). Included at the end of
// precompiles.h.
//
// Input conventions (as in geth / the Yellow Paper): ECRECOVER, BN254_ADD and BN254_MUL read their fixed-size
// input zero-padded or truncated; BN254_PAIRING needs a multiple of 192 bytes, BLAKE2F exactly 213 bytes,
// POINT_EVALUATION exactly 192 bytes (anything else fails: all gas consumed).
#pragma once
#include "../crypto/blake2b.h"
#include "../crypto/modexp.h"
#include "../crypto/p256.h"
#include "../crypto/ripemd160.h"
#include "../crypto/secp256k1.h"
#include "../crypto/sha256.h"
#include "bls12_381_precompiles.h"
#include "bn254.h"
#include "kzg.h"
#include "precompiles.h"

namespace kern {
namespace precompile {

HD_INLINE uint64_t words32(size_t len) { return (uint64_t)len / 32 + (len % 32 != 0); }

// EIP-2537 (Prague, 0x0b..0x11) lives in bls12_381_precompiles.h; every function below hands those ids to it.
HD_INLINE bool is_bls12(uint16_t id) { return id >= BLS12_G1ADD && id <= BLS12_MAP_FP2_TO_G2; }

HD inline bool implemented(uint16_t id) {
  return (id >= ECRECOVER && id <= POINT_EVALUATION) || is_bls12(id) || id == P256VERIFY;
}

HD inline uint64_t gas_cost(uint16_t id, const uint8_t* input, size_t len, uint8_t fork) {
  if (is_bls12(id)) return bls12::gas((uint8_t)id, len);
  switch (id) {
    case ECRECOVER: return 3000;
    case SHA256: return 60 + 12 * words32(len);
    case RIPEMD160: return 600 + 120 * words32(len);
    case IDENTITY: return 15 + 3 * words32(len);
    case MODEXP: return modexp::gas(input, len, fork >= FORK_OSAKA);
    case BN254_ADD: return 150;
    case BN254_MUL: return 6000;
    case BN254_PAIRING: return 45000 + 34000 * (uint64_t)(len / 192);  // EIP-1108; bad lengths fail in run()
    case BLAKE2F:  // EIP-152: gas = rounds; a malformed input costs nothing here and fails in run()
      if (len != 213) return 0;
      return ((uint64_t)input[0] << 24) | ((uint64_t)input[1] << 16) | ((uint64_t)input[2] << 8) | input[3];
    case POINT_EVALUATION: return 50000;
    case P256VERIFY: return 6900;
    default: return ~0ULL;
  }
}

// ECRECOVER: 32 bytes (the address, left-padded) or 0 (no key); the empty output is a success.
HD inline bool ecrecover(const uint8_t* input, size_t len, uint8_t out[32], size_t* out_len) {
  uint8_t in[128];
  for (size_t i = 0; i < 128; ++i) in[i] = i < len ? input[i] : 0;
  *out_len = 0;
  for (int i = 32; i < 63; ++i)
    if (in[i] != 0) return true;
  if (in[63] != 27 && in[63] != 28) return true;
  uint8_t addr[20];
  if (!secp256k1::recover_address(in, in + 64, in + 96, in[63] - 27u, addr)) return true;
  for (int i = 0; i < 12; ++i) out[i] = 0;
  for (int i = 0; i < 20; ++i) out[12 + i] = addr[i];
  *out_len = 32;
  return true;
}

HD_INLINE uint64_t le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

HD inline bool blake2f(const uint8_t* in, size_t len, uint8_t out[64]) {
  if (len != 213) return false;
  uint8_t f = in[212];
  if (f > 1) return false;
  uint32_t rounds = ((uint32_t)in[0] << 24) | ((uint32_t)in[1] << 16) | ((uint32_t)in[2] << 8) | in[3];
  uint64_t h[8], m[16];
  for (int i = 0; i < 8; ++i) h[i] = le64(in + 4 + 8 * i);
  for (int i = 0; i < 16; ++i) m[i] = le64(in + 68 + 8 * i);
  blake2b_compress(h, m, le64(in + 196), le64(in + 204), f == 1, rounds);
  for (int i = 0; i < 8; ++i)
    for (int b = 0; b < 8; ++b) out[8 * i + b] = (uint8_t)(h[i] >> (8 * b));
  return true;
}

// EIP-7951: exactly 160 bytes (hash, r, s, qx, qy) holding a valid signature.
HD inline bool p256_verify_ok(const uint8_t* in, size_t len) {
  return len == 160 && p256::verify(in, in + 32, in + 64, in + 96, in + 128);
}

HD inline size_t output_size(uint16_t id, const uint8_t* input, size_t len) {
  if (is_bls12(id)) return bls12::output_size((uint8_t)id);
  switch (id) {
    case ECRECOVER: {
      uint8_t tmp[32];
      size_t n = 0;
      ecrecover(input, len, tmp, &n);
      return n;
    }
    case SHA256: return 32;
    case RIPEMD160: return 32;
    case IDENTITY: return len;
    case MODEXP: return modexp::output_size(input, len);
    case BN254_ADD: return 64;
    case BN254_MUL: return 64;
    case BN254_PAIRING: return 32;
    case BLAKE2F: return 64;
    case POINT_EVALUATION: return 64;
    case P256VERIFY: return p256_verify_ok(input, len) ? 32 : 0;
    default: return 0;
  }
}

// A cheap upper bound of what run() writes, for sizing the output buffer: output_size() except for
// ECRECOVER, whose exact size (32 or 0) output_size() only knows by running the recovery; this says 32.
// run() reports the exact size through *out_len.
HD inline size_t max_output_size(uint16_t id, const uint8_t* input, size_t len) {
  return id == ECRECOVER || id == P256VERIFY ? 32 : output_size(id, input, len);
}

HD inline bool run(uint16_t id, const uint8_t* input, size_t len, uint8_t* out, size_t* out_len, uint8_t fork) {
  *out_len = 0;
  if (is_bls12(id)) return bls12::run((uint8_t)id, input, len, out, out_len) == bls12::OK;
  switch (id) {
    case ECRECOVER: return ecrecover(input, len, out, out_len);
    case SHA256:
      sha256(input, len, out);
      *out_len = 32;
      return true;
    case RIPEMD160:
      for (int i = 0; i < 12; ++i) out[i] = 0;
      ripemd160(input, len, out + 12);
      *out_len = 32;
      return true;
    case IDENTITY:
      for (size_t i = 0; i < len; ++i) out[i] = input[i];
      *out_len = len;
      return true;
    case MODEXP:
      if (fork >= FORK_OSAKA && !modexp::within_osaka_bounds(input, len)) return false;
      return modexp::run(input, len, out, out_len);
    case BN254_ADD: {
      uint8_t in[128];
      for (size_t i = 0; i < 128; ++i) in[i] = i < len ? input[i] : 0;
      if (!bn254::add(in, out)) return false;
      *out_len = 64;
      return true;
    }
    case BN254_MUL: {
      uint8_t in[96];
      for (size_t i = 0; i < 96; ++i) in[i] = i < len ? input[i] : 0;
      if (!bn254::mul(in, out)) return false;
      *out_len = 64;
      return true;
    }
    case BN254_PAIRING:
      if (len % 192 != 0) return false;
      if (!bn254::pairing(input, len, out)) return false;
      *out_len = 32;
      return true;
    case BLAKE2F:
      if (!blake2f(input, len, out)) return false;
      *out_len = 64;
      return true;
    case POINT_EVALUATION:
      if (len != 192) return false;
      if (!kzg::point_evaluation(input, out)) return false;
      *out_len = 64;
      return true;
    case P256VERIFY:  // never fails: a bad input or signature returns no output
      if (p256_verify_ok(input, len)) {
        for (int i = 0; i < 31; ++i) out[i] = 0;
        out[31] = 1;
        *out_len = 32;
      }
      return true;
    default: return false;
  }
}

// All of these are device-clean code (no heap except MODEXP's moduli above 512 bytes, which use the CUDA
// device heap). BN254_PAIRING and POINT_EVALUATION are long-running (milliseconds) on one thread.
HD inline bool runs_on_device(uint16_t id) {
  if (is_bls12(id)) return bls12::runs_on_device((uint8_t)id);
  return (id >= ECRECOVER && id <= POINT_EVALUATION) || id == P256VERIFY;
}

}  // namespace precompile
}  // namespace kern
