#include "receipts_root.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "../crypto/keccak_lanes.h"
#include "../state/ordered_trie.h"

namespace native {
namespace block {
namespace {

// One RLP item: its payload's place and whether it is a list.
struct Item {
  size_t at, len;
  bool list;
};

// Reads the item at `at` of buf[0..end); throws on a length past end.
Item read_item(const uint8_t* buf, size_t at, size_t end) {
  if (at >= end) throw std::invalid_argument("truncated");
  uint8_t b = buf[at];
  auto long_len = [&](size_t n) {
    if (n > 4 || at + 1 + n > end) throw std::invalid_argument("bad length");
    size_t len = 0;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | buf[at + 1 + i];
    return len;
  };
  Item it;
  if (b < 0x80) it = {at, 1, false};
  else if (b <= 0xb7) it = {at + 1, (size_t)(b - 0x80), false};
  else if (b < 0xc0) it = {at + 1 + (b - 0xb7), long_len(b - 0xb7), false};
  else if (b <= 0xf7) it = {at + 1, (size_t)(b - 0xc0), true};
  else it = {at + 1 + (b - 0xf7), long_len(b - 0xf7), true};
  if (it.at + it.len > end) throw std::invalid_argument("item past the end");
  return it;
}

// Where a receipt's bloom lies and which of the jobs hash its logs' addresses and topics.
struct Receipt {
  uint8_t* bloom;
  size_t first_job, jobs;
};

// Parses receipt r (its bloom must be the 256-byte string), adding a keccak job per log address and topic.
Receipt parse(uint8_t* data, size_t begin, size_t end, std::vector<crypto::KeccakJob>& jobs) {
  size_t at = begin;
  if (at < end && data[at] < 0xc0) ++at;  // EIP-2718 type
  Item body = read_item(data, at, end);
  if (!body.list || body.at + body.len != end) throw std::invalid_argument("not one list");
  size_t body_end = body.at + body.len;
  Item status = read_item(data, body.at, body_end);
  Item gas = read_item(data, status.at + status.len, body_end);
  Item bloom = read_item(data, gas.at + gas.len, body_end);
  if (status.list || gas.list || bloom.list || bloom.len != 256) throw std::invalid_argument("bad status, gas or bloom");
  Item logs = read_item(data, bloom.at + 256, body_end);
  if (!logs.list || logs.at + logs.len != body_end) throw std::invalid_argument("bad logs list");
  Receipt rec{data + bloom.at, jobs.size(), 0};
  for (size_t l = logs.at; l < body_end;) {
    Item log = read_item(data, l, body_end);
    size_t log_end = log.at + log.len;
    Item address = read_item(data, log.at, log_end);
    if (!log.list || address.list || address.len != 20) throw std::invalid_argument("bad log address");
    jobs.push_back({data + address.at, 20, nullptr});
    Item topics = read_item(data, address.at + 20, log_end);
    if (!topics.list) throw std::invalid_argument("bad log topics");
    for (size_t t = topics.at; t < topics.at + topics.len;) {
      Item topic = read_item(data, t, topics.at + topics.len);
      if (topic.list || topic.len != 32) throw std::invalid_argument("bad log topic");
      jobs.push_back({data + topic.at, 32, nullptr});
      t = topic.at + 32;
    }
    Item payload = read_item(data, topics.at + topics.len, log_end);
    if (payload.list || payload.at + payload.len != log_end) throw std::invalid_argument("bad log data");
    l = log_end;
  }
  rec.jobs = jobs.size() - rec.first_job;
  return rec;
}

// Yellow paper M3:2048: three 11-bit indices from the first six bytes of the item's hash.
void set_bloom_bits(uint8_t* bloom, const uint8_t* hash) {
  for (int k = 0; k < 6; k += 2) {
    unsigned bit = ((unsigned)hash[k] << 8 | hash[k + 1]) & 2047;
    bloom[255 - bit / 8] |= (uint8_t)(1u << (bit % 8));
  }
}

}  // namespace

ReceiptsRoot receipts_root(uint8_t* data, const uint32_t* offsets, size_t count) {
  std::vector<Receipt> receipts(count);
  std::vector<crypto::KeccakJob> jobs;
  jobs.reserve(4 * count);
  for (size_t i = 0; i < count; ++i) {
    try {
      receipts[i] = parse(data, offsets[i], offsets[i + 1], jobs);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("receipt " + std::to_string(i) + ": " + e.what());
    }
  }
  std::vector<uint8_t> hashes(32 * jobs.size());
  for (size_t k = 0; k < jobs.size(); ++k) jobs[k].out = hashes.data() + 32 * k;
  crypto::keccak256_many(jobs.data(), jobs.size());
  ReceiptsRoot out;
  std::memset(out.bloom, 0, 256);
  for (const Receipt& r : receipts) {
    std::memset(r.bloom, 0, 256);
    for (size_t k = r.first_job; k < r.first_job + r.jobs; ++k) set_bloom_bits(r.bloom, hashes.data() + 32 * k);
    for (int b = 0; b < 256; ++b) out.bloom[b] |= r.bloom[b];
  }
  out.root = state::ordered_trie_root(data, offsets, count);
  return out;
}

}  // namespace block
}  // namespace native
