/* main.c: hypervisor boot: console, host memory, the guest's physical memory, loading the guest
 * kernel from the first multiboot module the way a Multiboot loader would, and the first entry. */
#include <stdarg.h>
#include "vmm.h"
#include "libkern/elf.h"
#include "libkern/format.h"
#include "libkern/string.h"
#include "libkern/uart16550.h"

struct vcpu vcpu;
bool opt_stats;

struct mbinfo {
  uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
  uint32_t syms[4];
  uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
};
struct mbmod { uint32_t start, end, string, reserved; };
struct mbmmap { uint32_t size; uint64_t addr, len; uint32_t type; } __attribute__((packed));

#define MB_BOOT_MAGIC 0x2BADB002

/* ---- console: COM1, shared with the guest's (the same line, as on a real machine) ---- */
static void putc_serial(void *ctx, char c) {
  (void)ctx;
  if (c == '\n')
    uart16550_putc(UART_COM1, '\r');
  uart16550_putc(UART_COM1, c);
}

void vmm_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kformat(putc_serial, 0, fmt, ap);
  va_end(ap);
}

/* The hypervisor's own power-off: the host machine's exit port (jx86, QEMU isa-debug-exit). */
static _Noreturn void host_exit(uint32_t status) {
  outl(0xF4, status);
  for (;;)
    __asm__ volatile("cli; hlt");
}

_Noreturn void vmm_panic(const char *fmt, ...) {
  va_list ap;
  vmm_printf("vmm: panic: ");
  va_start(ap, fmt);
  kformat(putc_serial, 0, fmt, ap);
  va_end(ap);
  vmm_printf("\n");
  host_exit(0x7F);
}

/* A guest did something no PC would survive (a triple fault, an unsupported feature): the VM
 * ends, the hypervisor reports why, and with one VM the run ends with status 3. */
_Noreturn void vm_kill(const char *why) {
  vmm_printf("vmm: VM 0 killed: %s\n", why);
  if (opt_stats)
    stats_print();
  host_exit(3);
}

/* ---- the guest's physical memory ---- */

static char *word_end(char *s) {
  while (*s && *s != ' ')
    s++;
  return s;
}

/* VMM command-line words: "stats" prints the exit table at the end; "ad=0" turns off exact
 * Accessed/Dirty emulation; "shadow=flush" keeps one shadow emptied at every CR3 load instead
 * of a cache of write-protected shadows (shadow.c); everything after "--" is the guest's command line (used when the
 * guest kernel's module string has no words after its path). */
static char *guest_args;

static void parse_cmdline(char *cmd) {
  if (!cmd)
    return;
  for (char *p = cmd; *p; p++) {
    if (strncmp(p, "--", 2) == 0 && (p == cmd || p[-1] == ' ') && (p[2] == ' ' || p[2] == 0)) {
      guest_args = p[2] ? p + 3 : p + 2;
      break;
    }
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "stats", 5) == 0 && (p[5] == 0 || p[5] == ' '))
      opt_stats = true;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "ad=0", 4) == 0)
      opt_shadow_ad = 0;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "shadow=flush", 12) == 0)
      opt_shadow_cache = 0;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "patch=0", 7) == 0)
      opt_patch = 0;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "patch=list", 10) == 0)
      opt_patch_list = 1;
  }
}

/* Loads the guest kernel's PT_LOAD segments at their physical addresses in guest memory. */
static uint32_t load_guest_elf(const uint8_t *img, uint32_t size, uint32_t *end) {
  const struct elfhdr *eh = (const struct elfhdr *)img;
  if (size < sizeof *eh || eh->magic != ELF_MAGIC || eh->machine != EM_386)
    vmm_panic("module 0 is not an i386 ELF kernel");
  *end = 0;
  for (int i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = (const struct proghdr *)(img + eh->phoff + i * eh->phentsize);
    if (ph->type != PT_LOAD || ph->memsz == 0)
      continue;
    if ((uint64_t)ph->paddr + ph->memsz > vcpu.gsize || ph->off + ph->filesz > size)
      vmm_panic("guest segment at %x+%x does not fit guest memory", ph->paddr, ph->memsz);
    memmove(gpa2hva(ph->paddr), img + ph->off, ph->filesz);
    memset((char *)gpa2hva(ph->paddr) + ph->filesz, 0, ph->memsz - ph->filesz);
    if (ph->paddr + ph->memsz > *end)
      *end = ph->paddr + ph->memsz;
  }
  return eh->entry;
}

/* Guest-physical places of the multiboot information the hypervisor builds for the guest. */
#define G_MBI 0x8000
#define G_MMAP 0x8100
#define G_LOADER 0x8200
#define G_MODS 0x8300
#define G_CMDLINE 0x8500
#define G_STRINGS 0x8700
#define G_STRINGS_END 0x9F000

static void gput_str(uint32_t gpa, const char *s, uint32_t max) {
  char *d = gpa2hva(gpa);
  uint32_t n = strlen(s);
  if (n >= max)
    n = max - 1;
  memmove(d, s, n);
  d[n] = 0;
}

/* Builds the guest's multiboot information: memory map, command line (module 0's string after
 * its first word), and modules 1.. of the hypervisor as the guest's modules. */
