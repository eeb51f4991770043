/* stack-size.c: the stack-size attribute on mixed 16/32-bit stacks, the MOV SS / POP SS debug
 * shadow, and what a task switch into a 16-bit (286) TSS leaves in the upper register halves.
 *  - POP SS moves ESP by the rules of the stack it pops from (SDM POP; old SS.B).
 *  - ENTER with a 32-bit operand sets EBP to the whole ESP after pushing EBP (SDM ENTER: FrameTemp).
 *  - After MOV SS / POP SS debug exceptions wait for the boundary after the next instruction
 *    (SDM vol. 3 6.8.3): no instruction breakpoint there, MOV SS's data breakpoint comes after it.
 *  - A 16-bit TSS has only the low register words; Intel leaves the upper words undefined, jx86
 *    (like Bochs) sets them to 0xFFFF. The guest reports them as `info` and checks jx86's choice. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

#define SEL16 0x30          /* GDT 6: 16-bit data, base 0, limit 0xFFFF (B = 0) */
#define SEL_TSS16 0x38      /* GDT 7: the 16-bit TSS */
#define SEL_CODE_BASED 0x40 /* GDT 8: 32-bit code based at task16_entry's 64 KiB window */

uint32_t pop_ss_16_to_32(void);
uint32_t pop_ss_32_to_16(void);
uint32_t enter_on_16bit_stack(void);
void movss_then_next(void), movss_next(void), plain_then_next(void), plain_next(void);
void movss_data_breakpoint(void), movss_mem_after(void);
void task16_entry(void);
extern uint32_t enter_esp;
extern uint32_t t16_regs[8];

/* The 16-bit TSS (SDM vol. 3 figure 7-10). */
struct tss16 {
    uint16_t link, sp0, ss0, sp1, ss1, sp2, ss2;
    uint16_t ip, flags, ax, cx, dx, bx, sp, bp, si, di;
    uint16_t es, cs, ss, ds, ldt;
} __attribute__((packed));

static struct tss16 tss16;
static volatile uint32_t db_count, db_eip, db_dr6;

static void on_debug(struct frame *f)
{
    uint32_t dr6;
    __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
    __asm__ volatile("mov %0, %%dr6" : : "r"(0xFFFF0FF0u));
    db_count++;
    db_eip = f->eip;
    db_dr6 = dr6;
    f->eflags |= 1u << 16;  /* RF: an instruction breakpoint must not fire again on return */
}

static void set_dr0_exec(void (*at)(void))
{
    __asm__ volatile("mov %0, %%dr0" : : "r"((uint32_t)at));
    __asm__ volatile("mov %0, %%dr7" : : "r"(1u));   /* L0, R/W0 = 00 (execute), LEN0 = 00 */
}

static void clear_dr7(void)
{
    __asm__ volatile("mov %0, %%dr7" : : "r"(0u));
}

static void stack_size(void)
{
    CHECK_EQ("pop-ss-16-to-32-esp", pop_ss_16_to_32(), 0x00020000u);
    CHECK_EQ("pop-ss-32-to-16-esp", pop_ss_32_to_16(), 0x00020000u);
    uint32_t ebp = enter_on_16bit_stack();
    CHECK_EQ("enter32-stack16-saved-ebp", *(volatile uint32_t *)0xFFFC, 0x5555);
    CHECK_EQ("enter32-stack16-ebp", ebp, 0x0001FFFCu);
    CHECK_EQ("enter32-stack16-esp", enter_esp, 0x0001FFF4u);
}

static void debug_shadow(void)
{
    idt_set_handler(1, on_debug);
    db_count = 0;
    set_dr0_exec(plain_next);
    plain_then_next();
    clear_dr7();
    CHECK_EQ("insn-breakpoint-without-shadow", db_count, 1);
    CHECK_EQ("insn-breakpoint-without-shadow-eip", db_eip, (uint32_t)plain_next);

    db_count = 0;
    set_dr0_exec(movss_next);
    movss_then_next();
    clear_dr7();
    CHECK_EQ("insn-breakpoint-after-mov-ss-not-taken", db_count, 0);

    db_count = 0;
    movss_data_breakpoint();
    CHECK_EQ("mov-ss-data-breakpoint-count", db_count, 1);
    CHECK_EQ("mov-ss-data-breakpoint-after-next-insn", db_eip, (uint32_t)movss_mem_after);
    CHECK_EQ("mov-ss-data-breakpoint-dr6-b0", db_dr6 & 0xF, 1);
}

static void task_switch_16(void)
{
    uint32_t entry = (uint32_t)task16_entry;
    uint32_t base = entry & ~0xFFFFu;
    gdt_set(SEL_CODE_BASED >> 3, base, 0xFFFFF - (base >> 12), ACC_CODE0, FLAGS_4K32);
    gdt_set(SEL_TSS16 >> 3, (uint32_t)&tss16, sizeof tss16 - 1, 0x81, 0);  /* available 16-bit TSS */
    tss16.ip = (uint16_t)(entry - base);
    tss16.flags = 0x0002;
    tss16.ax = 0x1111;
    tss16.cx = 0x2222;
    tss16.dx = 0x3333;
    tss16.bx = 0x4444;
    tss16.sp = 0x7000;
    tss16.bp = 0x6666;
    tss16.si = 0x7777;
    tss16.di = 0x8888;
    tss16.cs = SEL_CODE_BASED;
    tss16.ss = SEL16;
    tss16.ds = KDATA;
    tss16.es = KDATA;
    /* Give the outgoing registers distinct upper words, so keeping them would show. */
    __asm__ volatile("mov $0x12340000, %%eax\n\tmov %%eax, %%ecx\n\tmov %%eax, %%edx\n\t"
                     "mov %%eax, %%ebx\n\tmov %%eax, %%esi\n\tmov %%eax, %%edi\n\t"
                     "ljmp %0, $0"
                     : : "i"(SEL_TSS16) : "eax", "ecx", "edx", "ebx", "esi", "edi", "memory");
    static const char *const names[8] = {"tss16-eax", "tss16-ecx", "tss16-edx", "tss16-ebx",
                                         "tss16-esp", "tss16-ebp", "tss16-esi", "tss16-edi"};
    static const uint16_t low[8] = {0x1111, 0x2222, 0x3333, 0x4444, 0x7000, 0x6666, 0x7777, 0x8888};
    for (int r = 0; r < 8; r++) {
        check_info(names[r], t16_regs[r]);
        CHECK_EQ(names[r], t16_regs[r], 0xFFFF0000u | low[r]);
    }
}

int guest_main(void)
{
    guest_setup();
    gdt_set(SEL16 >> 3, 0, 0xFFFF, ACC_DATA0, 0);
    stack_size();
    debug_shadow();
    task_switch_16();
    return check_done();
}
