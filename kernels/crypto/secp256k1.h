// secp256k1 public-key recovery (ECRECOVER and transaction sender recovery), host and device alike.
//
// Field elements mod p = 2^256 - 2^32 - 977 on four 64-bit little-endian limbs, always fully reduced.
// Scalars mod n use Montgomery multiplication (only a handful per recovery). Points are Jacobian; the
// recovery computes Q = u1*G + u2*R with one shared doubling chain (Shamir's trick), each scalar split in
// two ~128-bit halves with the GLV endomorphism: u1's halves as wNAF-8 over a precomputed affine table of
// G (secp256k1_gtable.h), u2's as wNAF-5 over odd multiples of R built per call.
// Variable time: every input here is public (signatures, hashes), nothing secret is processed.
// No heap, no recursion; stack use is about 3.5 KB per call.
#pragma once
#include "../common/hd.h"
#include "keccak.h"
#include "secp256k1_gtable.h"

// Device code: keep the point operations and exponentiation chains as real calls (the field mul/sqr
// inside them stay inlined); inlining all of it multiplies ptxas time and register pressure.
#if defined(__CUDA_ARCH__)
#define SECP_NOINLINE __noinline__
#else
#define SECP_NOINLINE
#endif

namespace kern {
namespace secp256k1 {

// ---------------------------------------------------------------- 64-bit limb helpers
HD_INLINE void mul64(uint64_t a, uint64_t b, uint64_t& lo, uint64_t& hi) {
#if defined(__CUDA_ARCH__)
  lo = a * b;
  hi = __umul64hi(a, b);
#else
  unsigned __int128 p = (unsigned __int128)a * b;
  lo = (uint64_t)p;
  hi = (uint64_t)(p >> 64);
#endif
}

// Returns the low limb of a*b + c + carry and leaves the high limb in carry (cannot overflow 128 bits).
HD_INLINE uint64_t mac(uint64_t a, uint64_t b, uint64_t c, uint64_t& carry) {
  uint64_t lo, hi;
  mul64(a, b, lo, hi);
  lo += c;
  hi += lo < c;
  lo += carry;
  hi += lo < carry;
  carry = hi;
  return lo;
}

HD_INLINE uint64_t adc(uint64_t a, uint64_t b, uint64_t& carry) {
  uint64_t s = a + carry;
  uint64_t c = s < carry;
  s += b;
  c += s < b;
  carry = c;
  return s;
}

HD_INLINE uint64_t sbb(uint64_t a, uint64_t b, uint64_t& borrow) {
  uint64_t d = a - b;
  uint64_t bo = a < b;
  uint64_t d2 = d - borrow;
  bo += d < borrow;
  borrow = bo;
  return d2;
}

// Big-endian 32 bytes <-> 4 little-endian limbs.
HD_INLINE void load_be256(uint64_t r[4], const uint8_t b[32]) {
  for (int i = 0; i < 4; ++i) {
    uint64_t v = 0;
    for (int j = 0; j < 8; ++j) v = (v << 8) | b[(3 - i) * 8 + j];
    r[i] = v;
  }
}
HD_INLINE void store_be256(uint8_t b[32], const uint64_t r[4]) {
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 8; ++j) b[(3 - i) * 8 + j] = (uint8_t)(r[i] >> (56 - 8 * j));
}

HD_INLINE bool is_zero256(const uint64_t a[4]) { return (a[0] | a[1] | a[2] | a[3]) == 0; }

// a < b, both 4 limbs.
HD_INLINE bool lt256(const uint64_t a[4], const uint64_t b[4]) {
  for (int i = 3; i >= 0; --i)
    if (a[i] != b[i]) return a[i] < b[i];
  return false;
}

// ---------------------------------------------------------------- field mod p
struct Fe {
  uint64_t v[4];
};

constexpr uint64_t P0 = 0xFFFFFFFEFFFFFC2FULL;  // p's low limb; the other three are all ones
constexpr uint64_t PC = 0x1000003D1ULL;         // 2^256 - p

HD_INLINE bool limbs_gte_p(const uint64_t v[4]) {
  return v[3] == ~0ULL && v[2] == ~0ULL && v[1] == ~0ULL && v[0] >= P0;
}

HD_INLINE void fe_set_u64(Fe& r, uint64_t x) {
  r.v[0] = x;
  r.v[1] = r.v[2] = r.v[3] = 0;
}
HD_INLINE bool fe_is_zero(const Fe& a) { return is_zero256(a.v); }
HD_INLINE bool fe_eq(const Fe& a, const Fe& b) {
  return a.v[0] == b.v[0] && a.v[1] == b.v[1] && a.v[2] == b.v[2] && a.v[3] == b.v[3];
}
HD_INLINE bool fe_is_odd(const Fe& a) { return a.v[0] & 1; }

// r = v + PC mod 2^256 (the "subtract p" step once the true value is known to be in [p, 2^256 + p)).
HD_INLINE void add_pc(uint64_t v[4]) {
  uint64_t k = 0;
  v[0] = adc(v[0], PC, k);
  v[1] = adc(v[1], 0, k);
  v[2] = adc(v[2], 0, k);
  v[3] = adc(v[3], 0, k);
}

HD_INLINE void fe_add(Fe& r, const Fe& a, const Fe& b) {
  uint64_t c = 0;
  for (int i = 0; i < 4; ++i) r.v[i] = adc(a.v[i], b.v[i], c);
  if (c || limbs_gte_p(r.v)) add_pc(r.v);
}

HD_INLINE void fe_sub(Fe& r, const Fe& a, const Fe& b) {
  uint64_t bo = 0;
  for (int i = 0; i < 4; ++i) r.v[i] = sbb(a.v[i], b.v[i], bo);
  if (bo) {  // wrapped below zero: add p, i.e. subtract PC modulo 2^256
    uint64_t k = 0;
    r.v[0] = sbb(r.v[0], PC, k);
    r.v[1] = sbb(r.v[1], 0, k);
    r.v[2] = sbb(r.v[2], 0, k);
    r.v[3] = sbb(r.v[3], 0, k);
  }
}

HD_INLINE void fe_neg(Fe& r, const Fe& a) {
  Fe z;
  fe_set_u64(z, 0);
  fe_sub(r, z, a);
}

// Reduces a 512-bit product using 2^256 = PC (mod p).
HD_INLINE void fe_reduce512(Fe& r, const uint64_t t[8]) {
  uint64_t c = 0;
  uint64_t x[4];
  for (int i = 0; i < 4; ++i) x[i] = mac(t[i + 4], PC, t[i], c);
  uint64_t lo, hi;  // c < 2^34: fold c * PC (< 2^67) back in
  mul64(c, PC, lo, hi);
  uint64_t k = 0;
  x[0] = adc(x[0], lo, k);
  x[1] = adc(x[1], hi, k);
  x[2] = adc(x[2], 0, k);
  x[3] = adc(x[3], 0, k);
  if (k) add_pc(x);  // wrapped past 2^256: the value left is tiny, this cannot wrap again
  if (limbs_gte_p(x)) add_pc(x);
  for (int i = 0; i < 4; ++i) r.v[i] = x[i];
}

HD_INLINE void fe_mul(Fe& r, const Fe& a, const Fe& b) {
  uint64_t t[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) t[i + j] = mac(a.v[i], b.v[j], t[i + j], carry);
    t[i + 4] = carry;
  }
  fe_reduce512(r, t);
}

