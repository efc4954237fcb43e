// Prime fields in Montgomery form over N 64-bit limbs, shared by BN254 (N = 4) and BLS12-381 (N = 6).
// Params (see pairing_constants.h) supplies N, INV = -p^-1 mod 2^64 and limb accessors p, r2 (R^2 mod p),
// one (R mod p), pm2 (p - 2, the inversion exponent) and sqrt_exp ((p + 1) / 4; both primes are 3 mod 4).
// Header-only and HD: the same code runs on the CPU and on a CUDA device. Not constant time (inputs are public).
#pragma once
#include "../common/hd.h"

// Heavy field/tower/curve functions are plain calls on the device (__noinline__ there only): force-inlining
// the whole Fp -> Fp2 -> Fp6 -> Fp12 -> Miller loop tree makes nvcc's compile time and code size explode.
// On the host the compiler decides as usual.
#if defined(__CUDA_ARCH__)
#define FF_CALL HD __noinline__
#else
#define FF_CALL HD inline
#endif

namespace kern {
namespace ff {

// lo(a + b * c + carry), carry <- hi(...). Never overflows 128 bits.
HD_INLINE uint64_t mac(uint64_t a, uint64_t b, uint64_t c, uint64_t& carry) {
#if defined(__CUDA_ARCH__)
  uint64_t lo = b * c, hi = __umul64hi(b, c);
  uint64_t s = lo + a;
  hi += (s < lo);
  uint64_t t = s + carry;
  hi += (t < s);
  carry = hi;
  return t;
#else
  unsigned __int128 t = (unsigned __int128)b * c + a + carry;
  carry = (uint64_t)(t >> 64);
  return (uint64_t)t;
#endif
}

// lo(a + b + carry), carry <- the carry out (0 or 1).
HD_INLINE uint64_t adc(uint64_t a, uint64_t b, uint64_t& carry) {
  uint64_t s = a + b;
  uint64_t c1 = s < a;
  uint64_t t = s + carry;
  carry = c1 + (t < s);
  return t;
}

// lo(a - b - borrow), borrow <- the borrow out (0 or 1).
HD_INLINE uint64_t sbb(uint64_t a, uint64_t b, uint64_t& borrow) {
  uint64_t d = a - b;
  uint64_t b1 = a < b;
  uint64_t t = d - borrow;
  borrow = b1 + (d < borrow);
  return t;
}

template <class P>
struct Fp {
  static constexpr int N = P::N;
  uint64_t v[N];  // Montgomery form, always fully reduced (< p)

  HD_INLINE static Fp zero() {
    Fp r;
    for (int i = 0; i < N; ++i) r.v[i] = 0;
    return r;
  }
  HD_INLINE static Fp one() {
    Fp r;
    for (int i = 0; i < N; ++i) r.v[i] = P::one(i);
    return r;
  }
  HD_INLINE static Fp from_limbs_mont(const uint64_t m[N]) {
    Fp r;
    for (int i = 0; i < N; ++i) r.v[i] = m[i];
    return r;
  }
  HD_INLINE bool is_zero() const {
    uint64_t acc = 0;
    for (int i = 0; i < N; ++i) acc |= v[i];
    return acc == 0;
  }
  HD_INLINE bool operator==(const Fp& o) const {
    for (int i = 0; i < N; ++i)
      if (v[i] != o.v[i]) return false;
    return true;
  }
  HD_INLINE bool operator!=(const Fp& o) const { return !(*this == o); }

