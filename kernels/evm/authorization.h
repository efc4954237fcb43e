// EIP-7702 (Prague) authorization processing for set-code transactions: each tuple (chain id, address, nonce,
// y parity, r, s) signed by an authority sets the authority's code to the delegation designator
// 0xef0100 || address (or clears it for the zero address) and bumps its nonce. A tuple that fails a check is
// skipped; the transaction goes on. Runs after the sender's nonce bump and before the call, outside any
// frame, so a failing call does not undo it. The authority's signature is recovered here, in the kernel (one
// instance per transaction, so a batch recovers its authorities in parallel on the CPU pool or the device).
#pragma once
#include "../common/be_word.h"
#include "../crypto/keccak.h"
#include "../crypto/secp256k1.h"
#include "../tx/rlp_reader.h"
#include "interpreter.h"

namespace kern {
namespace evm {

// Gas (EIP-7702): the intrinsic cost per tuple, and what comes back when the authority already existed.
constexpr uint64_t PER_EMPTY_ACCOUNT_COST = 25000;
constexpr int64_t PER_AUTH_BASE_COST = 12500;
constexpr uint8_t SET_CODE_MAGIC = 0x05;

// The signer of an authorization: ecrecover over keccak256(0x05 || rlp([chain_id, address, nonce])).
// False for a y parity other than 0/1, a high s, or a signature that recovers nothing.
HD inline bool recover_authority(const AuthK& a, uint8_t out[20]) {
  if (!word_fits_u64(a.y_parity) || word_u64(a.y_parity) > 1 || !s_is_low(a.s)) return false;
  uint8_t payload[33 + 21 + 33];
  int n = rlp::write_word(a.chain_id, payload);
  payload[n++] = 0x94;
  for (int i = 0; i < 20; ++i) payload[n++] = a.address[i];
  n += rlp::write_word(a.nonce, payload + n);
  uint8_t msg[2 + 2 + sizeof(payload)];
  int m = 0;
  msg[m++] = SET_CODE_MAGIC;
  if (n <= 55) {
    msg[m++] = (uint8_t)(0xc0 + n);
  } else {
    msg[m++] = 0xf8;
    msg[m++] = (uint8_t)n;
  }
  for (int i = 0; i < n; ++i) msg[m++] = payload[i];
  uint8_t hash[32];
  keccak256(msg, (size_t)m, hash);
  return secp256k1::recover_address(hash, a.r, a.s, (unsigned)word_u64(a.y_parity), out);
}

// Applies the transaction's authorizations. *refund gets the EIP-7702 refund for authorities that existed.
// False when the overlay ran out of room.
HD inline bool apply_authorizations(Ctx& c, int64_t* refund) {
  const TxK& tx = *c.tx;
  for (uint32_t k = 0; k < tx.n_auths; ++k) {
    const AuthK a = auth_at(tx, k);
    // Chain id 0 or ours; nonce below 2^64 - 1.
    bool any_chain = true;
    for (int i = 0; i < 32; ++i) any_chain = any_chain && a.chain_id[i] == 0;
    if (!any_chain && !eq(from_be32(a.chain_id), c.env->chain_id)) continue;
    if (!word_fits_u64(a.nonce) || word_u64(a.nonce) == ~0ULL) continue;
    uint8_t authority[20];
    if (!recover_authority(a, authority)) continue;
    int32_t ai = acct_read(c, authority);
    if (ai < 0) return false;
    OAcct* acct = &c.accts[ai];
    acct->read_code = 1;
    warm_acct(c, (uint32_t)ai);
    if (acct->code_len != 0 && !is_delegation(acct->code, acct->code_len)) continue;
    if (acct->nonce != word_u64(a.nonce)) continue;
    if (acct->exists) *refund += (int64_t)PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST;
    bool clear = true;
    for (int i = 0; i < 20; ++i) clear = clear && a.address[i] == 0;
    uint8_t* code = nullptr;
    if (!clear) {
      if (c.code_arena_len + DELEGATION_LEN > c.lim.code_bytes) {
        fail_res(c, RES_CODE);
        return false;
      }
      code = c.code_arena + c.code_arena_len;
      c.code_arena_len += DELEGATION_LEN;
      code[0] = 0xef;
      code[1] = 0x01;
      code[2] = 0x00;
      for (int i = 0; i < 20; ++i) code[3 + i] = a.address[i];
    }
    if (!save_acct(c, (uint32_t)ai)) return false;
    acct = &c.accts[ai];
    // Clearing a delegation the account does not have leaves its (empty) code as it was.
    if (!clear || acct->code_len != 0) acct->code_changed = 1;
    acct->exists = 1;
    acct->code = code;
    acct->code_len = clear ? 0 : DELEGATION_LEN;
    if (clear) empty_code_hash(acct->code_hash);
    else keccak256(code, (size_t)DELEGATION_LEN, acct->code_hash);
    set_nonce(c, (uint32_t)ai, acct->nonce + 1);
    touch(c, (uint32_t)ai);
  }
  return true;
}

}  // namespace evm
}  // namespace kern
