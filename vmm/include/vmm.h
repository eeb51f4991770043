/* vmm.h: the hypervisor's structures and every function shared between its files. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "layout.h"
#include "libkern/portio.h"

/* What alltraps saves: pushal, the data segments, vector and error code, then the CPU's frame.
 * esp and ss are there only when the trap crossed rings (always, when it came from a guest). */
struct frame {
  uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;
  uint32_t gs, fs, es, ds;
  uint32_t vector, err;
  uint32_t eip, cs, eflags;
  uint32_t esp, ss;
};

#define FL_CF 0x00000001
#define FL_TF 0x00000100
#define FL_IF 0x00000200
#define FL_DF 0x00000400
#define FL_IOPL 0x00003000
#define FL_NT 0x00004000
#define FL_RF 0x00010000
#define FL_VM 0x00020000

#define PTE_P 0x001
#define PTE_W 0x002
#define PTE_U 0x004
#define PTE_A 0x020
#define PTE_D 0x040
#define PTE_PS 0x080

/* Exit causes, counted per VM (stats.c prints them). */
enum exit_cause {
  EX_CLI, EX_STI, EX_HLT, EX_PUSHF, EX_POPF, EX_MOVCR_R, EX_MOVCR_W, EX_MOVDR, EX_LGDT, EX_LIDT,
  EX_LLDT, EX_LTR, EX_INVLPG, EX_IN, EX_OUT, EX_INS, EX_OUTS, EX_MSR, EX_IRET, EX_MOVSS,
  EX_CLTS, EX_CPUID, EX_OTHER_INSN, EX_SEGREAD, EX_DESCREAD, EX_PATCHED,
  EX_HIDDEN_PF, EX_TRUE_PF, EX_AD_PF, EX_OUTSIDE_PF,
  EX_SHADOW_FLUSH, EX_SHADOW_PT, EX_INVLPG_DROP, EX_SHADOW_HIT, EX_SHADOW_NEW, EX_PT_WRITE,
  EX_SHADOW_ZAP, EX_WP_DOWNGRADE,
  EX_REFLECT_EXC, EX_SYSCALL, EX_IRQ, EX_INJECT_IRQ, EX_RET_USER,
  /* the real boot path (v86.c, vbios.c): the guest's real-mode code in virtual-8086 mode */
  EX_V86_INT, EX_V86_BIOS, EX_V86_IRET, EX_V86_CLISTI, EX_V86_PUSHFPOPF, EX_V86_IO,
  EX_V86_SYS, EX_V86_HLT, EX_V86_TO_REAL, EX_V86_TO_PROT, EX_V86_EXC,
  EX_COUNT
};

/* Per-VM state is placed in the per-VM window (layout.h): the same address in every VM, its own
 * host memory in each. It starts zeroed (vm_boot). */
#define PERVM __attribute__((section(".vmwin")))

/* The virtual CPU of the running VM: what the guest believes is in the privileged registers. */
struct vcpu {
  uint32_t cr0, cr2, cr3, cr4;
  uint32_t dr[8];
  bool vif;                       /* the guest's EFLAGS.IF (kernel mode; user mode is always 1) */
  uint32_t gdt_base, gdt_limit, idt_base, idt_limit;
  uint16_t tr, ldtr;
  uint32_t tr_base;
  bool user_cs_present;           /* see cpu.c: user code descriptors trap the return to ring 3 */
  bool gdt_changed;               /* LGDT since the last return: recheck the frame's selectors */
  uint32_t gsize;                 /* bytes of guest-physical memory */
  uint32_t gbase;                 /* host-physical address of guest-physical 0 */
  int id;                         /* VM number */
  struct frame *frame;            /* the guest's registers at the exit being handled */
  uint64_t exits[EX_COUNT];
  uint32_t ports[65536];          /* exits per I/O port (IN/OUT and each INS/OUTS element) */
};
extern struct vcpu vcpu;

/* What every VM's hypervisor thread may see of the others (outside the windows). */
enum vm_state { VM_OFF, VM_RUNNING, VM_PAUSED, VM_STOPPED };
struct vmctl {
  enum vm_state state;
  bool halted;                    /* waiting in HLT for an interrupt */
  uint16_t pending;               /* virtual IRQ lines raised while the VM was not running */
  uint16_t vimr;                  /* the VM's virtual PIC masks (for the real masks) */
  uint32_t cr3;                   /* real CR3 (a shadow page directory) when switched out */
  uint32_t esp;                   /* the VM's hypervisor stack when switched out */
  uint32_t win;                   /* host address of its per-VM window */
  uint32_t gbase, gsize;          /* its guest-physical memory */
  uint32_t pool_lo, pool_hi;      /* its share of the shadow pool */
  int status;                     /* power-off status */
  uint32_t text_lo, text_hi;      /* guest-physical range of its kernel's code (PT_LOAD, X) */
  uint64_t switches_in, ticks;
  bool restart;                   /* policy "failN=restart": a failed VM boots again */
  int restarts;
  struct mbmod *mods;             /* its kernel and modules: the hypervisor's modules [first, end) */
  uint32_t first_mod, end_mod;
};
struct mbmod { uint32_t start, end, string, reserved; };
extern struct vmctl vms[NVM];
extern int nvms, curvm;
uint32_t vm_text_sum(int v);      /* checksum of VM v's kernel code, read from any VM */

