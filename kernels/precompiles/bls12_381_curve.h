// BLS12-381 G1 and G2 for the EIP-2537 precompiles, on top of the field tower, curve and pairing code the
// KZG precompile uses (kzg.h: bls12::Fp, Fp2, G1, G2, in_g1, the pairing engine): the EIP-2537 encodings
// (64-byte field elements whose top 16 bytes are zero, all-zero infinity), the G2 subgroup check, the
// endomorphism psi and the few curve helpers MSM and map-to-curve need. Header-only and HD.
#pragma once
#include "bls12_381_constants.h"
#include "kzg.h"

namespace kern {
namespace bls12 {

// Why an EIP-2537 call fails (0 = it does not). The names follow go-ethereum's errors.
enum Status : uint8_t {
  OK = 0,
  BAD_INPUT_LENGTH,      // "invalid input length"
  FP_TOP_BYTES,          // "invalid field element top bytes": the 16 leading bytes of a field element are not 0
  FP_NOT_CANONICAL,      // "invalid fp.Element encoding": a field element >= p
  POINT_NOT_ON_CURVE,    // "invalid point: not on curve"
  POINT_NOT_IN_SUBGROUP,  // "g1/g2 point is not on correct subgroup"
  NOT_BLS12_PRECOMPILE    // the id is none of 0x0b..0x11
};

constexpr int FP_BYTES = 64, G1_BYTES = 128, G2_BYTES = 256, SCALAR_BYTES = 32;

using J1 = ff::Jac<Fp>;
using J2 = ff::Jac<Fp2>;

HD_INLINE Fp fp_const(const uint64_t limbs[6]) { return Fp::from_limbs_mont(limbs); }
HD_INLINE Fp2 fp2_const(const uint64_t c0[6], const uint64_t c1[6]) { return Fp2::from_mont(c0, c1); }

HD_INLINE Fp2 twist_b() {
  uint64_t a[6], b[6];
  pairing_consts::Bls12Tower::twist_b(a, b);
  return Fp2::from_mont(a, b);
}
template <class K>
HD_INLINE K curve_b_of();
template <>
HD_INLINE Fp curve_b_of<Fp>() { return curve_b(); }
template <>
HD_INLINE Fp2 curve_b_of<Fp2>() { return twist_b(); }
// Bytes of one coordinate: one field element for G1, two for G2.
template <class K>
constexpr int COORD_BYTES = sizeof(K) / sizeof(Fp) * FP_BYTES;

// One 64-byte field element: 16 zero bytes, then the value (< p) in 48 big-endian bytes.
HD inline Status decode_fp(const uint8_t in[FP_BYTES], Fp& out) {
  for (int i = 0; i < 16; ++i)
    if (in[i]) return FP_TOP_BYTES;
  return Fp::from_be(in + 16, 48, out) ? OK : FP_NOT_CANONICAL;
}
HD inline Status decode_fp2(const uint8_t in[2 * FP_BYTES], Fp2& out) {
  Status s = decode_fp(in, out.c0);
  return s != OK ? s : decode_fp(in + FP_BYTES, out.c1);
}
HD_INLINE Status decode_k(const uint8_t* in, Fp& out) { return decode_fp(in, out); }
HD_INLINE Status decode_k(const uint8_t* in, Fp2& out) { return decode_fp2(in, out); }

HD inline void encode_fp(const Fp& x, uint8_t out[FP_BYTES]) {
  for (int i = 0; i < 16; ++i) out[i] = 0;
  x.to_be(out + 16, 48);
}
HD_INLINE void encode_k(const Fp& x, uint8_t* out) { encode_fp(x, out); }
HD_INLINE void encode_k(const Fp2& x, uint8_t* out) {
  encode_fp(x.c0, out);
  encode_fp(x.c1, out + FP_BYTES);
}

// A point of G1 (K = Fp, 128 bytes) or of the twist carrying G2 (K = Fp2, 256 bytes): x then y; all zero is
// the point at infinity. Checks the field elements and the curve equation, not the subgroup.
template <class K>
HD inline Status decode_point(const uint8_t* in, ff::Affine<K>& p) {
  constexpr int COORD = COORD_BYTES<K>;
  bool zero = true;
  for (int i = 0; i < 2 * COORD; ++i) zero = zero && in[i] == 0;
  p.inf = zero;
  if (zero) {
    p.x = K::zero();
    p.y = K::zero();
    return OK;
  }
  Status s = decode_k(in, p.x);
  if (s == OK) s = decode_k(in + COORD, p.y);
  if (s != OK) return s;
  return ff::on_curve(p, curve_b_of<K>()) ? OK : POINT_NOT_ON_CURVE;
}

template <class K>
HD inline void encode_point(const ff::Jac<K>& j, uint8_t* out) {
  constexpr int COORD = COORD_BYTES<K>;
  if (j.is_inf()) {
    for (int i = 0; i < 2 * COORD; ++i) out[i] = 0;
    return;
  }
  ff::Affine<K> a = j.to_affine();
  encode_k(a.x, out);
  encode_k(a.y, out + COORD);
}

// a + b for b affine (Z = 1): 8M + 3S instead of the general addition's 12M + 4S. Complete, as Jac::+.
template <class K>
FF_CALL ff::Jac<K> add_affine(const ff::Jac<K>& a, const ff::Affine<K>& b) {
  if (b.inf) return a;
  if (a.is_inf()) return ff::Jac<K>::from_affine(b);
  K zz = a.Z.sqr();
  K h = b.x * zz - a.X, r = b.y * a.Z * zz - a.Y;
  if (h.is_zero()) return r.is_zero() ? a.dbl() : ff::Jac<K>::infinity();
  K hh = h.sqr(), hhh = h * hh, v = a.X * hh;
  K x3 = r.sqr() - hhh - v.dbl();
  return {x3, r * (v - x3) - a.Y * hhh, a.Z * h};
}

// psi = twist^-1 o Frobenius o twist on the twist curve, in Jacobian coordinates (conj is a field
// automorphism, so it commutes with the division by Z^2 and Z^3).
FF_CALL J2 psi(const J2& p) {
  const uint64_t(*c)[6] = KT(bls12_consts::psi);
  return {p.X.conj() * fp2_const(c[0], c[1]), p.Y.conj() * fp2_const(c[2], c[3]), p.Z.conj()};
}

// G2 membership of a twist point: Q is in G2 iff psi(Q) == [x] Q (x = p mod r; Scott, "A note on group
// membership tests for G1, G2 and GT on BLS pairing-friendly curves", 2021). 64-bit scalar instead of [r] Q.
HD inline bool in_g2(const G2& q) {
  if (q.inf) return true;
  J2 xq = mul_by_x_abs(J2::from_affine(q)).neg();  // x < 0
  J2 pq = psi(J2::from_affine(q));
  // Equal projective points: X1 Z2^2 == X2 Z1^2 and Y1 Z2^3 == Y2 Z1^3 (psi(Q) has Z = 1).
  if (xq.is_inf()) return false;
  Fp2 zz = xq.Z.sqr();
  return pq.X * zz == xq.X && pq.Y * zz * xq.Z == xq.Y;
}

HD_INLINE bool in_subgroup(const G1& p) { return p.inf || in_g1(p); }
HD_INLINE bool in_subgroup(const G2& q) { return in_g2(q); }

}  // namespace bls12
}  // namespace kern