HD_INLINE void fe_sqr(Fe& r, const Fe& a) {
  // Off-diagonal products once, doubled, plus the squares on the diagonal.
  uint64_t t[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    uint64_t carry = 0;
    for (int j = i + 1; j < 4; ++j) t[i + j] = mac(a.v[i], a.v[j], t[i + j], carry);
    t[i + 4] = carry;
  }
  uint64_t top = 0;
  for (int i = 0; i < 8; ++i) {
    uint64_t nt = t[i] >> 63;
    t[i] = (t[i] << 1) | top;
    top = nt;
  }
  uint64_t c = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t lo, hi;
    mul64(a.v[i], a.v[i], lo, hi);
    t[2 * i] = adc(t[2 * i], lo, c);
    t[2 * i + 1] = adc(t[2 * i + 1], hi, c);
  }
  fe_reduce512(r, t);
}

HD_INLINE void fe_sqr_n(Fe& r, const Fe& a, int n) {
  r = a;
  for (int i = 0; i < n; ++i) fe_sqr(r, r);
}

// Shared prefix of the inversion and square-root addition chains (libsecp256k1's): x_k = a^(2^k - 1).
struct FeChain {
  Fe x2, x3, x22, x223;
};
HD SECP_NOINLINE inline void fe_chain(FeChain& c, const Fe& a) {
  Fe x6, x9, x11, x44, x88, x176, x220, t;
  fe_sqr(t, a);
  fe_mul(c.x2, t, a);
  fe_sqr(t, c.x2);
  fe_mul(c.x3, t, a);
  fe_sqr_n(t, c.x3, 3);
  fe_mul(x6, t, c.x3);
  fe_sqr_n(t, x6, 3);
  fe_mul(x9, t, c.x3);
  fe_sqr_n(t, x9, 2);
  fe_mul(x11, t, c.x2);
  fe_sqr_n(t, x11, 11);
  fe_mul(c.x22, t, x11);
  fe_sqr_n(t, c.x22, 22);
  fe_mul(x44, t, c.x22);
  fe_sqr_n(t, x44, 44);
  fe_mul(x88, t, x44);
  fe_sqr_n(t, x88, 88);
  fe_mul(x176, t, x88);
  fe_sqr_n(t, x176, 44);
  fe_mul(x220, t, x44);
  fe_sqr_n(t, x220, 3);
  fe_mul(c.x223, t, c.x3);
}

