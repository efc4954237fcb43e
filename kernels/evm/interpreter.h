// The EVM interpreter (Cancun, Prague, Osaka: the block's fork picks the opcode table and precompiles) and
// transaction processing. One instance = one transaction = one Ctx. Calls and creates push frames on an
// explicit frame stack (no recursion), so the same code runs as a CUDA thread. Gas follows the yellow paper
// as amended through Osaka: EIP-150 (63/64), EIP-2200/3529 SSTORE, EIP-2929/2930 warm/cold, EIP-3860
// initcode, EIP-3651 warm coinbase, EIP-1153 transient storage, EIP-5656 MCOPY, EIP-4844
// BLOBHASH/BLOBBASEFEE, EIP-6780 SELFDESTRUCT, EIP-7610 collisions, EIP-7702 delegated code (Prague),
// EIP-7939 CLZ (Osaka).
#pragma once
#include "../crypto/keccak.h"
#include "context.h"

#if __has_include("../precompiles/dispatch.h")
#include "../precompiles/precompiles.h"
#define EVM_HAVE_PRECOMPILES 1
#else
#define EVM_HAVE_PRECOMPILES 0
#endif

// EVM_DEVICE_PRECOMPILES=0 (set by native/evm/evm_cuda.cu) keeps the precompile implementations out of the
// device build of the interpreter: on the device only IDENTITY runs inline, and a transaction that calls any
// other precompile is handed back to the host, which completes it with the same code. This keeps the EVM
// kernel small (compile time, registers) while the crypto kernels run as their own batches.
#ifndef EVM_DEVICE_PRECOMPILES
#define EVM_DEVICE_PRECOMPILES 1
#endif
#if EVM_HAVE_PRECOMPILES && (!defined(__CUDA_ARCH__) || EVM_DEVICE_PRECOMPILES)
#define EVM_RUN_PRECOMPILES 1
#else
#define EVM_RUN_PRECOMPILES 0
#endif

