/* snapshot.c: VM snapshots ("snapshot N" / "restore N" on the hypervisor console). A snapshot
 * of VM N is its whole state at one instant, kept in hypervisor memory (the snapshot store):
 *
 *   vCPU      the guest's registers (the frame of the exit it is in) and everything the
 *             hypervisor keeps per VM: the per-VM window (layout.h) holds the virtual CPU
 *             (control, debug and descriptor-table registers, virtual IF), the real GDT/IDT/TSS
 *             built from the guest's, the virtual PIC pair (requests, in-service, masks), the
 *             virtual ATA with any command in flight, the UART and CMOS index views -- so the
 *             window is copied as a whole, and state added to it later is saved too
 *   pending   the virtual IRQ lines raised while the VM was switched out
 *   memory    its guest-physical memory, copied when the snapshot is taken ("copy on save"):
 *             a page of zeros is only noted, so the copy is as big as the memory in use
 *   disk      from the snapshot on, the VM's disk writes go to an overlay of changed sectors
 *             in the store; its reads see the overlay first
 *
 * "restore N" puts all of it back: memory and window copied back, the overlay dropped (the disk
 * is the snapshot's again), the shadow page tables rebuilt from nothing (the bookkeeping in the
 * window describes pool pages reused since), and the VM's hypervisor thread starts again on an
 * empty stack with the saved frame. The snapshot stays: it can be restored again and again.
 *
 * The instruction a VM was executing when it was saved: a VM is always inside an exit when
 * another VM's thread or the console looks at it (an IN from its UART for the console, HLT,
 * the end of a handled exit at a world switch). Emulation commits an instruction only at its
 * end (eip advanced last; REP INS/OUTS keep ECX/ESI/EDI per element), so the saved frame is
 * the state before that instruction, and a restore executes it again -- which for the IN of a
 * status register or a HLT is what the guest would see anyway.
 *
 * The host's devices behind the VM are not part of it: the UART is the host's own (only the
 * hypervisor's view of it is saved), the timer is the hypervisor's (it raises virtual IRQ 0 in
 * every VM, so a VM has no PIT state), and VM 0's screen is the host's VGA memory.
 *
 * The overlay ends in one of two ways: "restore" drops it; otherwise it is committed -- written
 * to the VM's disk -- when the VM stops (power-off, a failure, a console kill, a restart), when
 * the snapshot is deleted ("delvm N"), replaced by a new one, or when the overlay is full. So
 * the disk at the end of a run is what the VM saw last, as if no snapshot had been taken.
 *
 * The store is host memory taken from the top of RAM before it is split between the VMs:
 * "snap=M" on the hypervisor's command line reserves M MiB (default 0: no snapshots), which
 * makes each VM's memory M/2 MiB smaller. It holds each VM's index tables (fixed, from its
 * start) and then 4 KiB pages shared by the copies and the overlays of both VMs. */
#include "vmm.h"
#include "libkern/string.h"

#define MAXGPAGES (HOSTMAX / 4096)        /* guest pages a VM may have */
#define WINPAGES 1024                     /* the per-VM window's 4 MiB */
#define OVL_SLOTS 16384                   /* overlay hash slots per VM (a power of two) */
#define OVL_MAX (OVL_SLOTS * 3 / 4)       /* sectors an overlay may hold: 6 MiB */

struct snap {
  bool valid;
  struct frame frame;                     /* the guest's registers */
  struct v86segs segs;                    /* and, in virtual-8086 mode, ES, DS, FS, GS above it */
  uint16_t pending;                       /* raised virtual IRQ lines not yet in its PIC */
  uint32_t gpages, mpages, wpages;        /* guest pages; of them stored; window pages stored */
  uint32_t *mem;                          /* per guest page: store address of its copy, 0: zeros */
  uint32_t *win;                          /* per window page: the same */
  uint32_t *ovl_lba, *ovl_pa;             /* overlay: sector -> store address (0: free slot) */
  uint32_t novl;                          /* sectors in the overlay */
  uint32_t restores;
};
static struct snap snaps[NVM];
static int restore_pending[NVM];          /* restore on the VM's own thread when it next runs */
static uint32_t store_lo, store_hi;       /* host-physical */
static uint32_t freelist, nfree;
static uint32_t sec_page[NVM], sec_used[NVM]; /* the store page an overlay is filling */

