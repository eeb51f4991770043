package jx86.cpu;

import static jx86.cpu.CpuTestSupport.CODE;
import static jx86.cpu.CpuTestSupport.GDT;
import static jx86.cpu.CpuTestSupport.IDT;
import static jx86.cpu.CpuTestSupport.STACK_TOP;
import static jx86.cpu.CpuTestSupport.cat;
import static jx86.cpu.CpuTestSupport.le32;
import static jx86.cpu.KernelPathFormsTest.HANDLERS;
import static jx86.cpu.KernelPathFormsTest.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import jx86.arch.Vectors;
import jx86.mmu.Paging;
import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;

/**
 * Round 6's kernel entry and exit from the cache (docs/performance.md): INT n and IRET run by the
 * trace runner as a block of their own ({@code DecodeCache.system}), and the trace taking a new
 * code page whose translation is in the I-TLB's entries but not yet in its fast array (a 4 MiB page
 * reached at a new 4 KiB page, {@code Mmu.peekFetchHit}). Every program runs on the interpreter, the
 * cache and the translator (every block compiled on its first run) and must end in the same state
 * (stop reason, instructions, cycles, EIP, registers, EFLAGS, CR2, segment registers, TLB hits and
 * misses, memory); each test also checks by hand what it expects, and that the cached INT/IRET path
 * really ran on both cache engines.
 */
class KernelEntryExitFormsTest {
    /** Kernel handler of INT 0x80 in the ring-3 programs: inc ebx; iret. */
    private static final int SYSCALL = 0x1C00;
    /** Ring-3 code. */
    static final int USER = 0x2000;
    private static final int TSS = 0x4000;
    static final int KERNEL_STACK = 0x8000;
    private static final int USER_STACK = 0x7000;

    /**
     * Runs {@code setup}'s machine on every engine, compares each with the interpreter and checks
     * that the cache engines ran at least {@code cachedSystem} INT/IRET through the trace runner.
     */
    private static CpuTestSupport onEveryEngine(Consumer<CpuTestSupport> setup, String what, int cachedSystem) {
        CpuTestSupport plain = KernelPathFormsTest.machine(Engine.INTERP, setup);
        StopReason expected = plain.cpu.run(1_000_000);
        assertThat(plain.cpu.decoded.systemRuns).isZero();
        for (Engine engine : new Engine[] {Engine.CACHE, Engine.JIT}) {
            CpuTestSupport other = KernelPathFormsTest.machine(engine, setup);
            StopReason r = other.cpu.run(1_000_000);
            String at = what + ", " + engine.cliName();
            assertThat(r).as(at + ": stop reason").isEqualTo(expected);
            other.assertSameStateAs(plain, at);
            assertThat(other.cpu.decoded.systemRuns).as(at + ": INT/IRET run from the cache")
                    .isGreaterThanOrEqualTo(cachedSystem);
        }
        return plain;
    }

    /**
     * Ring-3 set-up: user code and data descriptors (0x1B, 0x23), a TSS (0x28) with SS0:ESP0 =
     * 0x10:KERNEL_STACK, a DPL-3 interrupt gate for INT 0x80 to SYSCALL, and at CODE the kernel's
     * IRET to USER (user stack USER_STACK, EFLAGS {@code userFlags}).
     */
    static void ring3(CpuTestSupport s, int userFlags, int[] syscall, int[] user) {
        s.poke32(GDT + 0x18, 0x0000_FFFF).poke32(GDT + 0x1C, 0x00CF_FB00);
        s.poke32(GDT + 0x20, 0x0000_FFFF).poke32(GDT + 0x24, 0x00CF_F300);
        s.poke32(GDT + 0x28, (TSS << 16) | 0x67).poke32(GDT + 0x2C, 0x0000_8B00 | (TSS >>> 16) & 0xFF);
        s.cpu.gdtrLimit = 6 * 8 - 1;
        s.poke32(TSS + 4, KERNEL_STACK).poke32(TSS + 8, 0x10);
        s.cpu.trSel = 0x28;
        s.cpu.trBase = TSS;
        s.cpu.trLimit = 0x67;
        s.cpu.trAr = 0x8B;
        s.poke32(IDT + 0x80 * 8, (0x08 << 16) | SYSCALL).poke32(IDT + 0x80 * 8 + 4, 0xEE00);
        s.code(cat(
                new int[] {0x6A, 0x23},                            // push 0x23 (user SS)
                new int[] {0x68}, le32(USER_STACK),                // push USER_STACK
                new int[] {0x68}, le32(userFlags),                 // push EFLAGS
                new int[] {0x6A, 0x1B},                            // push 0x1B (user CS)
                new int[] {0x68}, le32(USER),                      // push USER
                new int[] {0xCF}));                                // iret
        for (int k = 0; k < syscall.length; k++) {
            s.poke8(SYSCALL + k, syscall[k]);
        }
        for (int k = 0; k < user.length; k++) {
            s.poke8(USER + k, user[k]);
        }
    }

