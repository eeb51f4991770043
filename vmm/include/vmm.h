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
  EX_COUNT
};

/* The virtual CPU of the one VM: what the guest believes is in the privileged registers. */
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
  uint64_t exits[EX_COUNT];
  uint32_t ports[65536];          /* exits per I/O port (IN/OUT and each INS/OUTS element) */
};
extern struct vcpu vcpu;

/* main.c */
void vmm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void vmm_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void vm_kill(const char *why);
extern bool opt_stats;

/* cpu.c: the real GDT/IDT/TSS and the guest's virtual ones */
void cpu_init(void);
void cpu_guest_gdt(void);         /* after the guest's LGDT: copy its descriptors, deprivileged */
void cpu_guest_idt(void);         /* after the guest's LIDT: gate DPLs for software interrupts */
void cpu_set_user_cs(bool present);
bool cpu_guest_desc(uint16_t sel, uint32_t *lo, uint32_t *hi);
bool cpu_sel_ok(uint16_t sel, bool code, int rpl);
bool cpu_data_ok(uint16_t sel, int cpl);
static inline int frame_cpl(const struct frame *f) { return f->cs & 3; }

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

/* ports.c */
void port_io(struct frame *f, uint16_t port, int size, bool out, uint32_t *val);
void real_irq(int irq);

/* stats.c */
void stats_print(void);
static inline void count(enum exit_cause c) { vcpu.exits[c]++; }

static inline void lcr3(uint32_t v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t rcr2(void) { uint32_t v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
