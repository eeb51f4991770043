package jx86.cpu;

import static jx86.cpu.CpuTestSupport.CODE;
import static jx86.cpu.CpuTestSupport.DATA;
import static jx86.cpu.CpuTestSupport.STACK_TOP;
import static jx86.cpu.CpuTestSupport.cat;
import static jx86.cpu.CpuTestSupport.le32;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

/**
 * The forms the decoded-instruction cache runs for kernel entry and exit paths (docs/performance.md,
 * "Round 5"): PUSH/POP Sreg, MOV Sreg, PUSHA/POPA, CLD/STD through the decoder's helpers; MOV eAX/AL
 * to and from moffs as the ModR/M forms; TEST and CMP forms of their own; instructions in the last 8
 * bytes of a page; and the near stack forms around them (PUSH/POP r32, PUSH imm, CALL, RET, also on a
 * 16-bit stack), with faults in each. Every program runs on the
 * plain interpreter (the reference), the cache and the translator (compiling every block on its first
 * run), each program loops so that the second pass runs from the cache, and the three must end with
 * the same stop reason, instructions, cycles, EIP, registers, EFLAGS, CR2, segment registers, TLB
 * counters and memory; each test also checks the result it expects by hand (a fault's vector,
 * error code, saved EIP and CR2; values moved), so a path that is wrong the same way everywhere fails.
 */
class KernelPathFormsTest {
    /** Exception handlers: vector v halts at HANDLERS + v (inside every CS limit used here). */
    static final int HANDLERS = 0x1E00;

    static CpuTestSupport machine(Engine engine, Consumer<CpuTestSupport> setup) {
        CpuTestSupport t = CpuTestSupport.flat32(engine);
        for (int v = 0; v < 32; v++) {
            t.handler(v, HANDLERS + v);
        }
        setup.accept(t);
        return t;
    }

    /** Runs the machine {@code setup} builds on all three engines; returns the interpreter's after comparing. */
    static CpuTestSupport onEveryEngine(Consumer<CpuTestSupport> setup, String what) {
        CpuTestSupport plain = machine(Engine.INTERP, setup);
        StopReason expected = plain.cpu.run(1_000_000);
        for (Engine engine : new Engine[] {Engine.CACHE, Engine.JIT}) {
            CpuTestSupport other = machine(engine, setup);
            StopReason r = other.cpu.run(1_000_000);
            String at = what + ", " + engine.cliName();
            assertThat(r).as(at + ": stop reason").isEqualTo(expected);
            other.assertSameStateAs(plain, at);
        }
        return plain;
    }

    /** Identity paging of the low 4 MiB with page {@code absent} not present. */
    private static void paging(CpuTestSupport t, int absent) {
        t.identityPaging(absent);
    }

    /** The fault frame at the handler's ESP (with an error code): {error code, EIP, CS, EFLAGS}. */
    static int[] frame(CpuTestSupport t) {
        int sp = t.reg(Cpu.ESP);
        return new int[] {t.read32(sp), t.read32(sp + 4), t.read32(sp + 8) & 0xFFFF};
    }

    @Test
    void pushPopCallRetLoop_sameOnEveryEngine() {
        int f = CODE + 0x100;
        int[] code = cat(
                new int[] {0xB9, 0x05, 0x00, 0x00, 0x00},          // 1000 mov ecx, 5
                new int[] {0x51},                                  // 1005 L: push ecx
                new int[] {0x6A, 0xFE},                            // 1006 push -2
                new int[] {0x68}, le32(0x1234_5678),               // 1008 push 0x12345678
                new int[] {0xE8}, le32(f - (CODE + 0x12)),         // 100D call f
                new int[] {0x5A},                                  // 1012 pop edx
                new int[] {0x03, 0xDA},                            // 1013 add ebx, edx
                new int[] {0x59},                                  // 1015 pop ecx
                new int[] {0x54},                                  // 1016 push esp
                new int[] {0x5E},                                  // 1017 pop esi (the pushed ESP)
                new int[] {0x49},                                  // 1018 dec ecx
                new int[] {0x75, 0xEA},                            // 1019 jnz L
                new int[] {0xF4});                                 // 101B hlt
        int[] fn = cat(
                new int[] {0x8B, 0x44, 0x24, 0x04},                // f: mov eax, [esp+4] (0x12345678)
                new int[] {0x01, 0xC7},                            // add edi, eax
                new int[] {0xC2, 0x04, 0x00});                     // ret 4
        CpuTestSupport t = onEveryEngine(s -> {
            s.code(code);
            for (int i = 0; i < fn.length; i++) {
                s.poke8(f + i, fn[i]);
            }
        }, "push/pop/call/ret");
        assertThat(t.cpu.eip).isEqualTo(CODE + 0x1C);
        assertThat(t.reg(Cpu.EBX)).as("five times -2").isEqualTo(-10);
        assertThat(t.reg(Cpu.EDI)).isEqualTo(5 * 0x1234_5678);
        assertThat(t.reg(Cpu.ESI)).as("PUSH ESP pushes the value before the push").isEqualTo(STACK_TOP);
        assertThat(t.reg(Cpu.ESP)).isEqualTo(STACK_TOP);
    }

