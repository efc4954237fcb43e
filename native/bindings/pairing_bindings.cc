// Test hooks for the pairing precompiles (kernels/precompiles/bn254.h, kzg.h): each takes the raw call
// input and returns { ok, output } the way the EVM would see it (inputs shorter than the fixed size are
// right-padded with zeros, longer ones truncated, as the dispatcher does; the pairing gets the whole input).
// Synchronous: a pairing check costs milliseconds.
#include <napi.h>

#include <string>
#include <vector>

#include "precompiles/bls12_381_map.h"
#include "precompiles/bn254.h"
#include "precompiles/kzg.h"

namespace native {
namespace {

Napi::Uint8Array InputArg(const Napi::CallbackInfo& cb, const char* name) {
  if (cb.Length() < 1 || !cb[0].IsTypedArray() || cb[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(cb.Env(), std::string(name) + "(input: Uint8Array)");
  return cb[0].As<Napi::Uint8Array>();
}

Napi::Value Result(Napi::Env env, bool ok, const uint8_t* out, size_t len) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", ok);
  o.Set("output", ok ? Napi::Buffer<uint8_t>::Copy(env, out, len) : Napi::Buffer<uint8_t>::New(env, 0));
  return o;
}

template <size_t N>
void Padded(const Napi::Uint8Array& in, uint8_t (&buf)[N]) {
  for (size_t i = 0; i < N; ++i) buf[i] = i < in.ByteLength() ? in[i] : 0;
}

Napi::Value Bn254Add(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "bn254Add");
  uint8_t buf[128], out[64];
  Padded(in, buf);
  bool ok = kern::bn254::add(buf, out);
  return Result(cb.Env(), ok, out, 64);
}

Napi::Value Bn254Mul(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "bn254Mul");
  uint8_t buf[96], out[64];
  Padded(in, buf);
  bool ok = kern::bn254::mul(buf, out);
  return Result(cb.Env(), ok, out, 64);
}

Napi::Value Bn254Pairing(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "bn254Pairing");
  std::vector<uint8_t> copy(in.Data(), in.Data() + in.ByteLength());
  uint8_t out[32];
  bool ok = kern::bn254::pairing(copy.data(), copy.size(), out);
  return Result(cb.Env(), ok, out, 32);
}

Napi::Value KzgPointEvaluation(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "kzgPointEvaluation");
  uint8_t out[64];
  if (in.ByteLength() != 192) return Result(cb.Env(), false, out, 0);
  uint8_t buf[192];
  Padded(in, buf);
  bool ok = kern::kzg::point_evaluation(buf, out);
  return Result(cb.Env(), ok, out, 64);
}