static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (uint64_t)hi << 32 | lo;
}

/* ---- the store ---- */

static uint32_t store_alloc(void) {
  if (!freelist)
    return 0;
  uint32_t pa = freelist;
  freelist = *(uint32_t *)P2V(pa);
  nfree--;
  return pa;
}

static void store_free(uint32_t pa) {
  *(uint32_t *)P2V(pa) = freelist;
  freelist = pa;
  nfree++;
}

/* "snap=M" on the command line: the top M MiB of host RAM become the store. Returns the new top
 * of the RAM the guests share. */
uint32_t snap_init(const char *cmd, uint32_t top) {
  uint32_t mib = 0;
  for (const char *p = cmd; p && *p; p++) {
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "--", 2) == 0 && (p[2] == ' ' || p[2] == 0))
      break;                              /* the guest's words */
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "snap=", 5) == 0)
      for (const char *q = p + 5; *q >= '0' && *q <= '9'; q++)
        mib = mib * 10 + (*q - '0');
  }
  uint32_t meta = NVM * (MAXGPAGES + WINPAGES + 2 * OVL_SLOTS) * 4;
  /* the guests keep at least 4 MiB each beyond the hypervisor's 32 MiB */
  if (mib == 0 || mib >= (top >> 20) || (mib << 20) <= meta + 16 * 4096 ||
      (mib << 20) + NVM * 0x400000 > top - GUESTBASE) {
    if (mib)
      vmm_printf("vmm: snap=%d does not fit this host; snapshots are off\n", mib);
    return top;
  }
  store_hi = top & ~0xFFF;
  store_lo = store_hi - (mib << 20);
  uint32_t *t = P2V(store_lo);
  memset(t, 0, meta);
  for (int v = 0; v < NVM; v++) {
    snaps[v].mem = t;
    t += MAXGPAGES;
    snaps[v].win = t;
    t += WINPAGES;
    snaps[v].ovl_lba = t;
    t += OVL_SLOTS;
    snaps[v].ovl_pa = t;
    t += OVL_SLOTS;
  }
  for (uint32_t pa = store_hi - 4096; pa >= ((V2P(t) + 4095) & ~4095); pa -= 4096)
    store_free(pa);
  vmm_printf("vmm: snapshot store: %d MiB at host %x (%d pages free)\n", mib, store_lo, nfree);
  return store_lo;
}

/* ---- the disk overlay (vata.c asks for every sector of the running VM) ---- */

static uint32_t slot_of(struct snap *s, uint32_t lba, bool *found) {
  uint32_t i = (lba * 2654435761u) & (OVL_SLOTS - 1);
  while (s->ovl_pa[i] && s->ovl_lba[i] != lba)
    i = (i + 1) & (OVL_SLOTS - 1);
  *found = s->ovl_pa[i] != 0;
  return i;
}

/* The overlay's pages back to the store: each page's first sector has its page's address. */
static void overlay_drop(int v) {
  struct snap *s = &snaps[v];
  for (uint32_t i = 0; i < OVL_SLOTS; i++) {
    if (s->ovl_pa[i] && !(s->ovl_pa[i] & 0xFFF))
      store_free(s->ovl_pa[i]);
    s->ovl_pa[i] = 0;
  }
  s->novl = 0;
  sec_page[v] = sec_used[v] = 0;
}

