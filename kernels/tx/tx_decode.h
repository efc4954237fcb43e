// Stateless ingress of one raw transaction (legacy, EIP-2930, EIP-1559, EIP-4844 without blobs, EIP-7702),
// host and device alike: canonical RLP, field shapes and ranges, chain id, signature ranges (EIP-2 low s),
// fork rules (EIP-7825 gas cap, EIP-3860 init code) and intrinsic gas with the EIP-7623 floor; then the
// transaction hash and the signing hash that sender recovery needs. Fields are written as they are read, so
// a rejected transaction still carries the values its error message names. The order of the checks follows
// the reference decoder (sequencer/ingress/decode.ts), so a transaction with several faults gets the same
// verdict from both.
#pragma once
#include "../common/be_word.h"
#include "../common/fork.h"
#include "../common/hd.h"
#include "../crypto/keccak.h"
#include "../crypto/secp256k1.h"
#include "rlp_reader.h"

namespace kern {
namespace tx {

// Why a transaction was refused (0: it was not). sequencer/ingress/native-decode.ts maps each to an
// IngressError code and message; keep both lists in step.
enum Status : uint8_t {
  OK = 0,
  EMPTY,               // no bytes at all
  BLOB_REFUSED,        // type 3 while the node takes no blob transactions
  OVERSIZED,           // over the size limit
  UNPROTECTED,         // legacy v = 27/28 while unprotected transactions are refused
  SIGNED_FOR_OTHER,    // the envelope names another chain id
  BAD_RLP,             // not canonical RLP, or not a list of byte strings where one is expected
  UNKNOWN_TYPE,        // envelope type other than 1..4
  FIELD_COUNT,         // wrong number of fields for the type
  LEADING_ZERO,        // an integer field with a leading zero byte
  BAD_TO,              // `to` neither empty nor 20 bytes
  VALUE_TOO_LARGE,     // value or a fee over 256 bits
  SIG_TOO_LARGE,       // r or s over 256 bits
  GAS_TOO_LARGE,       // gas limit over 64 bits
  NONCE_TOO_LARGE,     // nonce >= 2^64 - 1 (EIP-2681)
  GAS_CAP,             // gas limit over the EIP-7825 cap (Osaka)
  INITCODE_TOO_LARGE,  // creation with init code over the EIP-3860 limit
  LEGACY_V,            // legacy v below 37 and not 27/28
  CHAIN_MISMATCH,      // chain id field or EIP-155 v of another chain
  TYPE_NOT_ACTIVE,     // a set-code transaction before Prague
  BAD_ACCESS_LIST,     // access list items not [20-byte address, [32-byte keys]]
  BAD_AUTH_LIST,       // authorization tuples malformed, or the list empty
  FEE_PRODUCT,         // gas limit * fee cap over 256 bits
  TIP_ABOVE_CAP,       // max priority fee above max fee
  BAD_Y_PARITY,        // typed transaction's y parity not 0/1
  HIGH_S,              // s above secp256k1n/2 (EIP-2)
  NO_TO,               // blob or set-code transaction without `to`
  BAD_BLOB_HASH,       // a versioned hash not 32 bytes with version 0x01
  TOO_MANY_BLOBS,      // more blobs than one transaction may carry at the fork
  NO_BLOBS,            // blob transaction without versioned hashes
  NOT_SIGNED,          // r or s (or legacy v) empty
  NOT_CANONICAL,       // an integer field the decoder reads leniently (chain id) with leading zeros
  R_S_RANGE,           // r or s zero or >= secp256k1n
  INTRINSIC_GAS,       // gas limit below the intrinsic gas
  FLOOR_GAS,           // gas limit below the EIP-7623 calldata floor (Prague)
  BAD_SIGNATURE,       // no public key recovers from the signature (set by the recovery step)
};

constexpr uint64_t TX_GAS_LIMIT_CAP = 1ull << 24;  // EIP-7825
constexpr uint32_t MAX_INITCODE_SIZE = 49152;      // EIP-3860

struct Config {
  uint64_t chain_id;  // < 2^62, so EIP-155's v = 2 * chain id + 36 fits 64 bits
  uint32_t max_size;
  uint8_t fork;
  bool allow_unprotected, limit_init_code, allow_blob_txs;
};

// One decoded transaction. Byte strings stay in the raw buffer: *_start/_end span whole RLP items there.
struct Decoded {
  uint8_t status, type, recid;
  bool has_to, has_signature;
  uint64_t nonce, gas_limit, intrinsic_gas, floor_gas;
  uint32_t data_off, data_len;
  uint32_t access_start, access_end, auth_start, auth_end, blobs_start, blobs_end;
  uint32_t n_access, n_access_keys, n_auth, n_blobs;
  uint8_t to[20];
  uint8_t chain_id[32], value[32], fee_cap[32], tip[32], blob_fee[32], v[32], r[32], s[32];
  uint8_t hash[32], signing_hash[32];
};

namespace detail {

HD_INLINE void zero(uint8_t* p, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) p[i] = 0;
}

// A byte-string item as a right-aligned 32-byte big-endian word; false when longer than 32 bytes.
HD_INLINE bool load_word(const uint8_t* buf, const rlp::Item& it, uint8_t out[32]) {
  zero(out, 32);
  if (it.len > 32) return false;
  for (uint32_t i = 0; i < it.len; ++i) out[32 - it.len + i] = buf[it.off + i];
  return true;
}

// The value of an integer item ignoring leading zeros, when it fits 64 bits.
HD_INLINE bool load_u64(const uint8_t* buf, const rlp::Item& it, uint64_t& out) {
  out = 0;
  uint32_t i = 0;
  while (i < it.len && buf[it.off + i] == 0) ++i;
  if (it.len - i > 8) return false;
  for (; i < it.len; ++i) out = (out << 8) | buf[it.off + i];
  return true;
}

HD_INLINE bool leading_zero(const uint8_t* buf, const rlp::Item& it) { return it.len > 0 && buf[it.off] == 0; }

// Whether a * b exceeds 256 bits (b a big-endian word).
HD_INLINE bool mul_overflows_256(uint64_t a, const uint8_t b[32]) {
  uint64_t carry = 0;
  for (int limb = 3; limb >= 0; --limb) {  // least significant limb first
    uint64_t bl = 0;
    for (int k = 0; k < 8; ++k) bl = (bl << 8) | b[8 * limb + k];
    uint64_t lo, hi;
    secp256k1::mul64(a, bl, lo, hi);
    lo += carry;
    carry = hi + (lo < carry ? 1 : 0);
  }
  return carry != 0;
}

// Field positions of the typed transactions (index of each field; -1: the type has none).
struct Layout {
  int chain_id, nonce, tip, fee_cap, gas, to, value, data, access, blob_fee, blobs, auth;
  uint32_t unsigned_fields;
};

HD_INLINE Layout layout_of(uint8_t type) {
  switch (type) {
    case 0: return Layout{-1, 0, -1, 1, 2, 3, 4, 5, -1, -1, -1, -1, 6};
    case 1: return Layout{0, 1, -1, 2, 3, 4, 5, 6, 7, -1, -1, -1, 8};
    case 2: return Layout{0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, 9};
    case 3: return Layout{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1, 11};
    default: return Layout{0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, 9, 10};
  }
}

// A field of the wrong kind: a list where a byte string belongs, or the reverse (OK when it fits).
HD_INLINE uint8_t shape_fault(const Layout& L, int i, bool is_list) {
  if (i == L.access) return is_list ? OK : BAD_ACCESS_LIST;
  if (i == L.auth) return is_list ? OK : BAD_AUTH_LIST;
  if (i == L.blobs) return is_list ? OK : BAD_BLOB_HASH;
  return is_list ? BAD_RLP : OK;
}

// The chain id the envelope names, read as leniently as the reference's pre-check (sequencer/ingress/
// chain-id.ts: leading zeros ignored). NONE: the bytes do not say; OTHER: one that cannot be ours.
enum SignedChain { NONE, PRE_EIP155, CHAIN, OTHER };

HD_INLINE SignedChain signed_chain(const uint8_t* raw, uint32_t len, uint64_t& chain) {
  const bool legacy = raw[0] >= 0xc0;
  if (!legacy && raw[0] > 0x7f) return NONE;
  rlp::Item top;
  if (!rlp::read(raw, legacy ? 0 : 1, len, top) || top.end != len || !top.list || !rlp::valid_tree(raw, top)) return NONE;
  rlp::ListCursor c = rlp::children(raw, top);
  rlp::Item f;
  if (!legacy) {
    if (c.done() || !c.next(f) || f.list) return NONE;
    return load_u64(raw, f, chain) ? CHAIN : OTHER;
  }
  uint32_t n = 0;
  rlp::Item v{};
  while (!c.done()) {
    if (!c.next(f)) return NONE;
    if (n == 6) v = f;
    ++n;
  }
  if (n != 9 || v.list) return NONE;
  uint64_t vv;
  if (!load_u64(raw, v, vv)) return OTHER;
  if (vv == 27 || vv == 28) return PRE_EIP155;
  if (vv < 35) return NONE;
  chain = (vv - 35) / 2;
  return CHAIN;
}

// Access list: [[address(20), [key(32), ...]], ...]. Counts addresses and keys.
HD_INLINE bool check_access_list(const uint8_t* raw, const rlp::Item& list, uint32_t& addrs, uint32_t& keys) {
  addrs = keys = 0;
  if (!list.list) return false;
  rlp::ListCursor items = rlp::children(raw, list);
  rlp::Item item, addr, slots, key;
  while (!items.done()) {
    if (!items.next(item) || !item.list) return false;
    rlp::ListCursor parts = rlp::children(raw, item);
    if (!parts.next(addr) || addr.list || addr.len != 20) return false;
    if (parts.done() || !parts.next(slots) || !slots.list || !parts.done()) return false;
    rlp::ListCursor ks = rlp::children(raw, slots);
    while (!ks.done()) {
      if (!ks.next(key) || key.list || key.len != 32) return false;
      ++keys;
    }
    ++addrs;
  }
  return true;
}

// Authorization list: [[chain_id, address(20), nonce, y_parity, r, s], ...], not empty; integers minimal,
// chain id, r and s within 256 bits, nonce within 64, y parity within 8 (the tuple's own validity is the
// kernel's business at execution: a bad tuple is skipped there, not refused here).
HD_INLINE bool check_auth_list(const uint8_t* raw, const rlp::Item& list, uint32_t& count) {
  count = 0;
  if (!list.list) return false;
  rlp::ListCursor items = rlp::children(raw, list);
  rlp::Item item, f[6];
  while (!items.done()) {
    if (!items.next(item) || !item.list) return false;
    rlp::ListCursor parts = rlp::children(raw, item);
    uint32_t n = 0;
    while (!parts.done()) {
      if (n == 6 || !parts.next(f[n]) || f[n].list) return false;
      ++n;
    }
    if (n != 6 || f[1].len != 20) return false;
    const int ints[5] = {0, 2, 3, 4, 5};
    for (int k = 0; k < 5; ++k)
      if (leading_zero(raw, f[ints[k]])) return false;
    if (f[0].len > 32 || f[2].len > 8 || f[3].len > 1 || f[4].len > 32 || f[5].len > 32) return false;
    ++count;
  }
  return count > 0;
}

}  // namespace detail

// Gas every transaction pays before execution (EIP-2028 calldata, EIP-2930 access list, EIP-3860 init code,
// EIP-7702 tuples at the empty-account cost) and the EIP-7623 calldata floor (0 before Prague).
HD inline void intrinsic_gas(const uint8_t* data, uint32_t len, bool create, uint32_t access_addrs,
                             uint32_t access_keys, uint32_t auths, uint8_t fork, uint64_t& gas, uint64_t& floor) {
  uint64_t zeros = 0;
  for (uint32_t i = 0; i < len; ++i) zeros += data[i] == 0;
  const uint64_t nonzeros = len - zeros;
  gas = 21000 + zeros * 4 + nonzeros * 16;
  if (create) gas += 32000 + 2 * (((uint64_t)len + 31) / 32);
  gas += 2400ull * access_addrs + 1900ull * access_keys + 25000ull * auths;
  floor = fork >= FORK_PRAGUE ? 21000 + 10 * (zeros + 4 * nonzeros) : 0;
}

// What the sender signed: the unsigned fields raw[span_start, span_end) as a list, after the type byte of a
// typed transaction; EIP-155 appends chain id, 0, 0 to a legacy transaction's list.
HD inline void signing_hash(const uint8_t* raw, uint8_t type, uint32_t span_start, uint32_t span_end, bool eip155,
                            uint64_t chain_id, uint8_t out[32]) {
  uint8_t tail[36];
  uint32_t tail_len = 0;
  if (eip155) {
    uint8_t word[32];
    word_from_u64(chain_id, word);
    tail_len = (uint32_t)rlp::write_word(word, tail);
    tail[tail_len++] = 0x80;
    tail[tail_len++] = 0x80;
  }
  uint8_t header[5];
  const uint32_t header_len = rlp::write_list_header(span_end - span_start + tail_len, header);
  KeccakSponge sponge;
  sponge.init();
  if (type != 0) sponge.absorb(&type, 1);
  sponge.absorb(header, header_len);
  sponge.absorb(raw + span_start, span_end - span_start);
  sponge.absorb(tail, tail_len);
  sponge.finish(out);
}

// Decodes and checks raw[0, len). d.status is OK or the first fault found; on OK, d.hash and d.signing_hash
// are set and (d.signing_hash, d.r, d.s, d.recid) is what sender recovery takes.
HD inline void decode(const uint8_t* raw, uint32_t len, const Config& cfg, Decoded& d) {
  using namespace detail;
  uint8_t* const begin = reinterpret_cast<uint8_t*>(&d);
  for (size_t i = 0; i < sizeof(Decoded); ++i) begin[i] = 0;
#define TX_FAIL(code) \
  do {                \
    d.status = code;  \
    return;           \
  } while (0)
  if (len == 0) TX_FAIL(EMPTY);
  // Policy before size: a blob transaction with its blobs is far over the size limit, but that is not why.
  if (raw[0] == 3 && !cfg.allow_blob_txs) TX_FAIL(BLOB_REFUSED);
  if (len > cfg.max_size) TX_FAIL(OVERSIZED);
  uint64_t envelope_chain = 0;
  const SignedChain sc = signed_chain(raw, len, envelope_chain);
  if (sc == PRE_EIP155 && !cfg.allow_unprotected) TX_FAIL(UNPROTECTED);
  if (sc == OTHER || (sc == CHAIN && envelope_chain != cfg.chain_id)) TX_FAIL(SIGNED_FOR_OTHER);

  // Envelope: a list (legacy) or a type byte 1..4 and a list.
  uint32_t start = 0;
  if (raw[0] <= 0x7f) {
    if (raw[0] < 1 || raw[0] > 4) TX_FAIL(UNKNOWN_TYPE);
    d.type = raw[0];
    start = 1;
  }
  rlp::Item top;
  if (!rlp::read(raw, start, len, top) || top.end != len || !top.list || !rlp::valid_tree(raw, top)) TX_FAIL(BAD_RLP);
  rlp::Item f[14];
  uint32_t n = 0;
  for (rlp::ListCursor c = rlp::children(raw, top); !c.done(); ++n) {
    if (n == 14 || !c.next(f[n])) TX_FAIL(FIELD_COUNT);
  }
  const Layout L = layout_of(d.type);
  if (n != L.unsigned_fields && n != L.unsigned_fields + 3) TX_FAIL(FIELD_COUNT);
  d.has_signature = n == L.unsigned_fields + 3;
  const rlp::Item none{0, 0, 0, 0, false};
  const rlp::Item& fv = d.has_signature ? f[L.unsigned_fields] : none;
  const rlp::Item& fr = d.has_signature ? f[L.unsigned_fields + 1] : none;
  const rlp::Item& fs = d.has_signature ? f[L.unsigned_fields + 2] : none;

  // Shapes: every field is a byte string except the lists; integers minimal.
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t fault = shape_fault(L, (int)i, f[i].list);
    if (fault != OK) TX_FAIL(fault);
  }
  const int minimal[] = {L.nonce, L.tip, L.fee_cap, L.gas, L.value, L.blob_fee};
  for (int i : minimal)
    if (i >= 0 && leading_zero(raw, f[i])) TX_FAIL(LEADING_ZERO);
  if (leading_zero(raw, fv) || leading_zero(raw, fr) || leading_zero(raw, fs)) TX_FAIL(LEADING_ZERO);

