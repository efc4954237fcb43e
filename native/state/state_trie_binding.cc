// N-API surface of the native state trie (sequencer/state/native-state-trie.ts):
//   stateTrieNew(): object                                    a handle to an empty state trie
//   stateTrieUpdate(handle, changes: Uint8Array, records?: Uint8Array[], spans?: Uint32Array): Promise<Buffer>
//       applies the executor's change records (spans: buffer index, start, end per record, in commit order;
//       each span one record's change and slot sections, kernels/evm/result.h), then the WorldState's change
//       set, and resolves to the 32-byte state root; both run off the event loop. The spans are copied into
//       one buffer before the call returns. Bad input rejects and changes nothing. One update at a time per
//       trie (a second one throws).
//   stateTrieLastUpdateCpuMs(handle): number   CPU time of the last update, on the threads that ran it
//   stateTrieProve(handle, address: Uint8Array(20), slots: Uint8Array(32 * n))
//       : { accountProof: Buffer[], storageRoot: Buffer, storageProofs: Buffer[][] }   as of the last root
#include <napi.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../evm/napi_util.h"
#include "../promise_worker.h"
#include "record_spans.h"
#include "state_trie.h"

namespace native {
namespace state {
namespace {

struct TrieHandle {
  StateTrie trie;
  std::atomic<bool> busy{false};  // an update is running on a worker thread
  std::atomic<double> last_update_cpu_ms{0};  // written by the update's worker
};

using SharedHandle = std::shared_ptr<TrieHandle>;

// Tags the externals, so a handle of another kind (an EVM state mirror) is refused instead of misread.
const napi_type_tag kTrieHandleTag = {0x5a17e7a1e0c04b1dULL, 0x9c3f6e2b8d4a7f01ULL};

SharedHandle& handle_arg(const Napi::CallbackInfo& cb, const char* fn) {
  Napi::Env env = cb.Env();
  bool tagged = false;
  if (cb.Length() >= 1 && cb[0].IsExternal())
    napi_check_object_type_tag(env, cb[0], &kTrieHandleTag, &tagged);
  if (!tagged) throw Napi::TypeError::New(env, std::string(fn) + ": the first argument must be a stateTrieNew() handle");
  return *cb[0].As<Napi::External<SharedHandle>>().Data();
}

void ensure_idle(const TrieHandle& h, const char* fn) {
  if (h.busy.load()) throw std::runtime_error(std::string(fn) + ": a state trie update is still running");
}

Napi::Value New(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  auto* h = new SharedHandle(std::make_shared<TrieHandle>());
  auto ext = Napi::External<SharedHandle>::New(env, h, [](Napi::Env, SharedHandle* p) { delete p; });
  napi_type_tag_object(env, ext, &kTrieHandleTag);
  return ext;
}

Napi::Value Update(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  SharedHandle h = handle_arg(cb, "stateTrieUpdate");
  if (cb.Length() < 2) throw Napi::TypeError::New(env, "stateTrieUpdate(handle, changes: Uint8Array, records?: Uint8Array[], spans?: Uint32Array)");
  auto changes = std::make_shared<std::vector<uint8_t>>(evm::copy_bytes(cb[1], "changes"));
  auto records = std::make_shared<std::vector<uint8_t>>(pack_records(cb[2], cb[3], "stateTrieUpdate"));
  try {
    ensure_idle(*h, "stateTrieUpdate");
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  h->busy = true;
  auto root = std::make_shared<Hash32>();
  return run_async(
      env,
      [h, changes, records, root] {
        struct Idle {
          TrieHandle& h;
          ~Idle() { h.busy = false; }
        } idle{*h};
        double cpu = StateTrie::cpu_ms();
        h->trie.apply(records->data(), records->size(), changes->data(), changes->size());
        *root = h->trie.root();
        h->last_update_cpu_ms = StateTrie::cpu_ms() - cpu;
      },
      [root](Napi::Env env) { return Napi::Buffer<uint8_t>::Copy(env, root->b, 32); });
}

Napi::Value LastUpdateCpuMs(const Napi::CallbackInfo& cb) {
  SharedHandle h = handle_arg(cb, "stateTrieLastUpdateCpuMs");
  return Napi::Number::New(cb.Env(), h->last_update_cpu_ms.load());
}

Napi::Array NodeList(Napi::Env env, const std::vector<std::string>& nodes) {
  Napi::Array a = Napi::Array::New(env, nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    a.Set((uint32_t)i, Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(nodes[i].data()), nodes[i].size()));
  return a;
}

Napi::Value Prove(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  SharedHandle h = handle_arg(cb, "stateTrieProve");
  if (cb.Length() < 3) throw Napi::TypeError::New(env, "stateTrieProve(handle, address: Uint8Array, slots: Uint8Array)");
  std::vector<uint8_t> address = evm::copy_bytes(cb[1], "address");
  std::vector<uint8_t> slots = evm::copy_bytes(cb[2], "slots");
  if (address.size() != 20) throw Napi::RangeError::New(env, "stateTrieProve: address must be 20 bytes");
  if (slots.size() % 32 != 0) throw Napi::RangeError::New(env, "stateTrieProve: slots must be 32 bytes each");
  StateProof p;
  try {
    ensure_idle(*h, "stateTrieProve");
    p = h->trie.prove(address.data(), slots.data(), slots.size() / 32);
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("accountProof", NodeList(env, p.account));
  o.Set("storageRoot", Napi::Buffer<uint8_t>::Copy(env, p.storage_root.b, 32));
  Napi::Array storage = Napi::Array::New(env, p.storage.size());
  for (size_t i = 0; i < p.storage.size(); ++i) storage.Set((uint32_t)i, NodeList(env, p.storage[i]));
  o.Set("storageProofs", storage);
  return o;
}

}  // namespace
}  // namespace state

void register_state_trie_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("stateTrieNew", Napi::Function::New(env, state::New));
  exports.Set("stateTrieUpdate", Napi::Function::New(env, state::Update));
  exports.Set("stateTrieProve", Napi::Function::New(env, state::Prove));
  exports.Set("stateTrieLastUpdateCpuMs", Napi::Function::New(env, state::LastUpdateCpuMs));
}

}  // namespace native
