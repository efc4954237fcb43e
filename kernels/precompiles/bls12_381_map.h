// EIP-2537 MAP_FP_TO_G1 / MAP_FP2_TO_G2: RFC 9380's map_to_curve then clear_cofactor for the suites
// BLS12381G1_XMD:SHA-256_SSWU_RO_ and BLS12381G2_XMD:SHA-256_SSWU_RO_: the simplified SWU map onto the
// isogenous curve E' (section 6.6.2, its plain non-constant-time form: inputs are public), the 11-isogeny
// (G1) or 3-isogeny (G2) onto E, and cofactor clearing by h_eff (G1: [1 - x]; G2: the psi-based chain of
// appendix G.3). Header-only and HD.
#pragma once
#include "bls12_381_curve.h"

namespace kern {
namespace bls12 {

// sgn0 (RFC 9380 section 4.1): the parity of the value; for Fp2, of c0 unless c0 is 0.
HD_INLINE bool sgn0(const Fp& a) {
  uint64_t x[6];
  a.to_plain(x);
  return x[0] & 1;
}
HD_INLINE bool sgn0(const Fp2& a) { return a.c0.is_zero() ? sgn0(a.c1) : sgn0(a.c0); }

// The per-group constants: SWU on E' (A', B', Z, -B'/A', B'/(Z A')) and the isogeny E' -> E.
template <class K>
struct MapCurve;
template <>
struct MapCurve<Fp> {
  HD_INLINE static Fp swu(int i) { return fp_const(KT(bls12_consts::sswu_g1)[i]); }
  HD_INLINE static Fp coeff(const uint64_t (*t)[6], int i) { return fp_const(t[i]); }
  HD_INLINE static const uint64_t (*xnum())[6] { return KT(bls12_consts::iso11_xnum); }
  HD_INLINE static const uint64_t (*xden())[6] { return KT(bls12_consts::iso11_xden); }
  HD_INLINE static const uint64_t (*ynum())[6] { return KT(bls12_consts::iso11_ynum); }
  HD_INLINE static const uint64_t (*yden())[6] { return KT(bls12_consts::iso11_yden); }
  static constexpr int XNUM = bls12_consts::iso11_xnum_LEN, XDEN = bls12_consts::iso11_xden_LEN,
                       YNUM = bls12_consts::iso11_ynum_LEN, YDEN = bls12_consts::iso11_yden_LEN;
};
template <>
struct MapCurve<Fp2> {
  HD_INLINE static Fp2 swu(int i) {
    const uint64_t(*t)[6] = KT(bls12_consts::sswu_g2);
    return fp2_const(t[2 * i], t[2 * i + 1]);
  }
  HD_INLINE static Fp2 coeff(const uint64_t (*t)[6], int i) { return fp2_const(t[2 * i], t[2 * i + 1]); }
  HD_INLINE static const uint64_t (*xnum())[6] { return KT(bls12_consts::iso3_xnum); }
  HD_INLINE static const uint64_t (*xden())[6] { return KT(bls12_consts::iso3_xden); }
  HD_INLINE static const uint64_t (*ynum())[6] { return KT(bls12_consts::iso3_ynum); }
  HD_INLINE static const uint64_t (*yden())[6] { return KT(bls12_consts::iso3_yden); }
  static constexpr int XNUM = bls12_consts::iso3_xnum_LEN, XDEN = bls12_consts::iso3_xden_LEN,
                       YNUM = bls12_consts::iso3_ynum_LEN, YDEN = bls12_consts::iso3_yden_LEN;
};

// Simplified SWU: u -> a point of E': y^2 = x^3 + A' x + B'.
template <class K>
FF_CALL ff::Affine<K> sswu(const K& u) {
  using C = MapCurve<K>;
  K a = C::swu(0), b = C::swu(1), z = C::swu(2);
  K zu2 = z * u.sqr();
  K tv = zu2.sqr() + zu2;
  // x1 = (-B'/A') (1 + 1 / tv), or B'/(Z A') where tv = 0
  K x1 = tv.is_zero() ? C::swu(4) : C::swu(3) * (K::one() + tv.inv());
  ff::Affine<K> p;
  p.inf = false;
  if (((x1.sqr() + a) * x1 + b).sqrt(p.y)) {
    p.x = x1;
  } else {  // then g(Z u^2 x1) = Z^3 u^6 g(x1) is a square
    p.x = zu2 * x1;
    ((p.x.sqr() + a) * p.x + b).sqrt(p.y);
  }
  if (sgn0(u) != sgn0(p.y)) p.y = -p.y;
  return p;
}

// sum c_i x^i by Horner; `monic` adds the left-out leading 1 (x^n).
template <class K>
FF_CALL K poly(const uint64_t (*t)[6], int n, bool monic, const K& x) {
  K acc = monic ? K::one() : MapCurve<K>::coeff(t, --n);
  for (int i = n - 1; i >= 0; --i) acc = acc * x + MapCurve<K>::coeff(t, i);
  return acc;
}

// The isogeny E' -> E, (x, y) -> (xnum / xden, y ynum / yden), in Jacobian form with Z = xden yden (no
// inversion). A zero denominator maps to the point at infinity (RFC 9380 section 6.6.3).
template <class K>
FF_CALL ff::Jac<K> isogeny(const ff::Affine<K>& p) {
  using C = MapCurve<K>;
  K xn = poly(C::xnum(), C::XNUM, false, p.x), xd = poly(C::xden(), C::XDEN, true, p.x);
  K yn = poly(C::ynum(), C::YNUM, false, p.x), yd = poly(C::yden(), C::YDEN, true, p.x);
  if (xd.is_zero() || yd.is_zero()) return ff::Jac<K>::infinity();
  K z = xd * yd, yd2 = yd.sqr();
  return {xn * xd * yd2, p.y * yn * xd.sqr() * xd * yd2, z};
}

// [h_eff] P for G1: h_eff = 1 - x = |x| + 1.
HD_INLINE J1 clear_cofactor(const J1& p) { return mul_by_x_abs(p) + p; }

// [h_eff] P for G2 (RFC 9380 appendix G.3, Budroni-Pintore): with c = x,
// [c^2 - c - 1] P + [c - 1] psi(P) + psi^2(2P).
FF_CALL J2 clear_cofactor(const J2& p) {
  J2 t1 = mul_by_x_abs(p).neg();  // [x] P (x < 0)
  J2 t2 = psi(p);
  J2 t3 = psi(psi(p.dbl())) + t2.neg();
  t2 = mul_by_x_abs(t1 + t2).neg();
  return t3 + t2 + t1.neg() + p.neg();
}

template <class K>
FF_CALL ff::Jac<K> map_to_group(const K& u) {
  return clear_cofactor(isogeny(sswu(u)));
}

}  // namespace bls12
}  // namespace kern
