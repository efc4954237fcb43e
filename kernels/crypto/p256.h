// secp256r1 (NIST P-256) ECDSA verification for the EIP-7951 P256VERIFY precompile (Osaka, 0x100), host and
// device alike. Field and scalar arithmetic are the shared Montgomery fields (kernels/precompiles/field.h)
// over P-256's p and n; points are Jacobian with the curve's a = -3 doubling. The verification computes
// R = u1*G + u2*Q with one shared doubling chain (Shamir's trick) and compares R.x mod n with r.
// Variable time: every input is public. No heap, no recursion.
#pragma once
#include "../precompiles/field.h"

namespace kern {
namespace p256 {

struct FpParams {
  static constexpr int N = 4;
  static constexpr uint64_t INV = 0x0000000000000001ULL;  // -p^-1 mod 2^64
  HD_INLINE static uint64_t p(int i) { const uint64_t v[4] = {0xffffffffffffffffULL, 0x00000000ffffffffULL, 0x0000000000000000ULL, 0xffffffff00000001ULL}; return v[i]; }
  HD_INLINE static uint64_t r2(int i) { const uint64_t v[4] = {0x0000000000000003ULL, 0xfffffffbffffffffULL, 0xfffffffffffffffeULL, 0x00000004fffffffdULL}; return v[i]; }
  HD_INLINE static uint64_t one(int i) { const uint64_t v[4] = {0x0000000000000001ULL, 0xffffffff00000000ULL, 0xffffffffffffffffULL, 0x00000000fffffffeULL}; return v[i]; }
  HD_INLINE static uint64_t pm2(int i) { const uint64_t v[4] = {0xfffffffffffffffdULL, 0x00000000ffffffffULL, 0x0000000000000000ULL, 0xffffffff00000001ULL}; return v[i]; }
};
// The group order n (prime): scalars u1 = h / s, u2 = r / s.
struct ScalarParams {
  static constexpr int N = 4;
  static constexpr uint64_t INV = 0xccd1c8aaee00bc4fULL;  // -n^-1 mod 2^64
  HD_INLINE static uint64_t p(int i) { const uint64_t v[4] = {0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL, 0xffffffffffffffffULL, 0xffffffff00000000ULL}; return v[i]; }
  HD_INLINE static uint64_t r2(int i) { const uint64_t v[4] = {0x83244c95be79eea2ULL, 0x4699799c49bd6fa6ULL, 0x2845b2392b6bec59ULL, 0x66e12d94f3d95620ULL}; return v[i]; }
  HD_INLINE static uint64_t one(int i) { const uint64_t v[4] = {0x0c46353d039cdaafULL, 0x4319055258e8617bULL, 0x0000000000000000ULL, 0x00000000ffffffffULL}; return v[i]; }
  HD_INLINE static uint64_t pm2(int i) { const uint64_t v[4] = {0xf3b9cac2fc63254fULL, 0xbce6faada7179e84ULL, 0xffffffffffffffffULL, 0xffffffff00000000ULL}; return v[i]; }
};
using Fe = ff::Fp<FpParams>;
using Sc = ff::Fp<ScalarParams>;

// Curve constants (Montgomery form): b and the generator.
HD_INLINE Fe mont4(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  const uint64_t v[4] = {a, b, c, d};
  return Fe::from_limbs_mont(v);
}
HD_INLINE Fe curve_b() { return mont4(0xd89cdf6229c4bddfULL, 0xacf005cd78843090ULL, 0xe5a220abf7212ed6ULL, 0xdc30061d04874834ULL); }
HD_INLINE Fe gen_x() { return mont4(0x79e730d418a9143cULL, 0x75ba95fc5fedb601ULL, 0x79fb732b77622510ULL, 0x18905f76a53755c6ULL); }
HD_INLINE Fe gen_y() { return mont4(0xddf25357ce95560aULL, 0x8b4ab8e4ba19e45cULL, 0xd2e88688dd21f325ULL, 0x8571ff1825885d85ULL); }

struct Jac {
  Fe X, Y, Z;
  HD_INLINE bool is_inf() const { return Z.is_zero(); }
};
HD_INLINE Jac infinity() { return {Fe::one(), Fe::one(), Fe::zero()}; }

// dbl-2001-b (a = -3).
FF_CALL Jac dbl(const Jac& p) {
  if (p.is_inf() || p.Y.is_zero()) return infinity();
  Fe delta = p.Z.sqr(), gamma = p.Y.sqr(), beta = p.X * gamma;
  Fe t = (p.X - delta) * (p.X + delta);
  Fe alpha = t.dbl() + t;
  Fe beta4 = beta.dbl().dbl();
  Fe X3 = alpha.sqr() - beta4.dbl();
  Fe Z3 = (p.Y + p.Z).sqr() - gamma - delta;
  Fe g2 = gamma.sqr();
  Fe Y3 = alpha * (beta4 - X3) - g2.dbl().dbl().dbl();
  return {X3, Y3, Z3};
}

// Complete for our use: equal points double, opposite points give infinity.
FF_CALL Jac add(const Jac& p, const Jac& q) {
  if (p.is_inf()) return q;
  if (q.is_inf()) return p;
  Fe Z1Z1 = p.Z.sqr(), Z2Z2 = q.Z.sqr();
  Fe U1 = p.X * Z2Z2, U2 = q.X * Z1Z1;
  Fe S1 = p.Y * q.Z * Z2Z2, S2 = q.Y * p.Z * Z1Z1;
  Fe H = U2 - U1, R = S2 - S1;
  if (H.is_zero()) return R.is_zero() ? dbl(p) : infinity();
  Fe HH = H.sqr(), HHH = H * HH, V = U1 * HH;
  Fe X3 = R.sqr() - HHH - V.dbl();
  Fe Y3 = R * (V - X3) - S1 * HHH;
  Fe Z3 = p.Z * q.Z * H;
  return {X3, Y3, Z3};
}

// 32 big-endian bytes as little-endian limbs.
HD_INLINE void load_limbs(const uint8_t* in, uint64_t x[4]) {
  for (int i = 0; i < 4; ++i) {
    uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v = (v << 8) | in[8 * (3 - i) + b];
    x[i] = v;
  }
}
HD_INLINE bool is_zero4(const uint64_t x[4]) { return (x[0] | x[1] | x[2] | x[3]) == 0; }

// A 256-bit value reduced modulo n (any value < 2^256 < 2n needs at most one subtraction), in Montgomery form.
HD_INLINE Sc scalar_mod_n(const uint64_t x[4]) {
  Sc plain = Sc::from_limbs_mont(x);
  if (Sc::geq_p(plain.v)) Sc::sub_p(plain.v);
  const uint64_t r2[4] = {ScalarParams::r2(0), ScalarParams::r2(1), ScalarParams::r2(2), ScalarParams::r2(3)};
  return plain * Sc::from_limbs_mont(r2);
}

// ECDSA verification of (r, s) over the message hash h for the public key (qx, qy), all 32-byte big-endian.
// False for r or s outside [1, n), a key off the curve (coordinates must be < p), or a wrong signature.
FF_CALL bool verify(const uint8_t h[32], const uint8_t r32[32], const uint8_t s32[32], const uint8_t qx32[32],
                    const uint8_t qy32[32]) {
  uint64_t r[4], s[4], hl[4];
  load_limbs(r32, r);
  load_limbs(s32, s);
  load_limbs(h, hl);
  if (is_zero4(r) || is_zero4(s) || Sc::geq_p(r) || Sc::geq_p(s)) return false;
  Fe qx, qy;
  if (!Fe::from_be(qx32, 32, qx) || !Fe::from_be(qy32, 32, qy)) return false;
  // y^2 = x^3 - 3x + b; (0, 0) is not on the curve (b != 0), so the point at infinity is refused here too.
  if (qy.sqr() != qx.sqr() * qx - (qx.dbl() + qx) + curve_b()) return false;

  Sc si = scalar_mod_n(s).inv();
  uint64_t u1[4], u2[4];
  (scalar_mod_n(hl) * si).to_plain(u1);
  (scalar_mod_n(r) * si).to_plain(u2);

  const Jac G = {gen_x(), gen_y(), Fe::one()};
  const Jac Q = {qx, qy, Fe::one()};
  const Jac GQ = add(G, Q);
  Jac acc = infinity();
  for (int bit = 255; bit >= 0; --bit) {
    acc = dbl(acc);
    unsigned b1 = (unsigned)(u1[bit / 64] >> (bit % 64)) & 1, b2 = (unsigned)(u2[bit / 64] >> (bit % 64)) & 1;
    if (b1 && b2) acc = add(acc, GQ);
    else if (b1) acc = add(acc, G);
    else if (b2) acc = add(acc, Q);
  }
  if (acc.is_inf()) return false;
  Fe zi = acc.Z.inv();
  uint64_t x[4];
  (acc.X * zi.sqr()).to_plain(x);
  if (Sc::geq_p(x)) Sc::sub_p(x);  // x < p < 2n
  for (int i = 0; i < 4; ++i)
    if (x[i] != r[i]) return false;
  return true;
}

}  // namespace p256
}  // namespace kern
