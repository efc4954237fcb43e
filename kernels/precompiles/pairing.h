// Optimal ate pairing product check, shared by BN254 and BLS12-381.
//
// C (the curve's pairing configuration) supplies:
//   using T (tower parameters, see tower.h), Fp = T::Base;
//   D_TWIST: the twist E'/Fp2 maps to E by (x, y) -> (x w^2, y w^3) (BN254, "divisive") rather than
//            (x / w^2, y / w^3) (BLS12-381, "multiplicative");
//   ate_len / ate_digit(i): the Miller loop scalar's signed digits, most significant first;
//   BN_TAIL: a BN curve: add the two Frobenius lines after the loop (uses frob2_x/frob2_y, frob_gamma) and
//            use the BN addition chain for the hard part of the final exponentiation (else the BLS12 one);
//   X_ABS, X_NEG: |x| and the sign of the curve parameter x (the hard-part chains exponentiate by x);
//   hard_len / hard(i): limbs of (p^4 - p^2 + 1) / r, for final_exp_reference only.
//
// Lines are evaluated with T in Jacobian coordinates and scaled by Fp2 factors (which the final
// exponentiation kills, as it kills every element of a proper subfield of Fp12), so no inversions happen
// in the loop. Pairs are processed in chunks of CHUNK sharing the squarings of f: bounded stack, no heap.
#pragma once
#include "curve.h"
#include "tower.h"

namespace kern {
namespace ff {

template <class C>
struct Pairing {
  using Fp = typename C::T::Base;
  using F2 = Fp2<Fp>;
  using F12 = Fp12<typename C::T>;
  using G1 = Affine<Fp>;
  using G2 = Affine<F2>;
  static constexpr int CHUNK = 4;

  // f * l for the line l = la + lb * (w or w^2) + lc * (w^3 or 1) (derivations at dbl_step / add_step),
  // using the sparsity of l: 13 Fp2 multiplications instead of 18.
  FF_CALL static F12 mul_line(const F12& f, const F2& la, const F2& lb, const F2& lc) {
    using F6 = Fp6<typename C::T>;
    F12 r;
    if constexpr (C::D_TWIST) {
      // l = yP - lambda xP w + (lambda xT - yT) w^3 (scaled): l0 = (la, 0, 0), l1 = (lb, lc, 0).
      F6 t0 = f.c0.mul_by_0(la);
      F6 t1 = f.c1.mul_by_01(lb, lc);
      r.c1 = (f.c0 + f.c1).mul_by_01(la + lb, lc) - t0 - t1;
      r.c0 = t0 + t1.mul_by_v();
    } else {
      // w^3 l = (lambda xT - yT) - lambda xP w^2 + yP w^3 (scaled): l0 = (lc, lb, 0), l1 = (0, la, 0).
      F6 t0 = f.c0.mul_by_01(lc, lb);
      F6 t1 = f.c1.mul_by_1(la);
      r.c1 = (f.c0 + f.c1).mul_by_01(lc, lb + la) - t0 - t1;
      r.c0 = t0 + t1.mul_by_v();
    }
    return r;
  }

  // T <- 2T; returns f times the tangent line at T evaluated at P. With lambda = 3X^2 / (2YZ) and the scale
  // D = 2YZ^3: yP D = Z3 Z^2 yP, lambda D = 3X^2 Z^2, (lambda xT - yT) D = 3X^3 - 2Y^2.
  FF_CALL static F12 dbl_step(Jac<F2>& t, const G1& p, const F12& f) {
    F2 A = t.X.sqr(), B = t.Y.sqr(), Cc = B.sqr();
    F2 D = ((t.X + B).sqr() - A - Cc).dbl();
    F2 E = A.dbl() + A, Fq = E.sqr();
    F2 ZZ = t.Z.sqr();
    F2 X3 = Fq - D.dbl();
    F2 Y3 = E * (D - X3) - Cc.dbl().dbl().dbl();
    F2 Z3 = (t.Y * t.Z).dbl();
    F2 la = (Z3 * ZZ) * p.y;
    F2 lb = -((E * ZZ) * p.x);
    F2 lc = E * t.X - B.dbl();
    t.X = X3;
    t.Y = Y3;
    t.Z = Z3;
    return mul_line(f, la, lb, lc);
  }

