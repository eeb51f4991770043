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
 * The cache forms round 8 took out of {@code DecodeCache.generic} into {@code fastRare}
 * (docs/performance.md, "Round 8: the cache runner"): PUSH m32, PUSHA/POPA with a 32-bit operand
 * size ({@link StackFast}), CDQ, op AL, imm8 and MOV m8, r8, at the edges of their fast paths
 * (32 bytes across a page end, paging off and on, the D-TLB counts, a clean or read-only or
 * absent page, a 16-bit stack, a store into the running block). Every program runs on the
 * interpreter, the cache and the translator ({@link KernelPathFormsTest#onEveryEngine}: stop
 * reason, instructions, cycles, registers, flags, segments, TLB hits and misses, memory), and
 * each test checks by hand what it expects.
 */
class FastRareFormsTest {
    private static final int ABSENT = 0x300000;
    private static final int PTE_A = 0x20;
    private static final int PTE_D = 0x40;
    private static final int[] VALUES = {0xA0A0_0001, 0xC0C0_0002, 0xD0D0_0003, 0xB0B0_0004, 0, 0xBBBB_0006,
        0x5151_0007, 0xD1D1_0008};

    /** EAX..EDI (but ESP) set to {@link #VALUES}, ESP to {@code esp}. */
    private static void registers(CpuTestSupport s, int esp) {
        for (int r = 0; r < 8; r++) {
            s.set(r, r == Cpu.ESP ? esp : VALUES[r]);
        }
    }

    /**
     * pusha; clobber every register but ESP and the saved ESP slot; popa: PUSHA's 32 bytes and
     * POPA's reads from ESP = {@code esp}. The push and pop first fill the D-TLB's fast entry of
     * the page below ESP (writable, dirty), so that PUSHA may take its fast path with paging on.
     */
    private static final int[] PUSHA_POPA = cat(
            new int[] {0x50, 0x58},                            // push eax; pop eax
            new int[] {0x60},                                  // pusha
            new int[] {0xC7, 0x44, 0x24, 0x0C}, le32(0xDEAD),  // mov dword [esp+12], 0xdead (the saved ESP)
            new int[] {0x31, 0xC0, 0x31, 0xC9, 0x31, 0xD2, 0x31, 0xDB}, // xor eax..ebx
            new int[] {0x31, 0xED, 0x31, 0xF6, 0x31, 0xFF},    // xor ebp, esi, edi
            new int[] {0x61},                                  // popa
            new int[] {0xF4});

    private static void assertPushaPopa(CpuTestSupport t, int ssBase, int esp, String at) {
        assertThat(t.cpu.eip).as(at + ": halted").isEqualTo(CODE + PUSHA_POPA.length);
        for (int r = 0; r < 8; r++) {
            assertThat(t.reg(r)).as(at + ": register " + r).isEqualTo(r == Cpu.ESP ? esp : VALUES[r]);
            if (r != Cpu.ESP) {
                assertThat(t.read32(ssBase + esp - 4 * (r + 1))).as(at + ": slot of register " + r).isEqualTo(VALUES[r]);
            }
        }
        assertThat(t.read32(ssBase + esp - 20)).as(at + ": the saved ESP, rewritten, skipped by POPA").isEqualTo(0xDEAD);
    }

    @Test
    void pushaPopa_aroundAPageEnd_sameOnEveryEngine() {
        // 0x9000 and 0x9020: the 32 bytes inside one page (the latter its first 32 exactly);
        // 0x9001, 0x9010 and 0x901F: across the end of page 0x8000 (the helpers' path).
        for (boolean paging : new boolean[] {false, true}) {
            for (int esp : new int[] {0x9000, 0x9001, 0x9010, 0x901F, 0x9020}) {
                String at = (paging ? "paging" : "no paging") + ", ESP 0x" + Integer.toHexString(esp);
                CpuTestSupport t = onEveryEngine(s -> {
                    if (paging) {
                        s.identityPaging(ABSENT);
                    }
                    registers(s, esp);
                    s.code(PUSHA_POPA);
                }, at);
                assertPushaPopa(t, 0, esp, at);
            }
        }
    }

    /** One D-TLB miss, then a hit for each of PUSHA's and POPA's eight accesses. */
    @Test
    void pushaPopa_dTlbCounts() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(ABSENT);
            s.code(0xB9, 0x03, 0x00, 0x00, 0x00, // mov ecx, 3
                    0x60, 0x61,                  // L: pusha; popa
                    0xE2, 0xFC,                  // loop L
                    0xF4);
        }, "PUSHA/POPA D-TLB counts");
        assertThat(t.mmu.dtlb().total(TlbEvent.MISSES)).isEqualTo(1);
        assertThat(t.mmu.dtlb().total(TlbEvent.HITS)).isEqualTo(3 * 16 - 1);
        assertThat(t.reg(Cpu.ESP)).isEqualTo(STACK_TOP);
    }

    /** POPA fills the page's fast entry without the dirty bit; the PUSHA after it must set D. */
    @Test
    void pushaOntoAPageFirstOnlyRead_setsTheDirtyBit() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(ABSENT);
            s.set(Cpu.ESP, 0x8FC0);
            s.code(0x61, 0x60, 0xF4); // popa; pusha
        }, "PUSHA after POPA on a clean page");
        assertThat(t.read32(CpuTestSupport.pte(0x8000)) & (PTE_A | PTE_D)).isEqualTo(PTE_A | PTE_D);
        assertThat(t.reg(Cpu.ESP)).isEqualTo(0x8FC0);
    }

    /** PUSHA onto a read-only page (CR0.WP) after POPA filled a readable fast entry: #PF, ESP and memory as before. */
    @Test
    void pushaOntoAReadOnlyPage_pageFaultWithEspAndMemoryUnchanged() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(ABSENT);
            s.readOnlyPage(0x8000);
            s.set(Cpu.ESP, 0x8F80);
            s.poke32(0x8F9C, 0x5EED);
            s.code(0x61, 0x60, 0xF4); // popa; pusha
        }, "PUSHA onto a read-only page");
        // (the fault's frame cannot be pushed either: the machine shuts down, the same on every engine)
        assertThat(t.cpu.cr2).as("PUSHA's first slot, ESP - 4").isEqualTo(0x8FA0 - 4);
        assertThat(t.reg(Cpu.ESP)).as("unchanged by the faulting PUSHA").isEqualTo(0x8FA0);
        assertThat(t.reg(Cpu.EAX)).as("POPA's EAX").isEqualTo(0x5EED);
        assertThat(t.read32(0x8F9C)).as("nothing written").isEqualTo(0x5EED);
    }

    /** POPA whose fifth read is in an absent page: #PF with every register as before. */
    @Test
    void popaIntoAnAbsentPage_pageFaultWithRegistersUnchanged() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(0x25000);
            registers(s, 0x24FF0);
            s.code(0x90, 0x61, 0xF4); // nop; popa
        }, "POPA into an absent page");
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
        assertThat(t.cpu.cr2).isEqualTo(0x25000);
        assertThat(frame(t)).as("error code (read, not present), saved EIP, CS").containsExactly(0, CODE + 1, 0x08);
        assertThat(t.reg(Cpu.ESP)).as("frame below the unchanged ESP").isEqualTo(0x24FF0 - 16);
        assertThat(t.reg(Cpu.EAX)).isEqualTo(VALUES[Cpu.EAX]);
        assertThat(t.reg(Cpu.EDI)).isEqualTo(VALUES[Cpu.EDI]);
    }

    /** PUSHA/POPA (32-bit operand size) on a 16-bit stack with a base: SP wraps, ESP's upper half stays. */
    @Test
    void pushaPopa_sixteenBitStack_helpersPath() {
        int base = 0x30000;
        int esp = 0x1234_0010;
        CpuTestSupport t = onEveryEngine(s -> {
            s.cpu.setSegmentCache(Cpu.SS, 0x10, base, 0xFFFF, 0x0093);
            registers(s, esp);
            s.code(0x60, 0x61, 0xF4); // pusha; popa
        }, "16-bit stack");
        assertThat(t.reg(Cpu.ESP)).isEqualTo(esp);
        assertThat(t.read32(base + 0xC)).as("EAX's slot, at SP - 4").isEqualTo(VALUES[Cpu.EAX]);
        assertThat(t.read32(base + 0xFFF0)).as("EDI's slot, below the wrap").isEqualTo(VALUES[Cpu.EDI]);
        assertThat(t.reg(Cpu.EDI)).isEqualTo(VALUES[Cpu.EDI]);
    }

    /**
     * PUSH m32: [ESP + 4] addressed with ESP before the push, a direct address, an operand across
     * a page end, a stack slot across one, paging off and on.
     */
    @Test
    void pushMem_operandsAndPageEnds_sameOnEveryEngine() {
        for (boolean paging : new boolean[] {false, true}) {
            for (int esp : new int[] {0x9000, 0x9002}) {
                String at = (paging ? "paging" : "no paging") + ", ESP 0x" + Integer.toHexString(esp);
                CpuTestSupport t = onEveryEngine(s -> {
                    if (paging) {
                        s.identityPaging(ABSENT);
                    }
                    s.set(Cpu.ESP, esp);
                    s.set(Cpu.EBX, 0x6FFE);
                    s.poke32(esp, 0x1111_2222);
                    s.poke32(0x6FFE, 0x3333_4444);
                    s.poke32(0x7000, 0x5555_6666); // so [0x6FFE] = 0x66664444
                    s.code(cat(
                            new int[] {0xFF, 0x74, 0x24, 0x00},      // push dword [esp]
                            new int[] {0xFF, 0x74, 0x24, 0x04},      // push dword [esp+4]: the same word
                            new int[] {0xFF, 0x33},                  // push dword [ebx] (across 0x7000)
                            new int[] {0xFF, 0x35}, le32(0x7000),    // push dword [0x7000]
                            new int[] {0x5A, 0x59, 0x58, 0x5E},      // pop edx, ecx, eax, esi
                            new int[] {0xF4}));
                }, at);
                assertThat(t.reg(Cpu.ESI)).as(at).isEqualTo(0x1111_2222);
                assertThat(t.reg(Cpu.EAX)).as(at + ": [esp+4] after one push").isEqualTo(0x1111_2222);
                assertThat(t.reg(Cpu.ECX)).as(at).isEqualTo(0x6666_4444);
                assertThat(t.reg(Cpu.EDX)).as(at).isEqualTo(0x5555_6666);
                assertThat(t.reg(Cpu.ESP)).as(at).isEqualTo(esp);
            }
        }
    }

    /** PUSH m32 of an operand in an absent page: #PF for the operand, ESP and the stack as before. */
    @Test
    void pushMemFromAnAbsentPage_pageFaultWithEspUnchanged() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(0x25000);
            s.set(Cpu.EBX, 0x25010);
            s.poke32(STACK_TOP - 4, 0x5EED);
            s.code(0x90, 0xFF, 0x33, 0xF4); // nop; push dword [ebx]
        }, "PUSH m32 from an absent page");
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
        assertThat(t.cpu.cr2).isEqualTo(0x25010);
        assertThat(frame(t)).as("error code (read, not present), saved EIP, CS").containsExactly(0, CODE + 1, 0x08);
        assertThat(t.reg(Cpu.ESP)).as("frame below the unchanged ESP").isEqualTo(STACK_TOP - 16);
    }

    @Test
    void cdq_signOfEaxIntoEdx_and16BitCwdKept() {
        CpuTestSupport t = onEveryEngine(s -> s.code(
                0xB8, 0x00, 0x00, 0x00, 0x80, // mov eax, 0x80000000
                0x99, 0x89, 0xD6,             // cdq; mov esi, edx
                0x48, 0x99, 0x89, 0xD7,       // dec eax; cdq; mov edi, edx
                0xB8, 0x00, 0x80, 0x00, 0x00, // mov eax, 0x8000
                0xBA, 0x78, 0x56, 0x34, 0x12, // mov edx, 0x12345678
                0x66, 0x99,                   // cwd
                0xF4), "CDQ");
        assertThat(t.reg(Cpu.ESI)).isEqualTo(-1);
        assertThat(t.reg(Cpu.EDI)).isZero();
        assertThat(t.reg(Cpu.EDX)).as("CWD: DX only").isEqualTo(0x1234_FFFF);
    }

    /** Every op AL, imm8 with EFLAGS pushed after each (the flags are compared on every engine). */
    @Test
    void aluAlImm8_everyOperationAndItsFlags() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.set(Cpu.EAX, 0x1234_56F0);
            s.code(0x04, 0x20, 0x9C,  // add al, 0x20 (0x10, CF); pushfd
                    0x14, 0x7F, 0x9C, // adc al, 0x7f (0x90, OF)
                    0x0C, 0x01, 0x9C, // or al, 1 (0x91)
                    0x1C, 0x92, 0x9C, // sbb al, 0x92 (0xFF, CF)
                    0x24, 0x0F, 0x9C, // and al, 0x0f (0x0F)
                    0x2C, 0x10, 0x9C, // sub al, 0x10 (0xFF, CF)
                    0x34, 0xF0, 0x9C, // xor al, 0xf0 (0x0F)
                    0x3C, 0x0F, 0x9C, // cmp al, 0x0f (ZF)
                    0xF4);
        }, "op AL, imm8");
        assertThat(t.reg(Cpu.EAX)).as("the upper 24 bits kept").isEqualTo(0x1234_560F);
        assertThat(t.read32(STACK_TOP - 4) & 1).as("ADD's CF").isEqualTo(1);
        assertThat(t.read32(STACK_TOP - 8) & 0x800).as("ADC's OF").isEqualTo(0x800);
        assertThat(t.read32(STACK_TOP - 32) & 0x40).as("CMP's ZF").isEqualTo(0x40);
    }

    /** MOV m8, r8 of each byte register, into the page's last byte, and into an absent page (#PF). */
    @Test
    void storeByte_registersPageEndAndFault() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(0x25000);
            s.set(Cpu.EAX, 0x1122_3344);
            s.set(Cpu.EBX, 0x5566_7788);
            s.set(Cpu.ECX, 0x6FFF);
            s.code(0x88, 0x01,             // mov [ecx], al
                    0x88, 0x61, 0x02,      // mov [ecx+2], ah
                    0x88, 0x79, 0x03,      // mov [ecx+3], bh
                    0x88, 0x1D, 0x10, 0x50, 0x02, 0x00, // mov [0x25010], bl
                    0xF4);
        }, "MOV m8, r8");
        assertThat(t.read8(0x6FFF)).isEqualTo(0x44);
        assertThat(t.read8(0x7001)).isEqualTo(0x33);
        assertThat(t.read8(0x7002)).isEqualTo(0x77);
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
        assertThat(t.cpu.cr2).isEqualTo(0x25010);
        assertThat(frame(t)).as("error code (write, not present), saved EIP, CS").containsExactly(2, CODE + 8, 0x08);
    }

    /** MOV m8, r8 into the next instruction of the running block: the new byte (INC EBX) runs, paging off and on. */
    @Test
    void storeByteOverTheNextInstruction_runsTheNewCode() {
        int target = CODE + 0x12;
        int[] code = cat(
                new int[] {0xB9, 0x03, 0x00, 0x00, 0x00},  // 1000 mov ecx, 3
                new int[] {0xC6, 0x05}, le32(target), new int[] {0x90}, // 1005 L: mov byte [T], nop
                new int[] {0x88, 0x15}, le32(target),      // 100C mov [T], dl (dl = INC EBX)
                new int[] {0x90},                          // 1012 T: overwritten
                new int[] {0xE2, 0xF0},                    // 1013 loop L
                new int[] {0xF4});
        for (boolean paging : new boolean[] {false, true}) {
            String at = paging ? "paging" : "no paging";
            CpuTestSupport t = onEveryEngine(s -> {
                if (paging) {
                    s.identityPaging(ABSENT);
                }
                s.set(Cpu.EDX, 0x43);
                s.code(code);
            }, "store over the running code, " + at);
            assertThat(t.reg(Cpu.EBX)).as(at + ": INC EBX ran on every pass").isEqualTo(3);
        }
    }
}
