package jx86.cpu;

import static jx86.cpu.CpuTestSupport.CODE;
import static jx86.cpu.CpuTestSupport.STACK_TOP;
import static jx86.cpu.CpuTestSupport.cat;
import static jx86.cpu.CpuTestSupport.le32;
import static jx86.cpu.KernelPathFormsTest.HANDLERS;
import static jx86.cpu.KernelPathFormsTest.frame;
import static jx86.cpu.KernelPathFormsTest.onEveryEngine;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;

/**
 * The trace runner's stack forms ({@link StackFast}: PUSH r32, POP r32, PUSH imm, CALL rel32,
 * RET / RET imm16, LEAVE; docs/performance.md, "Round 7: the stack path") at the edges of their
 * fast path: a slot across a page end, a stack segment that is not flat (a limit, expand-down,
 * 16 bits, a base), a stack page without a writable or dirty fast entry, a push that rewrites the
 * running code, and the D-TLB counts. Every program runs on the interpreter (the reference), the
 * cache and the translator (every block compiled on its first run; see
 * {@link KernelPathFormsTest#onEveryEngine}), which must agree on stop reason, instructions,
 * cycles, registers, segment state, TLB hits and misses and memory; each test also checks by hand
 * what it expects (values, ESP, the fault and its frame), so a path that is wrong the same way
 * on every engine fails too.
 */
class StackFastFormsTest {
    private static final int ABSENT = 0x300000;
    private static final int PTE_W = 2;
    private static final int PTE_A = 0x20;
    private static final int PTE_D = 0x40;

    /**
     * A loop of every stack form (push r32, push imm, pop, call, a frame with push ebp / mov
     * ebp, esp / leave, ret 4) from ESP = {@code esp}.
     */
    private static int[] everyForm() {
        int f = CODE + 0x100;
        return cat(
                new int[] {0xB9, 0x03, 0x00, 0x00, 0x00},          // 1000 mov ecx, 3
                new int[] {0x50},                                  // 1005 L: push eax
                new int[] {0x68}, le32(0x1122_3344),               // 1006 push 0x11223344
                new int[] {0x5B, 0x5A},                            // 100B pop ebx; pop edx
                new int[] {0x51},                                  // 100D push ecx
                new int[] {0xE8}, le32(f - (CODE + 0x13)),         // 100E call f
                new int[] {0x49},                                  // 1013 dec ecx
                new int[] {0x75, 0xEF},                            // 1014 jnz L
                new int[] {0xF4});                                 // 1016 hlt
    }

    /** f: push ebp; mov ebp, esp; mov esi, [ebp+8]; push 0x55; leave; ret 4. */
    private static final int[] FUNCTION = {0x55, 0x89, 0xE5, 0x8B, 0x75, 0x08, 0x6A, 0x55, 0xC9, 0xC2, 0x04, 0x00};
    /**
     * FUNCTION for a 16-bit stack, with mov esi, ecx; nop for the argument's read ([ebp+8] is a
     * 32-bit address that does not wrap with SP).
     */
    private static final int[] FUNCTION16 = {0x55, 0x89, 0xE5, 0x89, 0xCE, 0x90, 0x6A, 0x55, 0xC9, 0xC2, 0x04, 0x00};

    private static void everyFormProgram(CpuTestSupport s, int esp) {
        everyFormProgram(s, esp, FUNCTION);
    }

    private static void everyFormProgram(CpuTestSupport s, int esp, int[] function) {
        s.code(everyForm());
        for (int i = 0; i < function.length; i++) {
            s.poke8(CODE + 0x100 + i, function[i]);
        }
        s.set(Cpu.ESP, esp);
        s.set(Cpu.EAX, 0xCAFE_BABE);
        s.set(Cpu.EBP, 0x7777);
    }

    private static void assertEveryFormResults(CpuTestSupport t, int esp, String at) {
        assertEveryFormResults(t, 0, esp, at);
    }