// r = a^(p-2) = 1/a (0 for a = 0).
HD SECP_NOINLINE inline void fe_inv(Fe& r, const Fe& a) {
  FeChain c;
  fe_chain(c, a);
  Fe t;
  fe_sqr_n(t, c.x223, 23);
  fe_mul(t, t, c.x22);
  fe_sqr_n(t, t, 5);
  fe_mul(t, t, a);
  fe_sqr_n(t, t, 3);
  fe_mul(t, t, c.x2);
  fe_sqr_n(t, t, 2);
  fe_mul(r, t, a);
}

// r = a^((p+1)/4); returns whether r^2 == a (a is a square).
HD SECP_NOINLINE inline bool fe_sqrt(Fe& r, const Fe& a) {
  FeChain c;
  fe_chain(c, a);
  Fe t;
  fe_sqr_n(t, c.x223, 23);
  fe_mul(t, t, c.x22);
  fe_sqr_n(t, t, 6);
  fe_mul(t, t, c.x2);
  fe_sqr_n(r, t, 2);
  fe_sqr(t, r);
  return fe_eq(t, a);
}

// ---------------------------------------------------------------- scalars mod n (Montgomery, R = 2^256)
struct Sc {
  uint64_t v[4];
};

constexpr uint64_t N0 = 0xBFD25E8CD0364141ULL, N1 = 0xBAAEDCE6AF48A03BULL, N2 = 0xFFFFFFFFFFFFFFFEULL,
                   N3 = 0xFFFFFFFFFFFFFFFFULL;
constexpr uint64_t N_INV = 0x4b0dff665588b13fULL;  // -n^-1 mod 2^64
// R^2 mod n and R mod n (= 2^256 - n).
constexpr uint64_t R2_0 = 0x896cf21467d7d140ULL, R2_1 = 0x741496c20e7cf878ULL, R2_2 = 0xe697f5e45bcd07c6ULL,
                   R2_3 = 0x9d671cd581c69bc5ULL;
constexpr uint64_t RN_0 = 0x402da1732fc9bebfULL, RN_1 = 0x4551231950b75fc4ULL, RN_2 = 1, RN_3 = 0;

HD_INLINE void sc_set(Sc& r, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  r.v[0] = a;
  r.v[1] = b;
  r.v[2] = c;
  r.v[3] = d;
}

HD_INLINE bool sc_lt_n(const uint64_t a[4]) {
  const uint64_t n[4] = {N0, N1, N2, N3};
  return lt256(a, n);
}

