/* main.c: hypervisor boot: console, host memory, the guest's physical memory, loading the guest
 * kernel from the first multiboot module the way a Multiboot loader would, and the first entry. */
#include <stdarg.h>
#include "vmm.h"
#include "libkern/elf.h"
#include "libkern/format.h"
#include "libkern/string.h"
#include "libkern/uart16550.h"

struct vcpu vcpu PERVM;
bool opt_stats;

struct mbinfo {
  uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
  uint32_t syms[4];
  uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
};
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
_Noreturn void host_exit(uint32_t status) {
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

/* Logs "vmN: why" and the guest's registers at the exit being handled. */
void vm_report(const char *why) {
  struct frame *f = vcpu.frame;
  vmm_printf("vm%d: %s\n", vcpu.id, why);
  if (f)
    vmm_printf("vm%d: eax=%x ebx=%x ecx=%x edx=%x esi=%x edi=%x ebp=%x esp=%x\n"
               "vm%d: eip=%x eflags=%x cs=%x ss=%x cr0=%x cr2=%x cr3=%x vif=%d\n",
               vcpu.id, f->eax, f->ebx, f->ecx, f->edx, f->esi, f->edi, f->ebp, f->esp,
               vcpu.id, f->eip, f->eflags, f->cs, f->ss, vcpu.cr0, vcpu.cr2, vcpu.cr3, vcpu.vif);
}

/* A guest did something no PC would survive (a triple fault, an unsupported feature): the VM
 * ends, the hypervisor reports why with the guest's registers; the other VMs run on, and when
 * none is left the run ends with status 3. */
_Noreturn void vm_kill(const char *why) {
  vmm_printf("vmm: VM %d killed: %s\n", vcpu.id, why);
  vm_report(why);
  if (opt_stats)
    stats_print();
  vm_stop(3);
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
static uint32_t vm1_module;                 /* "vm1=N": modules N.. are VM 1's (0: no VM 1) */
static bool boot_disk[NVM];                 /* "vmN=disk": VM N boots from its disk (v86.c) */
static bool vm1_given;                      /* "vm1=0" with vm0=disk: all modules are VM 1's */

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
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "fail", 4) == 0 && p[4] >= '0' && p[4] < '0' + NVM &&
        strncmp(p + 5, "=restart", 8) == 0)
      vms[p[4] - '0'].restart = true;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "ad=0", 4) == 0)
      opt_shadow_ad = 0;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "shadow=flush", 12) == 0)
      opt_shadow_cache = 0;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "patch=0", 7) == 0)
      opt_patch = 0;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "patch=list", 10) == 0)
      opt_patch_list = 1;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "vm", 2) == 0 && p[2] >= '0' && p[2] < '0' + NVM &&
        strncmp(p + 3, "=disk", 5) == 0 && (p[8] == 0 || p[8] == ' '))
      boot_disk[p[2] - '0'] = true;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "vm1=", 4) == 0 && p[4] >= '0' && p[4] <= '9')
      vm1_given = true;
    if ((p == cmd || p[-1] == ' ') && strncmp(p, "vm1=", 4) == 0)
      for (char *q = p + 4; *q >= '0' && *q <= '9'; q++)
        vm1_module = vm1_module * 10 + (*q - '0');
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
    if ((ph->flags & PF_X) && !vms[vcpu.id].text_hi) {
      vms[vcpu.id].text_lo = ph->paddr;
      vms[vcpu.id].text_hi = ph->paddr + ph->memsz;
    }
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
static uint32_t build_guest_mbi(struct mbmod *hmods, uint32_t nmods, uint32_t kend) {
  struct mbinfo *g = gpa2hva(G_MBI);
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
  for (uint32_t i = 1; i < nmods && i <= 32; i++) {
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

/* the VM's state at its first entry (with room for a v86 frame's ES, DS, FS, GS) */
static struct { struct frame f; struct v86segs v86; } entry_frame PERVM;
#define first_frame entry_frame.f
extern _Noreturn void enter_guest(struct frame *f);

static void first_entry(void) {
  enter_guest(&first_frame);
}

static void start_thread(void);

static void start_guest(uint32_t entry, uint32_t mbi) {
  struct frame f;
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
  first_frame = f;
  start_thread();
}

static void start_thread(void) {
  /* the thread's first world switch-in "returns" into first_entry (swtch pops four registers) */
  uint32_t *sp = (uint32_t *)cpu_stack_top();
  *--sp = (uint32_t)first_entry;
  for (int i = 0; i < 4; i++)
    *--sp = 0;
  vms[vcpu.id].esp = (uint32_t)sp;
  vms[vcpu.id].cr3 = shadow_pd_pa();
}

/* Maps VM v's window at VMWIN in the boot page directory (the shadows built next copy it). */
static void use_window(int v) {
  extern uint32_t bootpgdir[];
  bootpgdir[WINPDE] = vms[v].win | 0x83;        /* P | W | PS, not global: it changes */
  lcr3(V2P(bootpgdir));
  curvm = v;
}

/* Sets up VM v in its own window: its virtual CPU, real descriptor tables, shadows, virtual
 * PIC, the guest kernel (module first of the hypervisor's) with modules first+1..end-1. */
static void vm_boot(int v, struct mbmod *mods, uint32_t first, uint32_t end) {
  use_window(v);
  vms[v].mods = mods;
  vms[v].first_mod = first;
  vms[v].end_mod = end;
  extern char __vmwin_start[], __vmwin_end[];
  memset(__vmwin_start, 0, __vmwin_end - __vmwin_start);
  vcpu.id = v;
  vcpu.gbase = vms[v].gbase;
  vcpu.gsize = vms[v].gsize;
  vmm_printf("vmm: VM %d: %d KiB guest memory at host %x\n", v, vcpu.gsize >> 10, vcpu.gbase);
  if (vms[v].restarts) {
    memset(P2V(vcpu.gbase), 0, vcpu.gsize);     /* nothing of the failed run is left */
  } else {
    memset(gpa2hva(0), 0, 0xA0000);
    memset(gpa2hva(0x100000), 0, 0x100000);
  }
  cpu_init();
  shadow_init();
  vpic_init();
  fpu_vm_init();
  if (nvms > 1)
    vata_init(v);
  if (boot_disk[v]) {                          /* as on bare metal: the boot sector, in v86 mode */
    vmm_printf("vmm: VM %d: booting from its disk in virtual-8086 mode\n", v);
    v86_boot(&first_frame);
    start_thread();
    vms[v].state = VM_RUNNING;
    return;
  }
  uint32_t kend;
  uint32_t entry = load_guest_elf(P2V(mods[first].start), mods[first].end - mods[first].start, &kend);
  patch_guest(P2V(mods[first].start), mods[first].end - mods[first].start);
  uint32_t mbi = build_guest_mbi(mods + first, end - first, kend);
  vmm_printf("vmm: VM %d: guest kernel '%s', entry %x, %d module(s); starting it in ring 1\n", v,
             (char *)P2V(mods[first].string), entry, end - first - 1);
  start_guest(entry, mbi);
  vms[v].state = VM_RUNNING;
  if (nvms > 1)
    vmm_printf("vmm: VM %d kernel code [%x, %x) checksum %x\n", v, vms[v].text_lo, vms[v].text_hi,
               vm_text_sum(v));
}

/* Restart policy: the running VM boots again from its kernel, in place. Called on the VM's own
 * thread; the window (and the stack in it) is rebuilt, so this runs on the boot stack. */
static _Noreturn void vm_reboot_current(void) {
  int v = curvm;
  vms[v].restarts++;
  vms[v].pending = 0;
  vms[v].halted = false;
  vpic_release_lines(v);
  vm_boot(v, vms[v].mods, vms[v].first_mod, vms[v].end_mod);
  fpu_load();                                   /* its FPU starts afresh, too */
  enter_guest(&first_frame);
}

_Noreturn void vm_restart(void) {
  extern char hypstack[];
  __asm__ volatile("movl %0, %%esp\n\tcall *%1" : : "r"(hypstack + HYPSTACK), "r"(vm_reboot_current) : "memory");
  __builtin_unreachable();
}

/* The hypervisor owns the 8254 when VMs share the CPU: channel 0 at HZ for the time slices. */
static void pit_init(void) {
  uint16_t divisor = (1193182 + 50) / 100;
  outb(0x43, 0x34);
  outb(0x40, divisor & 0xFF);
  outb(0x40, divisor >> 8);
}

void vmm_main(uint32_t magic, uint32_t mbpa) {
  uart16550_setup(UART_COM1);
  fpu_boot();
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
  if (!(mb->flags & 8))
    mb->mods_count = 0;
  if (mb->mods_count < 1 && !boot_disk[0])
    vmm_panic("no guest: pass the guest kernel as the first multiboot module (or vm0=disk)");
  struct mbmod *mods = P2V(mb->mods_addr);
  for (uint32_t i = 0; i < mb->mods_count; i++)
    if (mods[i].end > POOLBASE)
      vmm_panic("module %d ends at %x, above the shadow pool at %x", i, mods[i].end, POOLBASE);
  if ((vm1_module > 0 && vm1_module < mb->mods_count) || boot_disk[1] ||
      (vm1_given && boot_disk[0] && vm1_module < mb->mods_count))
    nvms = 2;
  /* "snap=M": the snapshot store, taken off the top of the guests' share */
  uint32_t gtop = nvms > 1 ? snap_init(mb->flags & 4 ? P2V(mb->cmdline) : 0, top) : top;
  uint32_t gmem = ((gtop - GUESTBASE) / nvms) & ~0x3FFFFF;
  for (int v = 0; v < NVM; v++) {
    vms[v].vimr = 0xFFFF;
    vms[v].win = v == 0 ? WIN0PA : WIN1PA;
    vms[v].gbase = GUESTBASE + v * gmem;
    vms[v].gsize = gmem;
    vms[v].pool_lo = POOLBASE + v * (POOLTOP - POOLBASE) / nvms;
    vms[v].pool_hi = POOLBASE + (v + 1) * (POOLTOP - POOLBASE) / nvms;
  }
  vmm_printf("vmm: jx86 hypervisor, host RAM %d MiB, %d VM(s)\n", top >> 20, nvms);
  if (nvms > 1)
    pit_init();
  if (nvms > 1)
    vm_boot(1, mods, vm1_module, mb->mods_count);
  vm_boot(0, mods, 0, nvms > 1 && vm1_module > 0 ? vm1_module : mb->mods_count);
  vms[0].switches_in = 1;
  fpu_load();
  enter_guest(&first_frame);
}
