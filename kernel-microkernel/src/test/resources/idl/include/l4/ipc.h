/* l4/ipc.h: TEST STAND-IN for the microkernel's user-level IPC header, exactly the C API contract
 * the IDL stubs are written against (the real one is kernel-microkernel/include/l4/ipc.h). The IDL
 * tests compile generated code with this header first on the include path, and the loopback test
 * guest implements the four functions (src/test/resources/idl/guest/loopback.c). */
#ifndef L4_IPC_H
#define L4_IPC_H

#include <stdint.h>

typedef uint32_t l4_word_t;
typedef l4_word_t l4_threadid_t;                 /* global thread id */
typedef struct { l4_word_t raw; } l4_msgtag_t;   /* label<<16 | flags<<12 | t<<6 | u; flags bit 15 = E */
typedef struct { l4_word_t raw; } l4_fpage_t;    /* base | log2size<<4 | rights (r=4, w=2, x=1) */

#define L4_NILTHREAD  ((l4_threadid_t)0)
#define L4_ANYTHREAD  ((l4_threadid_t)0xFFFFFFFFu)

l4_word_t *l4_utcb_mr(void);                     /* &MR[0]: MR0 is the tag, MR1..MR63 the words */
#define L4_MR(i) (l4_utcb_mr()[i])

static inline l4_msgtag_t l4_mktag(l4_word_t label, l4_word_t u, l4_word_t t)
{
    l4_msgtag_t tag = { (label << 16) | ((t & 0x3F) << 6) | (u & 0x3F) };
    return tag;
}
static inline l4_word_t l4_label(l4_msgtag_t t) { return t.raw >> 16; }
static inline l4_word_t l4_untyped(l4_msgtag_t t) { return t.raw & 0x3F; }
static inline l4_word_t l4_typed(l4_msgtag_t t) { return (t.raw >> 6) & 0x3F; }
static inline int l4_ipc_failed(l4_msgtag_t t) { return (t.raw >> 15) & 1; }

l4_msgtag_t l4_call(l4_threadid_t to, l4_msgtag_t tag);
l4_msgtag_t l4_reply_wait(l4_threadid_t reply_to, l4_msgtag_t tag, l4_threadid_t *from);
l4_word_t l4_ipc_error(void);

#endif
