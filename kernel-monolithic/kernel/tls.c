/* tls.c: set_thread_area(2) and get_thread_area(2): the three per-process segment descriptors
 * (GDT entries 6-8, as in Linux) that glibc points %gs at for thread-local storage. */
#include "defs.h"
#include "proc.h"

/* struct user_desc (Linux's asm/ldt.h); the flags word packs the bit fields */
struct user_desc {
  uint32_t entry_number;
  uint32_t base_addr;
  uint32_t limit;
  uint32_t flags;
};
#define UD_SEG_32BIT        0x01
#define UD_CONTENTS(f)      (((f) >> 1) & 3)
#define UD_READ_EXEC_ONLY   0x08
#define UD_LIMIT_IN_PAGES   0x10
#define UD_SEG_NOT_PRESENT  0x20
#define UD_USEABLE          0x40

/* Linux's LDT_empty / LDT_zero: the descriptions that mean "clear this entry" */
static bool desc_empty(const struct user_desc *u) {
  return u->base_addr == 0 && u->limit == 0 &&
         (u->flags == 0 || u->flags == (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT));
}

/* Installs *u in p's entry idx (0-2). Returns 0 or -EINVAL. */
static int tls_install(struct proc *p, int idx, const struct user_desc *u) {
  struct segdesc d;
  memset(&d, 0, sizeof(d));
  if (!desc_empty(u)) {
    if (UD_CONTENTS(u->flags) == 3 && !(u->flags & UD_SEG_NOT_PRESENT))
      return -EINVAL;                   /* a conforming code segment: Linux refuses it too */
    d.lim_15_0 = u->limit & 0xFFFF;
    d.lim_19_16 = (u->limit >> 16) & 0xF;
    d.base_15_0 = u->base_addr & 0xFFFF;
    d.base_23_16 = (u->base_addr >> 16) & 0xFF;
    d.base_31_24 = u->base_addr >> 24;
    d.type = ((u->flags & UD_READ_EXEC_ONLY) ? 0 : 2) | (UD_CONTENTS(u->flags) << 2);
    d.s = 1;
    d.dpl = DPL_USER;
    d.p = !(u->flags & UD_SEG_NOT_PRESENT);
    d.avl = !!(u->flags & UD_USEABLE);
    d.db = !!(u->flags & UD_SEG_32BIT);
    d.g = !!(u->flags & UD_LIMIT_IN_PAGES);
  }
  p->tls[idx] = d;
  /* a selector still naming a now-empty entry would fault in the kernel's trap return */
  uint16_t sel = ((SEG_TLS + idx) << 3) | DPL_USER;
  if (!d.p && p->tf && (p->tf->gs & 0xFFFC) == (sel & 0xFFFC))
    p->tf->gs = 0;
  if (!d.p && p->tf && (p->tf->fs & 0xFFFC) == (sel & 0xFFFC))
    p->tf->fs = 0;
  if (p == curproc)
    gdt_set_tls(p->tls);
  return 0;
}

/* set_thread_area for process p from the user_desc at uinfo (also clone's CLONE_SETTLS). */
int tls_set(struct proc *p, uaddr_t uinfo) {
  struct user_desc u;
  if (copyin(curproc->pgdir, &u, uinfo, sizeof(u)) < 0)
    return -EFAULT;
  int idx;
  if (u.entry_number == (uint32_t)-1) {     /* "any free entry": tell the caller which */
    for (idx = 0; idx < NTLS && p->tls[idx].p; idx++)
      ;
    if (idx == NTLS)
      return -ESRCH;
    u.entry_number = SEG_TLS + idx;
    if (copyout(curproc->pgdir, uinfo, &u.entry_number, sizeof(u.entry_number)) < 0)
      return -EFAULT;
  } else if (u.entry_number < SEG_TLS || u.entry_number >= SEG_TLS + NTLS) {
    return -EINVAL;
  }
  return tls_install(p, u.entry_number - SEG_TLS, &u);
}

int sys_set_thread_area(uaddr_t uinfo) {
  return tls_set(curproc, uinfo);
}

int sys_get_thread_area(uaddr_t uinfo) {
  struct user_desc u;
  if (get_user32(&u.entry_number, uinfo) < 0)
    return -EFAULT;
  if (u.entry_number < SEG_TLS || u.entry_number >= SEG_TLS + NTLS)
    return -EINVAL;
  const struct segdesc *d = &curproc->tls[u.entry_number - SEG_TLS];
  u.base_addr = d->base_15_0 | d->base_23_16 << 16 | (uint32_t)d->base_31_24 << 24;
  u.limit = d->lim_15_0 | d->lim_19_16 << 16;
  u.flags = (d->db ? UD_SEG_32BIT : 0) | ((d->type >> 2) & 3) << 1 |
            ((d->type & 2) ? 0 : UD_READ_EXEC_ONLY) | (d->g ? UD_LIMIT_IN_PAGES : 0) |
            (d->p ? 0 : UD_SEG_NOT_PRESENT) | (d->avl ? UD_USEABLE : 0);
  if (!d->p && !d->s)                  /* never set: Linux reports it as LDT_empty */
    u.flags = UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT;
  return copyout(curproc->pgdir, uinfo, &u, sizeof(u));
}

/* execve: the new program starts without TLS entries (Linux's flush_thread). */
void tls_clear(struct proc *p) {
  memset(p->tls, 0, sizeof(p->tls));
  if (p == curproc)
    gdt_set_tls(p->tls);
}
