// N-API: batched ingress of raw transactions. Each transaction is decoded and checked by the kernels'
// decoder (kernels/tx/tx_decode.h), then every sender is recovered in one batch on the backend (CPU thread
// pool or device). The result is one buffer of fixed-size records that sequencer/ingress/native-decode.ts
// reads; byte strings (data, access list, authorizations, blob hashes) stay in the caller's raw bytes and
// are named by offsets.
#include <napi.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../../kernels/tx/tx_decode.h"
#include "../backend/backend.h"
#include "../promise_worker.h"

namespace native {
namespace {

// Record layout (little-endian integers, big-endian words); sequencer/ingress/native-decode.ts mirrors it.
namespace rec {
constexpr size_t STATUS = 0, TYPE = 1, HAS_TO = 2, RECID = 3;
constexpr size_t DATA_OFF = 4, DATA_LEN = 8, ACCESS_START = 12, ACCESS_END = 16, AUTH_START = 20, AUTH_END = 24,
                 BLOBS_START = 28, BLOBS_END = 32, N_ACCESS = 36, N_ACCESS_KEYS = 40, N_AUTH = 44, N_BLOBS = 48;
constexpr size_t NONCE = 56, GAS_LIMIT = 64, INTRINSIC_GAS = 72, FLOOR_GAS = 80;
constexpr size_t TO = 88, SENDER = 108, HASH = 128, CHAIN_ID = 160, VALUE = 192, FEE_CAP = 224, TIP = 256,
                 BLOB_FEE = 288, V = 320, R = 352, S = 384;
constexpr size_t SIZE = 416;
}  // namespace rec

void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = (uint8_t)(v >> (8 * i));
}
void put_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = (uint8_t)(v >> (8 * i));
}

void write_record(const kern::tx::Decoded& d, uint8_t* out) {
  out[rec::STATUS] = d.status;
  out[rec::TYPE] = d.type;
  out[rec::HAS_TO] = d.has_to ? 1 : 0;
  out[rec::RECID] = d.recid;
  const uint32_t u32s[] = {d.data_off, d.data_len, d.access_start, d.access_end, d.auth_start, d.auth_end,
                           d.blobs_start, d.blobs_end, d.n_access, d.n_access_keys, d.n_auth, d.n_blobs};
  for (size_t i = 0; i < sizeof(u32s) / sizeof(u32s[0]); ++i) put_u32(out + rec::DATA_OFF + 4 * i, u32s[i]);
  put_u64(out + rec::NONCE, d.nonce);
  put_u64(out + rec::GAS_LIMIT, d.gas_limit);
  put_u64(out + rec::INTRINSIC_GAS, d.intrinsic_gas);
  put_u64(out + rec::FLOOR_GAS, d.floor_gas);
  std::memcpy(out + rec::TO, d.to, 20);
  std::memcpy(out + rec::HASH, d.hash, 32);
  std::memcpy(out + rec::CHAIN_ID, d.chain_id, 32);
  std::memcpy(out + rec::VALUE, d.value, 32);
  std::memcpy(out + rec::FEE_CAP, d.fee_cap, 32);
  std::memcpy(out + rec::TIP, d.tip, 32);
  std::memcpy(out + rec::BLOB_FEE, d.blob_fee, 32);
  std::memcpy(out + rec::V, d.v, 32);
  std::memcpy(out + rec::R, d.r, 32);
  std::memcpy(out + rec::S, d.s, 32);
}

// The batch, owned by the call (the JS buffers may change while a worker thread runs it).
struct Batch {
  std::vector<uint8_t> data;
  std::vector<uint32_t> offsets;
  kern::tx::Config config{};
  // False for transactions whose senders are already known (stored ones): records keep a zero sender.
  bool recover_senders = true;
  std::vector<uint8_t> records;

  uint32_t count() const { return (uint32_t)offsets.size() - 1; }

  // Decodes every transaction, then recovers the senders of those that passed in one backend batch.
  void run() {
    const uint32_t n = count();
    records.assign((size_t)n * rec::SIZE, 0);
    std::vector<uint8_t> hashes, sigs;
    std::vector<uint32_t> passed;
    hashes.reserve((size_t)n * 32);
    sigs.reserve((size_t)n * 65);
    kern::tx::Decoded d;
    for (uint32_t i = 0; i < n; ++i) {
      kern::tx::decode(data.data() + offsets[i], offsets[i + 1] - offsets[i], config, d);
      write_record(d, records.data() + (size_t)i * rec::SIZE);
      if (d.status != kern::tx::OK) continue;
      passed.push_back(i);
      hashes.insert(hashes.end(), d.signing_hash, d.signing_hash + 32);
      sigs.insert(sigs.end(), d.r, d.r + 32);
      sigs.insert(sigs.end(), d.s, d.s + 32);
      sigs.push_back(d.recid);
    }
    if (passed.empty() || !recover_senders) return;
    std::vector<uint8_t> addrs(passed.size() * 20), ok(passed.size());
    active_backend().recover_senders_batch(hashes.data(), sigs.data(), (uint32_t)passed.size(), addrs.data(), ok.data());
    for (size_t k = 0; k < passed.size(); ++k) {
      uint8_t* r = records.data() + (size_t)passed[k] * rec::SIZE;
      if (ok[k]) std::memcpy(r + rec::SENDER, addrs.data() + 20 * k, 20);
      else r[rec::STATUS] = kern::tx::BAD_SIGNATURE;
    }
  }
};

