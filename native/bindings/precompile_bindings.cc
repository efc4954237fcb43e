// N-API: runs one precompile through the kernel dispatcher (kern::precompile: gas_cost, output_size, run),
// exactly as the interpreter calls it.
//   runPrecompileAt(address, fork, input, gasLimit?) -> { ok, output, error?, gasUsed }: by address at a fork
//     (what `npm run precompile-vectors` uses); a failed call consumes gasLimit (all gas), as in the EVM.
//   runPrecompile(id, input, fork?) -> { ok, gas, output }: by id, every precompile the kernels have (test hook;
//     fork defaults to the one that introduced it).
//   precompileIdOf(address, fork?) -> id or 0.
#include <napi.h>

#include <cctype>
#include <string>
#include <vector>

#include "../../kernels/precompiles/precompiles.h"

namespace native {
namespace {

// A fork by name ('Cancun' | 'Prague' | 'Osaka', any case) or by its kern::Fork number (sequencer/chain/forks.ts).
uint8_t ParseFork(Napi::Env env, const Napi::Value& v, const char* fn) {
  static const char* names[kern::N_FORKS] = {"cancun", "prague", "osaka"};
  if (v.IsNumber()) {
    uint32_t f = v.As<Napi::Number>().Uint32Value();
    if (f < (uint32_t)kern::N_FORKS) return (uint8_t)f;
  } else if (v.IsString()) {
    std::string name = v.As<Napi::String>().Utf8Value();
    for (auto& ch : name) ch = (char)std::tolower((unsigned char)ch);
    for (int f = 0; f < kern::N_FORKS; ++f)
      if (name == names[f]) return (uint8_t)f;
  }
  throw Napi::RangeError::New(env, std::string(fn) + ": fork must be Cancun, Prague or Osaka (or 0..2)");
}

const char* ForkName(uint8_t f) { return f == kern::FORK_CANCUN ? "Cancun" : f == kern::FORK_PRAGUE ? "Prague" : "Osaka"; }

// go-ethereum's wording for each EIP-2537 failure.
const char* Bls12StatusText(kern::bls12::Status s) {
  switch (s) {
    case kern::bls12::OK: return "ok";
    case kern::bls12::BAD_INPUT_LENGTH: return "invalid input length";
    case kern::bls12::FP_TOP_BYTES: return "invalid field element top bytes";
    case kern::bls12::FP_NOT_CANONICAL: return "invalid fp.Element encoding";
    case kern::bls12::POINT_NOT_ON_CURVE: return "invalid point: not on curve";
    case kern::bls12::POINT_NOT_IN_SUBGROUP: return "point is not on correct subgroup";
    case kern::bls12::NOT_BLS12_PRECOMPILE: return "not a BLS12-381 precompile";
  }
  return "unknown";
}

Napi::Uint8Array Bytes(const Napi::CallbackInfo& cb, size_t i, const std::string& usage) {
  if (cb.Length() <= i || !cb[i].IsTypedArray() || cb[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(cb.Env(), usage);
  return cb[i].As<Napi::Uint8Array>();
}

struct Call {
  bool ok = false;
  uint64_t gas = 0;  // what the input costs (gas_cost)
  std::vector<uint8_t> output;
  std::string error;
};

// One call through the dispatcher; `fn` names the JS entry in errors. The hooks refuse outputs above 64 MiB.
Call RunDispatched(Napi::Env env, uint16_t id, uint8_t fork, const uint8_t* data, size_t len, const char* fn) {
  Call c;
  c.gas = kern::precompile::gas_cost(id, data, len, fork);
  size_t out_size = kern::precompile::output_size(id, data, len);
  if (out_size > ((size_t)64 << 20))
    throw Napi::RangeError::New(env, std::string(fn) + ": output of " + std::to_string(out_size) + " bytes is over the test hook's 64 MiB");
  c.output.resize(out_size ? out_size : 1);
  size_t out_len = 0;
  c.ok = kern::precompile::run(id, data, len, c.output.data(), &out_len, fork);
  if (c.ok && out_len != out_size)
    throw Napi::Error::New(env, std::string(fn) + ": precompile " + std::to_string(id) + " wrote " + std::to_string(out_len) +
                                    " bytes, output_size() said " + std::to_string(out_size));
  c.output.resize(c.ok ? out_len : 0);
  if (!c.ok) {
    // The reason, for EIP-2537 (the same call again: failures are found while decoding, before the work).
    if (kern::precompile::is_bls12(id)) {
      std::vector<uint8_t> scratch(kern::bls12::output_size((uint8_t)id));
      size_t n = 0;
      c.error = Bls12StatusText(kern::bls12::run((uint8_t)id, data, len, scratch.data(), &n));
    } else {
      c.error = "precompile failed";
    }
  }
  return c;
}

Napi::Value RunPrecompileAt(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  const char* fn = "runPrecompileAt";
  const std::string usage = "runPrecompileAt(address: Uint8Array(20), fork: 'Cancun'|'Prague'|'Osaka', input: Uint8Array, gasLimit?: bigint)";
  Napi::Uint8Array addr = Bytes(cb, 0, usage);
  if (addr.ByteLength() != 20) throw Napi::TypeError::New(env, usage);
  uint8_t fork = ParseFork(env, cb.Length() > 1 ? cb[1] : env.Undefined(), fn);
  Napi::Uint8Array in = Bytes(cb, 2, usage);
  bool has_limit = cb.Length() > 3 && !cb[3].IsUndefined();
  uint64_t limit = 0;
  if (has_limit) {
    bool lossless = true;
    if (!cb[3].IsBigInt()) throw Napi::TypeError::New(env, usage);
    limit = cb[3].As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) throw Napi::RangeError::New(env, std::string(fn) + ": gasLimit must be a uint64");
  }
  uint16_t id = kern::precompile::id_of(addr.Data(), fork);
  if (id == 0) {
    std::string hex = "0x";
    const char* digits = "0123456789abcdef";
    for (size_t i = 0; i < 20; ++i) (hex += digits[addr.Data()[i] >> 4]) += digits[addr.Data()[i] & 15];
    throw Napi::RangeError::New(env, std::string(fn) + ": " + hex + " is no precompile at " + ForkName(fork));
  }
  Napi::Object o = Napi::Object::New(env);
  uint64_t cost = kern::precompile::gas_cost(id, in.Data(), in.ByteLength(), fork);
  if (has_limit && cost > limit) {
    o.Set("ok", false);
    o.Set("output", Napi::Buffer<uint8_t>::New(env, 0));
    o.Set("error", "out of gas: needs " + std::to_string(cost) + ", gas limit " + std::to_string(limit));
    o.Set("gasUsed", Napi::BigInt::New(env, limit));
    return o;
  }
  Call c = RunDispatched(env, id, fork, in.Data(), in.ByteLength(), fn);
  o.Set("ok", c.ok);
  o.Set("output", Napi::Buffer<uint8_t>::Copy(env, c.output.data(), c.output.size()));
  if (!c.ok) o.Set("error", c.error);
  o.Set("gasUsed", Napi::BigInt::New(env, c.ok || !has_limit ? c.gas : limit));
  return o;
}

Napi::Value RunPrecompile(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  const std::string usage = "runPrecompile(id: number, input: Uint8Array, fork?: 'Cancun'|'Prague'|'Osaka'|number)";
  if (cb.Length() < 1 || !cb[0].IsNumber()) throw Napi::TypeError::New(env, usage);
  Napi::Uint8Array in = Bytes(cb, 1, usage);
  uint32_t id = cb[0].As<Napi::Number>().Uint32Value();
  if (id > 0xffff || kern::precompile::introduced((uint16_t)id) >= kern::N_FORKS)
    throw Napi::RangeError::New(env, "runPrecompile: " + std::to_string(id) + " is no precompile id at any fork");
  const uint16_t pid = (uint16_t)id;
  // By default the fork that introduced the precompile.
  uint8_t fork = cb.Length() > 2 && !cb[2].IsUndefined() ? ParseFork(env, cb[2], "runPrecompile") : kern::precompile::introduced(pid);
  if (kern::precompile::introduced(pid) > fork)
    throw Napi::RangeError::New(env, "runPrecompile: precompile " + std::to_string(id) + " does not exist at " + ForkName(fork));
  if (!kern::precompile::implemented(pid))
    throw Napi::Error::New(env, "runPrecompile: precompile " + std::to_string(id) + " is not implemented in the kernels");
  Call c = RunDispatched(env, pid, fork, in.Data(), in.ByteLength(), "runPrecompile");
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", c.ok);
  o.Set("gas", Napi::BigInt::New(env, c.gas));
  o.Set("output", Napi::Buffer<uint8_t>::Copy(env, c.output.data(), c.output.size()));
  return o;
}

Napi::Value PrecompileIdOf(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  const std::string usage = "precompileIdOf(address: Uint8Array of 20 bytes, fork?: 'Cancun'|'Prague'|'Osaka')";
  Napi::Uint8Array a = Bytes(cb, 0, usage);
  if (a.ByteLength() != 20) throw Napi::TypeError::New(env, usage);
  uint8_t fork = cb.Length() > 1 && !cb[1].IsUndefined() ? ParseFork(env, cb[1], "precompileIdOf") : (uint8_t)kern::FORK_CANCUN;
  return Napi::Number::New(env, kern::precompile::id_of(a.Data(), fork));
}

}  // namespace

void register_precompile_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("runPrecompileAt", Napi::Function::New(env, RunPrecompileAt));
  exports.Set("runPrecompile", Napi::Function::New(env, RunPrecompile));
  exports.Set("precompileIdOf", Napi::Function::New(env, PrecompileIdOf));
}

}  // namespace native