  // Values, in the reference's order: to, value, r, s, gas, nonce, then the fork's limits.
  const rlp::Item& to = f[L.to];
  if (to.len != 0 && to.len != 20) TX_FAIL(BAD_TO);
  d.has_to = to.len == 20;
  for (uint32_t i = 0; i < to.len; ++i) d.to[i] = raw[to.off + i];
  d.data_off = f[L.data].off;
  d.data_len = f[L.data].len;
  if (!load_word(raw, f[L.value], d.value)) TX_FAIL(VALUE_TOO_LARGE);
  if (!load_word(raw, fr, d.r) || !load_word(raw, fs, d.s)) TX_FAIL(SIG_TOO_LARGE);
  if (!load_u64(raw, f[L.gas], d.gas_limit)) TX_FAIL(GAS_TOO_LARGE);
  if (!load_u64(raw, f[L.nonce], d.nonce) || d.nonce == ~0ull) TX_FAIL(NONCE_TOO_LARGE);
  if (cfg.fork >= FORK_OSAKA && d.gas_limit > TX_GAS_LIMIT_CAP) TX_FAIL(GAS_CAP);
  if (!d.has_to && cfg.limit_init_code && d.data_len > MAX_INITCODE_SIZE) TX_FAIL(INITCODE_TOO_LARGE);

