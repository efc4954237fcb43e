// EIP-4844 point evaluation precompile (0x0a) over BLS12-381.
// input (192 bytes) = versioned_hash (32) | z (32) | y (32) | commitment (48) | proof (48).
// Succeeds iff versioned_hash == 0x01 || sha256(commitment)[1:], z and y are < BLS_MODULUS, commitment and
// proof are valid compressed G1 points in the order-r subgroup (infinity allowed) and the KZG proof verifies:
//   e(C - [y]G1 + [z]pi, -G2) * e(pi, [tau]G2) == 1     (i.e. C - [y]G1 == [tau - z] pi).
// out (64 bytes) = FIELD_ELEMENTS_PER_BLOB (4096) | BLS_MODULUS, each a 32-byte big-endian word.
#pragma once
#include "pairing.h"
#include "pairing_constants.h"
#include "../crypto/sha256.h"

namespace kern {
namespace bls12 {

using Fp = ff::Fp<pairing_consts::Bls12FpParams>;
using Fp2 = ff::Fp2<Fp>;

struct Tower {
  using Base = Fp;
  // (a0 + a1 u)(1 + u) = (a0 - a1) + (a0 + a1) u
  HD_INLINE static Fp2 mul_by_xi(const Fp2& a) { return {a.c0 - a.c1, a.c0 + a.c1}; }
  HD_INLINE static void frob_gamma(int k, uint64_t c0[6], uint64_t c1[6]) {
    pairing_consts::Bls12Tower::frob_gamma(k, c0, c1);
  }
};

struct PairingCfg {
  using T = Tower;
  static constexpr bool D_TWIST = false, BN_TAIL = false, X_NEG = true;
  static constexpr int ate_len = pairing_consts::bls12_ate_LEN;
  HD_INLINE static int ate_digit(int i) { return pairing_consts::bls12_ate(i); }
  static constexpr uint64_t X_ABS = 0xd201000000010000ULL;  // |x|, the curve parameter
  static constexpr int hard_len = pairing_consts::bls12_hard_exp_LIMBS;
  HD_INLINE static uint64_t hard(int i) { return pairing_consts::bls12_hard_exp(i); }
};

using Engine = ff::Pairing<PairingCfg>;
using G1 = ff::Affine<Fp>;
using G2 = ff::Affine<Fp2>;

struct Order {
  HD_INLINE uint64_t operator()(int i) const { return pairing_consts::bls12_order(i); }
};

HD_INLINE Fp curve_b() { return Fp::one().dbl().dbl(); }

HD_INLINE G1 g1_generator() {
  uint64_t x[6], y[6];
  pairing_consts::bls_g1_gen(x, y);
  G1 g;
  g.x = Fp::from_limbs_mont(x);
  g.y = Fp::from_limbs_mont(y);
  g.inf = false;
  return g;
}

// The G2 generator and [tau]G2 of the EIP-4844 trusted setup (see pairing_constants.h for its source).
template <bool TAU>
HD_INLINE G2 g2_constant() {
  uint64_t a[6], b[6];
  G2 q;
  if (TAU) pairing_consts::Bls12Tower::tau_g2_x(a, b);
  else pairing_consts::Bls12Tower::g2_x(a, b);
  q.x = Fp2::from_mont(a, b);
  if (TAU) pairing_consts::Bls12Tower::tau_g2_y(a, b);
  else pairing_consts::Bls12Tower::g2_y(a, b);
  q.y = Fp2::from_mont(a, b);
  q.inf = false;
  return q;
}

// [|x|] P for the curve parameter |x| = 0xd201000000010000 (weight 6: 63 doublings, 5 additions), on G1 or
// the twist.
template <class K>
FF_CALL ff::Jac<K> mul_by_x_abs(const ff::Jac<K>& p) {
  ff::Jac<K> r = p;
  for (int b = 62; b >= 0; --b) {
    r = r.dbl();
    if ((PairingCfg::X_ABS >> b) & 1) r = r + p;
  }
  return r;
}

// G1 membership of a curve point P != O. phi(x, y) = (beta x, y), beta a cube root of unity, satisfies
// phi^2 + phi + 1 = 0 and acts on G1 as [-x^2] (for the beta chosen in pairing_constants.h). Conversely, if
// phi(P) = [-x^2] P, the component P_h of P of order dividing the cofactor (prime to r) satisfies
// (x^4 - x^2 + 1) P_h = [r] P_h = O, so P_h = O and P is in G1. [x^2] = [|x|][|x|], two sparse 64-bit
// chains, instead of the 255-bit [r] P = O (in_g1_by_order, kept for comparison).
HD inline bool in_g1(const G1& p) {
  ff::Jac<Fp> k = mul_by_x_abs(mul_by_x_abs(ff::Jac<Fp>::from_affine(p)));
  if (k.is_inf()) return false;
  Fp beta;
  for (int i = 0; i < 6; ++i) beta.v[i] = pairing_consts::bls12_beta(i);
  // phi(P) == -[x^2] P, compared in Jacobian form: beta x Z^2 == X and y Z^3 == -Y.
  Fp zz = k.Z.sqr();
  return beta * p.x * zz == k.X && p.y * zz * k.Z == -k.Y;
}
HD inline bool in_g1_by_order(const G1& p) {
  return ff::Jac<Fp>::from_affine(p).mul_limbs(Order(), pairing_consts::bls12_order_LIMBS).is_inf();
}

// Compressed G1 (ZCash encoding, as in the consensus specs): false unless it decodes to a point of the
// order-r subgroup (the point at infinity, 0xc0 00..00, included).
HD inline bool decode_g1_compressed(const uint8_t in[48], G1& p) {
  uint8_t b0 = in[0];
  bool compressed = (b0 >> 7) & 1, infinity = (b0 >> 6) & 1, sign = (b0 >> 5) & 1;
  if (!compressed) return false;
  if (infinity) {
    if (sign || (b0 & 0x1f)) return false;
    for (int i = 1; i < 48; ++i)
      if (in[i]) return false;
    p.x = Fp::zero();
    p.y = Fp::zero();
    p.inf = true;
    return true;
  }
  uint8_t buf[48];
  for (int i = 0; i < 48; ++i) buf[i] = in[i];
  buf[0] &= 0x1f;
  if (!Fp::from_be(buf, 48, p.x)) return false;
  Fp rhs = p.x.sqr() * p.x + curve_b();
  if (!rhs.sqrt(p.y)) return false;
  if (p.y.is_large() != sign) p.y = -p.y;
  p.inf = false;
  return in_g1(p);
}

}  // namespace bls12

namespace kzg {
namespace detail {

// BLS_MODULUS (the order r of G1), big-endian.
HD_INLINE bool below_modulus(const uint8_t x[32]) {
  const uint8_t r[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
                         0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};
  for (int i = 0; i < 32; ++i)
    if (x[i] != r[i]) return x[i] < r[i];
  return false;
}

}  // namespace detail

HD inline bool point_evaluation(const uint8_t in[192], uint8_t out[64]) {
  using namespace bls12;
  const uint8_t* versioned_hash = in;
  const uint8_t* z = in + 32;
  const uint8_t* y = in + 64;
  const uint8_t* commitment = in + 96;
  const uint8_t* proof = in + 144;

  uint8_t h[32];
  kern::sha256(commitment, 48, h);
  h[0] = 0x01;  // VERSIONED_HASH_VERSION_KZG
  for (int i = 0; i < 32; ++i)
    if (h[i] != versioned_hash[i]) return false;
  if (!detail::below_modulus(z) || !detail::below_modulus(y)) return false;

  G1 c, pi;
  if (!decode_g1_compressed(commitment, c) || !decode_g1_compressed(proof, pi)) return false;

  // lhs = C - [y]G1 + [z]pi
  using J = ff::Jac<Fp>;
  J lhs = J::from_affine(c) + J::from_affine(g1_generator()).mul_be(y, 32).neg() + J::from_affine(pi).mul_be(z, 32);
  G2 g2 = g2_constant<false>();
  g2.y = -g2.y;
  G2 tau = g2_constant<true>();

  Engine::Acc acc;
  acc.init();
  acc.add(lhs.to_affine(), g2);
  acc.add(pi, tau);
  if (!acc.check()) return false;

  for (int i = 0; i < 64; ++i) out[i] = 0;
  out[30] = 0x10;  // FIELD_ELEMENTS_PER_BLOB = 4096 = 0x1000
  const uint8_t r[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
                         0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};
  for (int i = 0; i < 32; ++i) out[32 + i] = r[i];
  return true;
}

}  // namespace kzg
}  // namespace kern
