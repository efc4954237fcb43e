// EIP-2537 G1MSM / G2MSM: sum of k (point, 32-byte big-endian scalar) pairs, every point checked (field
// encoding, curve, subgroup). Scalars may be >= r (the points are in the order-r subgroup, so that is fine).
//
// Few pairs: one 4-bit windowed multiplication each. More: Pippenger's bucket method with signed c-bit
// digits (2^(c-1) buckets per window), c picked for the pair count. Without heap (the same code runs on a
// device) the pairs are decoded CHUNK at a time into a stack array; each chunk adds its bucket sums into
// per-window accumulators, and the windows are combined once at the end, so the ~256 doublings are shared
// by all chunks. Stack: about CHUNK affine points + 2^(MAX_C-1) buckets + 256 / MIN_C + 1 window sums
// (~55 KB for G2): more than a device thread has, so the MSMs run on the host only (runs_on_device).
#pragma once
#include "bls12_381_curve.h"

namespace kern {
namespace bls12 {

// Bits [bit, bit + c) of a 32-byte big-endian scalar as an integer (bits past 255 read as 0).
HD_INLINE unsigned scalar_bits(const uint8_t s[SCALAR_BYTES], int bit, int c) {
  unsigned v = 0;
  for (int i = 0; i < c && bit + i < 256; ++i) {
    int b = bit + i;
    v |= ((unsigned)(s[31 - b / 8] >> (b % 8)) & 1u) << i;
  }
  return v;
}

template <class K>
struct Msm {
  using A = ff::Affine<K>;
  using J = ff::Jac<K>;
  static constexpr int POINT = 2 * COORD_BYTES<K>, PAIR = POINT + SCALAR_BYTES;
  static constexpr int CHUNK = 128, MIN_C = 4, MAX_C = 6, MAX_WINDOWS = 256 / MIN_C + 1;
  static constexpr int PIPPENGER_FROM = 8;  // below, one windowed multiplication per pair is cheaper

  // The window width that minimizes the additions (256 / c + 1) (n + 2^c) for n points per chunk.
  HD_INLINE static int window_bits(int n) {
    int best = MIN_C;
    for (int c = MIN_C + 1; c <= MAX_C; ++c)
      if ((256 / c + 1) * (n + (1 << c)) < (256 / best + 1) * (n + (1 << best))) best = c;
    return best;
  }

  HD_INLINE static Status decode(const uint8_t* pair, A& p) {
    Status s = decode_point<K>(pair, p);
    if (s == OK && !in_subgroup(p)) s = POINT_NOT_IN_SUBGROUP;
    return s;
  }

  FF_CALL static Status windowed(const uint8_t* in, int k, J& out) {
    out = J::infinity();
    for (int i = 0; i < k; ++i) {
      A p;
      Status s = decode(in + (size_t)i * PAIR, p);
      if (s != OK) return s;
      if (!p.inf) out = out + J::from_affine(p).mul_be(in + (size_t)i * PAIR + POINT, SCALAR_BYTES);
    }
    return OK;
  }

  // Adds one chunk's bucket sums into sums[0 .. 256 / c] (window j holds digit weight 2^(j c)).
  FF_CALL static void chunk(const A* pts, const uint8_t* const* scalars, int n, int c, J* sums) {
    const int half = 1 << (c - 1), windows = 256 / c + 1;
    J buckets[1 << (MAX_C - 1)];
    uint8_t carry[CHUNK];
    for (int i = 0; i < n; ++i) carry[i] = 0;
    for (int w = 0; w < windows; ++w) {
      for (int b = 0; b < half; ++b) buckets[b] = J::infinity();
      for (int i = 0; i < n; ++i) {
        int d = (int)scalar_bits(scalars[i], w * c, c) + carry[i];
        carry[i] = d > half;
        if (carry[i]) d -= 2 * half;  // signed digit in (-half, half]
        if (d > 0) buckets[d - 1] = add_affine(buckets[d - 1], pts[i]);
        else if (d < 0) buckets[-d - 1] = add_affine(buckets[-d - 1], A{pts[i].x, -pts[i].y, false});
      }
      // sum b * bucket[b - 1] = sum of the running suffix sums
      J running = J::infinity(), total = J::infinity();
      for (int b = half - 1; b >= 0; --b) {
        running = running + buckets[b];
        total = total + running;
      }
      sums[w] = sums[w] + total;
    }
  }

  FF_CALL static Status pippenger(const uint8_t* in, int k, J& out) {
    const int c = window_bits(k < CHUNK ? k : CHUNK), windows = 256 / c + 1;
    J sums[MAX_WINDOWS];
    for (int w = 0; w < windows; ++w) sums[w] = J::infinity();
    A pts[CHUNK];
    const uint8_t* scalars[CHUNK];
    for (int start = 0; start < k; start += CHUNK) {
      int n = 0;
      for (int i = start; i < k && i < start + CHUNK; ++i) {
        const uint8_t* pair = in + (size_t)i * PAIR;
        Status s = decode(pair, pts[n]);
        if (s != OK) return s;
        if (pts[n].inf) continue;  // adds nothing
        scalars[n++] = pair + POINT;
      }
      chunk(pts, scalars, n, c, sums);
    }
    out = sums[windows - 1];
    for (int w = windows - 2; w >= 0; --w) {
      for (int i = 0; i < c; ++i) out = out.dbl();
      out = out + sums[w];
    }
    return OK;
  }

  // k >= 1 pairs at `in` (k * PAIR bytes) -> their sum.
  HD_INLINE static Status run(const uint8_t* in, int k, J& out) {
    return k < PIPPENGER_FROM ? windowed(in, k, out) : pippenger(in, k, out);
  }
};

}  // namespace bls12
}  // namespace kern
