// The EIP-2537 precompiles (Prague): 0x0b G1ADD, 0x0c G1MSM, 0x0d G2ADD, 0x0e G2MSM, 0x0f PAIRING_CHECK,
// 0x10 MAP_FP_TO_G1, 0x11 MAP_FP2_TO_G2: gas, output size and the call itself, as dispatch.h calls them.
// ADD checks encodings and the curve only; MSM and PAIRING also the subgroup. Header-only and HD.
#pragma once
#include "bls12_381_map.h"
#include "bls12_381_msm.h"

namespace kern {
namespace bls12 {

constexpr uint8_t G1ADD = 0x0b, G1MSM = 0x0c, G2ADD = 0x0d, G2MSM = 0x0e, PAIRING_CHECK = 0x0f,
                  MAP_FP_TO_G1 = 0x10, MAP_FP2_TO_G2 = 0x11;
constexpr uint64_t G1ADD_GAS = 375, G2ADD_GAS = 600, G1MUL_GAS = 12000, G2MUL_GAS = 22500,
                   PAIRING_BASE_GAS = 37700, PAIRING_PER_PAIR_GAS = 32600, MAP_G1_GAS = 5500, MAP_G2_GAS = 23800;
constexpr size_t G1MSM_PAIR = Msm<Fp>::PAIR, G2MSM_PAIR = Msm<Fp2>::PAIR, PAIRING_PAIR = G1_BYTES + G2_BYTES;

HD_INLINE bool is_precompile(uint8_t id) { return id >= G1ADD && id <= MAP_FP2_TO_G2; }

// k * mul_cost * discount(k) / 1000 (EIP-2537), k = floor(len / pair size); 0 pairs cost 0 (and fail).
HD inline uint64_t msm_gas(size_t len, size_t pair, uint64_t mul_cost, const uint16_t* discounts) {
  uint64_t k = len / pair;
  if (k == 0) return 0;
  uint64_t d = discounts[(k < (uint64_t)bls12_consts::msm_discount_LEN ? k : bls12_consts::msm_discount_LEN) - 1];
  if (k > ~0ULL / (mul_cost * d)) return ~0ULL;  // beyond any gas limit
  return k * mul_cost * d / 1000;
}

HD inline uint64_t gas(uint8_t id, size_t len) {
  switch (id) {
    case G1ADD: return G1ADD_GAS;
    case G1MSM: return msm_gas(len, G1MSM_PAIR, G1MUL_GAS, KT(bls12_consts::msm_discount_g1));
    case G2ADD: return G2ADD_GAS;
    case G2MSM: return msm_gas(len, G2MSM_PAIR, G2MUL_GAS, KT(bls12_consts::msm_discount_g2));
    case PAIRING_CHECK: return PAIRING_BASE_GAS + PAIRING_PER_PAIR_GAS * (uint64_t)(len / PAIRING_PAIR);
    case MAP_FP_TO_G1: return MAP_G1_GAS;
    case MAP_FP2_TO_G2: return MAP_G2_GAS;
    default: return ~0ULL;
  }
}

HD inline size_t output_size(uint8_t id) {
  switch (id) {
    case G1ADD: case G1MSM: case MAP_FP_TO_G1: return G1_BYTES;
    case G2ADD: case G2MSM: case MAP_FP2_TO_G2: return G2_BYTES;
    case PAIRING_CHECK: return 32;
    default: return 0;
  }
}

// The MSMs need more stack than a device thread has (see bls12_381_msm.h); the rest runs anywhere.
HD_INLINE bool runs_on_device(uint8_t id) { return is_precompile(id) && id != G1MSM && id != G2MSM; }

template <class K>
FF_CALL Status add(const uint8_t* in, size_t len, uint8_t* out) {
  constexpr int POINT = 2 * COORD_BYTES<K>;
  if (len != 2 * (size_t)POINT) return BAD_INPUT_LENGTH;
  ff::Affine<K> a, b;
  Status s = decode_point<K>(in, a);
  if (s == OK) s = decode_point<K>(in + POINT, b);
  if (s != OK) return s;
  encode_point(ff::Jac<K>::from_affine(a) + ff::Jac<K>::from_affine(b), out);
  return OK;
}

template <class K>
FF_CALL Status msm(const uint8_t* in, size_t len, uint8_t* out) {
  constexpr size_t PAIR = Msm<K>::PAIR;
  if (len == 0 || len % PAIR != 0) return BAD_INPUT_LENGTH;
  ff::Jac<K> r;
  Status s = Msm<K>::run(in, (int)(len / PAIR), r);
  if (s == OK) encode_point(r, out);
  return s;
}

FF_CALL Status pairing_check(const uint8_t* in, size_t len, uint8_t out[32]) {
  if (len == 0 || len % PAIRING_PAIR != 0) return BAD_INPUT_LENGTH;
  Engine::Acc acc;
  acc.init();
  for (size_t off = 0; off < len; off += PAIRING_PAIR) {
    G1 p;
    G2 q;
    Status s = decode_point<Fp>(in + off, p);
    if (s == OK && !in_subgroup(p)) s = POINT_NOT_IN_SUBGROUP;
    if (s == OK) s = decode_point<Fp2>(in + off + G1_BYTES, q);
    if (s == OK && !in_subgroup(q)) s = POINT_NOT_IN_SUBGROUP;
    if (s != OK) return s;
    acc.add(p, q);  // pairs with a point at infinity contribute 1
  }
  for (int i = 0; i < 32; ++i) out[i] = 0;
  out[31] = acc.check() ? 1 : 0;
  return OK;
}

template <class K>
FF_CALL Status map(const uint8_t* in, size_t len, uint8_t* out) {
  if (len != (size_t)COORD_BYTES<K>) return BAD_INPUT_LENGTH;
  K u;
  Status s = decode_k(in, u);
  if (s == OK) encode_point(map_to_group(u), out);
  return s;
}

// Runs precompile `id` (is_precompile(id)); on OK, out holds output_size(id) bytes and *out_len says so.
HD inline Status run(uint8_t id, const uint8_t* in, size_t len, uint8_t* out, size_t* out_len) {
  Status s;
  switch (id) {
    case G1ADD: s = add<Fp>(in, len, out); break;
    case G2ADD: s = add<Fp2>(in, len, out); break;
#if defined(__CUDA_ARCH__)
    // Never reached (runs_on_device() is false): keeps the MSMs' ~55 KB frames out of device call graphs.
    case G1MSM: case G2MSM: s = NOT_BLS12_PRECOMPILE; break;
#else
    case G1MSM: s = msm<Fp>(in, len, out); break;
    case G2MSM: s = msm<Fp2>(in, len, out); break;
#endif
    case PAIRING_CHECK: s = pairing_check(in, len, out); break;
    case MAP_FP_TO_G1: s = map<Fp>(in, len, out); break;
    case MAP_FP2_TO_G2: s = map<Fp2>(in, len, out); break;
    default: s = NOT_BLS12_PRECOMPILE;
  }
  *out_len = s == OK ? output_size(id) : 0;
  return s;
}

}  // namespace bls12
}  // namespace kern