static uint32_t build_guest_mbi(struct mbinfo *hmb, uint32_t kend) {
  struct mbinfo *g = gpa2hva(G_MBI);
  struct mbmod *hmods = P2V(hmb->mods_addr);
  memset(g, 0, sizeof *g);
  g->flags = 1 | 4 | 8 | 64 | 512;
  g->mem_lower = 639;
  g->mem_upper = (vcpu.gsize - 0x100000) / 1024;
  struct mbmmap *mm = gpa2hva(G_MMAP);
  mm[0] = (struct mbmmap){ 20, 0, 0x9FC00, 1 };
  mm[1] = (struct mbmmap){ 20, 0x9FC00, 0x400, 2 };
  mm[2] = (struct mbmmap){ 20, 0xF0000, 0x10000, 2 };
  mm[3] = (struct mbmmap){ 20, 0x100000, vcpu.gsize - 0x100000, 1 };
  g->mmap_addr = G_MMAP;
  g->mmap_length = 4 * sizeof(struct mbmmap);
  gput_str(G_LOADER, "jx86-vmm", 64);
  g->boot_loader_name = G_LOADER;

  /* the guest's command line: module 0's words after its path, else the VMM's after " -- " */
  char *args = word_end(P2V(hmods[0].string));
  while (*args == ' ')
    args++;
  if (!*args && guest_args)
    args = guest_args;
  gput_str(G_CMDLINE, args, G_STRINGS - G_CMDLINE);
  g->cmdline = G_CMDLINE;

  uint32_t at = (kend + 0xFFF) & ~0xFFF, str = G_STRINGS;
  struct mbmod *gm = gpa2hva(G_MODS);
  g->mods_addr = G_MODS;
  g->mods_count = 0;
  for (uint32_t i = 1; i < hmb->mods_count && i <= 32; i++) {
    uint32_t n = hmods[i].end - hmods[i].start;
    if (at + n > vcpu.gsize)
      vmm_panic("guest module %d does not fit guest memory", i);
    memmove(gpa2hva(at), P2V(hmods[i].start), n);
    const char *ms = P2V(hmods[i].string);
    uint32_t len = strlen(ms) + 1;
    if (str + len > G_STRINGS_END)
      vmm_panic("guest module strings too long");
    gput_str(str, ms, len);
    gm[g->mods_count++] = (struct mbmod){ at, at + n, str, 0 };
    str += len;
    at = (at + n + 0xFFF) & ~0xFFF;
  }
  return G_MBI;
}

static void start_guest(uint32_t entry, uint32_t mbi) {
  static struct frame f;
  extern _Noreturn void enter_guest(struct frame *f);
  memset(&f, 0, sizeof f);
  /* the state Multiboot section 3.2 prescribes, in ring 1: flat 0x08/0x10, paging off, IF=0 */
  f.eip = entry;
  f.cs = 0x08 | 1;
  f.ss = f.ds = f.es = f.fs = f.gs = 0x10 | 1;
  f.eflags = 0x2;
  f.eax = MB_BOOT_MAGIC;
  f.ebx = mbi;
  vcpu.cr0 = CR0_PE | 0x10;        /* ET */
  vcpu.vif = false;
  enter_guest(&f);
}

void vmm_main(uint32_t magic, uint32_t mbpa) {
  uart16550_setup(UART_COM1);
  if (magic != MB_BOOT_MAGIC)
    vmm_panic("not started by a Multiboot loader (magic %x)", magic);
  struct mbinfo *mb = P2V(mbpa);
  if (mb->flags & 4)
    parse_cmdline(P2V(mb->cmdline));
  uint32_t top = 0x100000 + mb->mem_upper * 1024;
  if (top > HOSTMAX)
    top = HOSTMAX;
  if (top < GUESTBASE + 0x1000000)
    vmm_panic("host has %d KiB above 1 MiB; the VMM needs %d MiB", mb->mem_upper, (GUESTBASE >> 20) + 16);
  if (!(mb->flags & 8) || mb->mods_count < 1)
    vmm_panic("no guest: pass the guest kernel as the first multiboot module");
  struct mbmod *mods = P2V(mb->mods_addr);
  for (uint32_t i = 0; i < mb->mods_count; i++)
    if (mods[i].end > POOLBASE)
      vmm_panic("module %d ends at %x, above the shadow pool at %x", i, mods[i].end, POOLBASE);
  vcpu.gsize = (top - GUESTBASE) & ~0xFFF;
  vmm_printf("vmm: jx86 hypervisor, host RAM %d MiB, VM 0: %d KiB guest memory at host %x\n",
             top >> 20, vcpu.gsize >> 10, GUESTBASE);
  memset(gpa2hva(0), 0, 0xA0000);
  memset(gpa2hva(0x100000), 0, 0x100000);
  cpu_init();
  shadow_init();
  vpic_init();
  uint32_t kend;
  uint32_t entry = load_guest_elf(P2V(mods[0].start), mods[0].end - mods[0].start, &kend);
  patch_guest(P2V(mods[0].start), mods[0].end - mods[0].start);
  uint32_t mbi = build_guest_mbi(mb, kend);
  vmm_printf("vmm: guest kernel '%s', entry %x, %d module(s); starting it in ring 1\n",
             (char *)P2V(mods[0].string), entry, mb->mods_count - 1);
  start_guest(entry, mbi);
}
