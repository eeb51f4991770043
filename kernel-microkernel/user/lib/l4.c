/* l4.c: the system-call wrappers of l4/ipc.h. */
#include "ulib.h"

uint32_t l4_ipc_raw(l4_word_t to, l4_word_t from, l4_word_t timeouts, l4_word_t tag, l4_word_t *sender);
uint32_t l4_exregs_raw(uint32_t regs[7]);

l4_word_t *l4_utcb_mr(void) {
  l4_word_t *mr;
  __asm__ volatile("movl %%gs:0, %0" : "=r"(mr));
  return mr;
}

struct l4_utcb *l4_utcb(void) { return (struct l4_utcb *)((uint8_t *)l4_utcb_mr() - 64); }
struct l4_kip *l4_kip(void) { return (struct l4_kip *)L4_KIP_ADDR; }
l4_threadid_t l4_myself(void) { return l4_utcb()->my_global_id; }
l4_word_t l4_ipc_error(void) { return l4_utcb()->error_code; }

l4_msgtag_t l4_ipc(l4_threadid_t to, l4_threadid_t from, l4_word_t timeouts, l4_msgtag_t tag, l4_threadid_t *sender) {
  l4_msgtag_t r = { l4_ipc_raw(to, from, timeouts, tag.raw, sender) };
  return r;
}

l4_msgtag_t l4_call(l4_threadid_t to, l4_msgtag_t tag) { return l4_ipc(to, to, 0, tag, NULL); }

l4_msgtag_t l4_reply_wait(l4_threadid_t reply_to, l4_msgtag_t tag, l4_threadid_t *from) {
  return l4_ipc(reply_to, L4_ANYTHREAD, L4_TIMEOUT_ZERO << 16, tag, from);
}

l4_msgtag_t l4_send(l4_threadid_t to, l4_msgtag_t tag) { return l4_ipc(to, L4_NILTHREAD, 0, tag, NULL); }

l4_msgtag_t l4_send_timeout(l4_threadid_t to, l4_msgtag_t tag, l4_word_t t) {
  return l4_ipc(to, L4_NILTHREAD, t << 16, tag, NULL);
}

l4_msgtag_t l4_receive(l4_threadid_t from, l4_threadid_t *sender) {
  return l4_ipc(L4_NILTHREAD, from, 0, l4_mktag(0, 0, 0), sender);
}

l4_msgtag_t l4_receive_timeout(l4_threadid_t from, l4_word_t t, l4_threadid_t *sender) {
  return l4_ipc(L4_NILTHREAD, from, t, l4_mktag(0, 0, 0), sender);
}

void l4_accept(l4_fpage_t window) { l4_utcb()->acceptor = window.raw; }

void l4_put_map_item(int i, l4_word_t snd_base, l4_fpage_t fp, int grant) {
  L4_MR(i) = (snd_base & ~0x3FFu) | (grant ? L4_ITEM_GRANT : L4_ITEM_MAP);
  L4_MR(i + 1) = fp.raw;
}

void l4_thread_switch(l4_threadid_t to) { __asm__ volatile("int $0x31" : "+a"(to) : : "memory"); }
void l4_yield(void) { l4_thread_switch(L4_NILTHREAD); }

int l4_thread_control(l4_threadid_t dest, l4_threadid_t space, l4_threadid_t pager, l4_threadid_t exc) {
  __asm__ volatile("int $0x33" : "+a"(dest), "+S"(space), "+c"(pager), "+b"(exc) : : "edx", "edi", "memory");
  return (int)dest;
}

l4_threadid_t l4_exchange_registers(l4_threadid_t dest, l4_word_t control, l4_word_t sp, l4_word_t ip,
                                    l4_threadid_t pager, l4_threadid_t exc, l4_word_t *old_sp, l4_word_t *old_ip) {
  uint32_t r[7] = { dest, control, sp, ip, 0, exc, pager };
  l4_exregs_raw(r);
  if (old_sp)
    *old_sp = r[2];
  if (old_ip)
    *old_ip = r[3];
  return r[0];
}

int l4_start(l4_threadid_t t, void (*ip)(void), void *sp) {
  return l4_exchange_registers(t, L4_EXREGS_SET_IP | L4_EXREGS_SET_SP | L4_EXREGS_RESUME, (l4_word_t)sp,
                               (l4_word_t)ip, 0, 0, NULL, NULL) != 0;
}

void l4_unmap(l4_word_t control) { __asm__ volatile("int $0x34" : "+a"(control) : : "memory"); }

int l4_set_priority(l4_threadid_t t, l4_word_t prio) {
  __asm__ volatile("int $0x35" : "+a"(t) : "d"(prio) : "memory");
  return t != 0;
}

int l4_io_control(l4_threadid_t t, l4_word_t port, l4_word_t count, int grant) {
  __asm__ volatile("int $0x36" : "+a"(t) : "d"(port), "c"(count), "b"(grant) : "memory");
  return t != 0;
}

uint64_t l4_clock(void) {
  uint32_t lo, hi;
  __asm__ volatile("int $0x38" : "=a"(lo), "=d"(hi) : : "memory");
  return (uint64_t)hi << 32 | lo;
}
