// The executor's change records as JavaScript hands them over (sequencer/state/native-state-trie.ts,
// trailSpans): distinct buffers, and a (buffer index, start, end) triple per record in commit order. Both the
// state trie and the EVM state mirror take them this way and merge them with change_set.h.
#pragma once
#include <napi.h>

#include <cstdint>
#include <vector>

namespace native {
namespace state {

// The records' spans copied back to back, each after its u32 length (merge_changes' input); empty when
// both arguments are undefined. Throws a Napi TypeError/RangeError naming `fn` on malformed arguments.
std::vector<uint8_t> pack_records(const Napi::Value& buffers_arg, const Napi::Value& spans_arg, const char* fn);

}  // namespace state
}  // namespace native