// r = a - n (caller knows a >= n, or a + carry*2^256 >= n).
HD_INLINE void sc_sub_n(uint64_t a[4]) {
  uint64_t bo = 0;
  a[0] = sbb(a[0], N0, bo);
  a[1] = sbb(a[1], N1, bo);
  a[2] = sbb(a[2], N2, bo);
  a[3] = sbb(a[3], N3, bo);
}

// r = a * b / R mod n, for a, b < n (CIOS).
HD inline void sc_mont_mul(Sc& r, const Sc& a, const Sc& b) {
  const uint64_t n[4] = {N0, N1, N2, N3};
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    uint64_t c = 0;
    for (int j = 0; j < 4; ++j) t[j] = mac(a.v[j], b.v[i], t[j], c);
    uint64_t k = 0;
    t[4] = adc(t[4], c, k);
    t[5] = k;
    uint64_t m = t[0] * N_INV;
    c = 0;
    (void)mac(m, n[0], t[0], c);
    for (int j = 1; j < 4; ++j) t[j - 1] = mac(m, n[j], t[j], c);
    k = 0;
    t[3] = adc(t[4], c, k);
    t[4] = t[5] + k;
  }
  uint64_t res[4] = {t[0], t[1], t[2], t[3]};
  if (t[4] || !sc_lt_n(res)) sc_sub_n(res);
  for (int i = 0; i < 4; ++i) r.v[i] = res[i];
}

// aM = a*R mod n (Montgomery form); returns (1/a)*R mod n via a^(n-2) with a 4-bit fixed window.
HD SECP_NOINLINE inline void sc_mont_inv(Sc& r, const Sc& aM) {
  const uint64_t e[4] = {N0 - 2, N1, N2, N3};  // n - 2 (N0 > 2, no borrow)
  Sc pw[16];
  sc_set(pw[0], RN_0, RN_1, RN_2, RN_3);  // 1 in Montgomery form
  pw[1] = aM;
  for (int i = 2; i < 16; ++i) sc_mont_mul(pw[i], pw[i - 1], aM);
  Sc acc = pw[0];
  for (int nib = 63; nib >= 0; --nib) {
    for (int s = 0; s < 4; ++s) sc_mont_mul(acc, acc, acc);
    unsigned d = (unsigned)(e[nib / 16] >> (4 * (nib % 16))) & 15;
    if (d) sc_mont_mul(acc, acc, pw[d]);
  }
  r = acc;
}

// ---------------------------------------------------------------- GLV endomorphism
// lambda * (x, y) = (beta * x, y); a scalar k splits into k1 + k2 * lambda (mod n) with |k1|, |k2| < 2^128
// (libsecp256k1's decomposition: c_i = round(k * g_i / 2^384), k2 = c1 * (-b1) + c2 * (-b2), k1 = k - k2 * lambda).
constexpr uint64_t BETA0 = 0xc1396c28719501eeULL, BETA1 = 0x9cf0497512f58995ULL, BETA2 = 0x6e64479eac3434e9ULL,
                   BETA3 = 0x7ae96a2b657c0710ULL;

HD_INLINE void fe_mul_beta(Fe& r, const Fe& a) {
  Fe b;
  b.v[0] = BETA0;
  b.v[1] = BETA1;
  b.v[2] = BETA2;
  b.v[3] = BETA3;
  fe_mul(r, a, b);
}

// r = a * b mod n (plain representation, a, b < n): two Montgomery products, the second by R^2.
HD_INLINE void sc_mul(Sc& r, const Sc& a, const Sc& b) {
  Sc t, r2;
  sc_mont_mul(t, a, b);
  sc_set(r2, R2_0, R2_1, R2_2, R2_3);
  sc_mont_mul(r, t, r2);
}

HD_INLINE void sc_add(Sc& r, const Sc& a, const Sc& b) {
  uint64_t c = 0;
  for (int i = 0; i < 4; ++i) r.v[i] = adc(a.v[i], b.v[i], c);
  if (c || !sc_lt_n(r.v)) sc_sub_n(r.v);
}