    private static void assertEveryFormResults(CpuTestSupport t, int ssBase, int esp, String at) {
        assertThat(t.cpu.eip).as(at + ": halted after the loop").isEqualTo(CODE + 0x17);
        assertThat(t.reg(Cpu.EBX)).as(at).isEqualTo(0x1122_3344);
        assertThat(t.reg(Cpu.EDX)).as(at).isEqualTo(0xCAFE_BABE);
        assertThat(t.reg(Cpu.ESI)).as(at + ": the argument of the last call").isEqualTo(1);
        assertThat(t.reg(Cpu.EBP)).as(at + ": LEAVE restored EBP").isEqualTo(0x7777);
        assertThat(t.reg(Cpu.ESP)).as(at + ": balanced").isEqualTo(esp);
        assertThat(t.read32(ssBase + esp - 8)).as(at + ": the return address").isEqualTo(CODE + 0x13);
    }

    @Test
    void everyForm_aroundAPageEnd_sameOnEveryEngine() {
        // 0x9000: every slot inside one page; 0x9002 and 0x9003: the pushes and pops across the
        // end of page 0x8000 (split accesses); 0x9009 and 0x900B: LEAVE's read across it;
        // 0x9008 and 0x900C: slots in the page's last bytes exactly.
        for (boolean paging : new boolean[] {false, true}) {
            for (int esp : new int[] {0x9000, 0x9002, 0x9003, 0x9008, 0x9009, 0x900B, 0x900C}) {
                String at = (paging ? "paging" : "no paging") + ", ESP 0x" + Integer.toHexString(esp);
                CpuTestSupport t = onEveryEngine(s -> {
                    if (paging) {
                        s.identityPaging(ABSENT);
                    }
                    everyFormProgram(s, esp);
                }, at);
                assertEveryFormResults(t, esp, at);
            }
        }
    }