bool flag(const Napi::Object& o, const char* key, bool fallback) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : fallback;
}

// (data: Uint8Array, offsets: Uint32Array (count + 1), config) -> Batch; TypeError/RangeError on bad arguments.
std::shared_ptr<Batch> ReadBatch(const Napi::CallbackInfo& cb, const char* name) {
  Napi::Env env = cb.Env();
  const std::string usage = std::string(name) +
                            "(data: Uint8Array, offsets: Uint32Array, config: { chainId: bigint, fork: number, "
                            "maxTxSize: number, allowUnprotected?, limitInitCode?, allowBlobTxs?, recoverSenders? })";
  if (cb.Length() < 3 || !cb[0].IsTypedArray() || !cb[1].IsTypedArray() || !cb[2].IsObject())
    throw Napi::TypeError::New(env, usage);
  Napi::TypedArray data = cb[0].As<Napi::TypedArray>(), offsets = cb[1].As<Napi::TypedArray>();
  if (data.TypedArrayType() != napi_uint8_array || offsets.TypedArrayType() != napi_uint32_array)
    throw Napi::TypeError::New(env, usage);
  Napi::Object cfg = cb[2].As<Napi::Object>();
  if (!cfg.Get("chainId").IsBigInt() || !cfg.Get("fork").IsNumber() || !cfg.Get("maxTxSize").IsNumber())
    throw Napi::TypeError::New(env, usage);
  auto b = std::make_shared<Batch>();
  bool lossless = false;
  b->config.chain_id = cfg.Get("chainId").As<Napi::BigInt>().Uint64Value(&lossless);
  // EIP-155's v = 2 * chain id + 36 must fit the decoder's 64 bits (EIP-2294 bounds chain ids far lower).
  if (!lossless || b->config.chain_id >= (1ull << 62))
    throw Napi::RangeError::New(env, std::string(name) + ": chain id must be below 2^62");
  const int64_t fork = cfg.Get("fork").As<Napi::Number>().Int64Value();
  if (fork < 0 || fork >= kern::N_FORKS) throw Napi::RangeError::New(env, std::string(name) + ": unknown fork id " + std::to_string(fork));
  b->config.fork = (uint8_t)fork;
  const double max_size = cfg.Get("maxTxSize").As<Napi::Number>().DoubleValue();
  if (!(max_size >= 0 && max_size <= 0xFFFFFFFF)) throw Napi::RangeError::New(env, std::string(name) + ": maxTxSize out of range");
  b->config.max_size = (uint32_t)max_size;
  b->config.allow_unprotected = flag(cfg, "allowUnprotected", false);
  b->config.limit_init_code = flag(cfg, "limitInitCode", true);
  b->config.allow_blob_txs = flag(cfg, "allowBlobTxs", false);
  b->recover_senders = flag(cfg, "recoverSenders", true);

  const uint8_t* bytes = static_cast<const uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset();
  const uint32_t* offs = reinterpret_cast<const uint32_t*>(static_cast<const uint8_t*>(offsets.ArrayBuffer().Data()) + offsets.ByteOffset());
  const size_t n = offsets.ElementLength();
  if (n == 0) throw Napi::RangeError::New(env, std::string(name) + ": offsets needs count + 1 entries");
  for (size_t i = 0; i < n; ++i) {
    if ((i > 0 && offs[i] < offs[i - 1]) || offs[i] > data.ByteLength())
      throw Napi::RangeError::New(env, std::string(name) + ": offsets[" + std::to_string(i) + "] is out of order or past the end of data");
  }
  b->data.assign(bytes, bytes + data.ByteLength());
  b->offsets.assign(offs, offs + n);
  return b;
}

Napi::Value Records(Napi::Env env, const Batch& b) {
  return Napi::Buffer<uint8_t>::Copy(env, b.records.data(), b.records.size());
}

Napi::Value DecodeTransactionsSync(const Napi::CallbackInfo& cb) {
  auto b = ReadBatch(cb, "decodeTransactionsSync");
  b->run();
  return Records(cb.Env(), *b);
}

Napi::Value DecodeTransactions(const Napi::CallbackInfo& cb) {
  auto b = ReadBatch(cb, "decodeTransactions");
  return run_async(
      cb.Env(), [b] { b->run(); }, [b](Napi::Env env) { return Records(env, *b); });
}

}  // namespace

void register_tx_decode_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("decodeTransactions", Napi::Function::New(env, DecodeTransactions));
  exports.Set("decodeTransactionsSync", Napi::Function::New(env, DecodeTransactionsSync));
  exports.Set("txRecordSize", Napi::Number::New(env, (double)rec::SIZE));
}

}  // namespace native
