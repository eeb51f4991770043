package jx86.cpu;

import static jx86.cpu.CpuTestSupport.CODE;
import static jx86.cpu.CpuTestSupport.cat;
import static jx86.cpu.CpuTestSupport.le32;
import static jx86.cpu.KernelEntryExitFormsTest.KERNEL_STACK;
import static jx86.cpu.KernelEntryExitFormsTest.USER;
import static jx86.cpu.KernelEntryExitFormsTest.ring3;
import static jx86.cpu.KernelPathFormsTest.HANDLERS;
import static jx86.cpu.KernelPathFormsTest.frame;
import static jx86.cpu.KernelPathFormsTest.onEveryEngine;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/**
 * The kernel's instructions round 9 took from the decoder into the cache's {@code fastRare}
 * (docs/performance.md, "Round 9: the forms that left the fast paths"): PUSHF with a 32-bit operand
 * size, SHLD/SHRD r32, r32, imm8/CL and MOV r32, CRn. Each program runs on the interpreter, the
 * cache and the translator ({@link KernelPathFormsTest#onEveryEngine}: stop reason, instructions,
 * cycles, registers, flags, segments, TLB counters, memory), each test checks its values by hand,
 * and the decoding test checks that the cache holds exactly these encodings.
 */
class KernelDecoderFormsTest {
    /** OF, SF, ZF, AF, PF, CF. */
    private static final int STATUS = 0x8D5;

    /** The id and length the cache decodes {@code bytes} to (32-bit code). */
    private static int[] decoded(int... bytes) {
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        for (int i = 0; i < bytes.length; i++) {
            mem.poke8(0x1000 + i, bytes[i]);
        }
        int o = new PreDecoder().fill(new int[4], mem, 0, 0x1000, DecodeCache.CODE32 | DecodeCache.VALID);
        return new int[] {o & 0xFF, (o >>> 8) & 15};
    }

    @Test
    void cacheHolds_pushf32_registerDoubleShifts_andMovFromCr_only() {
        assertThat(decoded(0x9C)).containsExactly(DecodeCache.PUSHF32, 1);
        assertThat(decoded(0x66, 0x9C)[0]).as("PUSHF with a 16-bit operand size").isEqualTo(DecodeCache.SLOW);
        assertThat(decoded(0x0F, 0xAC, 0xD0, 0x08)).containsExactly(DecodeCache.DSHIFT_I32, 4);
        assertThat(decoded(0x0F, 0xA5, 0xD0)).containsExactly(DecodeCache.DSHIFT_CL32, 3);
        assertThat(decoded(0x0F, 0xAC, 0x10, 0x08)[0]).as("SHRD m32").isEqualTo(DecodeCache.SLOW);
        assertThat(decoded(0x66, 0x0F, 0xAC, 0xD0, 0x08)[0]).as("SHRD r16").isEqualTo(DecodeCache.SLOW);
        assertThat(decoded(0x0F, 0x20, 0xD3)).containsExactly(DecodeCache.MOV_FROM_CR, 3);
        assertThat(decoded(0x0F, 0x20, 0x05)).as("mod 0, rm 5: still two registers, no displacement")
                .containsExactly(DecodeCache.MOV_FROM_CR, 3);
        assertThat(decoded(0x0F, 0x20, 0xC8)[0]).as("CR1: #UD from the decoder").isEqualTo(DecodeCache.SLOW);
        assertThat(decoded(0x0F, 0x22, 0xD8)[0]).as("MOV CR3, r32 stays the decoder's").isEqualTo(DecodeCache.SLOW);
    }