    @Test
    void popEspLoadsThePoppedValue() {
        CpuTestSupport t = onEveryEngine(s -> s.code(cat(
                new int[] {0x68}, le32(0x8000),                    // push 0x8000
                new int[] {0x5C},                                  // pop esp
                new int[] {0xF4})), "pop esp");
        assertThat(t.reg(Cpu.ESP)).isEqualTo(0x8000);
    }

    @Test
    void popAndRetFromAnAbsentPage_pageFaultWithEspUnchanged() {
        for (int opcode : new int[] {0x58, 0xC3, 0xC2}) {
            CpuTestSupport t = onEveryEngine(s -> {
                paging(s, 0x25000);
                s.set(Cpu.ESP, 0x25000);
                s.code(opcode == 0xC2 ? new int[] {0x90, 0xC2, 0x08, 0x00, 0xF4} : new int[] {0x90, opcode, 0xF4});
            }, "pop/ret from an absent page, opcode " + Integer.toHexString(opcode));
            assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
            assertThat(t.cpu.cr2).isEqualTo(0x25000);
            assertThat(frame(t)).as("error code (read, not present, CPL 0), saved EIP, CS")
                    .containsExactly(0, CODE + 1, 0x08);
            assertThat(t.reg(Cpu.ESP)).as("frame pushed below the unchanged ESP").isEqualTo(0x25000 - 16);
        }
    }

    @Test
    void pushAndCallIntoAnAbsentPage_faultWithNothingChanged() {
        for (int[] insn : new int[][] {{0x50}, {0x6A, 0x01}, {0xE8, 0, 0, 0, 0}}) {
            CpuTestSupport t = onEveryEngine(s -> {
                paging(s, 0x25000);
                s.set(Cpu.ESP, 0x26000);
                s.code(cat(new int[] {0x90}, insn, new int[] {0xF4}));
            }, "push into an absent page: " + insn[0]);
            // the #PF frame would go to the same absent page: #DF, then shutdown
            assertThat(t.cpu.cr2).isEqualTo(0x25FFC);
            assertThat(t.reg(Cpu.ESP)).isEqualTo(0x26000);
        }
    }

    @Test
    void callAndRetBeyondTheCsLimit_generalProtectionBeforeTheStackMoves() {
        CpuTestSupport call = onEveryEngine(s -> {
            s.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0x1FFF, 0x409B);
            s.code(cat(new int[] {0x90}, new int[] {0xE8}, le32(0x3000 - (CODE + 6)), new int[] {0xF4}));
        }, "call beyond the CS limit");
        assertThat(call.cpu.eip).isEqualTo(HANDLERS + Vectors.GP + 1);
        assertThat(frame(call)).containsExactly(0, CODE + 1, 0x08);
        assertThat(call.reg(Cpu.ESP)).as("no return address pushed").isEqualTo(STACK_TOP - 16);