HD_INLINE void sc_neg(Sc& r, const Sc& a) {
  if (is_zero256(a.v)) {
    r = a;
    return;
  }
  const uint64_t n[4] = {N0, N1, N2, N3};
  uint64_t bo = 0;
  for (int i = 0; i < 4; ++i) r.v[i] = sbb(n[i], a.v[i], bo);
}

// round(k * g / 2^384) for a 256-bit g (the result fits in 128 bits).
HD_INLINE void mul_shift384(Sc& r, const Sc& k, uint64_t g0, uint64_t g1, uint64_t g2, uint64_t g3) {
  const uint64_t g[4] = {g0, g1, g2, g3};
  uint64_t t[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) t[i + j] = mac(k.v[i], g[j], t[i + j], carry);
    t[i + 4] = carry;
  }
  uint64_t c = t[5] >> 63;
  r.v[0] = adc(t[6], 0, c);
  r.v[1] = adc(t[7], 0, c);
  r.v[2] = 0;
  r.v[3] = 0;
}

// k = k1 + k2 * lambda (mod n); k1, k2 returned as magnitudes below 2^128 with their signs.
HD SECP_NOINLINE inline void sc_split_lambda(Sc& k1, bool& neg1, Sc& k2, bool& neg2, const Sc& k) {
  Sc c1, c2, t1, t2, mb1, mb2, lam;
  mul_shift384(c1, k, 0xe893209a45dbb031ULL, 0x3daa8a1471e8ca7fULL, 0xe86c90e49284eb15ULL, 0x3086d221a7d46bcdULL);
  mul_shift384(c2, k, 0x1571b4ae8ac47f71ULL, 0x221208ac9df506c6ULL, 0x6f547fa90abfe4c4ULL, 0xe4437ed6010e8828ULL);
  sc_set(mb1, 0x6f547fa90abfe4c3ULL, 0xe4437ed6010e8828ULL, 0, 0);
  sc_set(mb2, 0xd765cda83db1562cULL, 0x8a280ac50774346dULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL);
  sc_set(lam, 0xdf02967c1b23bd72ULL, 0x122e22ea20816678ULL, 0xa5261c028812645aULL, 0x5363ad4cc05c30e0ULL);
  sc_mul(t1, c1, mb1);
  sc_mul(t2, c2, mb2);
  sc_add(k2, t1, t2);
  sc_mul(t1, k2, lam);
  sc_neg(t1, t1);
  sc_add(k1, k, t1);
  const uint64_t half[4] = {0xdfe92f46681b20a0ULL, 0x5d576e7357a4501dULL, 0xffffffffffffffffULL, 0x7fffffffffffffffULL};
  neg1 = lt256(half, k1.v);
  if (neg1) sc_neg(k1, k1);
  neg2 = lt256(half, k2.v);
  if (neg2) sc_neg(k2, k2);
}

// ---------------------------------------------------------------- points
struct Jac {
  Fe x, y, z;  // z == 0: the point at infinity
};

HD_INLINE bool jac_is_inf(const Jac& p) { return fe_is_zero(p.z); }

// r = 2p (a = 0: dbl-2009-l). Infinity stays infinity (z3 = 2*y*z = 0).
HD SECP_NOINLINE inline void jac_double(Jac& r, const Jac& p) {
  Fe a, b, c, d, e, f, t;
  fe_sqr(a, p.x);
  fe_sqr(b, p.y);
  fe_sqr(c, b);
  fe_add(t, p.x, b);
  fe_sqr(t, t);
  fe_sub(t, t, a);
  fe_sub(t, t, c);
  fe_add(d, t, t);
  fe_add(e, a, a);
  fe_add(e, e, a);
  fe_sqr(f, e);
  Fe z3;
  fe_mul(z3, p.y, p.z);
  fe_add(z3, z3, z3);
  Fe x3;
  fe_add(t, d, d);
  fe_sub(x3, f, t);
  fe_sub(t, d, x3);
  fe_mul(t, e, t);
  fe_add(c, c, c);
  fe_add(c, c, c);
  fe_add(c, c, c);
  fe_sub(r.y, t, c);
  r.x = x3;
  r.z = z3;
}