/* Writes VM v's overlay to its disk (host drive v), then drops it. */
static void overlay_commit(int v) {
  struct snap *s = &snaps[v];
  uint32_t bad = 0;
  for (uint32_t i = 0; i < OVL_SLOTS; i++)
    if (s->ovl_pa[i] && !vata_host_write(v, s->ovl_lba[i], P2V(s->ovl_pa[i])))
      bad++;
  if (s->novl)
    vmm_printf("vmm: VM %d: %d overlay sector(s) committed to its disk%s\n", v, s->novl,
               bad ? " (some writes failed)" : "");
  overlay_drop(v);
}

static void snap_delete(int v) {
  struct snap *s = &snaps[v];
  if (!s->valid)
    return;
  overlay_commit(v);
  for (uint32_t i = 0; i < s->gpages; i++)
    if (s->mem[i]) {
      store_free(s->mem[i]);
      s->mem[i] = 0;
    }
  for (uint32_t i = 0; i < WINPAGES; i++)
    if (s->win[i]) {
      store_free(s->win[i]);
      s->win[i] = 0;
    }
  s->valid = false;
  restore_pending[v] = 0;
}

/* A sector the running VM reads: from its overlay when the overlay has it. */
bool snap_disk_read(uint32_t lba, void *buf) {
  struct snap *s = &snaps[vcpu.id];
  bool found;
  if (!s->valid || !s->novl)
    return false;
  uint32_t i = slot_of(s, lba, &found);
  if (!found)
    return false;
  memcpy(buf, P2V(s->ovl_pa[i]), 512);
  return true;
}

/* A sector the running VM writes: into its overlay while it has a snapshot (true); false: the
 * write goes to the disk. A full overlay (or store) is committed and the snapshot deleted. */
bool snap_disk_write(uint32_t lba, const void *buf) {
  int v = vcpu.id;
  struct snap *s = &snaps[v];
  if (!s->valid)
    return false;
  bool found;
  uint32_t i = slot_of(s, lba, &found);
  if (!found) {
    if (s->novl >= OVL_MAX || (!sec_used[v] && nfree == 0)) {
      vmm_printf("vmm: VM %d: the snapshot overlay is full; the snapshot is deleted\n", v);
      snap_delete(v);
      return false;
    }
    if (!sec_used[v])
      sec_page[v] = store_alloc();
    s->ovl_lba[i] = lba;
    s->ovl_pa[i] = sec_page[v] + sec_used[v] * 512;
    sec_used[v] = (sec_used[v] + 1) % 8;
    s->novl++;
  }
  memcpy(P2V(s->ovl_pa[i]), buf, 512);
  return true;
}

/* ---- save ---- */

static bool zero_page(const uint32_t *p) {
  for (int i = 0; i < 1024; i++)
    if (p[i])
      return false;
  return true;
}

/* Copies n pages from host address src into store pages listed in idx (0 for a page of zeros);
 * returns the pages stored, or -1 when the store ran out. */
static int save_pages(const uint8_t *src, uint32_t n, uint32_t *idx) {
  int stored = 0;
  for (uint32_t i = 0; i < n; i++, src += 4096) {
    idx[i] = 0;
    if (zero_page((const uint32_t *)src))
      continue;
    if (!(idx[i] = store_alloc()))
      return -1;
    memcpy(P2V(idx[i]), src, 4096);
    stored++;
  }
  return stored;
}