namespace kern {
namespace evm {

constexpr int64_t COLD_ACCOUNT = 2600, COLD_SLOAD = 2100, WARM_READ = 100;

HD_INLINE int64_t mem_cost(uint64_t words) { return (int64_t)(3 * words + words * words / 512); }

// ---- helpers on frames ----

HD_INLINE uint8_t* frame_mem(Ctx& c, Frame* f) { return c.mem + f->mem_base; }

// Expands f's memory to cover [off, off+len); charges gas (the frame's, held by the interpreter). false: out
// of gas (or out of arena).
HD inline bool expand_mem(Ctx& c, Frame* f, int64_t& gas, uint64_t off, uint64_t len) {
  if (len == 0) return true;
  uint64_t end = off + len;
  if (end <= f->mem_size) return true;
  uint64_t words = (end + 31) / 32;
  int64_t cost = mem_cost(words) - mem_cost(f->mem_size / 32);
  if (gas < cost) return false;
  gas -= cost;
  uint64_t new_size = words * 32;
  if (f->mem_base + new_size > c.lim.mem_bytes) {
    fail_res(c, RES_MEM);
    return false;
  }
  uint8_t* m = frame_mem(c, f);
  for (uint64_t i = f->mem_size; i < new_size; ++i) m[i] = 0;
  f->mem_size = new_size;
  return true;
}

constexpr uint64_t MEM_LIMIT = 0xffffffffULL;  // anything beyond costs more gas than can exist

// Validates a (offset, length) operand pair and expands memory. false: out of gas.
HD inline bool mem_region(Ctx& c, Frame* f, int64_t& gas, const u256& off, const u256& len, uint64_t* o, uint64_t* l) {
  if (is_zero(len)) {
    *o = 0;
    *l = 0;
    return true;
  }
  if (!fits64(off) || !fits64(len) || off.w[0] > MEM_LIMIT || len.w[0] > MEM_LIMIT) return false;
  *o = off.w[0];
  *l = len.w[0];
  return expand_mem(c, f, gas, *o, *l);
}

// mem_region for a fixed length n > 0 (MLOAD, MSTORE, MSTORE8), inlined: memory that is already large
// enough (nearly every access) costs two compares.
HD_FORCE_INLINE bool mem_fixed(Ctx& c, Frame* f, int64_t& gas, const u256& off, uint64_t n, uint64_t* o) {
  if (!fits64(off) || off.w[0] > MEM_LIMIT) return false;
  *o = off.w[0];
  return *o + n <= f->mem_size || expand_mem(c, f, gas, *o, n);
}

// Copies src[src_off .. src_off+len) (zero-filled past src_len) to dst.
HD inline void copy_padded(uint8_t* dst, const uint8_t* src, uint64_t src_len, const u256& src_off, uint64_t len) {
  uint64_t start = fits64(src_off) ? src_off.w[0] : ~0ULL;
  for (uint64_t i = 0; i < len; ++i) {
    uint64_t k = start + i;
    dst[i] = (start != ~0ULL && k >= start && k < src_len) ? src[k] : 0;
  }
}

HD inline void jumpdest_analysis(const uint8_t* code, uint64_t len, uint8_t* bitmap) {
  uint64_t nbytes = len / 8 + 1;
  for (uint64_t i = 0; i < nbytes; ++i) bitmap[i] = 0;
  for (uint64_t pc = 0; pc < len; ++pc) {
    uint8_t op = code[pc];
    if (op == 0x5b) bitmap[pc / 8] |= (uint8_t)(1u << (pc % 8));
    else if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f;
  }
}

HD inline void create_address(const uint8_t sender[20], uint64_t nonce, uint8_t out[20]) {
  uint8_t buf[32];
  uint8_t nb[8];
  int nlen = 0;
  for (int i = 7; i >= 0; --i) {
    uint8_t b = (uint8_t)(nonce >> (8 * i));
    if (nlen == 0 && b == 0) continue;
    nb[nlen++] = b;
  }
  int p = 0;
  int payload = 21 + ((nonce == 0 || nonce >= 0x80) ? 1 + (nonce == 0 ? 0 : nlen) : 1);
  buf[p++] = (uint8_t)(0xc0 + payload);
  buf[p++] = 0x94;
  for (int i = 0; i < 20; ++i) buf[p++] = sender[i];
  if (nonce == 0) buf[p++] = 0x80;
  else if (nonce < 0x80) buf[p++] = (uint8_t)nonce;
  else {
    buf[p++] = (uint8_t)(0x80 + nlen);
    for (int i = 0; i < nlen; ++i) buf[p++] = nb[i];
  }
  uint8_t h[32];
  keccak256(buf, (size_t)p, h);
  for (int i = 0; i < 20; ++i) out[i] = h[12 + i];
}

HD inline void create2_address(const uint8_t sender[20], const u256& salt, const uint8_t* code, uint64_t len,
                               uint8_t out[20]) {
  uint8_t buf[85];
  buf[0] = 0xff;
  for (int i = 0; i < 20; ++i) buf[1 + i] = sender[i];
  to_be32(salt, buf + 21);
  keccak256(code, (size_t)len, buf + 53);
  uint8_t h[32];
  keccak256(buf, 85, h);
  for (int i = 0; i < 20; ++i) out[i] = h[12 + i];
}


HD_INLINE int32_t acct_read(Ctx& c, const uint8_t addr[20]) {
  int32_t i = acct_get(c, addr);
  if (i >= 0) c.accts[i].read_hdr = 1;
  return i;
}

// Runs a precompile inline. Output goes to the caller's return-data buffer (rd at rd_off). Returns
// the gas left (0 on failure) and sets *ok; sets c.resource_fail (with result.error) when it cannot run here.
HD inline int64_t run_precompile(Ctx& c, uint16_t id, const uint8_t* in, uint64_t in_len, int64_t gas, uint64_t rd_off,
                                 uint64_t* out_len, bool* ok) {
  *ok = false;
  *out_len = 0;
  if (id == precompile::IDENTITY) {  // runs everywhere: 15 + 3 per word, output = input
    uint64_t cost = 15 + 3 * ((in_len + 31) / 32);
    if (cost > (uint64_t)gas) return 0;
    if (rd_off + in_len > c.lim.rd_bytes) {
      fail_res(c, RES_RD);
      return 0;
    }
    for (uint64_t k = 0; k < in_len; ++k) c.rd[rd_off + k] = in[k];
    *ok = true;
    *out_len = in_len;
    return gas - (int64_t)cost;
  }
  // An instance that runs as a device thread without the device precompiles hands the transaction back.
  if (c.on_device && !c.device_precompiles) {
    fail_res(c, RES_PRECOMPILE);
    c.result.error = X_PRECOMPILE_ON_HOST;
    return 0;
  }
#if EVM_RUN_PRECOMPILES
  if (!precompile::implemented(id)) {
    fail_res(c, RES_PRECOMPILE);
    c.result.error = X_PRECOMPILE_MISSING;
    return 0;
  }
  if (c.on_device && !precompile::runs_on_device(id)) {
    fail_res(c, RES_PRECOMPILE);
    c.result.error = X_PRECOMPILE_ON_HOST;
    return 0;
  }
  uint64_t cost = precompile::gas_cost(id, in, (size_t)in_len, c.env->fork);
  if (cost > (uint64_t)gas) return 0;
  size_t need = precompile::max_output_size(id, in, (size_t)in_len);  // exact length comes from run()
  if (rd_off + need > c.lim.rd_bytes) {
    fail_res(c, RES_RD);
    return 0;
  }
  size_t olen = 0;
  if (!precompile::run(id, in, (size_t)in_len, c.rd + rd_off, &olen, c.env->fork)) return 0;
  *ok = true;
  *out_len = olen;
  return gas - (int64_t)cost;
#else
  fail_res(c, RES_PRECOMPILE);
  c.result.error = X_PRECOMPILE_ON_HOST;
  return 0;
#endif
}

// Value transfer between overlay accounts (the caller checked the balance); touches both (EIP-161).
HD inline void transfer(Ctx& c, uint32_t from, uint32_t to, const u256& v) {
  if (!is_zero(v)) {
    set_balance(c, from, sub(c.accts[from].balance, v));
    ensure_exists(c, to);
    set_balance(c, to, add(c.accts[to].balance, v));
  }
  if (c.accts[from].exists) touch(c, from);
  if (c.accts[to].exists) touch(c, to);
}

// Sets up a new frame above `parent` (nullptr for the transaction's top frame). Returns it or nullptr when
// out of arena.
HD inline Frame* push_frame(Ctx& c, Frame* parent, uint8_t kind, const uint8_t* code, uint64_t code_len, int64_t gas) {
  int depth = parent ? parent->depth + 1 : 0;
  Frame* f = &c.frames[depth];
  f->kind = kind;
  f->depth = depth;
  f->is_static = parent ? parent->is_static : 0;
  f->code = code;
  f->code_len = code_len;
  f->pc = 0;
  f->gas = gas;
  f->stack_base = parent ? parent->stack_base + parent->sp : 0;
  f->sp = 0;
  uint64_t base = parent ? align_up(parent->mem_base + parent->mem_size, 32) : 0;
  // Snapshot code has its bitmap precomputed; other code (initcode, code created in this run) is analysed.
  const bool in_snapshot = code >= c.db->code && code < c.db->code + c.db->code_len;
  uint64_t bm = in_snapshot ? 0 : code_len / 8 + 1;
  f->mem_base = align_up(base + bm, 32);
  f->mem_size = 0;
  if (f->mem_base > c.lim.mem_bytes) {
    fail_res(c, RES_MEM);
    return nullptr;
  }
  if (in_snapshot) {
    f->jumpdests = c.db->jumpdests + (code - c.db->code) / 8;
  } else {
    jumpdest_analysis(code, code_len, c.mem + base);
    f->jumpdests = c.mem + base;
  }
  f->rd_base = parent ? parent->rd_base + parent->rd_len : 0;
  f->rd_len = 0;
  f->journal_mark = c.n_journal;
  f->self_acct = -1;
  f->log_mark = c.n_logs;
  f->log_data_mark = c.log_data_len;
  f->refund_mark = c.refund;
  f->input = nullptr;
  f->input_len = 0;
  f->ret_off = f->ret_size = 0;
  return f;
}

// Marks the branch edge (code, JUMPI pc -> next pc) in the coverage bitmap. Code is named by its offset in
// the snapshot (stable across instances) or, for code created during the run, by its length.
HD_INLINE uint64_t code_id(const Ctx& c, const Frame* f) {
  const uint8_t* base = c.db->code;
  return (f->code >= base && f->code < base + c.db->code_len) ? (uint64_t)(f->code - base) : (f->code_len | (1ULL << 40));
}

HD_INLINE void cover_edge(Ctx& c, const Frame* f, uint64_t pc, uint64_t to) {
  uint32_t bit = (uint32_t)mix64(code_id(c, f) * 0x9e3779b97f4a7c15ULL ^ (pc << 20) ^ to) & c.cov_mask;
  c.cov[bit >> 3] |= (uint8_t)(1u << (bit & 7));
}

// Logs one operand pair worth logging, and the input words behind two compared hashes (two_operands: a and b
// are the instruction's own stack operands).
HD_INLINE void log_cmp_pair(Ctx& c, const Frame* f, uint64_t pc, uint8_t op, const u256& a, const u256& b, bool two_operands) {
  if (!cmp_worth_logging(a, b)) return;
  const uint32_t site = (uint32_t)mix64(code_id(c, f) * 0x9e3779b97f4a7c15ULL ^ pc);
  cmp_record(*c.cmp, op, site, a, b);
  if (two_operands) cmp_record_preimages(*c.cmp, site, a, b);
}

// Logs a comparison's operands (ISZERO: its input against 0; ADD of a negative word: the SUB it is) for
// comparison feedback. Pairs not worth logging (most: offsets and booleans) return before the site is
// hashed, and the operands are read in place (copying them to the stack first cost more than the check). The
// caller checked is_logged_cmp: a call per instruction (register spills and all) was most of the log's cost.
HD_INLINE void log_cmp(Ctx& c, const Frame* f, uint64_t pc, uint8_t op, const u256* top) {
  if (op == 0x15) return log_cmp_pair(c, f, pc, op, top[-1], u256_zero(), false);
  if (op != 0x01) return log_cmp_pair(c, f, pc, op, top[-1], top[-2], true);
  const bool neg1 = (top[-1].w[3] >> 63) != 0, neg2 = (top[-2].w[3] >> 63) != 0;
  if (neg1 == neg2) return;
  const u256& x = neg2 ? top[-1] : top[-2];
  log_cmp_pair(c, f, pc, 0x03, x, sub(u256_zero(), neg2 ? top[-2] : top[-1]), false);
}

// KECCAK256 with the 64-byte inputs memoised (direct-mapped by a mix of the input words).
HD inline void keccak_memo(Ctx& c, const uint8_t* in, uint64_t len, uint8_t out[32]) {
  if (len != 64) {
    keccak256(in, (size_t)len, out);
    return;
  }
  uint64_t w[8];
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) {
    uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v |= (uint64_t)in[8 * i + b] << (8 * b);
    w[i] = v;
    h = mix64(h ^ v);
  }
  KeccakMemo& m = c.kmemo[h & (KECCAK_MEMO - 1)];
  bool hit = m.valid;
  for (int i = 0; i < 8 && hit; ++i) hit = m.in[i] == w[i];
  if (!hit) {
    keccak256(in, 64, m.out);
    for (int i = 0; i < 8; ++i) m.in[i] = w[i];
    m.valid = 1;
  }
  for (int i = 0; i < 32; ++i) out[i] = m.out[i];
}

// EIP-684 and EIP-7610: creating over an account that has a nonce, code or storage fails.
HD_INLINE bool create_collides(const Ctx& c, const OAcct& a) {
  bool has_storage = !a.storage_cleared && a.db >= 0 && view_account(*c.db, c.chain, a.db).has_storage;
  return a.nonce != 0 || a.code_len != 0 || has_storage;
}

// The account becomes a contract under construction: nonce 1, no code, no storage (journaled, so a failed
// creation restores it).
HD_INLINE void begin_creation(Ctx& c, uint32_t i) {
  save_acct(c, i);
  OAcct& a = c.accts[i];
  a.exists = 1;
  a.nonce = 1;
  a.created = 1;
  a.storage_cleared = 1;
  a.storage_gen++;
  a.code = nullptr;
  a.code_len = 0;
}

// The account an address operand names, recorded as read the way the opcode observes it (its header:
// existence and balance; its code); -1 when out of room.
HD_INLINE int32_t operand_account(Ctx& c, const u256& operand, bool reads_header, bool reads_code) {
  uint8_t a[20];
  to_address(operand, a);
  int32_t i = reads_header ? acct_read(c, a) : acct_get(c, a);
  if (i >= 0 && reads_code) c.accts[i].read_code = 1;
  return i;
}

// EIP-2929: what touching the account costs, warming it.
HD_INLINE int64_t access_cost(Ctx& c, uint32_t i) { return warm_acct(c, i) ? WARM_READ : COLD_ACCOUNT; }

// EIP-7702 delegation designator: 0xef0100 || address.
constexpr uint64_t DELEGATION_LEN = 23;
HD_INLINE bool is_delegation(const uint8_t* code, uint64_t len) {
  return len == DELEGATION_LEN && code[0] == 0xef && code[1] == 0x01 && code[2] == 0x00;
}

// The overlay index of the account whose code a delegated account runs (its code is read), DELEGATE_NONE
// when the account's code is no designator (or before Prague, where it is plain code starting with 0xef),
// DELEGATE_NO_ROOM when the overlay is full.
constexpr int32_t DELEGATE_NONE = -1, DELEGATE_NO_ROOM = -2;
HD_INLINE int32_t delegate_account(Ctx& c, uint32_t i) {
  const OAcct& a = c.accts[i];
  if (c.env->fork < FORK_PRAGUE || !is_delegation(a.code, a.code_len)) return DELEGATE_NONE;
  int32_t d = acct_get(c, a.code + 3);
  if (d < 0) return DELEGATE_NO_ROOM;
  c.accts[d].read_code = 1;
  return d;
}

// The executing account's overlay index, looked up once per frame (overlay entries never move).
HD_INLINE int32_t self_acct(Ctx& c, Frame* f) {
  if (f->self_acct < 0) f->self_acct = acct_get(c, f->address);
  return f->self_acct;
}

// PUSHn's immediate (n >= 2) into dst; past the end of the code the missing bytes are zero.
HD_FORCE_INLINE void push_immediate(u256& dst, const uint8_t* code, uint64_t code_len, uint64_t pc, uint64_t n) {
  if (pc + n < code_len) {
    load_be(dst, code + pc + 1, (size_t)n);
    return;
  }
  uint8_t b[32];
  for (uint64_t k = 0; k < n; ++k) {
    uint64_t p = pc + 1 + k;
    b[k] = p < code_len ? code[p] : 0;
  }
  dst = from_be(b, (size_t)n);
}

// A function, not an expression in the handler's macro: with a constant 0 it would draw -Wtype-limits.
HD_FORCE_INLINE bool stack_underflows(uint64_t sp, uint64_t in) { return sp < in; }

// ---- the interpreter ----

// Threaded dispatch (each handler jumps straight to the next one through a table of label addresses: one
// indirect branch per handler, which the CPU predicts per handler) where the compiler is GCC or Clang on the
// host; the switch under nvcc (host and device passes alike), which has no labels as values.
#ifndef EVM_THREADED_DISPATCH
#if defined(__GNUC__) && !defined(__CUDACC__)
#define EVM_THREADED_DISPATCH 1
#else
#define EVM_THREADED_DISPATCH 0
#endif
#endif

// Runs frames from c.frames[0] (already pushed) until the top frame ends. Returns the top frame's status;
// its output is left in c.rd[0 .. c.result.output_len), its remaining gas in *gas_left.
HD inline uint8_t run_frames(Ctx& c, int64_t* gas_left) {
  Frame* f = &c.frames[0];
  uint8_t end_status = ST_SUCCESS;
  uint8_t end_err = E_NONE;
  const uint8_t* out_ptr = nullptr;
  uint64_t out_len = 0;

#define HALT(e)          \
  do {                   \
    end_status = ST_HALT; \
    end_err = (e);       \
    goto frame_end;      \
  } while (0)
#define CHARGE(g)                         \
  do {                                    \
    int64_t g_ = (int64_t)(g);            \
    if (gas < g_) HALT(E_OOG);            \
    gas -= g_;                            \
  } while (0)
#define MEM(off, len, o, l)                                  \
  do {                                                       \
    if (!mem_region(c, f, gas, off, len, &(o), &(l))) HALT(E_OOG); \
  } while (0)
#define MEM_FIXED(off, n, o)                                  \
  do {                                                        \
    if (!mem_fixed(c, f, gas, off, n, &(o))) HALT(E_OOG);     \
  } while (0)
// An opcode's handler opens with OP(code, static gas, stack items in, stack items out): its checks in the
// spec's order (stack underflow, overflow, static gas) with the opcode's constants folded in, and the
// comparison log where the opcode is one (a constant too). Handlers shared by several opcodes name them with
// LABEL and check once with CHECKS(op, ...). A handler ends with NEXT (the next instruction), JUMP_TO or a
// jump out of the frame.
#if EVM_THREADED_DISPATCH
#define LABEL(opc) op_##opc:
#define UNDEFINED_LABEL op_undefined:
#define DISPATCH                          \
  {                                       \
    op = pc < code_len ? code[pc] : 0x00; \
    goto* kDispatch[op];                  \
  }
#else
#define LABEL(opc) case opc:
#define UNDEFINED_LABEL default:
#define DISPATCH continue
#endif
#define CHECKS(opc, g, in, out)                                  \
  if (stack_underflows(sp, in)) HALT(E_STACK_UNDERFLOW);           \
  new_sp = sp - (in) + (out);                                     \
  if ((out) > (in) && new_sp > stack_room) {                      \
    if (new_sp > STACK_LIMIT) HALT(E_STACK_OVERFLOW);             \
    fail_res(c, RES_STACK);                                       \
    return ST_HALT;                                               \
  }                                                               \
  CHARGE(g);                                                      \
  top = st + sp;                                                  \
  if (cmp && is_logged_cmp(opc)) log_cmp(c, f, pc, opc, top);
#define OP(opc, g, in, out) LABEL(opc) CHECKS(opc, g, in, out)
// Plain blocks, not do { } while (0): in the switch, DISPATCH is a `continue` that must reach the
// instruction loop.
#define NEXT     \
  {              \
    sp = new_sp; \
    ++pc;        \
    DISPATCH;    \
  }
#define JUMP_TO(dest) \
  {                   \
    sp = new_sp;      \
    pc = (dest);      \
    DISPATCH;         \
  }
#define PUSH_OP(opc, n)                                  \
  OP(opc, 3, 0, 1) push_immediate(top[0], code, code_len, pc, n); \
  pc += (n);                                              \
  NEXT;
#define DUP_OP(opc, n)   \
  OP(opc, 3, n, n + 1)   \
  top[0] = top[-(n)];     \
  NEXT;
#define SWAP_OP(opc, n)          \
  OP(opc, 3, n + 1, n + 1) {     \
    const u256 t = top[-1];       \
    top[-1] = top[-1 - (n)];      \
    top[-1 - (n)] = t;            \
  }                               \
  NEXT;

  const uint8_t fork = c.env->fork;
  for (;;) {
    if (c.resource_fail || abort_requested(c)) return ST_HALT;
    if (c.hits && f->pc == 0) block_hit(*c.hits, c.db, f->code, 0);  // a frame starts (a resumed one is past 0)
    {
      u256* st = c.stack + f->stack_base;
      const uint8_t* code = f->code;
      const uint8_t* bitmap = f->jumpdests;
      const uint64_t code_len = f->code_len;
      // The running frame's pc, stack height and gas (and the comparison log) live in registers, written
      // back to the frame where it ends or is left for a child (CALL, CREATE): for the compiler every stack
      // write may alias the Frame and the Ctx, so kept there they were reloaded around every instruction.
      uint64_t pc = f->pc, sp = f->sp;
      int64_t gas = f->gas;
      // Below both the EVM's stack limit and the instance's room (a resource failure, not an EVM error).
      const uint64_t stack_room_left = c.lim.stack_items > f->stack_base ? c.lim.stack_items - f->stack_base : 0;
      const uint64_t stack_room = stack_room_left < (uint64_t)STACK_LIMIT ? stack_room_left : (uint64_t)STACK_LIMIT;
      CmpLog* const cmp = c.cmp;
      for (;;) {
        uint8_t op = pc < code_len ? code[pc] : 0x00;
        u256* top;       // top[-1] is the top item; set by CHECKS
        uint64_t new_sp;  // the stack height after the instruction; set by CHECKS
#if EVM_THREADED_DISPATCH
        // Opcode -> handler; the fork's own opcodes check the fork in their handler (CLZ).
        static void* const kDispatch[256] = {
            &&op_0x00, &&op_0x01, &&op_0x02, &&op_0x03, &&op_0x04, &&op_0x05, &&op_0x06, &&op_0x07,
            &&op_0x08, &&op_0x09, &&op_0x0a, &&op_0x0b, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_0x10, &&op_0x11, &&op_0x12, &&op_0x13, &&op_0x14, &&op_0x15, &&op_0x16, &&op_0x17,
            &&op_0x18, &&op_0x19, &&op_0x1a, &&op_0x1b, &&op_0x1c, &&op_0x1d, &&op_0x1e, &&op_undefined,
            &&op_0x20, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_0x30, &&op_0x31, &&op_0x32, &&op_0x33, &&op_0x34, &&op_0x35, &&op_0x36, &&op_0x37,
            &&op_0x38, &&op_0x39, &&op_0x3a, &&op_0x3b, &&op_0x3c, &&op_0x3d, &&op_0x3e, &&op_0x3f,
            &&op_0x40, &&op_0x41, &&op_0x42, &&op_0x43, &&op_0x44, &&op_0x45, &&op_0x46, &&op_0x47,
            &&op_0x48, &&op_0x49, &&op_0x4a, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_0x50, &&op_0x51, &&op_0x52, &&op_0x53, &&op_0x54, &&op_0x55, &&op_0x56, &&op_0x57,
            &&op_0x58, &&op_0x59, &&op_0x5a, &&op_0x5b, &&op_0x5c, &&op_0x5d, &&op_0x5e, &&op_0x5f,
            &&op_0x60, &&op_0x61, &&op_0x62, &&op_0x63, &&op_0x64, &&op_0x65, &&op_0x66, &&op_0x67,
            &&op_0x68, &&op_0x69, &&op_0x6a, &&op_0x6b, &&op_0x6c, &&op_0x6d, &&op_0x6e, &&op_0x6f,
            &&op_0x70, &&op_0x71, &&op_0x72, &&op_0x73, &&op_0x74, &&op_0x75, &&op_0x76, &&op_0x77,
            &&op_0x78, &&op_0x79, &&op_0x7a, &&op_0x7b, &&op_0x7c, &&op_0x7d, &&op_0x7e, &&op_0x7f,
            &&op_0x80, &&op_0x81, &&op_0x82, &&op_0x83, &&op_0x84, &&op_0x85, &&op_0x86, &&op_0x87,
            &&op_0x88, &&op_0x89, &&op_0x8a, &&op_0x8b, &&op_0x8c, &&op_0x8d, &&op_0x8e, &&op_0x8f,
            &&op_0x90, &&op_0x91, &&op_0x92, &&op_0x93, &&op_0x94, &&op_0x95, &&op_0x96, &&op_0x97,
            &&op_0x98, &&op_0x99, &&op_0x9a, &&op_0x9b, &&op_0x9c, &&op_0x9d, &&op_0x9e, &&op_0x9f,
            &&op_0xa0, &&op_0xa1, &&op_0xa2, &&op_0xa3, &&op_0xa4, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined, &&op_undefined,
            &&op_0xf0, &&op_0xf1, &&op_0xf2, &&op_0xf3, &&op_0xf4, &&op_0xf5, &&op_undefined, &&op_undefined,
            &&op_undefined, &&op_undefined, &&op_0xfa, &&op_undefined, &&op_undefined, &&op_0xfd, &&op_undefined, &&op_0xff,
        };
        goto* kDispatch[op];
        {
#else
        switch (op) {
#endif
          OP(0x00, 0, 0, 0)
            end_status = ST_SUCCESS;
            out_len = 0;
            f->gas = gas;
            goto frame_end;
          OP(0x01, 3, 2, 1) top[-2] = add(top[-1], top[-2]); NEXT;
          OP(0x02, 5, 2, 1) top[-2] = mul(top[-1], top[-2]); NEXT;
          OP(0x03, 3, 2, 1) top[-2] = sub(top[-1], top[-2]); NEXT;
          OP(0x04, 5, 2, 1) top[-2] = div(top[-1], top[-2]); NEXT;
          OP(0x05, 5, 2, 1) top[-2] = sdiv(top[-1], top[-2]); NEXT;
          OP(0x06, 5, 2, 1) top[-2] = mod(top[-1], top[-2]); NEXT;
          OP(0x07, 5, 2, 1) top[-2] = smod(top[-1], top[-2]); NEXT;
          OP(0x08, 8, 3, 1) top[-3] = addmod(top[-1], top[-2], top[-3]); NEXT;
          OP(0x09, 8, 3, 1) top[-3] = mulmod(top[-1], top[-2], top[-3]); NEXT;
          OP(0x0a, 10, 2, 1) {
            CHARGE(50 * (int64_t)byte_len(top[-2]));
            top[-2] = exp(top[-1], top[-2]);
            NEXT;
          }
          OP(0x0b, 5, 2, 1) top[-2] = signextend(top[-1], top[-2]); NEXT;
          OP(0x10, 3, 2, 1) top[-2] = u256_from(lt(top[-1], top[-2])); NEXT;
          OP(0x11, 3, 2, 1) top[-2] = u256_from(gt(top[-1], top[-2])); NEXT;
          OP(0x12, 3, 2, 1) top[-2] = u256_from(slt(top[-1], top[-2])); NEXT;
          OP(0x13, 3, 2, 1) top[-2] = u256_from(slt(top[-2], top[-1])); NEXT;
          OP(0x14, 3, 2, 1) top[-2] = u256_from(eq(top[-1], top[-2])); NEXT;
          OP(0x15, 3, 1, 1) top[-1] = u256_from(is_zero(top[-1])); NEXT;
          OP(0x16, 3, 2, 1) top[-2] = band(top[-1], top[-2]); NEXT;
          OP(0x17, 3, 2, 1) top[-2] = bor(top[-1], top[-2]); NEXT;
          OP(0x18, 3, 2, 1) top[-2] = bxor(top[-1], top[-2]); NEXT;
          OP(0x19, 3, 1, 1) top[-1] = bnot(top[-1]); NEXT;
          OP(0x1a, 3, 2, 1) top[-2] = byte_op(top[-1], top[-2]); NEXT;
          OP(0x1b, 3, 2, 1) top[-2] = shl(top[-2], shift_amount(top[-1])); NEXT;
          OP(0x1c, 3, 2, 1) top[-2] = shr(top[-2], shift_amount(top[-1])); NEXT;
          OP(0x1d, 3, 2, 1) top[-2] = sar(top[-2], shift_amount(top[-1])); NEXT;
          LABEL(0x1e) if (fork < FORK_OSAKA) HALT(E_INVALID_OP);
          CHECKS(0x1e, 5, 1, 1) top[-1] = u256_from(count_leading_zeros(top[-1])); NEXT;
          OP(0x20, 30, 2, 1) {
            uint64_t o, l;
            MEM(top[-1], top[-2], o, l);
            CHARGE(6 * ((l + 31) / 32));
            uint8_t h[32];
            keccak_memo(c, frame_mem(c, f) + o, l, h);
            top[-2] = from_be32(h);
            if (c.cmp) cmp_note_hash(*c.cmp, frame_mem(c, f) + o, l, top[-2]);
            NEXT;
          }
          OP(0x30, 2, 0, 1) top[0] = from_address(f->address); NEXT;
          OP(0x31, 0, 1, 1) {
            int32_t i = operand_account(c, top[-1], true, false);
            if (i < 0) return ST_HALT;
            CHARGE(access_cost(c, (uint32_t)i));
            top[-1] = c.accts[i].balance;
            NEXT;
          }
          OP(0x32, 2, 0, 1) top[0] = from_address(c.tx->from); NEXT;
          OP(0x33, 2, 0, 1) top[0] = from_address(f->caller); NEXT;
          OP(0x34, 2, 0, 1) top[0] = f->value; NEXT;
          OP(0x35, 3, 1, 1) {
            uint8_t b[32];
            copy_padded(b, f->input, f->input_len, top[-1], 32);
            top[-1] = from_be32(b);
            NEXT;
          }
          OP(0x36, 2, 0, 1) top[0] = u256_from(f->input_len); NEXT;
          LABEL(0x37) LABEL(0x39) LABEL(0x3e) CHECKS(op, 3, 3, 0) {
            uint64_t o, l;
            MEM(top[-1], top[-3], o, l);
            CHARGE(3 * ((l + 31) / 32));
            if (op == 0x3e) {
              // RETURNDATACOPY: reading past the end is an exceptional halt.
              bool carry;
              u256 end = add(top[-2], top[-3], &carry);
              if (carry || !fits64(end) || end.w[0] > f->rd_len) HALT(E_RETURNDATA_OOB);
              const uint8_t* src = c.rd + f->rd_base + top[-2].w[0];
              uint8_t* dst = frame_mem(c, f) + o;
              for (uint64_t k = 0; k < l; ++k) dst[k] = src[k];
            } else if (op == 0x37) {
              copy_padded(frame_mem(c, f) + o, f->input, f->input_len, top[-2], l);
            } else {
              copy_padded(frame_mem(c, f) + o, code, code_len, top[-2], l);
            }
            NEXT;
          }
          OP(0x38, 2, 0, 1) top[0] = u256_from(code_len); NEXT;
          OP(0x3a, 2, 0, 1) top[0] = c.gas_price; NEXT;
          OP(0x3b, 0, 1, 1) {
            int32_t i = operand_account(c, top[-1], false, true);
            if (i < 0) return ST_HALT;
            CHARGE(access_cost(c, (uint32_t)i));
            top[-1] = u256_from(c.accts[i].code_len);
            NEXT;
          }
          OP(0x3c, 0, 4, 0) {
            int32_t i = operand_account(c, top[-1], false, true);
            if (i < 0) return ST_HALT;
            uint64_t o, l;
            MEM(top[-2], top[-4], o, l);
            CHARGE(3 * ((l + 31) / 32));
            CHARGE(access_cost(c, (uint32_t)i));
            copy_padded(frame_mem(c, f) + o, c.accts[i].code, c.accts[i].code_len, top[-3], l);
            NEXT;
          }
          OP(0x3d, 2, 0, 1) top[0] = u256_from(f->rd_len); NEXT;
          OP(0x3f, 0, 1, 1) {
            int32_t i = operand_account(c, top[-1], true, true);
            if (i < 0) return ST_HALT;
            CHARGE(access_cost(c, (uint32_t)i));
            top[-1] = is_dead(c.accts[i]) ? u256_zero() : from_be32(c.accts[i].code_hash);
            NEXT;
          }
          OP(0x40, 20, 1, 1) {
            const u256& n = top[-1];
            u256 r = u256_zero();
            if (lt(n, c.env->number)) {
              u256 back = sub(c.env->number, n);
              if (fits64(back) && back.w[0] >= 1 && back.w[0] <= 256 && back.w[0] <= c.env->n_block_hashes)
                r = from_be32(c.env->block_hashes + 32 * (back.w[0] - 1));
            }
            top[-1] = r;
            NEXT;
          }
          OP(0x41, 2, 0, 1) top[0] = from_address(c.env->coinbase); NEXT;
          OP(0x42, 2, 0, 1) top[0] = c.env->timestamp; NEXT;
          OP(0x43, 2, 0, 1) top[0] = c.env->number; NEXT;
          OP(0x44, 2, 0, 1) top[0] = c.env->prev_randao; NEXT;
          OP(0x45, 2, 0, 1) top[0] = c.env->gas_limit; NEXT;
          OP(0x46, 2, 0, 1) top[0] = c.env->chain_id; NEXT;
          OP(0x47, 5, 0, 1) {
            int32_t i = acct_read(c, f->address);
            if (i < 0) return ST_HALT;
            top[0] = c.accts[i].balance;
            NEXT;
          }
          OP(0x48, 2, 0, 1) top[0] = c.env->base_fee; NEXT;
          OP(0x49, 3, 1, 1) {
            const u256& idx = top[-1];
            top[-1] = (fits64(idx) && idx.w[0] < c.tx->n_blobs) ? from_be32(c.tx->blob_hashes + 32 * idx.w[0])
                                                                 : u256_zero();
            NEXT;
          }
          OP(0x4a, 2, 0, 1) top[0] = c.env->blob_base_fee; NEXT;
          OP(0x50, 2, 1, 0) NEXT;
          OP(0x51, 3, 1, 1) {
            uint64_t o;
            MEM_FIXED(top[-1], 32, o);
            top[-1] = from_be32(frame_mem(c, f) + o);
            NEXT;
          }
          OP(0x52, 3, 2, 0) {
            uint64_t o;
            MEM_FIXED(top[-1], 32, o);
            to_be32(top[-2], frame_mem(c, f) + o);
            NEXT;
          }
          OP(0x53, 3, 2, 0) {
            uint64_t o;
            MEM_FIXED(top[-1], 1, o);
            frame_mem(c, f)[o] = (uint8_t)top[-2].w[0];
            NEXT;
          }
          OP(0x54, 0, 1, 1) {
            int32_t ai = self_acct(c, f);
            if (ai < 0) return ST_HALT;
            int32_t si = slot_get(c, (uint32_t)ai, top[-1]);
            if (si < 0) return ST_HALT;
            OSlot& s = c.slots[si];
            s.read = 1;
            if (s.warm) CHARGE(WARM_READ);
            else {
              CHARGE(COLD_SLOAD);
              journal_push(c, J_SLOT_WARM, (uint32_t)si, 0, u256_zero());
              s.warm = 1;
            }
            top[-1] = s.value;
            NEXT;
          }
          OP(0x55, 0, 2, 0) {
            if (f->is_static) HALT(E_STATIC);
            int32_t ai = self_acct(c, f);
            if (ai < 0) return ST_HALT;
            int32_t si = slot_get(c, (uint32_t)ai, top[-1]);
            if (si < 0) return ST_HALT;
            OSlot& s = c.slots[si];
            s.read = 1;
            if (gas <= 2300) HALT(E_OOG);  // EIP-2200 sentry
            int64_t cost = 0;
            if (!s.warm) {
              cost += COLD_SLOAD;
              journal_push(c, J_SLOT_WARM, (uint32_t)si, 0, u256_zero());
              s.warm = 1;
            }
            const u256& nv = top[-2];
            const u256 cur = s.value;
            const u256& orig = s.original;
            if (eq(cur, nv)) {
              cost += WARM_READ;
            } else if (eq(orig, cur)) {
              if (is_zero(orig)) cost += 20000;
              else {
                cost += 2900;
                if (is_zero(nv)) c.refund += 4800;
              }
            } else {
              cost += WARM_READ;
              if (!is_zero(orig)) {
                if (is_zero(cur)) c.refund -= 4800;
                else if (is_zero(nv)) c.refund += 4800;
              }
              if (eq(orig, nv)) c.refund += is_zero(orig) ? 19900 : 2800;
            }
            CHARGE(cost);
            if (!eq(cur, nv)) {
              journal_push(c, J_SLOT, (uint32_t)si, s.gen, s.value);
              s.value = nv;
            }
            NEXT;
          }
          OP(0x56, 8, 1, 0) {
            const u256& d = top[-1];
            if (!fits64(d) || d.w[0] >= code_len || !((bitmap[d.w[0] / 8] >> (d.w[0] % 8)) & 1)) HALT(E_BAD_JUMP);
            if (abort_requested(c)) return ST_HALT;
            JUMP_TO(d.w[0]);
          }
          OP(0x57, 10, 2, 0) {
            if (!is_zero(top[-2])) {
              const u256& d = top[-1];
              if (!fits64(d) || d.w[0] >= code_len || !((bitmap[d.w[0] / 8] >> (d.w[0] % 8)) & 1))
                HALT(E_BAD_JUMP);
              if (c.cov) cover_edge(c, f, pc, d.w[0]);
              if (abort_requested(c)) return ST_HALT;
              JUMP_TO(d.w[0]);
            }
            if (c.cov) cover_edge(c, f, pc, pc + 1);
            if (c.hits) block_hit(*c.hits, c.db, f->code, pc + 1);
            NEXT;
          }
          OP(0x58, 2, 0, 1) top[0] = u256_from(pc); NEXT;
          OP(0x59, 2, 0, 1) top[0] = u256_from(f->mem_size); NEXT;
          OP(0x5a, 2, 0, 1) top[0] = u256_from((uint64_t)gas); NEXT;
          OP(0x5b, 1, 0, 0)
            if (c.hits) block_hit(*c.hits, c.db, f->code, pc);
            NEXT;
          OP(0x5c, 100, 1, 1) {
            int32_t ai = self_acct(c, f);
            if (ai < 0) return ST_HALT;
            int32_t ti = tslot_get(c, (uint32_t)ai, top[-1]);
            if (ti < 0) return ST_HALT;
            top[-1] = c.tslots[ti].value;
            NEXT;
          }
          OP(0x5d, 100, 2, 0) {
            if (f->is_static) HALT(E_STATIC);
            int32_t ai = self_acct(c, f);
            if (ai < 0) return ST_HALT;
            int32_t ti = tslot_get(c, (uint32_t)ai, top[-1]);
            if (ti < 0) return ST_HALT;
            journal_push(c, J_TSLOT, (uint32_t)ti, 0, c.tslots[ti].value);
            c.tslots[ti].value = top[-2];
            NEXT;
          }
          OP(0x5e, 3, 3, 0) {
            // MCOPY dst src len
            uint64_t l = 0;
            if (!is_zero(top[-3])) {
              uint64_t o1, o2, l1, l2;
              MEM(top[-1], top[-3], o1, l1);
              MEM(top[-2], top[-3], o2, l2);
              l = l1;
              CHARGE(3 * ((l + 31) / 32));
              uint8_t* m = frame_mem(c, f);
              if (o1 < o2)
                for (uint64_t k = 0; k < l; ++k) m[o1 + k] = m[o2 + k];
              else if (o1 > o2)
                for (uint64_t k = l; k > 0; --k) m[o1 + k - 1] = m[o2 + k - 1];
            }
            NEXT;
          }
          OP(0x5f, 2, 0, 1) top[0] = u256_zero(); NEXT;
          OP(0xa0, 375, 2, 0) goto log_n;
          OP(0xa1, 750, 3, 0) goto log_n;
          OP(0xa2, 1125, 4, 0) goto log_n;
          OP(0xa3, 1500, 5, 0) goto log_n;
          OP(0xa4, 1875, 6, 0)
          log_n: {
            if (f->is_static) HALT(E_STATIC);
            int n = op - 0xa0;
            uint64_t o, l;
            MEM(top[-1], top[-2], o, l);
            CHARGE(8 * (int64_t)l);
            if (c.n_logs >= c.lim.logs || c.log_data_len + l > c.lim.log_data) {
              fail_res(c, RES_LOGS);
              return ST_HALT;
            }
            LogK& lg = c.logs[c.n_logs++];
            for (int k = 0; k < 20; ++k) lg.addr[k] = f->address[k];
            lg.n_topics = (uint32_t)n;
            for (int t = 0; t < n; ++t) to_be32(top[-3 - t], lg.topics[t]);
            lg.data_off = c.log_data_len;
            lg.data_len = l;
            const uint8_t* m = frame_mem(c, f) + o;
            for (uint64_t k = 0; k < l; ++k) c.log_data[c.log_data_len + k] = m[k];
            c.log_data_len += l;
            NEXT;
          }
          LABEL(0xf3) LABEL(0xfd) CHECKS(op, 0, 2, 0) {
            uint64_t o, l;
            MEM(top[-1], top[-2], o, l);
            end_status = op == 0xf3 ? ST_SUCCESS : ST_REVERT;
            end_err = op == 0xf3 ? E_NONE : E_REVERT;
            out_ptr = frame_mem(c, f) + o;
            out_len = l;
            f->gas = gas;
            goto frame_end;
          }
          OP(0xff, 0, 1, 0) {
            if (f->is_static) HALT(E_STATIC);
            uint8_t b[20];
            to_address(top[-1], b);
            int32_t bi = acct_get(c, b);
            int32_t si = acct_read(c, f->address);
            if (bi < 0 || si < 0) return ST_HALT;
            u256 bal = c.accts[si].balance;
            // The beneficiary's existence matters to the gas only when there is a balance to move.
            if (!is_zero(bal)) c.accts[bi].read_hdr = 1;
            CHARGE(5000);
            if (!warm_acct(c, (uint32_t)bi)) CHARGE(COLD_ACCOUNT);
            if (!is_zero(bal) && is_dead(c.accts[bi])) CHARGE(25000);
            c.accts[bi].read_hdr = 1;
            // geth order: SubBalance(self), AddBalance(beneficiary), then the EIP-6780 destruct.
            set_balance(c, (uint32_t)si, u256_zero());
            touch(c, (uint32_t)si);
            if (!is_zero(bal)) ensure_exists(c, (uint32_t)bi);
            if (c.accts[bi].exists) {
              set_balance(c, (uint32_t)bi, add(c.accts[bi].balance, bal));
              touch(c, (uint32_t)bi);
            }
            c.selfdestructed = true;
            if (c.accts[si].created) {
              save_acct(c, (uint32_t)si);
              c.accts[si].destructed = 1;
              set_balance(c, (uint32_t)si, u256_zero());
            }
            end_status = ST_SUCCESS;
            out_len = 0;
            f->gas = gas;
            goto frame_end;
          }
          OP(0xf0, 32000, 3, 1) goto create;
          OP(0xf5, 32000, 4, 1)
          create: {
            if (f->is_static) HALT(E_STATIC);
            const u256 value = top[-1];
            uint64_t o, l;
            if (!is_zero(top[-3]) && (!fits64(top[-3]) || top[-3].w[0] > MAX_INITCODE_SIZE)) HALT(E_OOG);
            MEM(top[-2], top[-3], o, l);
            int64_t words = (int64_t)((l + 31) / 32);
            CHARGE(2 * words);
            u256 salt = u256_zero();
            if (op == 0xf5) {
              CHARGE(6 * words);
              salt = top[-4];
            }
            f->rd_len = 0;
            int64_t child_gas = gas - gas / 64;
            gas -= child_gas;
            f->sp = sp = new_sp;
            u256* res = st + new_sp - 1;
            *res = u256_zero();
            f->pc = ++pc;
            int32_t ci = acct_read(c, f->address);
            if (ci < 0) return ST_HALT;
            if (f->depth + 1 > MAX_DEPTH || lt(c.accts[ci].balance, value) || c.accts[ci].nonce == ~0ULL) {
              gas += child_gas;
              continue;
            }
            uint8_t na[20];
            const uint8_t* init = frame_mem(c, f) + o;
            if (op == 0xf0) create_address(f->address, c.accts[ci].nonce, na);
            else create2_address(f->address, salt, init, l, na);
            set_nonce(c, (uint32_t)ci, c.accts[ci].nonce + 1);
            int32_t ni = acct_read(c, na);
            if (ni < 0) return ST_HALT;
            warm_acct(c, (uint32_t)ni);
            if (create_collides(c, c.accts[ni])) continue;  // collision: child gas is lost
            f->gas = gas;
            Frame* ch = push_frame(c, f, op == 0xf0 ? K_CREATE : K_CREATE2, init, l, child_gas);
            if (!ch) return ST_HALT;
            begin_creation(c, (uint32_t)ni);
            transfer(c, (uint32_t)ci, (uint32_t)ni, value);
            for (int k = 0; k < 20; ++k) {
              ch->address[k] = na[k];
              ch->caller[k] = f->address[k];
            }
            ch->value = value;
            ch->is_static = 0;
            f = ch;
            goto next_frame;
          }
          LABEL(0xf1) LABEL(0xf2) CHECKS(op, 0, 7, 1) goto call;
          LABEL(0xf4) LABEL(0xfa) CHECKS(op, 0, 6, 1)
          call: {
            const bool has_value = op == 0xf1 || op == 0xf2;
            const u256 gas_req = top[-1];
            uint8_t target[20];
            to_address(top[-2], target);
            const u256 value = has_value ? top[-3] : u256_zero();
            const int a = has_value ? 4 : 3;
            const u256 in_off = top[-a], in_len = top[-a - 1], out_off = top[-a - 2], out_len_w = top[-a - 3];
            if (op == 0xf1 && f->is_static && !is_zero(value)) HALT(E_STATIC);
            uint64_t io, il, oo, ol;
            MEM(in_off, in_len, io, il);
            MEM(out_off, out_len_w, oo, ol);
            // Reads, as the reference records them: the target's header only when its existence matters
            // (CALL with value) or when the call runs in its context (CALL, STATICCALL); its code when it runs.
            int32_t ti = acct_get(c, target);
            if (ti < 0) return ST_HALT;
            c.accts[ti].read_code = 1;  // a superset of the reference's code reads (a failed call included)
            int64_t cost = access_cost(c, (uint32_t)ti);
            // EIP-7702: a delegated account runs its delegate's code, and reaching the delegate is an access.
            const int32_t di = delegate_account(c, (uint32_t)ti);
            if (di == DELEGATE_NO_ROOM) return ST_HALT;
            if (di >= 0) cost += access_cost(c, (uint32_t)di);
            const uint32_t code_acct = di >= 0 ? (uint32_t)di : (uint32_t)ti;
            if (!is_zero(value)) {
              cost += 9000;
              if (op == 0xf1) {
                c.accts[ti].read_hdr = 1;
                if (is_dead(c.accts[ti])) cost += 25000;
              }
            }
            CHARGE(cost);
            int64_t avail = gas - gas / 64;
            int64_t call_gas = (fits64(gas_req) && gas_req.w[0] < (uint64_t)avail) ? (int64_t)gas_req.w[0] : avail;
            gas -= call_gas;
            if (!is_zero(value)) call_gas += 2300;
            f->rd_len = 0;
            f->sp = sp = new_sp;
            u256* res = st + new_sp - 1;
            *res = u256_zero();
            f->pc = ++pc;
            int32_t ci = acct_read(c, f->address);
            if (ci < 0) return ST_HALT;
            if (f->depth + 1 > MAX_DEPTH || (has_value && lt(c.accts[ci].balance, value))) {
              gas += call_gas;
              continue;
            }
            if (op == 0xf1 || op == 0xfa) c.accts[ti].read_hdr = 1;
            c.accts[ti].read_code = 1;
            const uint8_t* ctx_addr = (op == 0xf1 || op == 0xfa) ? target : f->address;
            int32_t xi = (op == 0xf1 || op == 0xfa) ? ti : ci;  // the account whose context runs
            uint32_t jmark = c.n_journal;
            uint32_t lmark = c.n_logs;
            uint64_t ldmark = c.log_data_len;
            int64_t rmark = c.refund;
            if (op == 0xf1 || op == 0xf2) transfer(c, (uint32_t)ci, (uint32_t)xi, value);
            else if (op == 0xfa && c.accts[ti].exists) touch(c, (uint32_t)ti);
            const uint8_t* in_ptr = frame_mem(c, f) + io;
            const uint16_t pid = di >= 0 ? 0 : precompile_id(c, target);  // delegation never runs a precompile
            if (pid != 0) {
              uint64_t plen = 0;
              bool ok = false;
              int64_t left = run_precompile(c, pid, in_ptr, il, call_gas, f->rd_base, &plen, &ok);
              if (c.resource_fail) return ST_HALT;
              if (ok) {
                f->rd_len = plen;
                uint64_t n = plen < ol ? plen : ol;
                uint8_t* m = frame_mem(c, f);
                for (uint64_t k = 0; k < n; ++k) m[oo + k] = c.rd[f->rd_base + k];
                *res = u256_from(1);
                gas += left;
              } else {
                revert_to(c, jmark);
                c.n_logs = lmark;
                c.log_data_len = ldmark;
                c.refund = rmark;
              }
              continue;
            }
            if (c.accts[code_acct].code_len == 0) {
              *res = u256_from(1);
              gas += call_gas;
              continue;
            }
            f->gas = gas;
            Frame* ch = push_frame(c, f, op == 0xf1 ? K_CALL : op == 0xf2 ? K_CALLCODE : op == 0xf4 ? K_DELEGATECALL : K_STATICCALL,
                                   c.accts[code_acct].code, c.accts[code_acct].code_len, call_gas);
            if (!ch) return ST_HALT;
            ch->journal_mark = jmark;
            ch->log_mark = lmark;
            ch->log_data_mark = ldmark;
            ch->refund_mark = rmark;
            for (int k = 0; k < 20; ++k) ch->address[k] = ctx_addr[k];
            if (op == 0xf4) {
              for (int k = 0; k < 20; ++k) ch->caller[k] = f->caller[k];
              ch->value = f->value;
            } else {
              for (int k = 0; k < 20; ++k) ch->caller[k] = f->address[k];
              ch->value = value;
            }
            if (op == 0xfa) ch->is_static = 1;
            ch->input = in_ptr;
            ch->input_len = il;
            ch->ret_off = oo;
            ch->ret_size = ol;
            f = ch;
            goto next_frame;
          }
          // PUSH, DUP and SWAP are most of what contracts execute: their own cases, no byte-by-byte copy.
          OP(0x60, 3, 0, 1)
            top[0] = u256_from(pc + 1 < code_len ? code[pc + 1] : 0);
            pc += 1;
            NEXT;
          PUSH_OP(0x61, 2)
          PUSH_OP(0x62, 3)
          PUSH_OP(0x63, 4)
          PUSH_OP(0x64, 5)
          PUSH_OP(0x65, 6)
          PUSH_OP(0x66, 7)
          PUSH_OP(0x67, 8)
          PUSH_OP(0x68, 9)
          PUSH_OP(0x69, 10)
          PUSH_OP(0x6a, 11)
          PUSH_OP(0x6b, 12)
          PUSH_OP(0x6c, 13)
          PUSH_OP(0x6d, 14)
          PUSH_OP(0x6e, 15)
          PUSH_OP(0x6f, 16)
          PUSH_OP(0x70, 17)
          PUSH_OP(0x71, 18)
          PUSH_OP(0x72, 19)
          PUSH_OP(0x73, 20)
          PUSH_OP(0x74, 21)
          PUSH_OP(0x75, 22)
          PUSH_OP(0x76, 23)
          PUSH_OP(0x77, 24)
          PUSH_OP(0x78, 25)
          PUSH_OP(0x79, 26)
          PUSH_OP(0x7a, 27)
          PUSH_OP(0x7b, 28)
          PUSH_OP(0x7c, 29)
          PUSH_OP(0x7d, 30)
          PUSH_OP(0x7e, 31)
          PUSH_OP(0x7f, 32)
          DUP_OP(0x80, 1)
          DUP_OP(0x81, 2)
          DUP_OP(0x82, 3)
          DUP_OP(0x83, 4)
          DUP_OP(0x84, 5)
          DUP_OP(0x85, 6)
          DUP_OP(0x86, 7)
          DUP_OP(0x87, 8)
          DUP_OP(0x88, 9)
          DUP_OP(0x89, 10)
          DUP_OP(0x8a, 11)
          DUP_OP(0x8b, 12)
          DUP_OP(0x8c, 13)
          DUP_OP(0x8d, 14)
          DUP_OP(0x8e, 15)
          DUP_OP(0x8f, 16)
          SWAP_OP(0x90, 1)
          SWAP_OP(0x91, 2)
          SWAP_OP(0x92, 3)
          SWAP_OP(0x93, 4)
          SWAP_OP(0x94, 5)
          SWAP_OP(0x95, 6)
          SWAP_OP(0x96, 7)
          SWAP_OP(0x97, 8)
          SWAP_OP(0x98, 9)
          SWAP_OP(0x99, 10)
          SWAP_OP(0x9a, 11)
          SWAP_OP(0x9b, 12)
          SWAP_OP(0x9c, 13)
          SWAP_OP(0x9d, 14)
          SWAP_OP(0x9e, 15)
          SWAP_OP(0x9f, 16)
          UNDEFINED_LABEL
            HALT(E_INVALID_OP);
        }
      }
    }

  frame_end : {
    if (c.resource_fail) return ST_HALT;
    Frame* parent = f->depth > 0 ? &c.frames[f->depth - 1] : nullptr;
    bool is_create = f->kind == K_CREATE || f->kind == K_CREATE2;
    if (is_create && end_status == ST_SUCCESS) {
      if (out_len > MAX_CODE_SIZE) {
        end_status = ST_HALT;
        end_err = E_CODE_SIZE;
      } else if (out_len > 0 && out_ptr[0] == 0xef) {
        end_status = ST_HALT;
        end_err = E_EF_CODE;
      } else if (f->gas < (int64_t)(200 * out_len)) {
        end_status = ST_HALT;
        end_err = E_OOG;
      } else {
        f->gas -= (int64_t)(200 * out_len);
        if (c.code_arena_len + out_len > c.lim.code_bytes) {
          fail_res(c, RES_CODE);
          return ST_HALT;
        }
        uint8_t* dst = c.code_arena + c.code_arena_len;
        for (uint64_t k = 0; k < out_len; ++k) dst[k] = out_ptr[k];
        c.code_arena_len += out_len;
        int32_t ni = acct_get(c, f->address);
        if (ni < 0) return ST_HALT;
        save_acct(c, (uint32_t)ni);
        OAcct& na = c.accts[ni];
        na.code = dst;
        na.code_len = out_len;
        na.code_changed = 1;
        keccak256(dst, (size_t)out_len, na.code_hash);
      }
    }
    if (end_status != ST_SUCCESS) {
      revert_to(c, f->journal_mark);
      c.n_logs = f->log_mark;
      c.log_data_len = f->log_data_mark;
      c.refund = f->refund_mark;
      if (end_status == ST_HALT) f->gas = 0;
    }
    if (parent == nullptr) {
      // The transaction's output goes to rd[0..).
      uint64_t n = end_status == ST_HALT ? 0 : out_len;
      if (n > c.lim.rd_bytes) {
        fail_res(c, RES_RD);
        return ST_HALT;
      }
      for (uint64_t k = 0; k < n; ++k) c.rd[k] = out_ptr[k];
      c.result.output_len = n;
      c.result.error = end_err;
      *gas_left = f->gas;
      return end_status;
    }
    parent->gas += f->gas;
    u256* pst = c.stack + parent->stack_base;
    u256* res = pst + parent->sp - 1;
    uint64_t rd_n = 0;
    if (is_create) {
      if (end_status == ST_SUCCESS) *res = from_address(f->address);
      else if (end_status == ST_REVERT) rd_n = out_len;
    } else {
      if (end_status == ST_SUCCESS) *res = u256_from(1);
      if (end_status != ST_HALT) rd_n = out_len;
    }
    if (parent->rd_base + rd_n > c.lim.rd_bytes) {
      fail_res(c, RES_RD);
      return ST_HALT;
    }
    for (uint64_t k = 0; k < rd_n; ++k) c.rd[parent->rd_base + k] = out_ptr[k];
    parent->rd_len = rd_n;
    if (!is_create && end_status != ST_HALT) {
      uint64_t n = rd_n < f->ret_size ? rd_n : f->ret_size;
      uint8_t* m = frame_mem(c, parent);
      for (uint64_t k = 0; k < n; ++k) m[f->ret_off + k] = c.rd[parent->rd_base + k];
    }
    f = parent;
    end_status = ST_SUCCESS;
    end_err = E_NONE;
    out_ptr = nullptr;
    out_len = 0;
  }
  next_frame:;
  }
#undef HALT
#undef CHARGE
#undef MEM
#undef MEM_FIXED
#undef LABEL
#undef UNDEFINED_LABEL
#undef DISPATCH
#undef CHECKS
#undef OP
#undef NEXT
#undef JUMP_TO
#undef PUSH_OP
#undef DUP_OP
#undef SWAP_OP
}

}  // namespace evm
}  // namespace kern