  // T <- T + Q (Q affine); returns f times the line through T and Q evaluated at P. With H = x2 Z^2 - X,
  // R = y2 Z^3 - Y, lambda = R / (H Z) and the scale D = H Z = Z3: yP D, lambda D = R, (lambda x2 - y2) D.
  FF_CALL static F12 add_step(Jac<F2>& t, const F2& x2, const F2& y2, const G1& p, const F12& f) {
    F2 ZZ = t.Z.sqr();
    F2 U2 = x2 * ZZ, S2 = y2 * t.Z * ZZ;
    F2 H = U2 - t.X, R = S2 - t.Y;
    F2 HH = H.sqr(), HHH = H * HH, V = t.X * HH;
    F2 X3 = R.sqr() - HHH - V.dbl();
    F2 Y3 = R * (V - X3) - t.Y * HHH;
    F2 Z3 = t.Z * H;
    F2 la = Z3 * p.y;
    F2 lb = -(R * p.x);
    F2 lc = R * x2 - Z3 * y2;
    t.X = X3;
    t.Y = Y3;
    t.Z = Z3;
    return mul_line(f, la, lb, lc);
  }

  // Product of the Miller loops of n <= CHUNK pairs, none of them at infinity.
  FF_CALL static F12 miller(const G1* ps, const G2* qs, int n) {
    Jac<F2> t[CHUNK];
    for (int i = 0; i < n; ++i) t[i] = Jac<F2>::from_affine(qs[i]);
    F12 f = F12::one();
    for (int d = 1; d < C::ate_len; ++d) {
      f = f.sqr();
      for (int i = 0; i < n; ++i) f = dbl_step(t[i], ps[i], f);
      int digit = C::ate_digit(d);
      if (digit != 0) {
        for (int i = 0; i < n; ++i) {
          F2 y = digit > 0 ? qs[i].y : -qs[i].y;
          f = add_step(t[i], qs[i].x, y, ps[i], f);
        }
      }
    }
    if constexpr (C::BN_TAIL) {
      uint64_t a[Fp::N], b[Fp::N];
      C::T::frob_gamma(2, a, b);
      F2 g2 = F2::from_mont(a, b);
      C::T::frob_gamma(3, a, b);
      F2 g3 = F2::from_mont(a, b);
      C::frob2_x(a, b);
      F2 h2 = F2::from_mont(a, b);
      C::frob2_y(a, b);
      F2 h3 = F2::from_mont(a, b);
      for (int i = 0; i < n; ++i) {
        // Q1 = pi(Q), Q2 = pi^2(Q) on the twist; add Q1 then -Q2.
        F2 x1 = qs[i].x.conj() * g2, y1 = qs[i].y.conj() * g3;
        f = add_step(t[i], x1, y1, ps[i], f);
        F2 x2 = qs[i].x * h2, y2 = -(qs[i].y * h3);
        f = add_step(t[i], x2, y2, ps[i], f);
      }
    }
    if (C::X_NEG) f = f.conj();
    return f;
  }

  struct Hard {
    HD_INLINE uint64_t operator()(int i) const { return C::hard(i); }
  };

  // Squaring in the cyclotomic subgroup (Granger-Scott). Viewing Fp12 as Fp4[w] / (w^3 - s), Fp4 = Fp2[s] /
  // (s^2 - xi) with s = w^3, f = A + B w + C w^2 squares to (3A^2 - 2conj(A)) + (3 s C^2 + 2conj(B)) w
  // + (3B^2 - 2conj(C)) w^2, conj being s -> -s (valid only for f^(p^6 - 1)(p^2 + 1) = f, the elements
  // the hard part of the final exponentiation works on).
  HD_INLINE static void fp4_sqr(const F2& x, const F2& y, F2& rx, F2& ry) {
    F2 xx = x.sqr(), yy = y.sqr();
    rx = xx + C::T::mul_by_xi(yy);
    ry = (x + y).sqr() - xx - yy;
  }
  FF_CALL static F12 cyclotomic_sqr(const F12& f) {
    // (coefficient of w^k): A = (w^0, w^3), B = (w^1, w^4), C = (w^2, w^5)
    F2 a0 = f.c0.c0, a1 = f.c1.c1, b0 = f.c1.c0, b1 = f.c0.c2, c0 = f.c0.c1, c1 = f.c1.c2;
    F2 ta0, ta1, tb0, tb1, tc0, tc1;
    fp4_sqr(a0, a1, ta0, ta1);
    fp4_sqr(b0, b1, tb0, tb1);
    fp4_sqr(c0, c1, tc0, tc1);
    // A' = 3 A^2 - 2 conj(A)
    F2 ra0 = (ta0 - a0).dbl() + ta0, ra1 = (ta1 + a1).dbl() + ta1;
    // B' = 3 s C^2 + 2 conj(B), s (x + y s) = xi y + x s
    F2 sc0 = C::T::mul_by_xi(tc1), sc1 = tc0;
    F2 rb0 = (sc0 + b0).dbl() + sc0, rb1 = (sc1 - b1).dbl() + sc1;
    // C' = 3 B^2 - 2 conj(C)
    F2 rc0 = (tb0 - c0).dbl() + tb0, rc1 = (tb1 + c1).dbl() + tb1;
    F12 r;
    r.c0.c0 = ra0;
    r.c1.c1 = ra1;
    r.c1.c0 = rb0;
    r.c0.c2 = rb1;
    r.c0.c1 = rc0;
    r.c1.c2 = rc1;
    return r;
  }