// r = p + q, all Jacobian (add-2007-bl shape), handling infinity and p == q.
HD SECP_NOINLINE inline void jac_add(Jac& r, const Jac& p, const Jac& q) {
  if (jac_is_inf(p)) {
    r = q;
    return;
  }
  if (jac_is_inf(q)) {
    r = p;
    return;
  }
  Fe z1z1, z2z2, u1, u2, s1, s2, h, rr, t;
  fe_sqr(z1z1, p.z);
  fe_sqr(z2z2, q.z);
  fe_mul(u1, p.x, z2z2);
  fe_mul(u2, q.x, z1z1);
  fe_mul(t, q.z, z2z2);
  fe_mul(s1, p.y, t);
  fe_mul(t, p.z, z1z1);
  fe_mul(s2, q.y, t);
  fe_sub(h, u2, u1);
  fe_sub(rr, s2, s1);
  if (fe_is_zero(h)) {
    if (fe_is_zero(rr)) {
      jac_double(r, p);
    } else {
      fe_set_u64(r.x, 1);
      fe_set_u64(r.y, 1);
      fe_set_u64(r.z, 0);
    }
    return;
  }
  Fe hh, hhh, v, x3;
  fe_sqr(hh, h);
  fe_mul(hhh, h, hh);
  fe_mul(v, u1, hh);
  fe_sqr(x3, rr);
  fe_sub(x3, x3, hhh);
  fe_sub(x3, x3, v);
  fe_sub(x3, x3, v);
  fe_sub(t, v, x3);
  fe_mul(t, rr, t);
  fe_mul(s1, s1, hhh);
  fe_sub(r.y, t, s1);
  fe_mul(t, p.z, q.z);
  fe_mul(r.z, t, h);
  r.x = x3;
}

// r = p + (qx, qy) with q affine (z = 1).
HD SECP_NOINLINE inline void jac_add_affine(Jac& r, const Jac& p, const Fe& qx, const Fe& qy) {
  if (jac_is_inf(p)) {
    r.x = qx;
    r.y = qy;
    fe_set_u64(r.z, 1);
    return;
  }
  Fe z1z1, u2, s2, h, rr, t;
  fe_sqr(z1z1, p.z);
  fe_mul(u2, qx, z1z1);
  fe_mul(t, p.z, z1z1);
  fe_mul(s2, qy, t);
  fe_sub(h, u2, p.x);
  fe_sub(rr, s2, p.y);
  if (fe_is_zero(h)) {
    if (fe_is_zero(rr)) {
      jac_double(r, p);
    } else {
      fe_set_u64(r.x, 1);
      fe_set_u64(r.y, 1);
      fe_set_u64(r.z, 0);
    }
    return;
  }
  Fe hh, hhh, v, x3, y3;
  fe_sqr(hh, h);
  fe_mul(hhh, h, hh);
  fe_mul(v, p.x, hh);
  fe_sqr(x3, rr);
  fe_sub(x3, x3, hhh);
  fe_sub(x3, x3, v);
  fe_sub(x3, x3, v);
  fe_sub(t, v, x3);
  fe_mul(t, rr, t);
  fe_mul(y3, p.y, hhh);
  fe_sub(r.y, t, y3);
  fe_mul(r.z, p.z, h);
  r.x = x3;
}

// Width-w NAF of a 256-bit scalar: digits odd in (-2^(w-1), 2^(w-1)) or 0, least significant first.
// Returns the digit count (at most 257).
HD SECP_NOINLINE inline int wnaf(int8_t naf[258], const uint64_t scalar[4], int w) {
  uint64_t k[5] = {scalar[0], scalar[1], scalar[2], scalar[3], 0};
  const int full = 1 << w, half = 1 << (w - 1);
  int len = 0;
  while ((k[0] | k[1] | k[2] | k[3] | k[4]) != 0) {
    int d = 0;
    if (k[0] & 1) {
      d = (int)(k[0] & (uint64_t)(full - 1));
      if (d >= half) d -= full;
      uint64_t c = 0;
      if (d > 0) {  // k -= d
        k[0] = sbb(k[0], (uint64_t)d, c);
        for (int i = 1; i < 5; ++i) k[i] = sbb(k[i], 0, c);
      } else {  // k += -d
        k[0] = adc(k[0], (uint64_t)(-d), c);
        for (int i = 1; i < 5; ++i) k[i] = adc(k[i], 0, c);
      }
    }
    naf[len++] = (int8_t)d;
    for (int i = 0; i < 4; ++i) k[i] = (k[i] >> 1) | (k[i + 1] << 63);
    k[4] >>= 1;
  }
  return len;
}

