// N-API surface of native call generation (native/evm/fuzz_generate.h; config layout there):
//   evmFuzzGenerator(config: Uint8Array): object   the functions, senders and address words of a campaign
//   evmFuzzGeneratorWords(generator, words: Uint8Array): void   the dictionary's words (again when it learns)
//   evmFuzzGenerate(generator, rng: Uint32Array(4), depth: number, out: Uint8Array): number
//       a fresh sequence of depth calls written at out (program layout, without the call count); returns the
//       bytes written and advances rng, or -1 (rng untouched) when out is too small
#include <napi.h>

#include <memory>
#include <string>

#include "fuzz_generate.h"

namespace native {
namespace evm {
namespace {

struct GeneratorHandle {
  FuzzGenerator generator;
};

FuzzGenerator& generator_of(const Napi::CallbackInfo& cb, const char* usage) {
  if (cb.Length() < 1 || !cb[0].IsExternal()) throw Napi::TypeError::New(cb.Env(), usage);
  return cb[0].As<Napi::External<GeneratorHandle>>().Data()->generator;
}

Napi::Uint8Array bytes_arg(const Napi::CallbackInfo& cb, size_t i, const char* usage) {
  if (cb.Length() <= i || !cb[i].IsTypedArray() || cb[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(cb.Env(), usage);
  return cb[i].As<Napi::Uint8Array>();
}

Napi::Value Generator(const Napi::CallbackInfo& cb) {
  const char* usage = "evmFuzzGenerator(config: Uint8Array)";
  Napi::Uint8Array config = bytes_arg(cb, 0, usage);
  auto* h = new GeneratorHandle();
  try {
    h->generator = make_fuzz_generator(config.Data(), config.ByteLength());
  } catch (const std::exception& e) {
    delete h;
    throw Napi::Error::New(cb.Env(), e.what());
  }
  return Napi::External<GeneratorHandle>::New(cb.Env(), h, [](Napi::Env, GeneratorHandle* p) { delete p; });
}

Napi::Value GeneratorWords(const Napi::CallbackInfo& cb) {
  const char* usage = "evmFuzzGeneratorWords(generator, words: Uint8Array of 32-byte words)";
  FuzzGenerator& g = generator_of(cb, usage);
  Napi::Uint8Array words = bytes_arg(cb, 1, usage);
  if (words.ByteLength() % 32 != 0) throw Napi::RangeError::New(cb.Env(), std::string(usage) + ": length is not a multiple of 32");
  g.words.assign(words.Data(), words.Data() + words.ByteLength());
  return cb.Env().Undefined();
}

Napi::Value Generate(const Napi::CallbackInfo& cb) {
  const char* usage = "evmFuzzGenerate(generator, rng: Uint32Array(4), depth: number, out: Uint8Array)";
  FuzzGenerator& g = generator_of(cb, usage);
  if (cb.Length() < 4 || !cb[1].IsTypedArray() || cb[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array ||
      cb[1].As<Napi::Uint32Array>().ElementLength() != 4 || !cb[2].IsNumber())
    throw Napi::TypeError::New(cb.Env(), usage);
  double depth = cb[2].As<Napi::Number>().DoubleValue();
  if (!(depth >= 1 && depth <= 1e6) || depth != (double)(uint32_t)depth)
    throw Napi::RangeError::New(cb.Env(), std::string(usage) + ": depth must be an integer in 1..1000000");
  Napi::Uint8Array out = bytes_arg(cb, 3, usage);
  int64_t n = generate_sequence(g, cb[1].As<Napi::Uint32Array>().Data(), (uint32_t)depth, out.Data(), out.ByteLength());
  return Napi::Number::New(cb.Env(), (double)n);
}

}  // namespace
}  // namespace evm

void register_fuzz_generate_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("evmFuzzGenerator", Napi::Function::New(env, evm::Generator));
  exports.Set("evmFuzzGeneratorWords", Napi::Function::New(env, evm::GeneratorWords));
  exports.Set("evmFuzzGenerate", Napi::Function::New(env, evm::Generate));
}

}  // namespace native