        CpuTestSupport ret = onEveryEngine(s -> {
            s.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0x1FFF, 0x409B);
            s.code(cat(new int[] {0x68}, le32(0x3000), new int[] {0xC3, 0xF4}));
        }, "ret beyond the CS limit");
        assertThat(frame(ret)).containsExactly(0, CODE + 5, 0x08);
        assertThat(ret.read32(STACK_TOP - 4)).isEqualTo(0x3000);
        assertThat(ret.reg(Cpu.ESP)).as("return address still on the stack").isEqualTo(STACK_TOP - 4 - 16);
    }

    /** A 16-bit stack (SS.B = 0): the forms go through the helpers, SP wraps and ESP's upper half stays. */
    @Test
    void sixteenBitStack_wrapsSp() {
        CpuTestSupport t = onEveryEngine(s -> {
            s.cpu.setSegmentCache(Cpu.SS, 0x10, 0x30000, 0xFFFF, 0x0093);
            s.set(Cpu.ESP, 0x1234_0004);
            s.code(0x50, 0x50, 0x5B, 0xE8, 0, 0, 0, 0, 0x5A, 0xF4); // push eax; push eax; pop ebx; call $+5; pop edx
        }, "16-bit stack");
        assertThat(t.reg(Cpu.ESP)).isEqualTo(0x1234_0000);
        assertThat(t.read32(0x30000 + 0xFFFC)).as("the second push wrapped to SP = 0xFFFC").isEqualTo(CODE + 8);
        assertThat(t.reg(Cpu.EDX)).isEqualTo(CODE + 8);
    }

    /** The interrupt entry and exit sequence of a kernel (saves, selector loads, restores) in a loop. */
    @Test
    void segmentSavesLoadsAndRestores_sameOnEveryEngine() {
        int[] code = cat(
                new int[] {0xB9, 0x03, 0x00, 0x00, 0x00},          // mov ecx, 3
                new int[] {0x60},                                  // L: pusha
                new int[] {0x1E, 0x06, 0x0F, 0xA0, 0x0F, 0xA8},    // push ds; push es; push fs; push gs
                new int[] {0x0E, 0x16},                            // push cs; push ss
                new int[] {0x66, 0xB8, 0x10, 0x00},                // mov ax, 0x10
                new int[] {0x8E, 0xD8, 0x8E, 0xC0, 0x8E, 0xE0},    // mov ds, ax; mov es, ax; mov fs, ax
                new int[] {0x8E, 0x2D}, le32(DATA),                // mov gs, [DATA]
                new int[] {0xFD, 0xFC},                            // std; cld
                new int[] {0x83, 0xC4, 0x08},                      // add esp, 8
                new int[] {0x0F, 0xA9, 0x0F, 0xA1, 0x07, 0x1F},    // pop gs; pop fs; pop es; pop ds
                new int[] {0x61},                                  // popa
                new int[] {0x43},                                  // inc ebx
                new int[] {0xE2, 0xD8},                            // loop L
                new int[] {0xF4});
        CpuTestSupport t = onEveryEngine(s -> {
            s.code(code);
            s.poke16(DATA, 0x10);
            for (int seg : new int[] {Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS}) {
                s.cpu.setSegmentCache(seg, 0, 0, 0, 0); // null selectors before the first load
            }
        }, "kernel entry and exit");
        assertThat(t.reg(Cpu.EBX)).isEqualTo(3);
        assertThat(t.reg(Cpu.ESP)).isEqualTo(STACK_TOP);
        assertThat(t.cpu.segSel[Cpu.GS]).as("the saved null selector restored").isZero();
        assertThat(t.cpu.getEflags() & Cpu.DF).isZero();
    }

    @Test
    void popDsWithASelectorBeyondTheGdt_generalProtectionWithEspUnchanged() {
        CpuTestSupport t = onEveryEngine(s -> s.code(cat(
                new int[] {0x68}, le32(0x0123),                    // push 0x123 (index 0x24, beyond the GDT)
                new int[] {0x1F},                                  // pop ds
                new int[] {0xF4})), "pop ds with a bad selector");
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.GP + 1);
        assertThat(frame(t)).as("error code = the selector without RPL, saved EIP").containsExactly(0x0120, CODE + 5, 0x08);
        assertThat(t.reg(Cpu.ESP)).as("the selector still on the stack").isEqualTo(STACK_TOP - 4 - 16);
        assertThat(t.cpu.segSel[Cpu.DS]).isEqualTo(0x10);
    }

    /**
     * The guest rewrites the base of GDT entry 2 between two loads of DS with the same selector (in a
     * loop, so the second pass runs cached): each load reads the descriptor as it is then.
     */
    @Test
    void gdtEntryRewrittenBetweenTwoLoads_secondLoadSeesTheNewBase() {
        int gdt = CpuTestSupport.GDT;
        int[] code = cat(
                new int[] {0xB9, 0x02, 0x00, 0x00, 0x00},          // mov ecx, 2
                new int[] {0x66, 0xB8, 0x10, 0x00},                // L: mov ax, 0x10
                new int[] {0x8E, 0xD8},                            // mov ds, ax
                new int[] {0x03, 0x1D}, le32(DATA),                // add ebx, [DATA]
                new int[] {0x36, 0xC6, 0x05}, le32(gdt + 16 + 4), new int[] {0x01}, // mov byte [ss:gdt+20], 1: base 0x010000
                new int[] {0x8E, 0xD8},                            // mov ds, ax
                new int[] {0x03, 0x1D}, le32(DATA),                // add ebx, [DATA] (now at 0x10000 + DATA)
                new int[] {0x36, 0xC6, 0x05}, le32(gdt + 16 + 4), new int[] {0x00}, // base 0 again (DS keeps 0x10000)
                new int[] {0x36, 0xFF, 0x05}, le32(DATA),          // inc dword [ss:DATA]
                new int[] {0xE2, 0xD3},                            // loop L
                new int[] {0xF4});
        CpuTestSupport t = onEveryEngine(s -> {
            s.code(code);
            s.poke32(DATA, 1);
            s.poke32(0x10000 + DATA, 0x100);
        }, "GDT entry rewritten");
        assertThat(t.reg(Cpu.EBX)).as("1 + 0x100, then 2 + 0x100").isEqualTo(0x203);
        assertThat(t.cpu.segBase[Cpu.DS]).as("loaded before the descriptor was changed back").isEqualTo(0x10000);
    }

    /** The guest rewrites an IDT gate between two INTs: the second INT goes to the new handler. */
    @Test
    void idtGateRewrittenBetweenTwoInts_secondIntTakesTheNewHandler() {
        int idt = CpuTestSupport.IDT;
        int a = 0x1C00;
        int b = 0x1C40;
        int[] code = cat(
                new int[] {0xB9, 0x02, 0x00, 0x00, 0x00},          // mov ecx, 2
                new int[] {0x66, 0xC7, 0x05}, le32(idt + 0x40 * 8), new int[] {a & 0xFF, a >>> 8}, // L: gate 0x40 -> a
                new int[] {0xCD, 0x40},                            // int 0x40
                new int[] {0x66, 0xC7, 0x05}, le32(idt + 0x40 * 8), new int[] {b & 0xFF, b >>> 8}, // gate 0x40 -> b
                new int[] {0xCD, 0x40},                            // int 0x40
                new int[] {0xE2, 0xE8},                            // loop L
                new int[] {0xF4});
        CpuTestSupport t = onEveryEngine(s -> {
            s.code(code);
            s.handler(0x40, a);
            s.code(); // (no more code)
            s.poke8(a, 0x43).poke8(a + 1, 0xCF);                         // a: inc ebx; iret
            s.poke8(b, 0x81).poke8(b + 1, 0xC3).poke32(b + 2, 0x100).poke8(b + 6, 0xCF); // b: add ebx, 0x100; iret
        }, "IDT gate rewritten");
        assertThat(t.reg(Cpu.EBX)).isEqualTo(0x202);
        assertThat(t.reg(Cpu.ESP)).isEqualTo(STACK_TOP);
    }

    @Test
    void moffsLoadsAndStores_sameAsTheModrmForms() {
        int[] code = cat(
                new int[] {0xB9, 0x02, 0x00, 0x00, 0x00},          // mov ecx, 2
                new int[] {0xA1}, le32(DATA),                      // L: mov eax, [DATA]
                new int[] {0x40},                                  // inc eax
                new int[] {0xA3}, le32(DATA + 4),                  // mov [DATA+4], eax
                new int[] {0xA0}, le32(DATA + 1),                  // mov al, [DATA+1]
                new int[] {0xA2}, le32(DATA + 8),                  // mov [DATA+8], al
                new int[] {0x66, 0xA1}, le32(DATA + 2),            // mov ax, [DATA+2]
                new int[] {0x66, 0xA3}, le32(DATA + 12),           // mov [DATA+12], ax
                new int[] {0x64, 0xA1}, le32(DATA),                // mov eax, fs:[DATA] (FS base 0x10000)
                new int[] {0x01, 0xC3},                            // add ebx, eax
                new int[] {0x67, 0xA1, 0x00, 0x30},                // mov eax, [0x3000] (16-bit address)
                new int[] {0x01, 0xC6},                            // add esi, eax
                new int[] {0xE2, 0xCF},                            // loop L
                new int[] {0xF4});
        CpuTestSupport t = onEveryEngine(s -> {
            s.code(code);
            s.poke32(DATA, 0x1122_3344);
            s.poke32(0x10000 + DATA, 7);
            s.poke32(0x3000, 5);
            s.cpu.setSegmentCache(Cpu.FS, 0x10, 0x10000, 0xFFFF_FFFF, 0xC093);
        }, "moffs");
        assertThat(t.read32(DATA + 4)).isEqualTo(0x1122_3345);
        assertThat(t.read8(DATA + 8)).isEqualTo(0x33);
        assertThat(t.read16(DATA + 12)).isEqualTo(0x1122);
        assertThat(t.reg(Cpu.EBX)).isEqualTo(14);
        assertThat(t.reg(Cpu.ESI)).isEqualTo(10);
    }

    @Test
    void moffsInAnAbsentPageAndBeyondALimit_faultsAsTheInterpreter() {
        CpuTestSupport pf = onEveryEngine(s -> {
            paging(s, 0x25000);
            s.code(cat(new int[] {0x90, 0xA3}, le32(0x25010), new int[] {0xF4}));
        }, "moffs store into an absent page");
        assertThat(pf.cpu.cr2).isEqualTo(0x25010);
        assertThat(frame(pf)).as("write, not present").containsExactly(2, CODE + 1, 0x08);

        CpuTestSupport gp = onEveryEngine(s -> {
            s.cpu.setSegmentCache(Cpu.ES, 0x10, 0, 0xFFF, 0x4093);
            s.code(cat(new int[] {0x90, 0x26, 0xA1}, le32(0xFFE), new int[] {0xF4}));
        }, "moffs load beyond the ES limit");
        assertThat(gp.cpu.eip).isEqualTo(HANDLERS + Vectors.GP + 1);
        assertThat(frame(gp)).containsExactly(0, CODE + 1, 0x08);
    }

    /**
     * TEST r32, r32 / TEST r8, r8 (high byte registers too) / TEST AL, imm8 / CMP m8, imm8 /
     * CMP m32, imm32 and imm8 for operand pairs around the sign and carry edges: the flags each sets
     * (saved by PUSHF) are the interpreter's, and ZF/CF/SF as their definitions say.
     */
    @Test
    void testAndCompareForms_flagsAsTheInterpreter() {
        int[] values = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1234_5680};
        for (int a : values) {
            for (int b : values) {
                int[] code = cat(
                        new int[] {0xB8}, le32(a),                 // mov eax, a
                        new int[] {0xBB}, le32(b),                 // mov ebx, b
                        new int[] {0x85, 0xD8, 0x9C},              // test eax, ebx; pushf
                        new int[] {0x84, 0xFC, 0x9C},              // test ah, bh; pushf
                        new int[] {0x84, 0xD8, 0x9C},              // test al, bl; pushf
                        new int[] {0xA8, b & 0xFF, 0x9C},          // test al, b8; pushf
                        new int[] {0x80, 0x3D}, le32(DATA), new int[] {b & 0xFF, 0x9C}, // cmp byte [DATA], b8; pushf
                        new int[] {0x81, 0x3D}, le32(DATA), le32(b), new int[] {0x9C},  // cmp dword [DATA], b; pushf
                        new int[] {0x83, 0x3D}, le32(DATA), new int[] {b & 0xFF, 0x9C}, // cmp dword [DATA], (int8) b; pushf
                        new int[] {0xF4});
                String what = "a=" + Integer.toHexString(a) + " b=" + Integer.toHexString(b);
                CpuTestSupport t = onEveryEngine(s -> {
                    s.code(code);
                    s.poke32(DATA, a);
                }, what);
                int top = STACK_TOP - 4;
                assertThat(t.read32(top) & Cpu.ZF).as(what + ": test r32 ZF").isEqualTo((a & b) == 0 ? Cpu.ZF : 0);
                assertThat(t.read32(top - 4) & Cpu.ZF).as(what + ": test ah, bh ZF")
                        .isEqualTo(((a >>> 8) & (b >>> 8) & 0xFF) == 0 ? Cpu.ZF : 0);
                assertThat(t.read32(top - 16) & Cpu.CF).as(what + ": cmp m8 CF")
                        .isEqualTo((a & 0xFF) < (b & 0xFF) ? Cpu.CF : 0);
                assertThat(t.read32(top - 20) & (Cpu.CF | Cpu.ZF)).as(what + ": cmp m32 CF, ZF")
                        .isEqualTo((Integer.compareUnsigned(a, b) < 0 ? Cpu.CF : 0) | (a == b ? Cpu.ZF : 0));
                assertThat(t.read32(top - 24) & Cpu.SF).as(what + ": cmp m32, imm8 SF")
                        .isEqualTo((a - (byte) b) < 0 ? Cpu.SF : 0);
            }
        }
    }

    @Test
    void compareWithMemoryInAnAbsentPage_pageFault() {
        for (int[] insn : new int[][] {{0x80, 0x3D, 0x10, 0x50, 0x02, 0x00, 0x01}, {0x83, 0x3D, 0x10, 0x50, 0x02, 0x00, 0x01}}) {
            CpuTestSupport t = onEveryEngine(s -> {
                paging(s, 0x25000);
                s.code(cat(new int[] {0x85, 0xC0}, insn, new int[] {0xF4})); // test eax, eax; cmp [0x25010], 1
            }, "cmp with an absent page, " + Integer.toHexString(insn[0]));
            assertThat(t.cpu.cr2).isEqualTo(0x25010);
            assertThat(frame(t)).as("read, not present; saved EIP of the CMP").containsExactly(0, CODE + 2, 0x08);
        }
    }

    /**
     * Instructions in the last 8 bytes of a page run from the cache; one that runs over the page
     * end into a page whose frame is not the next physical one takes its bytes from that frame
     * (never from the physically next bytes), and one that runs into an absent page faults on the
     * fetch with CR2 at the page start.
     */
    @Test
    void instructionsAtThePageEnd_andOneRunningIntoAnotherFrame() {
        int[] tail = cat(
                new int[] {0xB8}, le32(0x1111_1111),               // 40FF6 mov eax, 0x11111111
                new int[] {0x43},                                  // 40FFB inc ebx
                new int[] {0x83, 0xC1, 0x01},                      // 40FFC add ecx, 1
                new int[] {0xBA});                                 // 40FFF mov edx, imm32 (bytes in the next page)
        int[] next = cat(
                new int[] {0x78, 0x56, 0x34, 0x12},                // 41000 the rest of the immediate: 0x12345678
                new int[] {0x4E},                                  // 41004 dec esi
                new int[] {0x75, 0xEF},                            // 41005 jnz 40FF6
                new int[] {0xF4});                                 // 41007 hlt
        CpuTestSupport t = onEveryEngine(s -> {
            paging(s, 0x25000);
            s.mem.poke32(0x11000 + 4 * 0x41, 0x50000 | 3);        // linear 0x41000 -> frame 0x50000
            for (int k = 0; k < tail.length; k++) {
                s.poke8(0x40FF6 + k, tail[k]);
            }
            s.poke32(0x41000, 0xAAAA_AAAA); // frame 0x41000: not the code
            for (int k = 0; k < next.length; k++) {
                s.poke8(0x50000 + k, next[k]);
            }
            s.set(Cpu.ESI, 3);
            s.cpu.eip = 0x40FF6;
        }, "page end");
        assertThat(t.cpu.eip).isEqualTo(0x41008);
        assertThat(t.reg(Cpu.EDX)).isEqualTo(0x1234_5678);
        assertThat(t.reg(Cpu.EBX)).isEqualTo(3);
        assertThat(t.reg(Cpu.ECX)).isEqualTo(3);

        CpuTestSupport pf = onEveryEngine(s -> {
            paging(s, 0x42000);
            s.poke8(0x41FFC, 0x43).poke8(0x41FFD, 0x43);       // inc ebx; inc ebx
            s.poke8(0x41FFE, 0x05).poke8(0x41FFF, 0x01);       // add eax, imm32 (runs into the absent page)
            s.cpu.eip = 0x41FFC;
        }, "into an absent page");
        assertThat(pf.cpu.cr2).isEqualTo(0x42000);
        assertThat(pf.reg(Cpu.EBX)).isEqualTo(2);
        assertThat(pf.read32(pf.reg(Cpu.ESP) + 4)).as("saved EIP").isEqualTo(0x41FFE);
    }
}