/* sched.c: time-slicing the VMs on the one CPU */
void sched_tick(void);            /* real timer interrupt */
void sched_maybe_switch(void);    /* end of an exit: the slice is used up: run another VM */
void sched_exit_window(void);     /* end of an exit: take real interrupts (the tick) in the hypervisor */
void world_switch(int next);
bool vm_runnable(int v);
void vm_halt_wait(void);          /* HLT with the virtual IF set: wait for a deliverable IRQ */
_Noreturn void vm_stop(int status); /* the running VM is off; run the others or end the run */
void vm_raise(int v, int irq);    /* raise a virtual IRQ line of VM v */
void vm_fold_pending(void);
void sched_after_console(void);
_Noreturn void vm_restart(void);  /* main.c: the running VM boots again (restart policy) */       /* the running VM's raised lines into its virtual PIC */

/* vata.c: the VM's disk, a virtual ATA primary channel backed by a host drive */
void vata_init(int host_drive);
bool vata_io(uint16_t port, int size, bool out, uint32_t *val);

/* main.c */
void vmm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void vmm_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void vm_kill(const char *why);
void vm_report(const char *why);     /* "vmN: why" and the guest's registers */
extern bool opt_stats;

/* cpu.c: the real GDT/IDT/TSS and the guest's virtual ones */
void cpu_init(void);
uint32_t cpu_stack_top(void);     /* the top of this VM's hypervisor stack */
void cpu_guest_gdt(void);         /* after the guest's LGDT: copy its descriptors, deprivileged */
void cpu_guest_idt(void);         /* after the guest's LIDT: gate DPLs for software interrupts */
void cpu_set_user_cs(bool present);
void cpu_refresh_data_segs(const uint32_t *sels, int n); /* the guest rewrote a descriptor (%gs: UTCB, TLS) */
bool cpu_guest_desc(uint16_t sel, uint32_t *lo, uint32_t *hi);
bool cpu_sel_ok(uint16_t sel, bool code, int rpl);
bool cpu_data_ok(uint16_t sel, int cpl);
/* A frame from virtual-8086 mode holds a real-mode CS (any low bits): its code runs at CPL 3. */
static inline int frame_cpl(const struct frame *f) { return (f->eflags & FL_VM) ? 3 : f->cs & 3; }
bool cpu_seg_base(uint16_t sel, uint32_t *base);   /* base of a selector in the real GDT */
uint32_t cpu_seg_limit(uint16_t sel);              /* its limit in bytes */
uint16_t cpu_real_seg(int slot, uint32_t base);    /* a real-mode segment (base, 64 KiB) for ring 1 */

/* trap.c */
void vmm_trap(struct frame *f);
void reflect(struct frame *f, int vector, bool has_err, uint32_t err);
void guest_iret(struct frame *f);

/* patch.c */
extern int opt_patch, opt_patch_list;
void patch_guest(const uint8_t *img, uint32_t size);
bool patch_lookup(uint32_t va, uint8_t *bytes, int *n);

/* emulate.c */
bool emulate_gp(struct frame *f);
void emulate_hlt(struct frame *f);    /* HLT: wait for an interrupt, or the VM is halted for good */

/* v86.c: the real boot path. A VM that boots from its disk starts at 0000:7C00 in virtual-8086
 * mode (real-mode segments, CPL 3, IOPL 0: INT n, CLI/STI, PUSHF/POPF, IRET, IN/OUT, HLT and the
 * system instructions trap); the boot loader's switches between real and protected mode are
 * carried out on the virtual CPU. A trap from v86 mode pushes ES, DS, FS, GS after SS: */