  // x >= p for a plain little-endian limb array.
  HD_INLINE static bool geq_p(const uint64_t x[N]) {
    for (int i = N - 1; i >= 0; --i) {
      if (x[i] != P::p(i)) return x[i] > P::p(i);
    }
    return true;
  }
  HD_INLINE static void sub_p(uint64_t x[N]) {
    uint64_t borrow = 0;
    for (int i = 0; i < N; ++i) x[i] = sbb(x[i], P::p(i), borrow);
  }
  // Limb helpers of inv(): plain little-endian integers.
  HD_INLINE static bool is_one_limbs(const uint64_t x[N]) {
    uint64_t acc = x[0] ^ 1;
    for (int i = 1; i < N; ++i) acc |= x[i];
    return acc == 0;
  }
  HD_INLINE static bool geq_limbs(const uint64_t a[N], const uint64_t b[N]) {
    for (int i = N - 1; i >= 0; --i)
      if (a[i] != b[i]) return a[i] > b[i];
    return true;
  }
  HD_INLINE static void sub_limbs(uint64_t a[N], const uint64_t b[N]) {
    uint64_t borrow = 0;
    for (int i = 0; i < N; ++i) a[i] = sbb(a[i], b[i], borrow);
  }
  HD_INLINE static void shr1(uint64_t x[N], uint64_t top) {
    for (int i = 0; i < N - 1; ++i) x[i] = (x[i] >> 1) | (x[i + 1] << 63);
    x[N - 1] = (x[N - 1] >> 1) | (top << 63);
  }
  // x / 2 mod p for x < p: (x + p) / 2 when x is odd, the carry of x + p shifted back in.
  HD_INLINE static void halve_mod(uint64_t x[N]) {
    uint64_t carry = 0;
    if (x[0] & 1)
      for (int i = 0; i < N; ++i) x[i] = adc(x[i], P::p(i), carry);
    shr1(x, carry);
  }
  // a - b mod p for a, b < p.
  HD_INLINE static void sub_mod(uint64_t a[N], const uint64_t b[N]) {
    uint64_t borrow = 0;
    for (int i = 0; i < N; ++i) a[i] = sbb(a[i], b[i], borrow);
    if (borrow) {
      uint64_t carry = 0;
      for (int i = 0; i < N; ++i) a[i] = adc(a[i], P::p(i), carry);
    }
  }

  HD_INLINE Fp operator+(const Fp& o) const {
    Fp r;
    uint64_t carry = 0;
    for (int i = 0; i < N; ++i) r.v[i] = adc(v[i], o.v[i], carry);
    if (carry || geq_p(r.v)) sub_p(r.v);
    return r;
  }
  HD_INLINE Fp operator-(const Fp& o) const {
    Fp r;
    uint64_t borrow = 0;
    for (int i = 0; i < N; ++i) r.v[i] = sbb(v[i], o.v[i], borrow);
    if (borrow) {
      uint64_t carry = 0;
      for (int i = 0; i < N; ++i) r.v[i] = adc(r.v[i], P::p(i), carry);
    }
    return r;
  }
  HD_INLINE Fp operator-() const { return zero() - *this; }
  HD_INLINE Fp dbl() const { return *this + *this; }
  // this / 2 (halving the Montgomery form halves the value: both are linear).
  HD_INLINE Fp halve() const {
    Fp r = *this;
    halve_mod(r.v);
    return r;
  }

  // Montgomery product a * b / R mod p (CIOS, with two extra words so any odd p < 2^(64N) works).
  FF_CALL Fp operator*(const Fp& o) const {
    uint64_t t[N + 2];
    for (int i = 0; i < N + 2; ++i) t[i] = 0;
    for (int i = 0; i < N; ++i) {
      uint64_t c = 0;
      for (int j = 0; j < N; ++j) t[j] = mac(t[j], v[j], o.v[i], c);
      uint64_t c2 = 0;
      t[N] = adc(t[N], c, c2);
      t[N + 1] = c2;
      uint64_t m = t[0] * P::INV;
      c = 0;
      (void)mac(t[0], m, P::p(0), c);
      for (int j = 1; j < N; ++j) t[j - 1] = mac(t[j], m, P::p(j), c);
      c2 = 0;
      t[N - 1] = adc(t[N], c, c2);
      t[N] = t[N + 1] + c2;
    }
    Fp r;
    for (int i = 0; i < N; ++i) r.v[i] = t[i];
    if (t[N] || geq_p(r.v)) sub_p(r.v);
    return r;
  }
  HD_INLINE Fp sqr() const { return *this * *this; }

