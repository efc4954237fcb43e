// The degree-12 extension tower used by both pairings:
//   Fp2  = Fp[u]  / (u^2 + 1)       (both BN254 and BLS12-381 use u^2 = -1)
//   Fp6  = Fp2[v] / (v^3 - xi)      (xi = 9 + u for BN254, 1 + u for BLS12-381)
//   Fp12 = Fp6[w] / (w^2 - v)       (so w^6 = xi)
// T (the tower parameters) supplies: `using Base = Fp<...>`, mul_by_xi(Fp2) and the Frobenius constants
// frob_gamma(k) = xi^(k (p - 1) / 6), by which x -> x^p multiplies the (conjugated) coefficient of w^k.
#pragma once
#include "field.h"

namespace kern {
namespace ff {

template <class F>
struct Fp2 {
  F c0, c1;  // c0 + c1 u

  HD_INLINE static Fp2 zero() { return {F::zero(), F::zero()}; }
  HD_INLINE static Fp2 one() { return {F::one(), F::zero()}; }
  HD_INLINE bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  HD_INLINE bool operator==(const Fp2& o) const { return c0 == o.c0 && c1 == o.c1; }
  HD_INLINE bool operator!=(const Fp2& o) const { return !(*this == o); }
  HD_INLINE Fp2 operator+(const Fp2& o) const { return {c0 + o.c0, c1 + o.c1}; }
  HD_INLINE Fp2 operator-(const Fp2& o) const { return {c0 - o.c0, c1 - o.c1}; }
  HD_INLINE Fp2 operator-() const { return {-c0, -c1}; }
  HD_INLINE Fp2 dbl() const { return {c0.dbl(), c1.dbl()}; }
  FF_CALL Fp2 operator*(const Fp2& o) const {
    F t0 = c0 * o.c0, t1 = c1 * o.c1;
    F s = (c0 + c1) * (o.c0 + o.c1);
    return {t0 - t1, s - t0 - t1};
  }
  HD_INLINE Fp2 operator*(const F& k) const { return {c0 * k, c1 * k}; }
  FF_CALL Fp2 sqr() const {
    F a = (c0 + c1) * (c0 - c1);
    F b = c0 * c1;
    return {a, b.dbl()};
  }
  HD_INLINE Fp2 conj() const { return {c0, -c1}; }
  FF_CALL Fp2 inv() const {
    F n = (c0.sqr() + c1.sqr()).inv();
    return {c0 * n, -(c1 * n)};
  }
  // A square root when one exists (p = 3 mod 4, so -1 is no square in F), by the norm method: with
  // c0^2 + c1^2 = n^2 and x0^2 = (c0 +- n) / 2, (x0 + c1 / (2 x0) u)^2 = this.
  FF_CALL bool sqrt(Fp2& out) const {
    if (c1.is_zero()) {  // exactly one of +-c0 is a square in F (or c0 = 0)
      if (c0.sqrt(out.c0)) {
        out.c1 = F::zero();
        return true;
      }
      out.c0 = F::zero();
      return (-c0).sqrt(out.c1);
    }
    F n, x0;
    if (!(c0.sqr() + c1.sqr()).sqrt(n)) return false;
    if (!(c0 + n).halve().sqrt(x0) && !(c0 - n).halve().sqrt(x0)) return false;
    out = {x0, c1 * x0.dbl().inv()};
    return out.sqr() == *this;
  }
  HD_INLINE static Fp2 from_mont(const uint64_t a[F::N], const uint64_t b[F::N]) {
    return {F::from_limbs_mont(a), F::from_limbs_mont(b)};
  }
};

template <class T>
struct Fp6 {
  using F2 = Fp2<typename T::Base>;
  F2 c0, c1, c2;  // c0 + c1 v + c2 v^2