    @Test
    void dTlbCounts_oneMissThenAHitPerStackAccess() {
        int f = CODE + 0x100;
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(ABSENT);
            s.code(cat(
                    new int[] {0xB9, 0x03, 0x00, 0x00, 0x00},      // mov ecx, 3
                    new int[] {0x50, 0x53, 0x5E},                  // L: push eax; push ebx; pop esi
                    new int[] {0xE8}, le32(f - (CODE + 0x0D)),     // call f
                    new int[] {0x5A},                              // pop edx
                    new int[] {0xE2, 0xF5},                        // loop L
                    new int[] {0xF4}));
            s.poke8(f, 0xC3);                                      // f: ret
        }, "D-TLB counts");
        // six data accesses per pass (push, push, pop, call, ret, pop), all on page 0x8000
        assertThat(t.mmu.dtlb().total(TlbEvent.MISSES)).isEqualTo(1);
        assertThat(t.mmu.dtlb().total(TlbEvent.HITS)).isEqualTo(3 * 6 - 1);
        assertThat(t.reg(Cpu.ESP)).isEqualTo(STACK_TOP);
        assertThat(t.reg(Cpu.ECX)).isZero();
    }

    /** The pop fills the page's fast entry without the dirty bit; the push after it must set D. */
    @Test
    void pushOntoAPageFirstOnlyRead_setsTheDirtyBitAsTheInterpreter() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(ABSENT);
            s.set(Cpu.ESP, 0x8FF8);
            s.code(0x58, 0x50, 0x50, 0x58, 0xF4); // pop eax; push eax; push eax; pop eax
        }, "push after a pop on a clean page");
        assertThat(t.read32(CpuTestSupport.pte(0x8000)) & (PTE_A | PTE_D)).as("PTE of page 0x8000: accessed and dirty")
                .isEqualTo(PTE_A | PTE_D);
        assertThat(t.reg(Cpu.ESP)).isEqualTo(0x8FF8);
    }

    /** A read-only stack page (CR0.WP): the pop fills a readable fast entry; the push must still fault. */
    @Test
    void pushOntoAReadOnlyPage_pageFaultWithEspAndMemoryUnchanged() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(ABSENT);
            s.readOnlyPage(0x8000);
            s.poke32(0x8FF8, 0x5EED_0001);
            s.poke32(0x8FF4, 0x5EED_0002);
            s.set(Cpu.ESP, 0x8FF8);
            s.set(Cpu.EBX, 0x1234);
            s.code(0x58, 0x53, 0x53, 0xF4); // pop eax; push ebx; push ebx
        }, "push onto a read-only page");
        assertThat(t.reg(Cpu.EAX)).isEqualTo(0x5EED_0001);
        assertThat(t.cpu.cr2).as("the push's slot").isEqualTo(0x8FF8);
        assertThat(t.reg(Cpu.ESP)).as("unchanged by the faulting push").isEqualTo(0x8FFC);
        assertThat(t.read32(0x8FF8)).isEqualTo(0x5EED_0001);
        assertThat(t.read32(0x8FF4)).isEqualTo(0x5EED_0002);
    }

    /** LEAVE with EBP in an absent page: #PF, and ESP is the old ESP, not EBP + 4. */
    @Test
    void leaveFromAnAbsentPage_pageFaultWithEspAndEbpUnchanged() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(0x25000);
            s.set(Cpu.EBP, 0x25010);
            s.code(0x90, 0xC9, 0xF4); // nop; leave
        }, "leave from an absent page");
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
        assertThat(t.cpu.cr2).isEqualTo(0x25010);
        assertThat(frame(t)).as("error code (read, not present), saved EIP, CS").containsExactly(0, CODE + 1, 0x08);
        assertThat(t.reg(Cpu.ESP)).as("frame below the unchanged ESP").isEqualTo(STACK_TOP - 16);
        assertThat(t.reg(Cpu.EBP)).isEqualTo(0x25010);
    }

    /** An expand-up stack segment with a limit: POP, RET and LEAVE reaching past it raise #SS(0). */
    @Test
    void popRetAndLeavePastTheSsLimit_stackFaultWithEspUnchanged() {
        int[][] programs = {{0x90, 0x58, 0xF4}, {0x90, 0xC3, 0xF4}, {0x90, 0xC2, 0x04, 0x00, 0xF4}, {0x90, 0xC9, 0xF4}};
        for (int[] program : programs) {
            String at = "opcode " + Integer.toHexString(program[1]) + " at the SS limit";
            CpuTestSupport t = onEveryEngine(s -> {
                s.cpu.setSegmentCache(Cpu.SS, 0x10, 0, 0x8FFF, 0x4093);
                s.set(Cpu.ESP, 0x8FFE);
                s.set(Cpu.EBP, 0x8FFE);
                s.code(program);
            }, at);
            assertThat(t.cpu.eip).as(at).isEqualTo(HANDLERS + Vectors.SS + 1);
            assertThat(frame(t)).as(at + ": error code 0, saved EIP, CS").containsExactly(0, CODE + 1, 0x08);
            assertThat(t.reg(Cpu.ESP)).as(at + ": frame below the unchanged ESP").isEqualTo(0x8FFE - 16);
            assertThat(t.reg(Cpu.EBP)).as(at).isEqualTo(0x8FFE);
        }
    }

    /**
     * An expand-down stack (32-bit and 16-bit): pushes above the limit work, the first one at or
     * below it raises #SS with ESP and memory unchanged (the frame cannot be pushed either: the
     * machine shuts down, the same on every engine).
     */
    @Test
    void pushBelowAnExpandDownLimit_stackFaultWithEspAndMemoryUnchanged() {
        for (boolean big : new boolean[] {true, false}) {
            String at = big ? "32-bit expand-down" : "16-bit expand-down";
            int esp = big ? 0x8008 : 0xABCD_8008;
            CpuTestSupport t = onEveryEngine(s -> {
                s.cpu.setSegmentCache(Cpu.SS, 0x10, 0, 0x7FFF, big ? 0x4097 : 0x0097);
                s.set(Cpu.ESP, esp);
                s.set(Cpu.EAX, 0xA1);
                s.set(Cpu.EBX, 0xB2);
                s.poke32(0x7FFC, 0x5EED);
                s.code(0x50, 0x6A, 0x7F, 0x53, 0xF4); // push eax; push 0x7f; push ebx
            }, at);
            assertThat(t.reg(Cpu.ESP)).as(at + ": the third push faulted").isEqualTo(esp - 8);
            assertThat(t.read32(0x8004)).as(at).isEqualTo(0xA1);
            assertThat(t.read32(0x8000)).as(at).isEqualTo(0x7F);
            assertThat(t.read32(0x7FFC)).as(at + ": nothing written below the limit").isEqualTo(0x5EED);
        }
    }

    /**
     * A 16-bit stack (SS.B = 0) with the 32-bit forms: SP wraps, ESP's upper half stays; with a
     * base and a 64 KiB limit, and flat (base 0, 4 GiB limit), where ESP itself would address RAM
     * that the stack must not touch.
     */
    @Test
    void sixteenBitStack_everyFormWrapsSpAndKeepsTheUpperHalf() {
        int[][] stacks = {{0x30000, 0xFFFF, 0x0093, 0x1234_0004}, {0, 0xFFFF_FFFF, 0x8093, 0x0001_0004}};
        for (int[] ss : stacks) {
            int base = ss[0];
            String at = "16-bit stack, base 0x" + Integer.toHexString(base);
            CpuTestSupport t = onEveryEngine(s -> {
                s.cpu.setSegmentCache(Cpu.SS, 0x10, base, ss[1], ss[2]);
                everyFormProgram(s, ss[3], FUNCTION16);
            }, at);
            assertThat(t.cpu.eip).as(at).isEqualTo(CODE + 0x17);
            assertThat(t.reg(Cpu.EBX)).as(at).isEqualTo(0x1122_3344);
            assertThat(t.reg(Cpu.EDX)).as(at).isEqualTo(0xCAFE_BABE);
            assertThat(t.reg(Cpu.ESI)).as(at).isEqualTo(1);
            assertThat(t.reg(Cpu.EBP)).as(at).isEqualTo(0x7777);
            assertThat(t.reg(Cpu.ESP)).as(at).isEqualTo(ss[3]);
            assertThat(t.read32(base + 0xFFFC)).as(at + ": the return address, below the wrap").isEqualTo(CODE + 0x13);
            if (base == 0) {
                assertThat(t.read32(ss[3] - 4)).as(at + ": nothing where ESP - 4 would point without the wrap").isZero();
            }
        }
    }

    /** A 32-bit stack segment with a base (not flat): every access lands at base + ESP. */
    @Test
    void stackSegmentWithABase_everyFormAddsIt() {
        int base = 0x10000;
        CpuTestSupport t = onEveryEngine(s -> {
            s.cpu.setSegmentCache(Cpu.SS, 0x10, base, 0xFFFF_FFFF, 0xC093);
            everyFormProgram(s, 0x9000);
        }, "SS with a base");
        assertEveryFormResults(t, base, 0x9000, "SS with a base");
        assertThat(t.read32(0x9000 - 8)).as("nothing at ESP without the base").isZero();
    }

    /**
     * A push whose slot holds the next instructions of the running block: the trace must see the
     * new bytes (three INC EAX) on every pass, with paging off and on. The MOV that puts the NOPs
     * back each pass is 10 bytes long, so the decoder runs it.
     */
    @Test
    void pushOverTheNextInstructions_runsTheNewCode() {
        int target = CODE + 0x19;
        int[] code = cat(
                new int[] {0xB9, 0x03, 0x00, 0x00, 0x00},              // 1000 mov ecx, 3
                new int[] {0xC7, 0x05}, le32(target), le32(0x9090_9090), // 1005 L: mov dword [T], 4 nops
                new int[] {0xBC}, le32(target + 4),                    // 100F mov esp, T + 4
                new int[] {0x68}, le32(0x9040_4040),                   // 1014 push inc eax x3, nop
                new int[] {0x90, 0x90, 0x90, 0x90},                    // 1019 T: overwritten by the push
                new int[] {0x43},                                      // 101D inc ebx
                new int[] {0xBC}, le32(STACK_TOP),                     // 101E mov esp, STACK_TOP
                new int[] {0xE2, 0xE0},                                // 1023 loop L
                new int[] {0xF4});                                     // 1025 hlt
        for (boolean paging : new boolean[] {false, true}) {
            String at = paging ? "paging" : "no paging";
            CpuTestSupport t = onEveryEngine(s -> {
                if (paging) {
                    s.identityPaging(ABSENT);
                }
                s.code(code);
            }, "push over the running code, " + at);
            assertThat(t.reg(Cpu.EBX)).as(at).isEqualTo(3);
            assertThat(t.reg(Cpu.EAX)).as(at + ": three INC EAX ran on every pass").isEqualTo(9);
        }
    }
}