static void snap_save(int v) {
  const struct vcpu *vc = WINVA(v, &vcpu);
  if (!vc->frame) {
    vmm_printf("vmm: VM %d has not run yet\n", v);
    return;
  }
  uint64_t t0 = rdtsc();
  snap_delete(v);                         /* a new snapshot replaces the old (its overlay committed) */
  struct snap *s = &snaps[v];
  const struct frame *gf = WINVA(v, vc->frame);
  s->frame = *gf;
  if (gf->eflags & FL_VM)                 /* a trap from v86 mode pushed the data segments too */
    s->segs = *(const struct v86segs *)(gf + 1);
  if (v == curvm)
    fpu_flush();                          /* its x87 state is in the FPU, not yet in its window */
  s->pending = vms[v].pending;
  s->gpages = vms[v].gsize / 4096;
  s->restores = 0;
  extern char __vmwin_start[], __vmwin_end[];
  uint32_t wn = (__vmwin_end - __vmwin_start + 4095) / 4096;
  int m = save_pages(P2V(vms[v].gbase), s->gpages, s->mem);
  int w = m < 0 ? -1 : save_pages(P2V(vms[v].win), wn, s->win);
  s->valid = true;                        /* (so that snap_delete frees what was stored) */
  if (m < 0 || w < 0) {
    vmm_printf("vmm: VM %d: the snapshot store is full (%d MiB): no snapshot\n", v, (store_hi - store_lo) >> 20);
    snap_delete(v);
    return;
  }
  s->mpages = m;
  s->wpages = w;
  vmm_printf("vmm: VM %d saved: %d of %d memory pages, %d window pages stored (%d KiB), "
             "eip %x, %u cycles\n", v, m, s->gpages, w, (m + w) * 4, s->frame.eip, (uint32_t)(rdtsc() - t0));
}

/* ---- restore ---- */

/* Copies window page i back, except [skip0_lo, skip0_hi) and [skip1_lo, skip1_hi) (offsets in
 * the window): the hypervisor stack the restore runs after, and the exit counters, which go on
 * counting. */
static uint32_t skip[2][2];

static void restore_window_page(uint8_t *dst, const uint8_t *src, uint32_t off) {
  bool clash = false;
  for (int k = 0; k < 2; k++)
    clash |= off < skip[k][1] && off + 4096 > skip[k][0];
  if (!clash) {
    if (src)
      memcpy(dst, src, 4096);
    else
      memset(dst, 0, 4096);
    return;
  }
  for (uint32_t b = 0; b < 4096; b++) {
    uint32_t o = off + b;
    if ((o >= skip[0][0] && o < skip[0][1]) || (o >= skip[1][0] && o < skip[1][1]))
      continue;
    dst[b] = src ? src[b] : 0;
  }
}

/* On the boot stack (the VM's own stack is in the window being restored): puts VM curvm back to
 * its snapshot and enters it. */
static _Noreturn void restore_here(void) {
  int v = curvm;
  struct snap *s = &snaps[v];
  uint64_t t0 = rdtsc();
  /* the VM's shadow page tables are about to be reused: run on the boot page directory, with
   * this VM's window mapped (as main.c's vm_boot does) */
  extern uint32_t bootpgdir[];
  bootpgdir[WINPDE] = vms[v].win | 0x83;
  lcr3(V2P(bootpgdir));

  for (uint32_t i = 0; i < s->gpages; i++) {
    uint8_t *dst = P2V(vms[v].gbase + i * 4096);
    if (s->mem[i])
      memcpy(dst, P2V(s->mem[i]), 4096);
    else
      memset(dst, 0, 4096);
  }
  extern char __vmwin_start[], __vmwin_end[];
  uint32_t wn = (__vmwin_end - __vmwin_start + 4095) / 4096;
  skip[0][0] = cpu_stack_top() - HYPSTACK - VMWIN;
  skip[0][1] = cpu_stack_top() - VMWIN;
  skip[1][0] = (uint32_t)&vcpu.exits - VMWIN;
  skip[1][1] = (uint32_t)(&vcpu.ports + 1) - VMWIN;
  for (uint32_t i = 0; i < wn; i++)
    restore_window_page((uint8_t *)P2V(vms[v].win) + i * 4096, s->win[i] ? P2V(s->win[i]) : 0, i * 4096);
  uint32_t dropped = s->novl;
  overlay_drop(v);
  s->restores++;

  vms[v].pending = s->pending;
  vms[v].halted = false;
  shadow_rebuild();
  vpic_release_lines(v);                 /* its real lines wait for no EOI of the lost future */
  vpic_reroute();                         /* the real masks from the restored virtual PIC */
  fpu_load();                             /* the x87 state of the restored window */
  /* where the CPU puts a trap frame from the guest: below TSS.ESP0, which is 16 bytes below the
   * stack top, so that a frame from v86 mode has its ES, DS, FS, GS above it (cpu.c) */
  struct frame *f = (struct frame *)(cpu_stack_top() - 16 - sizeof(struct frame));
  *f = s->frame;
  if (f->eflags & FL_VM)
    *v86segs(f) = s->segs;
  vcpu.frame = f;
  vmm_printf("vmm: VM %d restored (%d), %d overlay sector(s) dropped, eip %x, %u cycles\n", v,
             s->restores, dropped, f->eip, (uint32_t)(rdtsc() - t0));
  vm_fold_pending();
  trap_resume(f);
  extern _Noreturn void enter_guest(struct frame *f);
  enter_guest(f);
}