constexpr int R_WINDOW = 5;
constexpr int R_TABLE = 1 << (R_WINDOW - 2);  // odd multiples 1R..15R

// Recovers the public key (64 bytes x || y, big-endian) of the signature (r, s) with recovery id recid
// (0..3: bit 0 the parity of R.y, bit 1 whether R.x = r + n) over the 32-byte message hash.
// Returns false when there is none: r or s zero or >= n, R.x not on the curve, or the key at infinity.
HD inline bool recover_pubkey(const uint8_t hash[32], const uint8_t r32[32], const uint8_t s32[32], unsigned recid,
                              uint8_t pub[64]) {
  if (recid > 3) return false;
  Sc r, s, z;
  load_be256(r.v, r32);
  load_be256(s.v, s32);
  load_be256(z.v, hash);
  if (is_zero256(r.v) || is_zero256(s.v) || !sc_lt_n(r.v) || !sc_lt_n(s.v)) return false;
  if (!sc_lt_n(z.v)) sc_sub_n(z.v);  // z < 2^256 < 2n

  // R = (x, y) with x = r (+ n), y of the requested parity.
  Fe x;
  for (int i = 0; i < 4; ++i) x.v[i] = r.v[i];
  if (recid & 2) {
    uint64_t c = 0;
    x.v[0] = adc(x.v[0], N0, c);
    x.v[1] = adc(x.v[1], N1, c);
    x.v[2] = adc(x.v[2], N2, c);
    x.v[3] = adc(x.v[3], N3, c);
    if (c || limbs_gte_p(x.v)) return false;
  }
  Fe y2, y, seven;
  fe_sqr(y2, x);
  fe_mul(y2, y2, x);
  fe_set_u64(seven, 7);
  fe_add(y2, y2, seven);
  if (!fe_sqrt(y, y2)) return false;
  if (fe_is_odd(y) != (bool)(recid & 1)) fe_neg(y, y);

  // u1 = -z / r, u2 = s / r (mod n).
  Sc r2, rM, rinvM, u1, u2, negz;
  sc_set(r2, R2_0, R2_1, R2_2, R2_3);
  sc_mont_mul(rM, r, r2);
  sc_mont_inv(rinvM, rM);
  sc_mont_mul(u2, s, rinvM);
  if (is_zero256(z.v)) {
    sc_set(negz, 0, 0, 0, 0);
  } else {
    const uint64_t n[4] = {N0, N1, N2, N3};
    uint64_t bo = 0;
    for (int i = 0; i < 4; ++i) negz.v[i] = sbb(n[i], z.v[i], bo);
  }
  sc_mont_mul(u1, negz, rinvM);

  // Q = u1*G + u2*R = a1*G + a2*(lambda G) + b1*R + b2*(lambda R): four ~128-bit wNAF streams sharing
  // one doubling chain. G's odd multiples come from the table, lambda's through beta on x.
  Sc a1, a2, b1, b2;
  bool na1, na2, nb1, nb2;
  sc_split_lambda(a1, na1, a2, na2, u1);
  sc_split_lambda(b1, nb1, b2, nb2, u2);

  // Odd multiples of R, and of lambda R = (beta X, Y, Z).
  Jac tbl[R_TABLE], tbl_lam[R_TABLE];
  tbl[0].x = x;
  tbl[0].y = y;
  fe_set_u64(tbl[0].z, 1);
  Jac r_twice;
  jac_double(r_twice, tbl[0]);
  for (int i = 1; i < R_TABLE; ++i) jac_add(tbl[i], tbl[i - 1], r_twice);
  for (int i = 0; i < R_TABLE; ++i) {
    fe_mul_beta(tbl_lam[i].x, tbl[i].x);
    tbl_lam[i].y = tbl[i].y;
    tbl_lam[i].z = tbl[i].z;
  }

  int8_t naf_a1[258], naf_a2[258], naf_b1[258], naf_b2[258];
  int len_a1 = wnaf(naf_a1, a1.v, G_WINDOW);
  int len_a2 = wnaf(naf_a2, a2.v, G_WINDOW);
  int len_b1 = wnaf(naf_b1, b1.v, R_WINDOW);
  int len_b2 = wnaf(naf_b2, b2.v, R_WINDOW);
  int len = len_a1;
  if (len_a2 > len) len = len_a2;
  if (len_b1 > len) len = len_b1;
  if (len_b2 > len) len = len_b2;

  Jac acc;
  fe_set_u64(acc.x, 1);
  fe_set_u64(acc.y, 1);
  fe_set_u64(acc.z, 0);
  for (int i = len - 1; i >= 0; --i) {
    jac_double(acc, acc);
    for (int st = 0; st < 2; ++st) {  // R streams
      int d = st == 0 ? (i < len_b1 ? naf_b1[i] : 0) : (i < len_b2 ? naf_b2[i] : 0);
      if (d == 0) continue;
      bool neg = (d < 0) != (st == 0 ? nb1 : nb2);
      Jac pt = (st == 0 ? tbl : tbl_lam)[(d > 0 ? d : -d) >> 1];
      if (neg) fe_neg(pt.y, pt.y);
      jac_add(acc, acc, pt);
    }
    for (int st = 0; st < 2; ++st) {  // G streams
      int d = st == 0 ? (i < len_a1 ? naf_a1[i] : 0) : (i < len_a2 ? naf_a2[i] : 0);
      if (d == 0) continue;
      bool neg = (d < 0) != (st == 0 ? na1 : na2);
      int idx = (d > 0 ? d : -d) >> 1;
      Fe gx, gy;
      for (int l = 0; l < 4; ++l) {
        gx.v[l] = KT(G_ODD_MULTIPLES)[idx][l];
        gy.v[l] = KT(G_ODD_MULTIPLES)[idx][4 + l];
      }
      if (st == 1) fe_mul_beta(gx, gx);
      if (neg) fe_neg(gy, gy);
      jac_add_affine(acc, acc, gx, gy);
    }
  }
  if (jac_is_inf(acc)) return false;

  Fe zi, zi2, zi3, ax, ay;
  fe_inv(zi, acc.z);
  fe_sqr(zi2, zi);
  fe_mul(zi3, zi2, zi);
  fe_mul(ax, acc.x, zi2);
  fe_mul(ay, acc.y, zi3);
  store_be256(pub, ax.v);
  store_be256(pub + 32, ay.v);
  return true;
}

