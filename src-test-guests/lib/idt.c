/* idt.c: the IDT, the exception dispatcher and the ring 3 runner. */
#include "guest.h"
#include "gdt.h"
#include "idt.h"
#include "check.h"

static uint64_t idt[256] __attribute__((aligned(8)));
static isr_handler handlers[256];
volatile struct fault_record last_fault;
isr_handler syscall_hook;
extern volatile uint32_t fault_armed;
static volatile int user_exited;
static uint8_t user_stack[8192] __attribute__((aligned(16)));
uint8_t *const user_stack_end = user_stack + sizeof user_stack;

void enter_user(void (*fn)(void), uint8_t *stack_top, uint32_t eflags) __attribute__((noreturn));

void idt_set_gate(int vec, uint16_t selector, uint32_t offset, uint8_t type, int dpl, int present)
{
    uint64_t d = offset & 0xFFFF;
    d |= (uint64_t)selector << 16;
    d |= (uint64_t)((present ? 0x80 : 0) | (dpl << 5) | type) << 40;
    d |= (uint64_t)(offset >> 16) << 48;
    idt[vec] = d;
}

void idt_set_stub(int vec, uint8_t type, int dpl)
{
    idt_set_gate(vec, KCODE, isr_stubs[vec], type, dpl, 1);
}

void idt_set_handler(int vec, isr_handler h)
{
    handlers[vec] = h;
}

static void syscall_entry(struct frame *f)
{
    if (f->eax == 0) {
        user_exited = 1;
        fault_longjmp();
    }
    if (syscall_hook)
        syscall_hook(f);
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        idt_set_stub(v, 0xE, 0);
        handlers[v] = 0;
    }
    idt_set_stub(0x80, 0xE, 3);     /* the ring 3 "system call" gate */
    handlers[0x80] = syscall_entry;
    idt_load(256);
}

void idt_load(int vectors)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr = { (uint16_t)(vectors * 8 - 1), (uint32_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

void isr_dispatch(struct frame *f)
{
    last_fault.vector = f->vector;
    last_fault.error = f->error;
    last_fault.eip = f->eip;
    last_fault.cs = f->cs;
    last_fault.eflags = f->eflags;
    last_fault.frame_addr = (uint32_t)f;
    last_fault.user_esp = (f->cs & 3) ? f->user_esp : 0;
    last_fault.user_ss = (f->cs & 3) ? f->user_ss : 0;
    last_fault.count++;
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    if (fault_armed)
        fault_longjmp();
    serial_puts("FAIL unexpected-exception vector=");
    serial_puthex(f->vector);
    serial_puts(" error=");
    serial_puthex(f->error);
    serial_puts(" eip=");
    serial_puthex(f->eip);
    serial_puts(" cr2=");
    serial_puthex(read_cr2());
    serial_puts("\n");
    guest_exit(1);
}

void fault_cancel(void)
{
    fault_armed = 0;
}

void fault_reset(void)
{
    last_fault.vector = 0xFFFFFFFFu;
    last_fault.error = 0xFFFFFFFFu;
    last_fault.eip = 0;
}

int catch_fault(void (*fn)(void))
{
    fault_reset();
    if (fault_try() == 0) {
        fn();
        fault_cancel();
        return 0;
    }
    return 1;
}

int user_run(void (*fn)(void), int iopl)
{
    user_exited = 0;
    fault_reset();
    if (fault_try() == 0)
        enter_user(fn, user_stack_end, 0x2 | ((uint32_t)iopl << 12));
    return user_exited ? 0 : 1;
}

void check_fault(const char *name, uint32_t vector, uint32_t error, uint32_t eip)
{
    if (last_fault.vector == vector && (error == NO_ERR ? last_fault.error == 0 : last_fault.error == error)
            && last_fault.eip == eip) {
        check_true(name, 1, "");
        return;
    }
    check_failures++;
    serial_puts("FAIL ");
    serial_puts(name);
    serial_puts(" vector=");
    serial_puthex(last_fault.vector);
    serial_puts("/");
    serial_puthex(vector);
    serial_puts(" error=");
    serial_puthex(last_fault.error);
    serial_puts("/");
    serial_puthex(error == NO_ERR ? 0 : error);
    serial_puts(" eip=");
    serial_puthex(last_fault.eip);
    serial_puts("/");
    serial_puthex(eip);
    serial_puts(" (actual/expected)\n");
}

void guest_setup(void)
{
    serial_init();
    gdt_init();
    idt_init();
}