  // Chain id: the field of a typed transaction, EIP-155's v of a legacy one.
  uint64_t v_small = 0;
  const bool v_fits = load_u64(raw, fv, v_small);
  load_word(raw, fv, d.v);  // v of a legacy transaction fits 64 bits once the chain id is checked
  if (d.type == 0) {
    if (!load_word(raw, f[L.fee_cap], d.fee_cap)) TX_FAIL(VALUE_TOO_LARGE);
    if (d.has_signature && fv.len > 0) {
      if (v_fits && v_small < 37 && v_small != 27 && v_small != 28) TX_FAIL(LEGACY_V);
      if (v_small != 27 && v_small != 28) {
        if (!v_fits || (v_small - 35) / 2 != cfg.chain_id) TX_FAIL(CHAIN_MISMATCH);
        word_from_u64(cfg.chain_id, d.chain_id);
      }
    }
    if (mul_overflows_256(d.gas_limit, d.fee_cap)) TX_FAIL(FEE_PRODUCT);
  } else {
    uint64_t chain;
    const bool chain_fits = load_u64(raw, f[L.chain_id], chain);
    if (!chain_fits || chain != cfg.chain_id) TX_FAIL(CHAIN_MISMATCH);
    word_from_u64(chain, d.chain_id);
    if (d.type == 4 && cfg.fork < FORK_PRAGUE) TX_FAIL(TYPE_NOT_ACTIVE);
    const rlp::Item& al = f[L.access];
    d.access_start = al.start;
    d.access_end = al.end;
    if (!check_access_list(raw, al, d.n_access, d.n_access_keys)) TX_FAIL(BAD_ACCESS_LIST);
    if (d.type == 4) {
      d.auth_start = f[L.auth].start;
      d.auth_end = f[L.auth].end;
      if (!check_auth_list(raw, f[L.auth], d.n_auth)) TX_FAIL(BAD_AUTH_LIST);
    }
    if (d.type == 1) {
      if (!load_word(raw, f[L.fee_cap], d.fee_cap)) TX_FAIL(VALUE_TOO_LARGE);
    } else {
      if (!load_word(raw, f[L.fee_cap], d.fee_cap) || !load_word(raw, f[L.tip], d.tip)) TX_FAIL(VALUE_TOO_LARGE);
    }
    if (mul_overflows_256(d.gas_limit, d.fee_cap)) TX_FAIL(FEE_PRODUCT);
    if (word_lt(d.fee_cap, d.tip)) TX_FAIL(TIP_ABOVE_CAP);
    if (d.type == 3 && !load_word(raw, f[L.blob_fee], d.blob_fee)) TX_FAIL(VALUE_TOO_LARGE);
    if (!word_fits_u64(d.v) || word_u64(d.v) > 1 || fv.len > 32) TX_FAIL(BAD_Y_PARITY);
  }
  if (!s_is_low(d.s)) TX_FAIL(HIGH_S);
  if (d.type == 3) {
    const rlp::Item& bl = f[L.blobs];
    d.blobs_start = bl.start;
    d.blobs_end = bl.end;
    rlp::Item h;
    for (rlp::ListCursor c = rlp::children(raw, bl); !c.done(); ++d.n_blobs) {
      if (!c.next(h) || h.list || h.len != 32 || raw[h.off] != 0x01) TX_FAIL(BAD_BLOB_HASH);
    }
    // Blobs one transaction may carry: the block's blob gas limit (6 Cancun, 9 Prague), EIP-7594's 6 (Osaka).
    const uint32_t max_blobs = cfg.fork == FORK_PRAGUE ? 9 : 6;
    if (d.n_blobs > max_blobs) TX_FAIL(TOO_MANY_BLOBS);
    if (d.n_blobs == 0) TX_FAIL(NO_BLOBS);
  }
  if ((d.type == 3 || d.type == 4) && !d.has_to) TX_FAIL(NO_TO);

