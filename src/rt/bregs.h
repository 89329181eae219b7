/* The register frame every runtime handler receives (built by
 * src/entry/rt_entry16.S). Handlers read the caller's registers from it and
 * write results into it; the flags are the caller's FLAGS image. */
#ifndef KELP_BREGS_H
#define KELP_BREGS_H
#include "lib/types.h"

#define F_CF 0x0001
#define F_ZF 0x0040
#define F_IF 0x0200

#define R32(n) union { u32 e##n##x; struct { union { u16 n##x; struct { u8 n##l, n##h; }; }; u16 n##x_hi; }; }
#define R32I(n) union { u32 e##n; u16 n; }

struct bregs {
    u16 ds, es, fs, gs;
    R32I(di);
    R32I(si);
    R32I(bp);
    u32 esp_unused;
    R32(b);
    R32(d);
    R32(c);
    R32(a);
    u16 ip, cs, flags;
    u16 caller_sp, caller_ss;
} PACKED;

STATIC_ASSERT(sizeof(struct bregs) == 50, "frame layout used by rt_entry16.S");

static inline void set_cf(struct bregs *r) { r->flags |= F_CF; }
static inline void clear_cf(struct bregs *r) { r->flags &= ~F_CF; }
/* Success: CF clear, AH = 0. */
static inline void ret_ok(struct bregs *r) { r->ah = 0; clear_cf(r); }
/* Failure: CF set, AH = status. */
static inline void ret_err(struct bregs *r, u8 status) { r->ah = status; set_cf(r); }

#endif
