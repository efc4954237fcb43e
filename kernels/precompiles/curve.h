// Short Weierstrass curves y^2 = x^3 + b (a = 0) over a field K (Fp or Fp2), in Jacobian coordinates
// (x = X / Z^2, y = Y / Z^3, Z = 0 is the point at infinity). Used for G1 and G2 of both curves.
// Additions are complete (doubling, inverse and infinity cases handled): ecAdd and ecMul take any point.
#pragma once
#include "field.h"

namespace kern {
namespace ff {

template <class K>
struct Affine {
  K x, y;
  bool inf;
};

template <class K>
struct Jac {
  K X, Y, Z;

  HD_INLINE static Jac infinity() { return {K::one(), K::one(), K::zero()}; }
  HD_INLINE static Jac from_affine(const Affine<K>& a) {
    if (a.inf) return infinity();
    return {a.x, a.y, K::one()};
  }
  HD_INLINE bool is_inf() const { return Z.is_zero(); }
  HD_INLINE Jac neg() const { return {X, -Y, Z}; }

  FF_CALL Jac dbl() const {
    if (is_inf() || Y.is_zero()) return infinity();
    K A = X.sqr(), B = Y.sqr(), C = B.sqr();
    K D = ((X + B).sqr() - A - C).dbl();
    K E = A.dbl() + A, F = E.sqr();
    K X3 = F - D.dbl();
    K C8 = C.dbl().dbl().dbl();
    K Y3 = E * (D - X3) - C8;
    K Z3 = (Y * Z).dbl();
    return {X3, Y3, Z3};
  }

  FF_CALL Jac operator+(const Jac& o) const {
    if (is_inf()) return o;
    if (o.is_inf()) return *this;
    K Z1Z1 = Z.sqr(), Z2Z2 = o.Z.sqr();
    K U1 = X * Z2Z2, U2 = o.X * Z1Z1;
    K S1 = Y * o.Z * Z2Z2, S2 = o.Y * Z * Z1Z1;
    K H = U2 - U1, R = S2 - S1;
    if (H.is_zero()) {
      if (R.is_zero()) return dbl();
      return infinity();
    }
    K HH = H.sqr(), HHH = H * HH, V = U1 * HH;
    K X3 = R.sqr() - HHH - V.dbl();
    K Y3 = R * (V - X3) - S1 * HHH;
    K Z3 = Z * o.Z * H;
    return {X3, Y3, Z3};
  }

  // Scalar multiplication by a public scalar with a fixed 4-bit window: table[d] = d * this.
  HD_INLINE void window_table(Jac table[16]) const {
    table[0] = infinity();
    table[1] = *this;
    for (int d = 2; d < 16; ++d) table[d] = (d % 2 == 0) ? table[d / 2].dbl() : table[d - 1] + *this;
  }
  HD_INLINE static Jac window_step(const Jac& r, const Jac table[16], unsigned digit) {
    Jac s = r.dbl().dbl().dbl().dbl();
    return digit ? s + table[digit] : s;
  }
  // k * this, k given by a limb accessor E(i) over `limbs` little-endian 64-bit words.
  template <class E>
  FF_CALL Jac mul_limbs(E e, int limbs) const {
    Jac table[16];
    window_table(table);
    Jac r = infinity();
    for (int i = limbs - 1; i >= 0; --i) {
      uint64_t word = e(i);
      for (int s = 60; s >= 0; s -= 4) r = window_step(r, table, (unsigned)(word >> s) & 15);
    }
    return r;
  }
  // k * this for a big-endian byte scalar.
  FF_CALL Jac mul_be(const uint8_t* k, int nbytes) const {
    Jac table[16];
    window_table(table);
    Jac r = infinity();
    for (int i = 0; i < nbytes; ++i) {
      r = window_step(r, table, k[i] >> 4);
      r = window_step(r, table, k[i] & 15);
    }
    return r;
  }

  FF_CALL Affine<K> to_affine() const {
    Affine<K> a;
    if (is_inf()) {
      a.x = K::zero();
      a.y = K::zero();
      a.inf = true;
      return a;
    }
    K zi = Z.inv(), zi2 = zi.sqr();
    a.x = X * zi2;
    a.y = Y * zi2 * zi;
    a.inf = false;
    return a;
  }
};

// y^2 == x^3 + b for an affine point (infinity counts as on the curve).
template <class K>
HD_INLINE bool on_curve(const Affine<K>& a, const K& b) {
  if (a.inf) return true;
  return a.y.sqr() == a.x.sqr() * a.x + b;
}

}  // namespace ff
}  // namespace kern