/* Called on the running VM's thread where it continues (after a world switch, after the
 * console): a restore asked for on the console happens here, before the VM runs again. */
void snap_check_restore(void) {
  if (!restore_pending[curvm] || vms[curvm].state != VM_RUNNING)
    return;
  restore_pending[curvm] = 0;
  extern char hypstack[];
  __asm__ volatile("movl %0, %%esp\n\tcall *%1" : : "r"(hypstack + HYPSTACK), "r"(restore_here) : "memory");
  __builtin_unreachable();
}

/* VM v stops (or restarts): its overlay goes to its disk and its snapshot is gone. */
void snap_vm_off(int v) {
  snap_delete(v);
}

/* ---- the console ---- */

void snap_help(void) {
  vmm_printf("vmm: snapshots: snapshot N (savevm N), restore N (loadvm N), delvm N\n");
}

void snap_list(int v) {
  struct snap *s = &snaps[v];
  if (s->valid)
    vmm_printf("vmm: VM %d snapshot: %d memory + %d window pages, overlay %d sector(s), restored %d time(s)%s\n",
               v, s->mpages, s->wpages, s->novl, s->restores, restore_pending[v] ? ", restore pending" : "");
}

/* "word N": N; -1: the word with no valid VM number; -2: another line. */
static int word_vm(const char *line, const char *word) {
  uint32_t n = strlen(word);
  if (strncmp(line, word, n) != 0 || (line[n] != ' ' && line[n] != 0))
    return -2;
  if (line[n] != ' ' || line[n + 1] < '0' || line[n + 1] >= '0' + nvms || line[n + 2] != 0)
    return -1;
  return line[n + 1] - '0';
}

/* The console's snapshot commands; false: the line is none of them. */
bool snap_command(const char *line) {
  static const char *const words[] = { "snapshot", "savevm", "restore", "loadvm", "delvm" };
  int which = -1, v = -2;
  for (int i = 0; i < 5 && which < 0; i++) {
    v = word_vm(line, words[i]);
    if (v != -2)
      which = i;
  }
  if (which < 0)
    return false;
  if (v < 0) {
    vmm_printf("vmm: which VM? (0..%d)\n", nvms - 1);
    return true;
  }
  if (!store_hi) {
    vmm_printf("vmm: snapshots are off (boot the hypervisor with snap=M for an M MiB store)\n");
    return true;
  }
  if (vms[v].state != VM_RUNNING && vms[v].state != VM_PAUSED) {
    vmm_printf("vmm: VM %d is not running\n", v);
    return true;
  }
  if (which <= 1) {
    snap_save(v);
  } else if (!snaps[v].valid) {
    vmm_printf("vmm: VM %d has no snapshot\n", v);
  } else if (which == 4) {
    snap_delete(v);
    vmm_printf("vmm: VM %d's snapshot deleted\n", v);
  } else {
    restore_pending[v] = 1;
    vmm_printf("vmm: VM %d goes back to its snapshot when it next runs\n", v);
  }
  return true;
}