  // Checks of the reference past its decoder: signed at all, canonical, signature ranges, intrinsic gas.
  const bool legacy_unsigned = d.type == 0 && fv.len == 0;
  if (!d.has_signature || fr.len == 0 || fs.len == 0 || legacy_unsigned) TX_FAIL(NOT_SIGNED);
  if (d.type != 0 && leading_zero(raw, f[L.chain_id])) TX_FAIL(NOT_CANONICAL);
  if (!word_in_secp_range(d.r) || !word_in_secp_range(d.s)) TX_FAIL(R_S_RANGE);
  if (d.type == 0) {
    d.recid = (uint8_t)(v_small == 27 || v_small == 28 ? v_small - 27 : v_small - (2 * cfg.chain_id + 35));
  } else {
    d.recid = (uint8_t)word_u64(d.v);
  }
  intrinsic_gas(raw + d.data_off, d.data_len, !d.has_to, d.n_access, d.n_access_keys, d.n_auth, cfg.fork,
                d.intrinsic_gas, d.floor_gas);
  if (d.gas_limit < d.intrinsic_gas) TX_FAIL(INTRINSIC_GAS);
  if (d.gas_limit < d.floor_gas) TX_FAIL(FLOOR_GAS);

  keccak256(raw, len, d.hash);
  const bool eip155 = d.type == 0 && v_small != 27 && v_small != 28;
  signing_hash(raw, d.type, f[0].start, f[L.unsigned_fields - 1].end, eip155, cfg.chain_id, d.signing_hash);
#undef TX_FAIL
}
}  // namespace tx
}  // namespace kern