  HD_INLINE static Fp6 zero() { return {F2::zero(), F2::zero(), F2::zero()}; }
  HD_INLINE static Fp6 one() { return {F2::one(), F2::zero(), F2::zero()}; }
  HD_INLINE bool operator==(const Fp6& o) const { return c0 == o.c0 && c1 == o.c1 && c2 == o.c2; }
  HD_INLINE Fp6 operator+(const Fp6& o) const { return {c0 + o.c0, c1 + o.c1, c2 + o.c2}; }
  HD_INLINE Fp6 operator-(const Fp6& o) const { return {c0 - o.c0, c1 - o.c1, c2 - o.c2}; }
  HD_INLINE Fp6 operator-() const { return {-c0, -c1, -c2}; }
  FF_CALL Fp6 operator*(const Fp6& o) const {
    F2 t0 = c0 * o.c0, t1 = c1 * o.c1, t2 = c2 * o.c2;
    F2 r0 = T::mul_by_xi((c1 + c2) * (o.c1 + o.c2) - t1 - t2) + t0;
    F2 r1 = (c0 + c1) * (o.c0 + o.c1) - t0 - t1 + T::mul_by_xi(t2);
    F2 r2 = (c0 + c2) * (o.c0 + o.c2) - t0 - t2 + t1;
    return {r0, r1, r2};
  }
  HD_INLINE Fp6 sqr() const { return *this * *this; }
  // Products with sparse operands (the Miller loop's lines): b0 (a scalar of Fp2), b1 v, and b0 + b1 v.
  HD_INLINE Fp6 mul_by_0(const F2& b0) const { return {c0 * b0, c1 * b0, c2 * b0}; }
  HD_INLINE Fp6 mul_by_1(const F2& b1) const { return {T::mul_by_xi(c2 * b1), c0 * b1, c1 * b1}; }
  FF_CALL Fp6 mul_by_01(const F2& b0, const F2& b1) const {
    F2 t0 = c0 * b0, t1 = c1 * b1;
    return {t0 + T::mul_by_xi(c2 * b1), (c0 + c1) * (b0 + b1) - t0 - t1, t1 + c2 * b0};
  }
  HD_INLINE Fp6 mul_by_v() const { return {T::mul_by_xi(c2), c0, c1}; }
  FF_CALL Fp6 inv() const {
    F2 a = c0.sqr() - T::mul_by_xi(c1 * c2);
    F2 b = T::mul_by_xi(c2.sqr()) - c0 * c1;
    F2 c = c1.sqr() - c0 * c2;
    F2 f = c0 * a + T::mul_by_xi(c2 * b + c1 * c);
    F2 fi = f.inv();
    return {a * fi, b * fi, c * fi};
  }
};

template <class T>
struct Fp12 {
  using F2 = Fp2<typename T::Base>;
  using F6 = Fp6<T>;
  F6 c0, c1;  // c0 + c1 w

  HD_INLINE static Fp12 one() { return {F6::one(), F6::zero()}; }
  HD_INLINE bool operator==(const Fp12& o) const { return c0 == o.c0 && c1 == o.c1; }
  HD_INLINE bool is_one() const { return *this == one(); }
  FF_CALL Fp12 operator*(const Fp12& o) const {
    F6 t0 = c0 * o.c0, t1 = c1 * o.c1;
    return {t0 + t1.mul_by_v(), (c0 + c1) * (o.c0 + o.c1) - t0 - t1};
  }
  FF_CALL Fp12 sqr() const {
    // (a + bw)^2 = a^2 + b^2 v + 2ab w, with a^2 + b^2 v = (a + b)(a + bv) - ab - ab v.
    F6 ab = c0 * c1;
    F6 t = (c0 + c1) * (c0 + c1.mul_by_v()) - ab - ab.mul_by_v();
    return {t, ab + ab};
  }
  HD_INLINE Fp12 conj() const { return {c0, -c1}; }
  FF_CALL Fp12 inv() const {
    F6 d = (c0.sqr() - c1.sqr().mul_by_v()).inv();
    return {c0 * d, -(c1 * d)};
  }
  // x^p: conjugate every Fp2 coefficient and scale the coefficient of w^k by gamma_k.
  FF_CALL Fp12 frobenius() const {
    F2 g[6];
    for (int k = 1; k < 6; ++k) {
      uint64_t a[T::Base::N], b[T::Base::N];
      T::frob_gamma(k, a, b);
      g[k] = F2::from_mont(a, b);
    }
    // Coefficient of w^k: c0.c0 (k=0), c1.c0 (1), c0.c1 (2), c1.c1 (3), c0.c2 (4), c1.c2 (5).
    Fp12 r;
    r.c0.c0 = c0.c0.conj();
    r.c1.c0 = c1.c0.conj() * g[1];
    r.c0.c1 = c0.c1.conj() * g[2];
    r.c1.c1 = c1.c1.conj() * g[3];
    r.c0.c2 = c0.c2.conj() * g[4];
    r.c1.c2 = c1.c2.conj() * g[5];
    return r;
  }
  template <class E>
  FF_CALL Fp12 pow_limbs(E e, int limbs) const {
    Fp12 r = one();
    bool started = false;
    for (int i = limbs - 1; i >= 0; --i) {
      uint64_t word = e(i);
      for (int b = 63; b >= 0; --b) {
        if (started) r = r.sqr();
        if ((word >> b) & 1) {
          r = started ? r * *this : *this;
          started = true;
        }
      }
    }
    return r;
  }
};

}  // namespace ff
}  // namespace kern