struct v86segs { uint32_t es, ds, fs, gs; };
static inline struct v86segs *v86segs(struct frame *f) { return (struct v86segs *)(f + 1); }
void v86_boot(struct frame *f);            /* BIOS tables, boot sector at 7C00, the first frame */
void v86_trap(struct frame *f);            /* every exit from v86 mode */
void v86_deliver(struct frame *f);         /* a pending virtual IRQ through the real-mode IVT */
void v86_fixup(struct frame *f);           /* the real EFLAGS for v86 mode */
void v86_from_prot(struct frame *f, uint32_t cr0, int len); /* MOV CR0 with PE = 0 in ring 1 */
void v86_int(struct frame *f, int vector); /* an interrupt the real-mode way: FLAGS, CS, IP */
void v86_iret(struct frame *f);            /* IRET the real-mode way */

/* vbios.c: the BIOS services of a VM booted from its disk */
void vbios_install(void);                  /* IVT, BDA, ROM stubs in the guest's memory */
bool vbios_load_boot_sector(void);         /* sector 0 of the VM's disk to 0000:7C00 */
bool vbios_stub(struct frame *f);          /* #UD at a ROM stub 0F FF nn: BIOS service nn */

/* guestmem.c: guest-physical and guest-linear access from the hypervisor */
void *gpa2hva(uint32_t gpa);
bool gpa_valid(uint32_t gpa);
bool gva2gpa(uint32_t va, uint32_t *gpa);
bool gread(uint32_t va, void *buf, uint32_t n);
bool gwrite(uint32_t va, const void *buf, uint32_t n);

/* shadow.c */
void shadow_init(void);
bool shadow_fault(struct frame *f, uint32_t va);   /* true: hidden fault, fixed */
void shadow_flush(void);           /* guest CR3 (or paging) changed: find or build its shadow */
void shadow_reset(void);           /* guest CR4.PSE or CR0.WP changed: every shadow is dropped */
void shadow_hyp_write(uint32_t gpa);
void shadow_invlpg(uint32_t va);
void shadow_drop(uint32_t va);
uint32_t shadow_pd_pa(void);
extern int opt_shadow_ad;
extern int opt_shadow_cache;       /* one shadow per guest CR3, write-protected guest page tables */         /* emulate Accessed/Dirty bits exactly (1) or map writable at once (0) */

/* vpic.c */
void vpic_init(void);
void vpic_raise(int irq);
int vpic_pending(void);           /* the vector to inject, or -1 */
void vpic_ack(int vector);        /* the injected vector is now in service */
bool vpic_io(uint16_t port, bool out, uint32_t *val);
void vpic_reroute(void);
void vpic_release_lines(int vm);  /* a restarted VM's real lines no longer wait for its EOI */          /* the front console changed: the COM lines change VMs */

/* ports.c */
void port_io(struct frame *f, uint16_t port, int size, bool out, uint32_t *val);
void port_io_acc(struct frame *f, uint16_t port, int size, bool out);  /* IN/OUT with AL, AX, EAX */
void real_irq(int irq);
void ports_console_moved(void);   /* after "f N": each VM's UART set-up to its new host port */

/* stats.c */
void stats_print(void);
void stats_print_vm(int v);

/* snapshot.c: VM snapshots (the console's snapshot/restore), a disk overlay per VM */
uint32_t snap_init(const char *cmdline, uint32_t top); /* "snap=M": the store; the new top */
bool snap_command(const char *line);  /* a console line that is a snapshot command: done */
void snap_help(void);
void snap_list(int v);
void snap_check_restore(void);    /* on the running VM's thread: a restore asked for happens */
void snap_vm_off(int v);          /* VM v stops: its overlay is committed, its snapshot gone */
bool snap_disk_read(uint32_t lba, void *buf);          /* from the running VM's overlay */
bool snap_disk_write(uint32_t lba, const void *buf);   /* into the running VM's overlay */
bool vata_host_write(int drive, uint32_t lba, const void *buf);
void shadow_rebuild(void);        /* shadow.c: after a restore, every shadow is built anew */
void trap_resume(struct frame *f); /* trap.c: the end of an exit (interrupt delivery, fixup) */

/* fpu.c: each VM's x87 FPU (saved and loaded at the world switch) and its CR0.MP/EM/TS/NE */
void fpu_boot(void);              /* the real CR0 as the hypervisor found it */
void fpu_vm_init(void);           /* the running VM's window: an FNINIT image */
void fpu_load(void);              /* the live FPU := the running VM's image */
void fpu_flush(void);             /* the running VM's image := the live FPU */
void fpu_sync(void);              /* the real CR0's FPU bits := the running guest's */
void fpu_switch(int next);        /* world switch: this VM's FPU out, next's in */

/* hcon.c: the hypervisor console (Control-] on the host's COM1) */
void hcon_run(void);
extern int front;                 /* the VM whose console is on the host's COM1 */
static inline void count(enum exit_cause c) { vcpu.exits[c]++; }

static inline void lcr3(uint32_t v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t rcr2(void) { uint32_t v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