  // this^e, e given by a limb accessor E(i) over `limbs` little-endian words (public exponent).
  template <class E>
  FF_CALL Fp pow_limbs(E e, int limbs) const {
    Fp r = one();
    bool started = false;
    for (int i = limbs - 1; i >= 0; --i) {
      uint64_t w = e(i);
      for (int b = 63; b >= 0; --b) {
        if (started) r = r.sqr();
        if ((w >> b) & 1) {
          r = started ? r * *this : *this;
          started = true;
        }
      }
    }
    return r;
  }
  struct PM2 {
    HD_INLINE uint64_t operator()(int i) const { return P::pm2(i); }
  };
  struct SqrtExp {
    HD_INLINE uint64_t operator()(int i) const { return P::sqrt_exp(i); }
  };
  // Inverse (0 maps to 0) by the binary extended Euclidean algorithm on the limbs (inputs are public, so
  // not constant time): ~2 log p shifts and subtractions, several times faster than Fermat's exponent
  // (inv_fermat, kept for the tests). The loop inverts the Montgomery form aR itself, giving a^-1 R^-1;
  // two products by R^2 make that a^-1 R.
  FF_CALL Fp inv() const {
    if (is_zero()) return zero();
    uint64_t u[N], w[N], x1[N], x2[N];
    for (int i = 0; i < N; ++i) {
      u[i] = v[i];
      w[i] = P::p(i);
      x1[i] = x2[i] = 0;
    }
    x1[0] = 1;
    while (!is_one_limbs(u) && !is_one_limbs(w)) {
      while (!(u[0] & 1)) {
        shr1(u, 0);
        halve_mod(x1);
      }
      while (!(w[0] & 1)) {
        shr1(w, 0);
        halve_mod(x2);
      }
      if (geq_limbs(u, w)) {
        sub_limbs(u, w);
        sub_mod(x1, x2);
      } else {
        sub_limbs(w, u);
        sub_mod(x2, x1);
      }
    }
    Fp r, r2;
    for (int i = 0; i < N; ++i) {
      r.v[i] = is_one_limbs(u) ? x1[i] : x2[i];
      r2.v[i] = P::r2(i);
    }
    return r * r2 * r2;
  }
  FF_CALL Fp inv_fermat() const { return pow_limbs(PM2(), N); }
  // A square root when one exists (p = 3 mod 4): returns false when this is a non-residue.
  FF_CALL bool sqrt(Fp& out) const {
    out = pow_limbs(SqrtExp(), N);
    return out.sqr() == *this;
  }

  // Big-endian bytes (nbytes <= 8N) to a field element; false when the value is >= p.
  FF_CALL static bool from_be(const uint8_t* in, int nbytes, Fp& out) {
    uint64_t x[N];
    for (int i = 0; i < N; ++i) x[i] = 0;
    for (int k = 0; k < nbytes; ++k) {
      int bit = 8 * (nbytes - 1 - k);
      x[bit / 64] |= (uint64_t)in[k] << (bit % 64);
    }
    if (geq_p(x)) return false;
    Fp plain, r2;
    for (int i = 0; i < N; ++i) {
      plain.v[i] = x[i];
      r2.v[i] = P::r2(i);
    }
    out = plain * r2;
    return true;
  }
  // Plain (non-Montgomery) limbs of the value.
  FF_CALL void to_plain(uint64_t x[N]) const {
    Fp unit = zero();
    unit.v[0] = 1;
    Fp r = *this * unit;
    for (int i = 0; i < N; ++i) x[i] = r.v[i];
  }
  FF_CALL void to_be(uint8_t* out, int nbytes) const {
    uint64_t x[N];
    to_plain(x);
    for (int k = 0; k < nbytes; ++k) {
      int bit = 8 * (nbytes - 1 - k);
      out[k] = (uint8_t)(x[bit / 64] >> (bit % 64));
    }
  }
  // Whether the value is > (p - 1) / 2 (the "lexicographically largest" of a pair +-y).
  FF_CALL bool is_large() const {
    uint64_t x[N], y[N];
    to_plain(x);
    Fp neg = -*this;
    neg.to_plain(y);
    for (int i = N - 1; i >= 0; --i) {
      if (x[i] != y[i]) return x[i] > y[i];
    }
    return false;
  }
};

}  // namespace ff
}  // namespace kern