    /**
     * SHRD/SHLD with an immediate, with CL (36: masked to 4), with a count of 0 (nothing changes, the
     * flags neither), each followed by PUSHFD; a 16-bit SHRD (the decoder's) in the same block.
     */
    @Test
    void doubleShifts_valuesAndFlags() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.set(Cpu.EBX, 0x5555_AAAA);
            s.code(cat(
                    new int[] {0xB8}, le32(0x1234_5678),     // mov eax, 0x12345678
                    new int[] {0xBA}, le32(0x9ABC_DEF0),     // mov edx, 0x9abcdef0
                    new int[] {0xB9}, le32(36),              // mov ecx, 36
                    new int[] {0x0F, 0xAC, 0xD0, 0x08, 0x9C}, // shrd eax, edx, 8; pushfd
                    new int[] {0x89, 0xC6},                  // mov esi, eax
                    new int[] {0x0F, 0xA5, 0xD0, 0x9C},      // shld eax, edx, cl; pushfd
                    new int[] {0x89, 0xC7},                  // mov edi, eax
                    new int[] {0x0F, 0xAC, 0xD3, 0x00, 0x9C}, // shrd ebx, edx, 0; pushfd
                    new int[] {0xBD}, le32(0x8000_0001),     // mov ebp, 0x80000001
                    new int[] {0x0F, 0xAD, 0xC5, 0x9C},      // shrd ebp, eax, cl; pushfd
                    new int[] {0x66, 0x0F, 0xAC, 0xD1, 0x04}, // shrd cx, dx, 4
                    new int[] {0xF4}));
        }, "SHRD/SHLD");
        int sp = CpuTestSupport.STACK_TOP;
        assertThat(t.reg(Cpu.ESI)).isEqualTo(0xF012_3456);
        assertThat(t.read32(sp - 4) & STATUS).as("SHRD 8: OF, SF, PF").isEqualTo(0x884);
        assertThat(t.reg(Cpu.EDI)).isEqualTo(0x0123_4569);
        assertThat(t.read32(sp - 8) & STATUS).as("SHLD by CL = 36: OF, PF, CF").isEqualTo(0x805);
        assertThat(t.reg(Cpu.EBX)).as("count 0").isEqualTo(0x5555_AAAA);
        assertThat(t.read32(sp - 12) & STATUS).as("count 0: the flags as before").isEqualTo(0x805);
        assertThat(t.reg(Cpu.EBP)).isEqualTo(0x9800_0000);
        assertThat(t.read32(sp - 16) & STATUS).as("SHRD by CL: SF, PF").isEqualTo(0x84);
        assertThat(t.reg(Cpu.ECX)).as("16-bit SHRD: CX = 0x0024 >> 4 with DX's low nibble 0").isEqualTo(0x0002);
    }

    /** PUSHF of a known EFLAGS, with the stack slot inside a page and across a page end (the helpers' path). */
    @Test
    void pushf_valueOnBothPaths() {
        for (boolean paging : new boolean[] {false, true}) {
            CpuTestSupport t = onEveryEngine(s -> {
                if (paging) {
                    s.identityPaging(0x300000);
                }
                s.code(cat(
                        new int[] {0x68}, le32(0x8D7), new int[] {0x9D}, // push 0x8d7; popfd
                        new int[] {0x9C, 0x58},                          // pushfd; pop eax
                        new int[] {0xBC}, le32(0x7002),                  // mov esp, 0x7002
                        new int[] {0x9C},                                // pushfd (0x6FFE..0x7001)
                        new int[] {0xF4}));
            }, "PUSHF" + (paging ? ", paging" : ""));
            assertThat(t.reg(Cpu.EAX)).as("EFLAGS as POPFD set them (bit 1 always set)").isEqualTo(0x8D7);
            assertThat(t.read32(0x6FFE)).as("the slot across the page end").isEqualTo(0x8D7);
            assertThat(t.reg(Cpu.ESP)).isEqualTo(0x6FFE);
        }
    }

    /** Identity paging (page {@code absent} not present) with every page user-accessible. */
    private static void userPaging(CpuTestSupport s, int absent) {
        s.identityPaging(absent);
        s.poke32(0x10000, s.read32(0x10000) | 4);
        for (int la = 0; la < 0x400000; la += 0x1000) {
            if (la != absent) {
                s.poke32(CpuTestSupport.pte(la), s.read32(CpuTestSupport.pte(la)) | 4);
            }
        }
    }

    /** PUSHF at CPL 3 whose slot runs into an absent page: #PF (user, write, not present), ESP as before. */
    @Test
    void pushfAcrossAPageEndIntoAnAbsentPage_pageFault() {
        int[] user = cat(
                new int[] {0x9C, 0x58},                     // 2000 pushfd; pop eax
                new int[] {0xBC}, le32(0x6002),             // 2002 mov esp, 0x6002
                new int[] {0x9C},                           // 2007 pushfd: 0x5FFE..0x6001, page 0x5000 absent
                new int[] {0xF4});
        CpuTestSupport t = onEveryEngine(s -> {
            ring3(s, 0x202, new int[] {0xF4}, user);
            userPaging(s, 0x5000);
        }, "PUSHF into an absent page");
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
        assertThat(t.cpu.cr2).isEqualTo(0x5FFE);
        assertThat(frame(t)).as("error code (user, write, not present), saved EIP, CS").containsExactly(6, USER + 7, 0x1B);
        assertThat(t.read32(KERNEL_STACK - 8)).as("the user ESP, unchanged").isEqualTo(0x6002);
        assertThat(t.reg(Cpu.EAX)).as("the user's EFLAGS").isEqualTo(0x202);
    }

    /** MOV r32, CRn of CR0, CR2, CR3 and CR4, with mod fields that are not 3; then CR1: #UD. */
    @Test
    void movFromCr_valuesAndUndefinedRegister() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.identityPaging(0x300000);
            s.cpu.cr2 = 0x1234_5678;
            s.code(0x0F, 0x20, 0xC0,  // mov eax, cr0
                    0x0F, 0x20, 0xD3, // mov ebx, cr2
                    0x0F, 0x20, 0xD9, // mov ecx, cr3
                    0x0F, 0x20, 0xE2, // mov edx, cr4
                    0x0F, 0x20, 0x05, // mov ebp, cr0 (mod 0, rm 5)
                    0x0F, 0x20, 0x46, // mov esi, cr0 (mod 1, rm 6)
                    0x0F, 0x20, 0xC8, // mov eax, cr1: #UD
                    0xF4);
        }, "MOV r32, CRn");
        assertThat(t.reg(Cpu.EAX)).as("CR0: PE and PG").isEqualTo(t.cpu.cr0).matches(v -> (v & 0x8000_0001) == 0x8000_0001);
        assertThat(t.reg(Cpu.EBX)).isEqualTo(0x1234_5678);
        assertThat(t.reg(Cpu.ECX)).as("CR3: the page directory").isEqualTo(0x10000);
        assertThat(t.reg(Cpu.EDX)).isEqualTo(t.cpu.cr4);
        assertThat(t.reg(Cpu.EBP)).isEqualTo(t.cpu.cr0);
        assertThat(t.reg(Cpu.ESI)).isEqualTo(t.cpu.cr0);
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.UD + 1);
        assertThat(t.read32(t.reg(Cpu.ESP))).as("#UD's saved EIP").isEqualTo(CODE + 18);
    }

    /** MOV r32, CR0 at CPL 3: #GP(0) with the register unchanged. */
    @Test
    void movFromCrAtCpl3_generalProtection() {
        int[] user = cat(
                new int[] {0xB8}, le32(0x5EED),             // 2000 mov eax, 0x5eed
                new int[] {0x0F, 0x20, 0xC0},               // 2005 mov eax, cr0
                new int[] {0xF4});
        CpuTestSupport t = onEveryEngine(s -> ring3(s, 0x202, new int[] {0xF4}, user), "MOV r32, CR0 at CPL 3");
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.GP + 1);
        assertThat(frame(t)).as("error code, saved EIP, CS").containsExactly(0, USER + 5, 0x1B);
        assertThat(t.reg(Cpu.EAX)).isEqualTo(0x5EED);
    }
}