  // f^x for the curve parameter x (sign included), f cyclotomic (so f^-1 = conj f).
  FF_CALL static F12 pow_x(const F12& f) {
    F12 r = f;
    uint64_t e = C::X_ABS;
    int top = 63;
    while (!((e >> top) & 1)) --top;
    for (int b = top - 1; b >= 0; --b) {
      r = cyclotomic_sqr(r);
      if ((e >> b) & 1) r = r * f;
    }
    return C::X_NEG ? r.conj() : r;
  }

  // The hard part f^((p^4 - p^2 + 1) / r) for BN curves (Scott et al.'s addition chain over
  // lambda = 1 p^3 + (6x^2 + 1) p^2 + (-36x^3 - 18x^2 - 12x + 1) p + (-36x^3 - 30x^2 - 18x - 2)).
  FF_CALL static F12 hard_bn(const F12& f) {
    F12 fx = pow_x(f), fx2 = pow_x(fx), fx3 = pow_x(fx2);
    F12 fp = f.frobenius(), fp2 = fp.frobenius(), fp3 = fp2.frobenius();
    F12 y0 = fp * fp2 * fp3;
    F12 y1 = f.conj();
    F12 y2 = fx2.frobenius().frobenius();
    F12 y3 = fx.frobenius().conj();
    F12 y4 = (fx * fx2.frobenius()).conj();
    F12 y5 = fx2.conj();
    F12 y6 = (fx3 * fx3.frobenius()).conj();
    F12 t0 = cyclotomic_sqr(y6) * y4 * y5;
    F12 t1 = y3 * y5 * t0;
    t0 = t0 * y2;
    t1 = cyclotomic_sqr(cyclotomic_sqr(t1) * t0);
    t0 = t1 * y1;
    t1 = t1 * y0;
    t0 = cyclotomic_sqr(t0);
    return t0 * t1;
  }

  // f^(3 (p^4 - p^2 + 1) / r) for BLS12 curves: 3 (p^4 - p^2 + 1) / r = (x - 1)^2 (x + p) (x^2 + p^2 - 1) + 3.
  // The cube does not change whether the result is 1 (r is prime to 3), which is all check() asks.
  FF_CALL static F12 hard_bls_cubed(const F12& f) {
    F12 a = pow_x(f) * f.conj();            // f^(x - 1)
    a = pow_x(a) * a.conj();                // f^((x - 1)^2)
    F12 b = pow_x(a) * a.frobenius();       // ^(x + p)
    F12 c = pow_x(pow_x(b)) * b.frobenius().frobenius() * b.conj();  // ^(x^2 + p^2 - 1)
    return c * cyclotomic_sqr(f) * f;
  }

  // f^((p^12 - 1) / r) up to a power prime to r: equal to 1 exactly when the true final exponentiation is.
  FF_CALL static F12 final_exp(const F12& f) {
    F12 a = f.conj() * f.inv();          // f^(p^6 - 1)
    a = a.frobenius().frobenius() * a;  // ^(p^2 + 1): now in the cyclotomic subgroup
    if constexpr (C::BN_TAIL) return hard_bn(a);
    else return hard_bls_cubed(a);
  }

  // Reference: the plain exponentiation by (p^4 - p^2 + 1) / r (slow; for tests of the chains above).
  FF_CALL static F12 final_exp_reference(const F12& f) {
    F12 a = f.conj() * f.inv();
    a = a.frobenius().frobenius() * a;
    return a.pow_limbs(Hard(), C::hard_len);
  }

  // Accumulates pairs; check() says whether the product of their pairings is 1.
  struct Acc {
    F12 f;
    G1 ps[CHUNK];
    G2 qs[CHUNK];
    int n;
    HD_INLINE void init() {
      f = F12::one();
      n = 0;
    }
    HD_INLINE void flush() {
      if (n) f = f * miller(ps, qs, n);
      n = 0;
    }
    // Pairs with a point at infinity contribute 1 and are skipped.
    HD_INLINE void add(const G1& p, const G2& q) {
      if (p.inf || q.inf) return;
      ps[n] = p;
      qs[n] = q;
      if (++n == CHUNK) flush();
    }
    HD_INLINE bool check() {
      flush();
      return final_exp(f).is_one();
    }
  };
};

}  // namespace ff
}  // namespace kern