    /**
     * A user program makes five system calls (INT 0x80 from ring 3: stack switch through the TSS,
     * IRET back to ring 3), then INT 0x81, whose gate has DPL 0: #GP(0x81 * 8 + 2) taken to ring 0
     * with the saved EIP of that INT.
     */
    @Test
    void systemCallsFromRing3_andIntThroughAGateOfHigherPrivilege() {
        int[] user = cat(
                new int[] {0xB9, 0x05, 0x00, 0x00, 0x00},          // 2000 mov ecx, 5
                new int[] {0xCD, 0x80},                            // 2005 L: int 0x80
                new int[] {0x01, 0xDE},                            // 2007 add esi, ebx
                new int[] {0xE2, 0xFA},                            // 2009 loop L
                new int[] {0xCD, 0x81});                           // 200B int 0x81 (gate DPL 0)
        int[] syscall = {0x43, 0xCF};                              // inc ebx; iret
        CpuTestSupport t = onEveryEngine(s -> ring3(s, 0x202, syscall, user), "system calls from ring 3", 11);
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.GP + 1);
        assertThat(t.reg(Cpu.EBX)).isEqualTo(5);
        assertThat(t.reg(Cpu.ESI)).isEqualTo(1 + 2 + 3 + 4 + 5);
        assertThat(t.reg(Cpu.ESP)).as("#GP frame with the user SS:ESP on the kernel stack").isEqualTo(KERNEL_STACK - 24);
        assertThat(frame(t)).as("error code (IDT, vector 0x81), saved EIP, CS").containsExactly(0x81 * 8 + 2, USER + 0xB, 0x1B);
        assertThat(t.read32(KERNEL_STACK - 8)).as("saved user ESP").isEqualTo(USER_STACK);
    }

    /**
     * INT through a gate that is not present (#NP with the IDT error code), IRET to a selector beyond
     * the GDT (#GP(selector), the frame still on the stack), IRET whose CS slot lies in an absent page
     * (#PF, CR2 = that page, ESP unchanged), and INT with the stack in an absent page (#PF, whose frame
     * goes to the same page: #DF, then shutdown).
     */
    @Test
    void faultsInIntAndIret_asTheInterpreter() {
        CpuTestSupport np = onEveryEngine(s -> {
            s.poke32(IDT + 0x41 * 8, (0x08 << 16) | 0x1C00).poke32(IDT + 0x41 * 8 + 4, 0x0E00); // P = 0
            s.code(0x90, 0xCD, 0x41, 0xF4);
        }, "int through a gate not present", 1);
        assertThat(np.cpu.eip).isEqualTo(HANDLERS + Vectors.NP + 1);
        assertThat(frame(np)).containsExactly(0x41 * 8 + 2, CODE + 1, 0x08);
        assertThat(np.reg(Cpu.ESP)).isEqualTo(STACK_TOP - 16);

        CpuTestSupport gp = onEveryEngine(s -> s.code(cat(
                new int[] {0x68}, le32(0x202),                     // push EFLAGS
                new int[] {0x68}, le32(0x123),                     // push 0x123 (beyond the GDT)
                new int[] {0x68}, le32(CODE + 0x20),               // push EIP
                new int[] {0xCF, 0xF4})), "iret to a selector beyond the GDT", 1);
        assertThat(gp.cpu.eip).isEqualTo(HANDLERS + Vectors.GP + 1);
        assertThat(frame(gp)).containsExactly(0x120, CODE + 15, 0x08);
        assertThat(gp.reg(Cpu.ESP)).as("the IRET frame still on the stack").isEqualTo(STACK_TOP - 12 - 16);

        CpuTestSupport pf = onEveryEngine(s -> {
            s.identityPaging(0x25000);
            s.code(cat(new int[] {0xBC}, le32(0x24FFC), new int[] {0xCF, 0xF4})); // mov esp, 0x24FFC; iret
            s.poke32(0x24FFC, CODE + 0x40);
        }, "iret with CS in an absent page", 1);
        assertThat(pf.cpu.cr2).isEqualTo(0x25000);
        assertThat(frame(pf)).as("read, not present, CPL 0; saved EIP of the IRET").containsExactly(0, CODE + 5, 0x08);
        assertThat(pf.reg(Cpu.ESP)).isEqualTo(0x24FFC - 16);

        CpuTestSupport shutdown = onEveryEngine(s -> {
            s.identityPaging(0x25000);
            s.code(cat(new int[] {0xBC}, le32(0x26000), new int[] {0xCD, 0x1F, 0xF4})); // mov esp, 0x26000; int 0x1f
        }, "int with the stack in an absent page", 1);
        assertThat(shutdown.cpu.inShutdown()).isTrue();
        assertThat(shutdown.cpu.cr2).as("the frame's lowest dword, written first").isEqualTo(0x26000 - 12);
        assertThat(shutdown.reg(Cpu.ESP)).isEqualTo(0x26000);
    }

    /**
     * An INT 0x80 that is the first instruction of another code page, reached by a JMP inside a
     * trace (round 9: the trace stops before it and {@code DecodeCache.end} moves the fetch page,
     * counting the INT's fetch, before it runs the INT), with paging on so that each page change is
     * an I-TLB lookup the counters compare; five times, then INT 0x81 (#GP) as in the first test.
     */
    @Test
    void intAsTheFirstInstructionOfANewCodePage_movesTheFetchPageFirst() {
        int[] user = cat(
                new int[] {0xB9, 0x05, 0x00, 0x00, 0x00},          // 2000 mov ecx, 5
                new int[] {0xE9}, le32(0x3000 - 0x200A),           // 2005 L: jmp 3000
                new int[] {0xE2, 0xF9},                            // 200A loop L
                new int[] {0xCD, 0x81});                           // 200C int 0x81 (gate DPL 0)
        int[] page = cat(
                new int[] {0xCD, 0x80},                            // 3000 int 0x80
                new int[] {0x01, 0xDE},                            // 3002 add esi, ebx
                new int[] {0xE9}, le32(0x200A - 0x3009));          // 3004 jmp 200A
        int[] syscall = {0x43, 0xCF};                              // inc ebx; iret
        CpuTestSupport t = onEveryEngine(s -> {
            ring3(s, 0x202, syscall, user);
            for (int k = 0; k < page.length; k++) {
                s.poke8(0x3000 + k, page[k]);
            }
            s.identityPaging(0x3FF000);
            for (int i = 0; i < 1024; i++) {
                s.poke32(CpuTestSupport.pte(i << 12), (i << 12) | 7); // user pages
            }
            s.poke32(0x10000, CpuTestSupport.PAGE_TABLE | 7);
        }, "int at the start of a new code page", 11);
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.GP + 1);
        assertThat(t.reg(Cpu.EBX)).isEqualTo(5);
        assertThat(t.reg(Cpu.ESI)).isEqualTo(1 + 2 + 3 + 4 + 5);
        assertThat(frame(t)).as("error code (IDT, vector 0x81), saved EIP, CS").containsExactly(0x81 * 8 + 2, USER + 0xC, 0x1B);
        assertThat(t.mmu.itlb().total(TlbEvent.HITS)).as("paging on: the fetches went through the I-TLB").isGreaterThan(40);
    }

    /**
     * IRET loading TF and RF from its frame: the trace runner stops after the IRET, and the single-step
     * trap comes after exactly one instruction at the target (the #DB frame's EIP), as in the
     * interpreter.
     */
    @Test
    void iretLoadingTrapFlag_singleStepTrapAfterOneInstruction() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.code(cat(
                    new int[] {0x68}, le32(0x202 | Cpu.TF | Cpu.RF), // push EFLAGS with TF and RF
                    new int[] {0x6A, 0x08},                          // push 0x08
                    new int[] {0x68}, le32(CODE + 0x20),             // push EIP
                    new int[] {0xCF}));                              // iret
            s.poke8(CODE + 0x20, 0x43).poke8(CODE + 0x21, 0x43).poke8(CODE + 0x22, 0xF4); // inc ebx; inc ebx; hlt
        }, "iret with TF", 1);
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.DB + 1);
        int sp = t.reg(Cpu.ESP);
        assertThat(t.read32(sp)).as("#DB after one instruction").isEqualTo(CODE + 0x21);
        assertThat(t.read32(sp + 8) & Cpu.TF).isEqualTo(Cpu.TF);
    }

    /**
     * Paging with 4 MiB pages (CR4.PSE); linear 4-8 MiB is a second mapping of physical 0-4 MiB. The
     * kernel runs code on three 4 KiB pages of that mapping in a loop: the I-TLB holds one 4 MiB
     * entry, its fast array only the 4 KiB pages already fetched, so each new page is a hit in the
     * entries the trace runner now takes itself (the physical address within the large page must be
     * right, or other bytes run). Then ring 3 jumps into the supervisor-only large page already in
     * the I-TLB: no hit for user code, so the decoder fetches it and #PF (user, present) follows.
     */
    @Test
    void newCodePagesOfALargePage_andUserFetchFromASupervisorLargePage() {
        int alias = 0x40_0000;
        int[] kernel = cat(
                new int[] {0xB9, 0x03, 0x00, 0x00, 0x00},          // mov ecx, 3
                new int[] {0xE9}, le32(alias + 0x2100 - (CODE + 10)), // jmp alias+0x2100
                new int[] {0x90});
        int[] user = cat(
                new int[] {0x43},                                  // USER: inc ebx
                new int[] {0xE9}, le32(alias + 0x2100 - (USER + 6))); // jmp alias+0x2100 (supervisor page)
        CpuTestSupport t = onEveryEngine(s -> {
            int pd = 0x10000;
            s.poke32(pd, 0x0000_0087);                             // 0-4 MiB: 4 MiB page, user, writable
            s.poke32(pd + 4, 0x0000_0083);                         // 4-8 MiB -> physical 0: supervisor
            ring3(s, 0x202, new int[] {0xCF}, user);
            s.cpu.setCr4(Cpu.CR4_PSE);
            s.cpu.setCr3(pd);
            s.mmu.setCr3(pd);
            s.cpu.setCr0(s.cpu.cr0 | Cpu.CR0_PG);
            s.mmu.setCr0(s.cpu.cr0);
            // The kernel part runs first: jump over the ring-3 set-up code to the loop.
            int[] iretCode = new int[20];
            for (int k = 0; k < iretCode.length; k++) {
                iretCode[k] = s.read8(CODE + k);
            }
            for (int k = 0; k < iretCode.length; k++) {
                s.poke8(0x3800 + k, iretCode[k]);                  // the IRET to ring 3, moved to 0x3800
            }
            for (int k = 0; k < kernel.length; k++) {
                s.poke8(CODE + k, kernel[k]);
            }
            page(s, 0x2100, 0x01, 0xC3, 0x5100);                   // alias+0x2100: add ebx, eax; jmp alias+0x5100
            page(s, 0x5100, 0x01, 0xC6, 0x3100);                   // alias+0x5100: add esi, eax; jmp alias+0x3100
            s.poke8(0x3100, 0x40).poke8(0x3101, 0x49);             // alias+0x3100: inc eax; dec ecx
            s.poke8(0x3102, 0x0F).poke8(0x3103, 0x85);             // jnz alias+0x2100
            s.poke32(0x3104, (alias + 0x2100) - (alias + 0x3108));
            s.poke8(0x3108, 0xE9);                                 // jmp 0x3800 (the IRET to ring 3)
            s.poke32(0x3109, 0x3800 - (alias + 0x310D));
            s.set(Cpu.EAX, 1);
        }, "new pages of a large page", 1);
        assertThat(t.reg(Cpu.ECX)).isZero();
        assertThat(t.reg(Cpu.EAX)).as("three passes").isEqualTo(4);
        assertThat(t.reg(Cpu.ESI)).as("1 + 2 + 3").isEqualTo(6);
        assertThat(t.reg(Cpu.EBX)).as("1 + 2 + 3, then inc ebx in ring 3").isEqualTo(7);
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
        assertThat(t.cpu.cr2).isEqualTo(alias + 0x2100);
        assertThat(frame(t)).as("user, present (a rights violation); saved EIP, CS")
                .containsExactly(Paging.PF_P | Paging.PF_U, alias + 0x2100, 0x1B);
    }

    /** At physical {@code at} (linear alias + at): op r32, r32 (two bytes), then jmp alias + {@code to}. */
    private static void page(CpuTestSupport s, int at, int op, int modrm, int to) {
        s.poke8(at, op).poke8(at + 1, modrm).poke8(at + 2, 0xE9);
        s.poke32(at + 3, (0x40_0000 + to) - (0x40_0000 + at + 7));
    }
}