// Ethereum address of the recovered key: the last 20 bytes of keccak256(x || y).
HD inline bool recover_address(const uint8_t hash[32], const uint8_t r32[32], const uint8_t s32[32], unsigned recid,
                               uint8_t addr[20]) {
  uint8_t pub[64];
  if (!recover_pubkey(hash, r32, s32, recid, pub)) return false;
  uint8_t h[32];
  keccak256(pub, 64, h);
  for (int i = 0; i < 20; ++i) addr[i] = h[12 + i];
  return true;
}

// One item of a batched sender recovery: hashes[32*i], sigs[65*i] = r(32) s(32) recid(1).
// Writes the 20-byte address (zeros on failure) and ok[i] = 1/0.
HD inline void recover_batch_item(const uint8_t* hashes, const uint8_t* sigs, uint32_t i, uint8_t* addrs,
                                  uint8_t* ok) {
  const uint8_t* sig = sigs + 65 * (size_t)i;
  uint8_t* a = addrs + 20 * (size_t)i;
  bool good = recover_address(hashes + 32 * (size_t)i, sig, sig + 32, sig[64], a);
  if (!good)
    for (int k = 0; k < 20; ++k) a[k] = 0;
  ok[i] = good ? 1 : 0;
}

}  // namespace secp256k1
}  // namespace kern
