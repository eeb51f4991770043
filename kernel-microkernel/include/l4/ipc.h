/* l4/ipc.h: the user-level C interface to the microkernel's IPC (the contract the IDL stubs are
 * generated against) plus thin wrappers for the other system calls. Implemented by user/lib. */
#pragma once
#include <stdint.h>
#include "l4/abi.h"

typedef uint32_t l4_word_t;
typedef l4_word_t l4_threadid_t;          /* global thread id; L4_NILTHREAD = 0, L4_ANYTHREAD = ~0 */
typedef struct { l4_word_t raw; } l4_msgtag_t;   /* label<<16 | flags<<12 | t<<6 | u; flags bit 15 = E */
typedef struct { l4_word_t raw; } l4_fpage_t;    /* base | log2size<<4 | rights (r=4, w=2, x=1) */

#define L4_NILTHREAD  ((l4_threadid_t)0)
#define L4_ANYTHREAD  ((l4_threadid_t)0xFFFFFFFFu)
#define L4_R 4u
#define L4_W 2u
#define L4_X 1u
#define L4_RWX 7u

l4_word_t *l4_utcb_mr(void);              /* &MR[0]; MR0 is the tag, MR1..MR63 the message words */
struct l4_utcb *l4_utcb(void);
#define L4_MR(i) (l4_utcb_mr()[i])

static inline l4_msgtag_t l4_mktag(l4_word_t label, l4_word_t u, l4_word_t t) {
  l4_msgtag_t tag = { (label << 16) | ((t & 0x3F) << 6) | (u & 0x3F) };
  return tag;
}
static inline l4_word_t l4_label(l4_msgtag_t t) { return t.raw >> 16; }
static inline l4_word_t l4_untyped(l4_msgtag_t t) { return t.raw & 0x3F; }
static inline l4_word_t l4_typed(l4_msgtag_t t) { return (t.raw >> 6) & 0x3F; }
static inline int l4_ipc_failed(l4_msgtag_t t) { return (t.raw & L4_TAG_ERROR) != 0; }

static inline l4_fpage_t l4_fpage(l4_word_t base, int log2size, l4_word_t rights) {
  l4_fpage_t f = { (base & ~0x3FFu) | ((l4_word_t)log2size << 4) | rights };
  return f;
}
static inline l4_fpage_t l4_complete_space(void) { l4_fpage_t f = { 1u << 4 }; return f; }

/* The general IPC: send phase to `to` (nil: none), then receive phase from `from` (nil: none,
 * L4_ANYTHREAD: open). Timeouts are L4_TIMEOUT_* values, send << 16 | receive. */
l4_msgtag_t l4_ipc(l4_threadid_t to, l4_threadid_t from, l4_word_t timeouts, l4_msgtag_t tag, l4_threadid_t *sender);
l4_msgtag_t l4_call(l4_threadid_t to, l4_msgtag_t tag);  /* tag + MR1.. from the UTCB; reply in MR0.. */
l4_msgtag_t l4_reply_wait(l4_threadid_t reply_to, l4_msgtag_t tag, l4_threadid_t *from); /* reply_to NIL = just wait */
l4_msgtag_t l4_send(l4_threadid_t to, l4_msgtag_t tag);                          /* blocks until taken */
l4_msgtag_t l4_send_timeout(l4_threadid_t to, l4_msgtag_t tag, l4_word_t snd_timeout);
l4_msgtag_t l4_receive(l4_threadid_t from, l4_threadid_t *sender);               /* never times out */
l4_msgtag_t l4_receive_timeout(l4_threadid_t from, l4_word_t rcv_timeout, l4_threadid_t *sender);
l4_word_t l4_ipc_error(void);             /* after a failed IPC: code = (err >> 1) & 7 */

/* receive window for map/grant items (the acceptor, BR0); l4_fpage_t{0} accepts none */
void l4_accept(l4_fpage_t window);
/* put a map (grant = 0) or grant item into MR[i], MR[i+1] */
void l4_put_map_item(int i, l4_word_t snd_base, l4_fpage_t fp, int grant);

/* other system calls */
l4_threadid_t l4_myself(void);
void l4_yield(void);
void l4_thread_switch(l4_threadid_t to);
/* ThreadControl: space = dest creates a new space, space = an existing thread puts dest into that
 * thread's space, space = nil deletes dest. Returns 1 on success, 0 with l4_utcb()->error_code set. */
int l4_thread_control(l4_threadid_t dest, l4_threadid_t space, l4_threadid_t pager, l4_threadid_t exc_handler);
/* ExchangeRegisters: returns dest on success, 0 on failure; old_sp and old_ip receive the old values */
l4_threadid_t l4_exchange_registers(l4_threadid_t dest, l4_word_t control, l4_word_t sp, l4_word_t ip,
                                    l4_threadid_t pager, l4_threadid_t exc_handler, l4_word_t *old_sp, l4_word_t *old_ip);
/* convenience: set IP and SP of an inactive thread and start it */
int l4_start(l4_threadid_t t, void (*ip)(void), void *sp);
void l4_unmap(l4_word_t control);         /* fpages in MR0..MR(control & 63) */
int l4_set_priority(l4_threadid_t t, l4_word_t prio);
int l4_io_control(l4_threadid_t space, l4_word_t port, l4_word_t count, int grant);
uint64_t l4_clock(void);
struct l4_kip *l4_kip(void);
