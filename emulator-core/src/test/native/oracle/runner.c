/*
 * Native side of the jx86 CPU differential oracle (see docs/cpu-oracle.md).
 *
 * A freestanding 32-bit Linux program: it reads test cases from stdin, runs each block of
 * instructions on the host CPU in user mode and writes the final state to stdout. Only raw
 * int $0x80 system calls are used, so it needs no libc and no multilib.
 *
 * Input per case (little-endian u32 unless noted):
 *   codeLen (0xFFFFFFFF ends the stream), codeOffset (< 4096: the block starts at 0x110000 + codeOffset),
 *   regs[8] (EAX..EDI), eflags, window[8192] bytes, code[codeLen] bytes.
 * Output per case:
 *   signo (0 = the block ran to its end), trapno, err, eip, fault address (si_addr: CR2 for #PF),
 *   regs[8], eflags, window[8192] bytes.
 * The page after the window (0x00102000) is mapped read-only and holds byte i = i*7 + 0x5A.
 * For a faulting block the registers and EFLAGS are those of the faulting instruction (taken from
 * the signal's ucontext) and the window holds what the block wrote before the fault.
 */

#define WIN 0x00100000u
#define WIN_SIZE 8192u
#define CODE 0x00110000u
#define CODE_SIZE 8192u
#define MAX_CODE 4000u

#define SYS_EXIT 1
#define SYS_READ 3
#define SYS_WRITE 4
#define SYS_RT_SIGACTION 174
#define SYS_SIGALTSTACK 186
#define SYS_MMAP2 192
#define SYS_MPROTECT 125

#define SA_SIGINFO 0x4u
#define SA_ONSTACK 0x08000000u
#define SA_RESTORER 0x04000000u

typedef unsigned int u32;

/* Shared with runner_entry.S. */
u32 in_regs[8];
u32 in_eflags;
u32 out_regs[8];
u32 out_eflags;
u32 saved_esp;
u32 code_entry;

int run_block(void);
void block_done(void);
void fault_recover(void);
void signal_restorer(void);

static volatile u32 fault_sig;
static volatile u32 fault_trapno;
static volatile u32 fault_err;
static volatile u32 fault_eip;
static volatile u32 fault_addr;

static unsigned char altstack[65536] __attribute__((aligned(16)));
static unsigned char inbuf[65536];
static u32 in_len;
static u32 in_pos;
static unsigned char outbuf[65536];
static u32 out_len;

static inline int sys3(int nr, u32 a, u32 b, u32 c) {
    int ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return ret;
}

