// Transaction-level processing (Cancun through Osaka, by the block's fork): validation (a transaction that
// cannot be included is rejected, and changes nothing), intrinsic gas and the EIP-7623 calldata floor, fee
// purchase, warm sets, EIP-7702 authorizations, the top call/create frame, refunds, and the fee recipient's
// credit, which is reported (commutative) rather than applied.
#pragma once
#include "authorization.h"

namespace kern {
namespace evm {

constexpr uint64_t GAS_PER_BLOB = 131072;
// Blobs one transaction may carry: the block maximum through Prague (EIP-4844: 6, EIP-7691: 9), then the
// EIP-7594 per-transaction cap (Osaka).
HD_INLINE uint32_t max_blobs_per_tx(uint8_t fork) { return fork == FORK_PRAGUE ? 9 : 6; }
// EIP-7825 (Osaka): the most gas one transaction may ask for.
constexpr uint64_t TX_GAS_LIMIT_CAP = 1ULL << 24;

constexpr uint64_t TX_BASE_COST = 21000, TX_CREATE_COST = 32000, TX_DATA_ZERO = 4, TX_DATA_NONZERO = 16,
                   INITCODE_WORD_COST = 2, ACCESS_LIST_ADDRESS_COST = 2400, ACCESS_LIST_KEY_COST = 1900;
// EIP-7623 (Prague): a transaction pays at least 10 gas per calldata token (a zero byte is 1 token, another
// byte 4) on top of the base cost.
constexpr uint64_t TOTAL_COST_FLOOR_PER_TOKEN = 10, TOKENS_PER_NONZERO_BYTE = 4;

// a * b, false on 256-bit overflow.
HD inline bool mul_checked(const u256& a, const u256& b, u256* out) {
  uint64_t p[8];
  mul_full(a.w, b.w, p);
  if (p[4] | p[5] | p[6] | p[7]) return false;
  *out = u256{{p[0], p[1], p[2], p[3]}};
  return true;
}
HD inline bool add_checked(const u256& a, const u256& b, u256* out) {
  bool carry;
  *out = add(a, b, &carry);
  return !carry;
}

HD inline void reject(Ctx& c, uint8_t why) {
  c.result.outcome = OUT_REJECTED;
  c.result.error = why;
}

// Executes c.tx against c.db. The result is in c.result and the overlay (read by the host afterwards).
HD inline void execute_tx(Ctx& c) {
  const TxK& tx = *c.tx;
  const BlockEnvK& env = *c.env;
  c.result.outcome = OUT_EXECUTED;
  // Sender is read first (a rejected transaction reports it as read).
  int32_t si = acct_read(c, tx.from);
  if (si < 0) goto resources;
  c.accts[si].read_code = 1;  // EIP-3607 looks at the sender's code
  {
    const bool is_create = !tx.has_to;
    const uint8_t fork = env.fork;
    if (tx.type == 4 && fork < FORK_PRAGUE) return reject(c, R_TX_TYPE);
    if (fork >= FORK_OSAKA && !tx.is_call && gt(tx.gas_limit, u256_from(TX_GAS_LIMIT_CAP))) return reject(c, R_GAS_LIMIT_CAP);
    // Intrinsic gas, and the calldata floor.
    uint64_t intrinsic = TX_BASE_COST;
    if (is_create) intrinsic += TX_CREATE_COST;
    uint64_t zero_bytes = 0;
    for (uint64_t i = 0; i < tx.data_len; ++i) zero_bytes += tx.data[i] == 0;
    const uint64_t nonzero_bytes = tx.data_len - zero_bytes;
    intrinsic += TX_DATA_ZERO * zero_bytes + TX_DATA_NONZERO * nonzero_bytes;
    if (is_create) intrinsic += INITCODE_WORD_COST * ((tx.data_len + 31) / 32);
    {
      const uint8_t* p = tx.access_list;
      for (uint32_t i = 0; i < tx.n_access; ++i) {
        uint32_t nk = (uint32_t)p[20] | ((uint32_t)p[21] << 8) | ((uint32_t)p[22] << 16) | ((uint32_t)p[23] << 24);
        intrinsic += ACCESS_LIST_ADDRESS_COST + ACCESS_LIST_KEY_COST * nk;
        p += 24 + 32ULL * nk;
      }
    }
    intrinsic += PER_EMPTY_ACCOUNT_COST * tx.n_auths;
    const uint64_t floor =
        fork >= FORK_PRAGUE ? TX_BASE_COST + TOTAL_COST_FLOOR_PER_TOKEN * (zero_bytes + TOKENS_PER_NONZERO_BYTE * nonzero_bytes) : 0;
    if (tx.type == 4) {
      if (is_create) return reject(c, R_SETCODE_CREATE);
      if (tx.n_auths == 0) return reject(c, R_SETCODE_EMPTY);
    }
    if (is_create && tx.data_len > MAX_INITCODE_SIZE) return reject(c, R_INITCODE_SIZE);
    if (!fits64(tx.gas_limit) || tx.gas_limit.w[0] > 0x7fffffffffffffffULL) return reject(c, R_GAS_OVERFLOW);
    const uint64_t gas_limit = tx.gas_limit.w[0];
    if (gas_limit < intrinsic) return reject(c, R_INTRINSIC_GAS);
    if (gas_limit < floor) return reject(c, R_FLOOR_GAS);
    if (!tx.is_call && gt(tx.gas_limit, env.gas_limit)) return reject(c, R_BLOCK_GAS);
    // Fees.
    u256 max_fee = tx.type >= 2 ? tx.max_fee : tx.gas_price;
    u256 prio = tx.type >= 2 ? tx.max_priority_fee : tx.gas_price;
    if (tx.type >= 2 && gt(prio, max_fee)) return reject(c, R_PRIORITY_ABOVE_CAP);
    if (lt(max_fee, env.base_fee)) return reject(c, R_FEE_CAP_LOW);
    u256 headroom = sub(max_fee, env.base_fee);
    u256 eff_prio = tx.type >= 2 ? (lt(prio, headroom) ? prio : headroom) : headroom;
    u256 gas_price = add(env.base_fee, eff_prio);
    c.gas_price = gas_price;
    uint64_t blob_gas = 0;
    if (tx.type == 3) {
      if (is_create) return reject(c, R_BLOB_CREATE);
      if (tx.n_blobs == 0 || tx.n_blobs > max_blobs_per_tx(fork)) return reject(c, R_BLOB_COUNT);
      for (uint32_t i = 0; i < tx.n_blobs; ++i)
        if (tx.blob_hashes[32 * i] != 0x01) return reject(c, R_BLOB_VERSION);
      if (lt(tx.max_fee_per_blob_gas, env.blob_base_fee)) return reject(c, R_BLOB_FEE_LOW);
      blob_gas = GAS_PER_BLOB * tx.n_blobs;
    }
    OAcct* sender = &c.accts[si];
    // EIP-3607, except that an account delegated by EIP-7702 still sends (and calls may come from contracts).
    if (sender->code_len != 0 && !tx.is_call && !(fork >= FORK_PRAGUE && is_delegation(sender->code, sender->code_len)))
      return reject(c, R_SENDER_CODE);
    if (!fits64(tx.nonce) || tx.nonce.w[0] == ~0ULL || sender->nonce == ~0ULL) return reject(c, R_NONCE_MAX);
    if (tx.nonce.w[0] < sender->nonce) return reject(c, R_NONCE_LOW);
    if (tx.nonce.w[0] > sender->nonce) return reject(c, R_NONCE_HIGH);
    // Balance: gas_limit * max_fee + value (+ blob gas * max blob fee) must be covered.
    u256 max_cost, t;
    if (!mul_checked(tx.gas_limit, max_fee, &max_cost)) return reject(c, R_BALANCE);
    if (!add_checked(max_cost, tx.value, &max_cost)) return reject(c, R_BALANCE);
    if (tx.type == 3) {
      if (!mul_checked(u256_from(blob_gas), tx.max_fee_per_blob_gas, &t)) return reject(c, R_BALANCE);
      if (!add_checked(max_cost, t, &max_cost)) return reject(c, R_BALANCE);
    }
    if (lt(sender->balance, max_cost)) return reject(c, R_BALANCE);

    // Buy gas, bump the nonce.
    u256 upfront = mul(tx.gas_limit, gas_price);
    if (tx.type == 3) upfront = add(upfront, mul(u256_from(blob_gas), env.blob_base_fee));
    set_balance(c, (uint32_t)si, sub(sender->balance, upfront));
    set_nonce(c, (uint32_t)si, sender->nonce + 1);
    c.result.blob_gas_used = blob_gas;

    // Warm set: sender, recipient, coinbase (EIP-3651), access list; precompiles are warm (acct_get).
    warm_acct(c, (uint32_t)si);
    {
      int32_t cb = acct_get(c, env.coinbase);
      if (cb < 0) goto resources;
      warm_acct(c, (uint32_t)cb);
    }
    {
      const uint8_t* p = tx.access_list;
      for (uint32_t i = 0; i < tx.n_access; ++i) {
        int32_t ai = acct_get(c, p);
        if (ai < 0) goto resources;
        warm_acct(c, (uint32_t)ai);
        uint32_t nk = (uint32_t)p[20] | ((uint32_t)p[21] << 8) | ((uint32_t)p[22] << 16) | ((uint32_t)p[23] << 24);
        for (uint32_t k = 0; k < nk; ++k) {
          int32_t sl = slot_get(c, (uint32_t)ai, from_be32(p + 24 + 32ULL * k));
          if (sl < 0) goto resources;
          if (!c.slots[sl].warm) {
            journal_push(c, J_SLOT_WARM, (uint32_t)sl, 0, u256_zero());
            c.slots[sl].warm = 1;
          }
        }
        p += 24 + 32ULL * nk;
      }
    }

    // EIP-7702: authorities get their delegations before the call (kept whatever the call does).
    int64_t auth_refund = 0;
    if (!apply_authorizations(c, &auth_refund)) goto resources;
    c.refund = auth_refund;

    int64_t gas = (int64_t)(gas_limit - intrinsic);
    int64_t gas_left = 0;
    uint8_t status = ST_SUCCESS;
    uint8_t target[20];
    if (is_create) {
      create_address(tx.from, tx.nonce.w[0], target);
      c.result.created = 1;
      for (int k = 0; k < 20; ++k) c.result.created_addr[k] = target[k];
    } else {
      for (int k = 0; k < 20; ++k) target[k] = tx.to[k];
    }
    int32_t ti = acct_read(c, target);
    if (ti < 0) goto resources;
    warm_acct(c, (uint32_t)ti);
    sender = &c.accts[si];
    uint32_t jmark = c.n_journal;
    if (is_create) {
      if (create_collides(c, c.accts[ti])) {
        status = ST_HALT;
        c.result.error = E_COLLISION;
        gas_left = 0;
      } else {
        Frame* f = push_frame(c, nullptr, K_CREATE, tx.data, tx.data_len, gas);
        if (!f) goto resources;
        begin_creation(c, (uint32_t)ti);
        transfer(c, (uint32_t)si, (uint32_t)ti, tx.value);
        for (int k = 0; k < 20; ++k) {
          f->address[k] = target[k];
          f->caller[k] = tx.from[k];
        }
        f->value = tx.value;
        f->is_static = 0;
        f->journal_mark = jmark;
        status = run_frames(c, &gas_left);
      }
    } else {
      c.accts[ti].read_code = 1;
      transfer(c, (uint32_t)si, (uint32_t)ti, tx.value);
      const uint16_t pid = precompile_id(c, target);
      if (pid != 0) {
        uint64_t plen = 0;
        bool ok = false;
        gas_left = run_precompile(c, pid, tx.data, tx.data_len, gas, 0, &plen, &ok);
        if (c.resource_fail) goto resources;
        if (ok) {
          c.result.output_len = plen;
        } else {
          revert_to(c, jmark);
          status = ST_HALT;
          c.result.error = E_PRECOMPILE;
          gas_left = 0;
        }
      } else {
        // A delegated recipient runs its delegate's code (the delegate is warmed for free; never a precompile).
        const int32_t di = delegate_account(c, (uint32_t)ti);
        if (di == DELEGATE_NO_ROOM) goto resources;
        if (di >= 0) warm_acct(c, (uint32_t)di);
        const OAcct& runs = c.accts[di >= 0 ? di : ti];
        if (runs.code_len == 0) {
          gas_left = gas;
        } else {
          Frame* f = push_frame(c, nullptr, K_CALL, runs.code, runs.code_len, gas);
          if (!f) goto resources;
          for (int k = 0; k < 20; ++k) {
            f->address[k] = target[k];
            f->caller[k] = tx.from[k];
          }
          f->value = tx.value;
          f->is_static = 0;
          f->input = tx.data;
          f->input_len = tx.data_len;
          f->journal_mark = jmark;
          status = run_frames(c, &gas_left);
        }
      }
    }
    if (c.resource_fail) goto resources;
    if (status != ST_SUCCESS) c.refund = auth_refund;
    c.result.status = status;
    if (status == ST_SUCCESS) c.result.error = E_NONE;
    else if (status == ST_REVERT) c.result.error = E_REVERT;
    else if (c.result.error == E_NONE) c.result.error = E_OOG;
    if (is_create && status != ST_SUCCESS) c.result.created = is_create ? 1 : 0;

    // Refund (EIP-3529: at most a fifth of the gas used), then pay back the sender, credit the fee recipient.
    uint64_t used = gas_limit - (uint64_t)gas_left;
    uint64_t refund = c.refund > 0 ? (uint64_t)c.refund : 0;
    if (refund > used / 5) refund = used / 5;
    used -= refund;
    if (used < floor) used = floor;
    uint64_t back = gas_limit - used;
    sender = &c.accts[si];
    set_balance(c, (uint32_t)si, add(sender->balance, mul(u256_from(back), gas_price)));
    c.result.gas_used = used;
    c.result.gas_refund = refund;
    c.result.coinbase_credit = mul(u256_from(used), eff_prio);
    return;
  }
resources:
  if (c.aborted) {
    c.result.outcome = OUT_ABORTED;
    c.result.error = X_ABORTED;
    return;
  }
  c.result.outcome = OUT_RETRY_HOST;
  if (c.result.error == E_NONE || c.result.error < X_RESOURCES) c.result.error = X_RESOURCES;
}

}  // namespace evm
}  // namespace kern