// pairingSelfCheck(seed): the shortcuts inside the kernels against their plain definitions on seeded random
// inputs: x-chain final exponentiations against exponentiation by (p^4 - p^2 + 1) / r (BLS12-381: its cube),
// the endomorphism subgroup tests (bn254::in_g2, bls12::in_g1, bls12::in_g2) against [r]P == O on points
// inside and outside the subgroups, the sparse line product against the full Fp12 product, field inversion
// against Fermat, and BLS12-381 G2 cofactor clearing against [r]P == O.
// Returns { checks, failures } (failures lists what disagreed; empty when everything agrees).
struct Rng {
  uint64_t s;
  uint64_t next() {  // splitmix64
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  void bytes(uint8_t* b, int n) {
    for (int i = 0; i < n; ++i) b[i] = (uint8_t)next();
  }
  // A field element below 2^(8 nbytes - 4) (so below p for the moduli here).
  template <class Fp>
  Fp field(int nbytes) {
    uint8_t b[48];
    bytes(b, nbytes);
    b[0] &= 0x0f;
    Fp x;
    Fp::from_be(b, nbytes, x);
    return x;
  }
};

template <class E>
typename E::F12 RandomF12(Rng& rng, int nbytes) {
  typename E::F12 f;
  typename E::F2* c[6] = {&f.c0.c0, &f.c0.c1, &f.c0.c2, &f.c1.c0, &f.c1.c1, &f.c1.c2};
  for (auto* x : c) *x = {rng.field<typename E::Fp>(nbytes), rng.field<typename E::Fp>(nbytes)};
  return f;
}

template <class E>
bool SparseLineAgrees(Rng& rng, int nbytes, bool d_twist) {
  using F2 = typename E::F2;
  typename E::F12 f = RandomF12<E>(rng, nbytes), l = E::F12::one();
  F2 la = {rng.field<typename E::Fp>(nbytes), rng.field<typename E::Fp>(nbytes)};
  F2 lb = {rng.field<typename E::Fp>(nbytes), rng.field<typename E::Fp>(nbytes)};
  F2 lc = {rng.field<typename E::Fp>(nbytes), rng.field<typename E::Fp>(nbytes)};
  if (d_twist) {  // la + lb w + lc w^3
    l.c0.c0 = la;
    l.c1.c0 = lb;
    l.c1.c1 = lc;
  } else {  // lc + lb w^2 + la w^3
    l.c0.c0 = lc;
    l.c0.c1 = lb;
    l.c1.c1 = la;
  }
  return E::mul_line(f, la, lb, lc) == f * l;
}

Napi::Value PairingSelfCheck(const Napi::CallbackInfo& cb) {
  using namespace kern;
  Rng rng{cb.Length() > 0 && cb[0].IsNumber() ? (uint64_t)cb[0].As<Napi::Number>().Int64Value() : 1};
  std::vector<std::string> failures;
  int checks = 0;
  auto expect = [&](bool ok, const std::string& what) {
    ++checks;
    if (!ok) failures.push_back(what);
  };

  for (int i = 0; i < 2; ++i) {
    auto f = RandomF12<bn254::Engine>(rng, 32);
    expect(bn254::Engine::final_exp(f) == bn254::Engine::final_exp_reference(f), "bn254 final_exp");
    auto g = RandomF12<bls12::Engine>(rng, 48);
    auto ref = bls12::Engine::final_exp_reference(g);
    expect(bls12::Engine::final_exp(g) == ref.sqr() * ref, "bls12 final_exp (cubed)");
    expect(SparseLineAgrees<bn254::Engine>(rng, 32, true), "bn254 mul_line");
    expect(SparseLineAgrees<bls12::Engine>(rng, 48, false), "bls12 mul_line");
  }

  // BN254 G2: multiples of the generator (EIP-197), then twist points with a random x.
  const uint8_t g2[128] = {
      0x19, 0x8e, 0x93, 0x93, 0x92, 0x0d, 0x48, 0x3a, 0x72, 0x60, 0xbf, 0xb7, 0x31, 0xfb, 0x5d, 0x25, 0xf1, 0xaa, 0x49,
      0x33, 0x35, 0xa9, 0xe7, 0x12, 0x97, 0xe4, 0x85, 0xb7, 0xae, 0xf3, 0x12, 0xc2, 0x18, 0x00, 0xde, 0xef, 0x12, 0x1f,
      0x1e, 0x76, 0x42, 0x6a, 0x00, 0x66, 0x5e, 0x5c, 0x44, 0x79, 0x67, 0x43, 0x22, 0xd4, 0xf7, 0x5e, 0xda, 0xdd, 0x46,
      0xde, 0xbd, 0x5c, 0xd9, 0x92, 0xf6, 0xed, 0x09, 0x06, 0x89, 0xd0, 0x58, 0x5f, 0xf0, 0x75, 0xec, 0x9e, 0x99, 0xad,
      0x69, 0x0c, 0x33, 0x95, 0xbc, 0x4b, 0x31, 0x33, 0x70, 0xb3, 0x8e, 0xf3, 0x55, 0xac, 0xda, 0xdc, 0xd1, 0x22, 0x97,
      0x5b, 0x12, 0xc8, 0x5e, 0xa5, 0xdb, 0x8c, 0x6d, 0xeb, 0x4a, 0xab, 0x71, 0x80, 0x8d, 0xcb, 0x40, 0x8f, 0xe3, 0xd1,
      0xe7, 0x69, 0x0c, 0x43, 0xd3, 0x7b, 0x4c, 0xe6, 0xcc, 0x01, 0x66, 0xfa, 0x7d, 0xaa};
  bn254::G2 gen2;
  expect(bn254::decode_g2(g2, gen2) && bn254::in_g2_by_order(gen2), "bn254 G2 generator");
  for (int i = 0; i < 8; ++i) {
    uint8_t k[32];
    rng.bytes(k, 32);
    bn254::G2 q = ff::Jac<bn254::Fp2>::from_affine(gen2).mul_be(k, 32).to_affine();
    expect(bn254::in_g2(q) && bn254::in_g2_by_order(q), "bn254 in_g2 on a G2 point");
  }
  for (int found = 0; found < 8;) {
    bn254::Fp2 x = {rng.field<bn254::Fp>(32), rng.field<bn254::Fp>(32)}, y;
    if (!(x.sqr() * x + bn254::twist_b()).sqrt(y)) continue;
    ++found;
    bn254::G2 q{x, y, false};
    expect(bn254::in_g2(q) == bn254::in_g2_by_order(q), "bn254 in_g2 vs [r]Q on a twist point");
  }

  // BLS12-381 G1: multiples of the generator, then curve points with a random x.
  for (int i = 0; i < 8; ++i) {
    uint8_t k[32];
    rng.bytes(k, 32);
    bls12::G1 p = ff::Jac<bls12::Fp>::from_affine(bls12::g1_generator()).mul_be(k, 32).to_affine();
    expect(bls12::in_g1(p) && bls12::in_g1_by_order(p), "bls12 in_g1 on a G1 point");
  }
  for (int found = 0; found < 8;) {
    bls12::Fp x = rng.field<bls12::Fp>(48), y;
    if (!(x.sqr() * x + bls12::curve_b()).sqrt(y)) continue;
    ++found;
    bls12::G1 p{x, y, false};
    expect(bls12::in_g1(p) == bls12::in_g1_by_order(p), "bls12 in_g1 vs [r]P on a curve point");
  }

  // Field inversion (binary extended Euclid) against Fermat's exponent.
  for (int i = 0; i < 16; ++i) {
    bn254::Fp a = rng.field<bn254::Fp>(32);
    expect(a.inv() == a.inv_fermat(), "bn254 Fp inv vs Fermat");
    bls12::Fp b = rng.field<bls12::Fp>(48);
    expect(b.inv() == b.inv_fermat(), "bls12 Fp inv vs Fermat");
  }

  // BLS12-381 G2 (EIP-2537): the psi test against [r]Q == O on G2 points and on twist points with a random x;
  // cofactor clearing (map-to-curve) lands in G2.
  auto g2_by_order = [](const ff::Jac<bls12::Fp2>& q) {
    return q.mul_limbs(bls12::Order(), pairing_consts::bls12_order_LIMBS).is_inf();
  };
  for (int i = 0; i < 4; ++i) {
    uint8_t k[32];
    rng.bytes(k, 32);
    bls12::G2 q = ff::Jac<bls12::Fp2>::from_affine(bls12::g2_constant<false>()).mul_be(k, 32).to_affine();
    expect(bls12::in_g2(q) && g2_by_order(ff::Jac<bls12::Fp2>::from_affine(q)), "bls12 in_g2 on a G2 point");
  }
  for (int found = 0; found < 6;) {
    bls12::Fp2 x = {rng.field<bls12::Fp>(48), rng.field<bls12::Fp>(48)}, y;
    if (!(x.sqr() * x + bls12::twist_b()).sqrt(y)) continue;
    ++found;
    bls12::G2 q{x, y, false};
    ff::Jac<bls12::Fp2> j = ff::Jac<bls12::Fp2>::from_affine(q);
    expect(bls12::in_g2(q) == g2_by_order(j), "bls12 in_g2 vs [r]Q on a twist point");
    expect(g2_by_order(bls12::clear_cofactor(j)), "bls12 G2 clear_cofactor lands in G2");
  }

  Napi::Env env = cb.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("checks", checks);
  Napi::Array arr = Napi::Array::New(env, failures.size());
  for (size_t i = 0; i < failures.size(); ++i) arr.Set((uint32_t)i, failures[i]);
  o.Set("failures", arr);
  return o;
}

}  // namespace

void register_pairing_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("bn254Add", Napi::Function::New(env, Bn254Add));
  exports.Set("bn254Mul", Napi::Function::New(env, Bn254Mul));
  exports.Set("bn254Pairing", Napi::Function::New(env, Bn254Pairing));
  exports.Set("kzgPointEvaluation", Napi::Function::New(env, KzgPointEvaluation));
  exports.Set("pairingSelfCheck", Napi::Function::New(env, PairingSelfCheck));
}

}  // namespace native
