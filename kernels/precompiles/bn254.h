// BN254 (alt_bn128) precompiles: ecAdd (0x06, EIP-196), ecMul (0x07, EIP-196), ecPairing (0x08, EIP-197).
// Inputs arrive right-padded with zeros to 128 / 96 bytes (add / mul); pairing takes len (a multiple of
// 192, 0 allowed). Every function returns false (the call fails) for a coordinate >= p, a point not on
// its curve, or (pairing) a G2 point outside the order-r subgroup. (0, 0) encodes the point at infinity.
#pragma once
#include "pairing.h"
#include "pairing_constants.h"

namespace kern {
namespace bn254 {

using Fp = ff::Fp<pairing_consts::Bn254FpParams>;
using Fp2 = ff::Fp2<Fp>;

struct Tower {
  using Base = Fp;
  // (a0 + a1 u)(9 + u) = (9 a0 - a1) + (a0 + 9 a1) u
  HD_INLINE static Fp2 mul_by_xi(const Fp2& a) {
    Fp n0 = a.c0.dbl().dbl().dbl() + a.c0, n1 = a.c1.dbl().dbl().dbl() + a.c1;
    return {n0 - a.c1, a.c0 + n1};
  }
  HD_INLINE static void frob_gamma(int k, uint64_t c0[4], uint64_t c1[4]) {
    pairing_consts::Bn254Tower::frob_gamma(k, c0, c1);
  }
};

struct PairingCfg {
  using T = Tower;
  static constexpr bool D_TWIST = true, BN_TAIL = true, X_NEG = false;
  static constexpr int ate_len = pairing_consts::bn254_ate_LEN;
  HD_INLINE static int ate_digit(int i) { return pairing_consts::bn254_ate(i); }
  static constexpr uint64_t X_ABS = 4965661367192848881ULL;  // |x|, the curve parameter
  static constexpr int hard_len = pairing_consts::bn254_hard_exp_LIMBS;
  HD_INLINE static uint64_t hard(int i) { return pairing_consts::bn254_hard_exp(i); }
  HD_INLINE static void frob2_x(uint64_t a[4], uint64_t b[4]) { pairing_consts::Bn254Tower::frob2_x(a, b); }
  HD_INLINE static void frob2_y(uint64_t a[4], uint64_t b[4]) { pairing_consts::Bn254Tower::frob2_y(a, b); }
};

using Engine = ff::Pairing<PairingCfg>;
using G1 = ff::Affine<Fp>;
using G2 = ff::Affine<Fp2>;

struct Order {
  HD_INLINE uint64_t operator()(int i) const { return pairing_consts::bn254_order(i); }
};
struct PsiScalar {
  HD_INLINE uint64_t operator()(int i) const { return pairing_consts::bn254_psi_scalar(i); }
};

HD_INLINE Fp curve_b() {
  Fp three = Fp::one().dbl() + Fp::one();
  return three;
}
HD_INLINE Fp2 twist_b() {
  uint64_t a[4], b[4];
  pairing_consts::Bn254Tower::twist_b(a, b);
  return Fp2::from_mont(a, b);
}

// 64 bytes (x, y) -> G1 point; false for a coordinate >= p or a point off the curve.
HD inline bool decode_g1(const uint8_t in[64], G1& p) {
  if (!Fp::from_be(in, 32, p.x) || !Fp::from_be(in + 32, 32, p.y)) return false;
  p.inf = p.x.is_zero() && p.y.is_zero();
  return ff::on_curve(p, curve_b());
}

// G2 membership of a point Q != O of the twist. psi(x, y) = (conj(x) xi^((p-1)/3), conj(y) xi^((p-1)/2)) is the
// p-power Frobenius seen on the twist: psi^2 - t psi + p = 0 with the trace t = 6x^2 + 1, and psi = [p] =
// [6x^2] on G2 (p = r + 6x^2). Conversely, if psi(Q) = [6x^2] Q, the component Q_c of Q of order dividing
// the cofactor (prime to r) satisfies (36x^4 - 6x^2 t + p) Q_c = [r] Q_c = O, so Q_c = O and Q is in G2.
// A 127-bit scalar multiplication instead of the 254-bit [r] Q = O (in_g2_by_order, kept for the self-check).
HD inline bool in_g2(const G2& q) {
  ff::Jac<Fp2> k = ff::Jac<Fp2>::from_affine(q).mul_limbs(PsiScalar(), pairing_consts::bn254_psi_scalar_LIMBS);
  if (k.is_inf()) return false;
  uint64_t a[4], b[4];
  Tower::frob_gamma(2, a, b);
  Fp2 px = q.x.conj() * Fp2::from_mont(a, b);
  Tower::frob_gamma(3, a, b);
  Fp2 py = q.y.conj() * Fp2::from_mont(a, b);
  Fp2 zz = k.Z.sqr();
  return k.X == px * zz && k.Y == py * zz * k.Z;
}
HD inline bool in_g2_by_order(const G2& q) {
  return ff::Jac<Fp2>::from_affine(q).mul_limbs(Order(), pairing_consts::bn254_order_LIMBS).is_inf();
}

// 128 bytes (x_im, x_re, y_im, y_re) -> G2 point on the twist and in the order-r subgroup.
HD inline bool decode_g2(const uint8_t in[128], G2& q) {
  if (!Fp::from_be(in, 32, q.x.c1) || !Fp::from_be(in + 32, 32, q.x.c0) || !Fp::from_be(in + 64, 32, q.y.c1) ||
      !Fp::from_be(in + 96, 32, q.y.c0))
    return false;
  q.inf = q.x.is_zero() && q.y.is_zero();
  if (q.inf) return true;
  if (!ff::on_curve(q, twist_b())) return false;
  return in_g2(q);
}

HD_INLINE void encode_g1(const ff::Jac<Fp>& p, uint8_t out[64]) {
  G1 a = p.to_affine();
  a.x.to_be(out, 32);
  a.y.to_be(out + 32, 32);
}

HD inline bool add(const uint8_t in[128], uint8_t out[64]) {
  G1 a, b;
  if (!decode_g1(in, a) || !decode_g1(in + 64, b)) return false;
  encode_g1(ff::Jac<Fp>::from_affine(a) + ff::Jac<Fp>::from_affine(b), out);
  return true;
}

HD inline bool mul(const uint8_t in[96], uint8_t out[64]) {
  G1 a;
  if (!decode_g1(in, a)) return false;
  encode_g1(ff::Jac<Fp>::from_affine(a).mul_be(in + 64, 32), out);
  return true;
}

// out = 32-byte big-endian 1 when the product of e(P_i, Q_i) is 1, else 0.
HD inline bool pairing(const uint8_t* in, size_t len, uint8_t out[32]) {
  if (len % 192 != 0) return false;
  Engine::Acc acc;
  acc.init();
  for (size_t off = 0; off < len; off += 192) {
    G1 p;
    G2 q;
    if (!decode_g1(in + off, p) || !decode_g2(in + off + 64, q)) return false;
    acc.add(p, q);
  }
  bool ok = acc.check();
  for (int i = 0; i < 32; ++i) out[i] = 0;
  out[31] = ok ? 1 : 0;
  return true;
}

}  // namespace bn254
}  // namespace kern