/* Five-argument system call; the sixth (EBP) is always 0 here (mmap2's page offset). */
static inline int sys5(int nr, u32 a, u32 b, u32 c, u32 d, u32 e) {
    int ret;
    __asm__ volatile("push %%ebp\n\txor %%ebp, %%ebp\n\tint $0x80\n\tpop %%ebp"
                     : "=a"(ret)
                     : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return ret;
}

static void die(int code) {
    for (;;) {
        sys3(SYS_EXIT, (u32)code, 0, 0);
    }
}

void *memcpy(void *dst, const void *src, u32 n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memset(void *dst, int v, u32 n) {
    unsigned char *d = dst;
    while (n--) {
        *d++ = (unsigned char)v;
    }
    return dst;
}

static void flush_out(void) {
    u32 done = 0;
    while (done < out_len) {
        int n = sys3(SYS_WRITE, 1, (u32)(outbuf + done), out_len - done);
        if (n <= 0) {
            die(3);
        }
        done += (u32)n;
    }
    out_len = 0;
}

static void put(const void *data, u32 n) {
    const unsigned char *p = data;
    while (n > 0) {
        u32 room = sizeof(outbuf) - out_len;
        u32 chunk = n < room ? n : room;
        memcpy(outbuf + out_len, p, chunk);
        out_len += chunk;
        p += chunk;
        n -= chunk;
        if (out_len == sizeof(outbuf)) {
            flush_out();
        }
    }
}

/* Reads exactly n bytes; returns 0 at a clean end of input. */
static int get(void *data, u32 n) {
    unsigned char *p = data;
    while (n > 0) {
        if (in_pos == in_len) {
            int r = sys3(SYS_READ, 0, (u32)inbuf, sizeof(inbuf));
            if (r <= 0) {
                return 0;
            }
            in_len = (u32)r;
            in_pos = 0;
        }
        u32 avail = in_len - in_pos;
        u32 chunk = n < avail ? n : avail;
        memcpy(p, inbuf + in_pos, chunk);
        in_pos += chunk;
        p += chunk;
        n -= chunk;
    }
    return 1;
}

/* i386 kernel signal context (struct sigcontext) inside the ucontext. */
struct sigctx {
    u32 gs, fs, es, ds, edi, esi, ebp, esp, ebx, edx, ecx, eax;
    u32 trapno, err, eip, cs, eflags, esp_at_signal, ss;
};

struct ucontext32 {
    u32 flags;
    u32 link;
    u32 ss_sp;
    u32 ss_flags;
    u32 ss_size;
    struct sigctx mc;
};

struct ksigaction {
    u32 handler;
    u32 flags;
    u32 restorer;
    u32 mask[2];
};

static void on_signal(int sig, void *info, void *ucv) {
    struct ucontext32 *uc = ucv;
    fault_addr = ((const u32 *)info)[3]; /* siginfo: signo, errno, code, then si_addr */
    fault_sig = (u32)sig;
    fault_trapno = uc->mc.trapno;
    fault_err = uc->mc.err;
    fault_eip = uc->mc.eip;
    out_regs[0] = uc->mc.eax;
    out_regs[1] = uc->mc.ecx;
    out_regs[2] = uc->mc.edx;
    out_regs[3] = uc->mc.ebx;
    out_regs[4] = uc->mc.esp;
    out_regs[5] = uc->mc.ebp;
    out_regs[6] = uc->mc.esi;
    out_regs[7] = uc->mc.edi;
    out_eflags = uc->mc.eflags;
    uc->mc.eip = (u32)fault_recover;
    uc->mc.eflags &= ~((1u << 8) | (1u << 10) | (1u << 18)); /* TF, DF, AC */
}

static void install_handlers(void) {
    u32 ss[3] = {(u32)altstack, 0, sizeof(altstack)};
    if (sys3(SYS_SIGALTSTACK, (u32)ss, 0, 0) != 0) {
        die(4);
    }
    static const int sigs[] = {4 /* ILL */, 5 /* TRAP */, 7 /* BUS */, 8 /* FPE */, 11 /* SEGV */};
    for (u32 i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        struct ksigaction sa;
        sa.handler = (u32)on_signal;
        sa.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER;
        sa.restorer = (u32)signal_restorer;
        sa.mask[0] = 0;
        sa.mask[1] = 0;
        if (sys5(SYS_RT_SIGACTION, (u32)sigs[i], (u32)&sa, 0, 8, 0) != 0) {
            die(5);
        }
    }
}

static void map_fixed(u32 addr, u32 size, u32 prot) {
    /* MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED */
    int r = sys5(SYS_MMAP2, addr, size, prot, 0x02 | 0x20 | 0x10, 0xFFFFFFFFu);
    if ((u32)r != addr) {
        die(6);
    }
}

int main(void) {
    install_handlers();
    map_fixed(WIN, WIN_SIZE, 3);
    /* A read-only page after the window with a fixed pattern (writes to it raise #PF with P=1). */
    map_fixed(WIN + WIN_SIZE, 4096, 3);
    for (u32 i = 0; i < 4096; i++) {
        ((unsigned char *)(WIN + WIN_SIZE))[i] = (unsigned char)(i * 7 + 0x5A);
    }
    if (sys3(SYS_MPROTECT, WIN + WIN_SIZE, 4096, 1) != 0) {
        die(9);
    }
    map_fixed(CODE, CODE_SIZE, 7);
    for (;;) {
        u32 code_len;
        u32 code_off;
        if (!get(&code_len, 4) || code_len == 0xFFFFFFFFu) {
            break;
        }
        if (!get(&code_off, 4) || code_len > MAX_CODE || code_off >= 4096u) {
            die(7);
        }
        code_entry = CODE + code_off;
        if (!get(in_regs, 32) || !get(&in_eflags, 4) || !get((void *)WIN, WIN_SIZE)
                || !get((void *)code_entry, code_len)) {
            die(8);
        }
        unsigned char *tail = (unsigned char *)(code_entry + code_len);
        u32 rel = (u32)block_done - (code_entry + code_len + 5);
        tail[0] = 0xE9;
        memcpy(tail + 1, &rel, 4);
        fault_sig = 0;
        fault_trapno = 0;
        fault_err = 0;
        fault_eip = 0;
        fault_addr = 0;
        run_block();
        u32 head[5] = {fault_sig, fault_trapno, fault_err, fault_sig ? fault_eip : code_entry + code_len, fault_addr};
        put(head, sizeof(head));
        put(out_regs, 32);
        put(&out_eflags, 4);
        put((void *)WIN, WIN_SIZE);
    }
    flush_out();
    return 0;
}
