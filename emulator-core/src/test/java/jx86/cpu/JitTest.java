package jx86.cpu;

import static jx86.cpu.CpuTestSupport.CODE;
import static jx86.cpu.CpuTestSupport.DATA;
import static jx86.cpu.CpuTestSupport.cat;
import static jx86.cpu.CpuTestSupport.le32;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import jx86.arch.Vectors;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.bus.MmioDevice;
import jx86.clock.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The translator ({@code --engine jit}) against the plain interpreter on guest snippets that hit its
 * edges: code rewritten by the running compiled block, by an earlier block and by a device, faults in
 * the middle of a compiled block, an interrupt at every instruction boundary of one, REP string
 * instructions, and step budgets that end inside blocks. Every block here is compiled on its first
 * run (threshold 1), and each test checks that the translator compiled blocks and none failed, so
 * the comparison is really with compiled code. Each comparison covers the stop reason, retired
 * instructions, cycles, EIP, registers, flags, both TLBs' hit counts and the low 256 KiB of memory,
 * plus a result computed by hand.
 */
class JitTest {
    private static final int HANDLER = 0x7000;

    /** A flat 32-bit CPU on {@code engine} (the translator compiling every block on its first run). */
    private static CpuTestSupport machine(Engine engine, Consumer<CpuTestSupport> setup) {
        CpuTestSupport t = CpuTestSupport.flat32(engine);
        setup.accept(t);
        return t;
    }

    /**
     * The translator's configuration: as the test JVM's properties say (DEFAULT); regions
     * ({@code jx86.jit.region}, off by default: a compiled method holds up to four blocks, its own
     * and the compiled blocks its jumps reach on the same page); or chained exits
     * ({@code jx86.jit.chain}, off by default: round 7; a compiled block calls its successor's
     * compiled method); or regions whose warm blocks enter the hot block's method (WARM_REGIONS,
     * round 9: threshold 2, so a loop's first block compiled takes the others, which have run
     * once, into its method, and they run through it from then on).
     */
    private enum Mode { DEFAULT, REGIONS, CHAINED, WARM_REGIONS }

    /** {@link #machine} on the translator in {@code mode}, every block compiled on its first run. */
    private static CpuTestSupport translated(Mode mode, Consumer<CpuTestSupport> setup) {
        CpuTestSupport t = machine(Engine.JIT, setup);
        if (mode != Mode.DEFAULT) {
            JitCompiler base = t.cpu.decoded.translator().compiler();
            t.cpu.decoded.translate(mode == Mode.WARM_REGIONS ? 2 : 1, mode == Mode.CHAINED
                    ? new JitCompiler(base, true) : new JitCompiler(base, JitCompiler.MAX_REGION));
        }
        return t;
    }

    /** The same machine on the interpreter and the translator, run to the end; returns the translator's. */
    private static CpuTestSupport both(Consumer<CpuTestSupport> setup, String what) {
        return both(setup, what, Mode.DEFAULT);
    }

    /** {@link #both} with the translator in {@code mode}. */
    private static CpuTestSupport both(Consumer<CpuTestSupport> setup, String what, Mode mode) {
        CpuTestSupport plain = machine(Engine.INTERP, setup);
        CpuTestSupport jit = translated(mode, setup);
        StopReason a = plain.cpu.run(1_000_000);
        StopReason b = jit.cpu.run(1_000_000);
        assertThat(b).as(what + ": stop reason").isEqualTo(a);
        jit.assertSameStateAs(plain, what);
        assertCompiled(jit);
        return jit;
    }

    /**
     * Whether blocks ran linked in {@code mode}: with regions, instructions ran in blocks a
     * region's method chained to (with warm regions, also: blocks entered a method compiled for
     * another); with chained exits, compiled blocks were run by chained calls.
     */
    private static boolean linked(Mode mode, CpuTestSupport jit) {
        Jit j = jit.cpu.decoded.translator();
        switch (mode) {
            case REGIONS:
                return j.loopedInstructions > 0 && j.regionMethods > 0;
            case WARM_REGIONS:
                return j.loopedInstructions > 0 && j.regionMethods > 0 && j.regionEntries > 0;
            default:
                return j.chains > 0;
        }
    }

    private static void assertCompiled(CpuTestSupport jit) {
        Jit j = jit.cpu.decoded.translator();
        assertThat(j.compiledBlocks()).as("blocks compiled").isPositive();
        assertThat(j.failedBlocks()).as("blocks the translator could not compile").isZero();
    }

    /** jcc rel32 / jmp rel32 from {@code at} (the instruction's address) to {@code target}. */
    private static int[] jnz32(int at, int target) {
        return cat(new int[] {0x0F, 0x85}, le32(target - (at + 6)));
    }

    private static int[] jmp32(int at, int target) {
        return cat(new int[] {0xE9}, le32(target - (at + 5)));
    }

    @Test
    void loopWithLoadsStoresAndBranches_runsCompiledWithTheInterpretersResults() {
        int[] loop = cat(
                new int[] {0xB9, 0x40, 0x00, 0x00, 0x00},        // mov ecx, 64
                new int[] {0xBE}, le32(DATA),                     // mov esi, DATA
                new int[] {0x01, 0xC8},                           // L: add eax, ecx
                new int[] {0x89, 0x04, 0x8E},                     // mov [esi+ecx*4], eax
                new int[] {0x8B, 0x5C, 0x8E, 0xFC},               // mov ebx, [esi+ecx*4-4]
                new int[] {0x8D, 0x54, 0x1A, 0x07},               // lea edx, [edx+ebx+7]
                new int[] {0x31, 0xD7},                           // xor edi, edx
                new int[] {0xC1, 0xE7, 0x03},                     // shl edi, 3
                new int[] {0x6B, 0xED, 0x05},                     // imul ebp, ebp, 5
                new int[] {0x45},                                 // inc ebp
                new int[] {0x0F, 0xB6, 0xDC},                     // movzx ebx, ah
                new int[] {0x83, 0xF9, 0x10},                     // cmp ecx, 16
                new int[] {0x75, 0x02},                           // jne +2
                new int[] {0xF7, 0xD8},                           // neg eax (fallback form)
                new int[] {0x49},                                 // dec ecx
                new int[] {0x75, 0xDD},                           // jnz L
                new int[] {0xF4});                                // hlt
        CpuTestSupport jit = both(t -> t.code(loop), "loop");
        // by hand: EAX = sum of 64..1, negated once when ECX was 16 (after adding 16)
        int eax = 0;
        for (int ecx = 64; ecx >= 1; ecx--) {
            eax += ecx;
            if (ecx == 16) {
                eax = -eax;
            }
        }
        assertThat(jit.reg(Cpu.EAX)).isEqualTo(eax);
        assertThat(jit.read32(DATA + 4)).isEqualTo(eax);
    }

    /** Budgets of 1 to 17 steps end inside, at and after the compiled blocks at the interpreter's instruction. */
    @Test
    void everySliceSize_endsAtTheSameInstruction() {
        int[] loop = cat(
                new int[] {0xB9, 0x06, 0x00, 0x00, 0x00},         // mov ecx, 6
                new int[] {0x01, 0xC8},                           // L: add eax, ecx
                new int[] {0x89, 0x05}, le32(DATA),               // mov [DATA], eax
                new int[] {0x83, 0xF9, 0x03},                     // cmp ecx, 3
                new int[] {0x75, 0x01},                           // jne +1
                new int[] {0x43},                                 // inc ebx
                new int[] {0x49},                                 // dec ecx
                new int[] {0x75, 0xEF},                           // jnz L
                new int[] {0xF4});                                // hlt
        for (int slice = 1; slice <= 17; slice++) {
            CpuTestSupport jit = machine(Engine.JIT, t -> t.code(loop));
            CpuTestSupport plain = machine(Engine.INTERP, t -> t.code(loop));
            for (int n = 1; n < 200 && !plain.cpu.halted(); n++) {
                jit.cpu.run(slice);
                plain.cpu.run(slice);
                jit.assertSameStateAs(plain, "slice " + slice + ", run " + n);
            }
            assertThat(jit.cpu.halted()).isTrue();
            assertThat(jit.reg(Cpu.EBX)).isEqualTo(1);
            assertThat(jit.reg(Cpu.EAX)).isEqualTo(21);
            assertCompiled(jit);
        }
    }

    /** A byte store (a helper form) into the immediate of the next instruction of the running block. */
    @Test
    void byteStoreIntoTheNextInstructionOfTheRunningCompiledBlock_isSeen() {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x31, 0xDB},                           // 1005 xor ebx, ebx
                new int[] {0x88, 0x0D}, le32(CODE + 0x0E),        // 1007 L: mov [100E], cl
                new int[] {0xB0, 0x00},                           // 100D mov al, 0 (patched)
                new int[] {0x01, 0xC3},                           // 100F add ebx, eax
                new int[] {0x49},                                 // 1011 dec ecx
                new int[] {0x75, 0xF3},                           // 1012 jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> t.code(code), "byte store into the next instruction");
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(55);
    }

    /** A compiled 32-bit store (an inline form) into the next instruction's immediate. */
    @Test
    void dwordStoreIntoTheNextInstructionOfTheRunningCompiledBlock_isSeen() {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x31, 0xDB},                           // 1005 xor ebx, ebx
                new int[] {0x89, 0x0D}, le32(CODE + 0x0E),        // 1007 L: mov [100E], ecx
                new int[] {0xBA, 0x00, 0x00, 0x00, 0x00},         // 100D mov edx, 0 (patched)
                new int[] {0x01, 0xD3},                           // 1012 add ebx, edx
                new int[] {0x49},                                 // 1014 dec ecx
                new int[] {0x75, 0xF0},                           // 1015 jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> t.code(code), "dword store into the next instruction");
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(55);
    }

    /** The loop's block rewrites the immediate of a compiled block on another page before jumping to it. */
    @Test
    void storeIntoALaterCompiledBlock_isSeen() {
        int b = 0x3000;
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x31, 0xDB},                           // 1005 xor ebx, ebx
                new int[] {0x89, 0x0D}, le32(b + 1),              // 1007 L: mov [3001], ecx
                jmp32(CODE + 0x0D, b));                           // 100D jmp 3000
        int[] later = cat(
                new int[] {0xBA, 0x00, 0x00, 0x00, 0x00},         // 3000 mov edx, 0 (patched)
                new int[] {0x01, 0xD3},                           // 3005 add ebx, edx
                new int[] {0x49},                                 // 3007 dec ecx
                jnz32(b + 8, CODE + 7),                           // 3008 jnz L
                new int[] {0xF4});                                // 300E hlt
        CpuTestSupport jit = both(t -> {
            t.code(code);
            for (int i = 0; i < later.length; i++) {
                t.poke8(b + i, later[i]);
            }
        }, "store into a later block");
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(55);
    }

    /** A device writing RAM (as DMA does) over a compiled block's immediate between two of its runs. */
    @Test
    void deviceWriteIntoCompiledCode_isSeen() {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x31, 0xDB},                           // 1005 xor ebx, ebx
                new int[] {0xBA, 0x00, 0x00, 0x00, 0x00},         // 1007 L: mov edx, 0 (written by the device)
                new int[] {0x01, 0xD3},                           // 100C add ebx, edx
                new int[] {0x89, 0xC8},                           // 100E mov eax, ecx
                new int[] {0xE6, 0xE0},                           // 1010 out 0xE0, al
                new int[] {0x49},                                 // 1012 dec ecx
                new int[] {0x75, 0xF2},                           // 1013 jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> {
            t.code(code);
            t.io.register(0xE0, 1, "dma-into-code", IoBus.W8, new IoDevice() {
                @Override
                public int ioRead(int port, int size) {
                    return 0xFF;
                }

                @Override
                public void ioWrite(int port, int size, int value) {
                    t.mem.write32(CODE + 8, value); // the path device DMA takes into RAM
                }
            });
        }, "device write into code");
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2);
    }

    /** Identity paging of the low 4 MiB with page {@code absent} not present, #PF handled by a HLT. */
    private static void pagingWithAbsentPage(CpuTestSupport t, int absent) {
        t.handler(Vectors.PF, HANDLER);
        t.identityPaging(absent);
    }

    /**
     * A #PF on the fifth instruction of a compiled block (a compiled load through EBP, which reaches
     * the absent page on the loop's fourth pass): the exception frame holds that instruction's EIP,
     * registers keep the first four instructions' results, and counts match the interpreter.
     */
    @Test
    void pageFaultOnTheFifthInstructionOfACompiledBlock_isPrecise() {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0xBD}, le32(0x22000),                  // 1005 mov ebp, 0x22000
                new int[] {0x40},                                 // 100A L: inc eax
                new int[] {0x83, 0xC3, 0x05},                     // 100B add ebx, 5
                new int[] {0x8B, 0x35}, le32(DATA),               // 100E mov esi, [DATA]
                new int[] {0x8D, 0x7E, 0x04},                     // 1014 lea edi, [esi+4]
                new int[] {0x8B, 0x55, 0x00},                     // 1017 mov edx, [ebp] (the fifth)
                new int[] {0x81, 0xC5, 0x00, 0x10, 0x00, 0x00},   // 101A add ebp, 0x1000
                new int[] {0x49},                                 // 1020 dec ecx
                new int[] {0x75, 0xE7},                           // 1021 jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> {
            t.code(code);
            pagingWithAbsentPage(t, 0x25000);
        }, "#PF in a compiled block");
        assertThat(jit.cpu.eip).as("in the #PF handler").isEqualTo(HANDLER + 1);
        assertThat(jit.read32(jit.reg(Cpu.ESP) + 4)).as("saved EIP (above the error code): the faulting load").isEqualTo(CODE + 0x17);
        assertThat(jit.cpu.cr2).isEqualTo(0x25000);
        assertThat(jit.reg(Cpu.EAX)).as("inc eax ran 4 times").isEqualTo(4);
        assertThat(jit.reg(Cpu.EBX)).as("add ebx, 5 ran 4 times").isEqualTo(20);
        assertThat(jit.reg(Cpu.ECX)).isEqualTo(7);
        assertThat(jit.reg(Cpu.ESP)).isEqualTo(CpuTestSupport.STACK_TOP - 16); // error code, EIP, CS, EFLAGS
    }

    /**
     * A fault in a form the compiled block runs through the cache's handlers (ADD [EBP], EAX after a
     * PUSH and a POP): ESP as the interpreter leaves it, the faulting instruction's EIP saved.
     */
    @Test
    void pageFaultInAHelperFormOfACompiledBlock_isPrecise() {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0xBD}, le32(0x22000),                  // 1005 mov ebp, 0x22000
                new int[] {0x40},                                 // 100A L: inc eax
                new int[] {0x50},                                 // 100B push eax
                new int[] {0x5B},                                 // 100C pop ebx
                new int[] {0x8D, 0x7B, 0x04},                     // 100D lea edi, [ebx+4]
                new int[] {0x01, 0x45, 0x00},                     // 1010 add [ebp], eax
                new int[] {0x81, 0xC5, 0x00, 0x10, 0x00, 0x00},   // 1013 add ebp, 0x1000
                new int[] {0x49},                                 // 1019 dec ecx
                new int[] {0x75, 0xEE},                           // 101A jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> {
            t.code(code);
            pagingWithAbsentPage(t, 0x25000);
        }, "#PF in a helper form");
        assertThat(jit.read32(jit.reg(Cpu.ESP) + 4)).as("saved EIP (above the error code): the faulting ADD").isEqualTo(CODE + 0x10);
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(4);
        assertThat(jit.reg(Cpu.EDI)).isEqualTo(8);
        assertThat(jit.read32(0x24000)).isEqualTo(3);
    }

    /**
     * One timer interrupt, its deadline swept over every cycle of a compiled loop: the handler records
     * the interrupted EIP; for every phase the interpreter and the translator take it at the same
     * instruction boundary and end identically.
     */
    @Test
    void timerInterruptAtEveryInstructionBoundaryOfACompiledBlock() {
        int[] loop = cat(
                new int[] {0xB9, 0x14, 0x00, 0x00, 0x00},         // mov ecx, 20
                new int[] {0xFB},                                 // sti
                new int[] {0x01, 0xC8},                           // L: add eax, ecx
                new int[] {0x89, 0x05}, le32(DATA),               // mov [DATA], eax
                new int[] {0x31, 0xC2},                           // xor edx, eax
                new int[] {0x83, 0xF9, 0x07},                     // cmp ecx, 7
                new int[] {0x75, 0x01},                           // jne +1
                new int[] {0x43},                                 // inc ebx
                new int[] {0xD1, 0xE2},                           // shl edx, 1
                new int[] {0x49},                                 // dec ecx
                new int[] {0x75, 0xEB},                           // jnz L
                new int[] {0xF4});
        Set<Integer> interrupted = new HashSet<>();
        for (int phase = 1; phase <= 170; phase++) {
            String what = "deadline " + phase;
            CpuTestSupport jit = timerAt(loop, phase, what);
            interrupted.add(jit.read32(DATA + 0x100));
        }
        // the sweep hit every instruction of the loop body (9 EIPs) and the code before it
        assertThat(interrupted).hasSizeGreaterThanOrEqualTo(10);
    }

    /**
     * One run of a timer sweep: {@code loop} with a timer interrupt due at cycle {@code at}, whose
     * handler (vector 0x20) records the interrupted EIP at DATA+0x100, on the interpreter and on the
     * translator; both must stop alike in the same state (the recorded EIP included, as it is memory).
     * Returns the translator's machine.
     */
    private CpuTestSupport timerAt(int[] loop, int at, String what) {
        return timerAt(loop, at, what, Mode.DEFAULT);
    }

    /** {@link #timerAt} with the translator in {@code mode}. */
    private CpuTestSupport timerAt(int[] loop, int at, String what, Mode mode) {
        int[] handler = cat(
                new int[] {0x50},                                 // push eax
                new int[] {0x8B, 0x44, 0x24, 0x04},               // mov eax, [esp+4]
                new int[] {0xA3}, le32(DATA + 0x100),             // mov [DATA+0x100], eax
                new int[] {0x58},                                 // pop eax
                new int[] {0xCF});                                // iret
        Consumer<CpuTestSupport> setup = t -> {
            t.code(loop);
            t.handler(0x20, HANDLER);
            for (int i = 0; i < handler.length; i++) {
                t.poke8(HANDLER + i, handler[i]);
            }
            t.cpu.setInterruptController(() -> {
                t.cpu.setIntr(false);
                return 0x20;
            });
            t.clock.newTimer("irq", () -> t.cpu.setIntr(true)).setDeadline(at);
        };
        CpuTestSupport plain = machine(Engine.INTERP, setup);
        CpuTestSupport jit = translated(mode, setup);
        StopReason a = plain.cpu.run(100_000);
        StopReason b = jit.cpu.run(100_000);
        assertThat(b).as(what).isEqualTo(a);
        jit.assertSameStateAs(plain, what);
        assertThat(jit.read32(DATA + 0x100)).as(what + ": interrupted EIP").isEqualTo(plain.read32(DATA + 0x100));
        assertCompiled(jit);
        return jit;
    }

    /**
     * A compiled block on its own page (0x3000) whose first instruction, a store to a device
     * (MMIO), makes the device move the next timer event to {@code d} cycles later, so that it
     * falls inside the rest of the block and the compiled code hands the rest to the cache's
     * runner (runBlock, fenced at the event); the next instruction stores into the one after it,
     * as that rest runs. Trace stores the running block's page, generation and end only for
     * blocks it runs through runBlock itself; for such a hand-over the compiled code gives
     * runBlock its own, else runBlock would check the wrong page after the store and run the
     * stale instruction. Every d from 1 to 8 (the event after each instruction of the block and
     * after its end).
     */
    @Test
    void timerMovedInsideACompiledBlockThatRewritesItsNextInstruction_isSeen() {
        int b = 0x3000;
        int device = 0xFEB0_0000;
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x31, 0xDB},                           // 1005 xor ebx, ebx
                new int[] {0x31, 0xC0},                           // 1007 xor eax, eax
                jmp32(CODE + 9, b));                              // 1009 L: jmp 3000
        int[] later = cat(
                new int[] {0x89, 0x0D}, le32(device),             // 3000 mov [device], ecx (moves the timer)
                new int[] {0x88, 0x0D}, le32(b + 0x0D),           // 3006 mov [300D], cl
                new int[] {0xB0, 0x00},                           // 300C mov al, 0 (patched)
                new int[] {0x01, 0xC3},                           // 300E add ebx, eax
                new int[] {0x49},                                 // 3010 dec ecx
                jnz32(b + 0x11, CODE + 9),                        // 3011 jnz L
                new int[] {0xF4});                                // 3017 hlt
        for (int d = 1; d <= 8; d++) {
            final int delay = d;
            final String what = "timer " + d + " cycles after the device store";
            CpuTestSupport jit = both(t -> {
                t.code(code);
                for (int i = 0; i < later.length; i++) {
                    t.poke8(b + i, later[i]);
                }
                VirtualClock.Timer timer = t.clock.newTimer("moved", () -> { });
                t.mem.registerMmio(device, 0x1000, "timer-mover", new MmioDevice() {
                    @Override
                    public int mmioRead(int address, int size) {
                        return 0;
                    }

                    @Override
                    public void mmioWrite(int address, int size, int value) {
                        timer.setDeadline(t.clock.cycles + delay);
                    }
                });
            }, what);
            assertThat(jit.reg(Cpu.EBX)).as(what).isEqualTo(55);
        }
    }

    /** REP STOSD and REP MOVSB ending compiled blocks, with budgets that split their batches. */
    @Test
    void repStringInstructionsAfterCompiledBlocks() {
        int[] code = cat(
                new int[] {0xBB, 0x05, 0x00, 0x00, 0x00},         // mov ebx, 5
                new int[] {0xBF}, le32(DATA),                     // L: mov edi, DATA
                new int[] {0xB9, 0x00, 0x04, 0x00, 0x00},         // mov ecx, 1024
                new int[] {0x89, 0xD8},                           // mov eax, ebx
                new int[] {0xF3, 0xAB},                           // rep stosd
                new int[] {0xBE}, le32(DATA),                     // mov esi, DATA
                new int[] {0xBF}, le32(DATA + 0x2001),            // mov edi, DATA+0x2001
                new int[] {0xB9, 0x01, 0x0C, 0x00, 0x00},         // mov ecx, 3073
                new int[] {0xF3, 0xA4},                           // rep movsb
                new int[] {0x4B},                                 // dec ebx
                new int[] {0x75, 0xDE},                           // jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> t.code(code), "rep string");
        assertThat(jit.read32(DATA + 0x2001)).isEqualTo(1);
        for (int slice : new int[] {1, 3, 7, 50, 1000}) {
            CpuTestSupport j = machine(Engine.JIT, t -> t.code(code));
            CpuTestSupport p = machine(Engine.INTERP, t -> t.code(code));
            for (int n = 1; n < 100_000 && !p.cpu.halted(); n++) {
                j.cpu.run(slice);
                p.cpu.run(slice);
                if (n % 97 == 0 || p.cpu.halted()) {
                    j.assertSameStateAs(p, "slice " + slice + ", run " + n);
                }
            }
            j.assertSameStateAs(p, "slice " + slice);
        }
    }

    /**
     * A translator that cannot define its classes (a lookup without the privilege) never stops the
     * guest: each block it fails on is marked and keeps running on the cache's runner, once.
     */
    @Test
    void failedCompilation_leavesTheBlockToTheCachesRunner() {
        int[] loop = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // mov ecx, 10
                new int[] {0x01, 0xC8},                           // L: add eax, ecx
                new int[] {0x49},                                 // dec ecx
                new int[] {0x75, 0xFB},                           // jnz L
                new int[] {0xF4});
        CpuTestSupport t = machine(Engine.JIT, s -> s.code(loop));
        t.cpu.decoded.translate(1, new JitCompiler(java.lang.invoke.MethodHandles.publicLookup()));
        assertThat(t.cpu.run(1000)).isIn(StopReason.HALTED_FOREVER, StopReason.HALTED);
        assertThat(t.reg(Cpu.EAX)).isEqualTo(55);
        Jit j = t.cpu.decoded.translator();
        assertThat(j.compiledBlocks()).isZero();
        assertThat(j.failedBlocks()).as("the first block and the loop, each tried once").isEqualTo(2);
    }

    /**
     * The compile policy: a block is compiled (here: tried, with a compiler that cannot define
     * classes, so each attempt counts as a failure) on the threshold-th of its runs only when those
     * runs lie within the window of whole block runs; otherwise its count starts again. Threshold 3,
     * window 10: runs 1, 5 and 10 of the trace runner span 10 runs and compile, runs 1, 6 and 11
     * span 11 and do not (a new window begins at run 11), and the block is compiled once it runs
     * 3 times in a row.
     */
    @Test
    void compilePolicy_thresholdRunsWithinTheWindow() {
        assertThat(attemptsAfter(1, 5, 10)).as("3 runs within 10 block runs").containsExactly(0, 0, 1);
        assertThat(attemptsAfter(1, 6, 11)).as("3 runs spread over 11 block runs").containsExactly(0, 0, 0);
        assertThat(attemptsAfter(1, 6, 11, 12, 13)).as("counted again from run 11: 11, 12, 13")
                .containsExactly(0, 0, 0, 0, 1);
        assertThat(attemptsAfter(1, 6, 11, 12, 13, 14)).as("tried once, then left to the cache's runner")
                .containsExactly(0, 0, 0, 0, 1, 1);
    }

    /**
     * Runs block 0 at the given numbers of the translator's block runs (at the others one of 30
     * more blocks in turn, each too rarely to get hot) on a translator with threshold 3 and window
     * 10; returns the failed (attempted) compilations after each run of block 0.
     */
    private static int[] attemptsAfter(int... at) {
        Jit j = new Jit(new DecodeCache(), new JitCompiler(java.lang.invoke.MethodHandles.publicLookup()), 31, 3, 10);
        int[] slots = new int[DecodeCache.MAX_INSNS * 4];
        slots[0] = DecodeCache.VALID | DecodeCache.CODE32 | 1 << 8 | DecodeCache.NOP; // nop, 1 byte
        int[] attempts = new int[at.length];
        int next = 0;
        for (int run = 1; run <= at[at.length - 1]; run++) {
            if (run == at[next]) {
                assertThat(j.block(0, slots, 0, 1)).isNull();
                attempts[next++] = (int) j.failedBlocks();
            } else {
                assertThat(j.block(1 + run % 30, slots, 0, 1)).isNull();
            }
        }
        return attempts;
    }

    /** The compiled form of a block is dropped when the block is decoded again. */
    @Test
    void rewrittenCode_isCompiledAgain() {
        CpuTestSupport t = machine(Engine.JIT, s -> s.code(0xB8, 0x01, 0x00, 0x00, 0x00, 0xF4)); // mov eax,1; hlt
        t.cpu.run(100);
        assertThat(t.reg(Cpu.EAX)).isEqualTo(1);
        long compiled = t.cpu.decoded.translator().compiledBlocks();
        t.poke8(CODE + 1, 2); // the loader's path: the page's decoded lines are written
        t.cpu.eip = CODE;
        t.cpu.setHalted(false);
        t.cpu.run(100);
        assertThat(t.reg(Cpu.EAX)).isEqualTo(2);
        assertThat(t.cpu.decoded.translator().compiledBlocks()).isEqualTo(compiled + 1);
    }

    private static void assertLoopedInMethod(CpuTestSupport jit) {
        assertThat(jit.cpu.decoded.translator().loopedInstructions)
                .as("instructions of iterations the compiled block looped in its own method").isPositive();
    }

    /**
     * A one-block loop that rewrites an instruction before its own store (the ADD's immediate) in
     * every iteration: the back edge sees the page's new generation and returns to trace, which
     * decodes (and compiles) the block again, so each iteration adds the value the previous one wrote.
     */
    @Test
    void selfLoopWhoseBodyIsRewrittenByItsOwnStore_seesEachRewrite() {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x31, 0xDB},                           // 1005 xor ebx, ebx
                new int[] {0x81, 0xC3, 0x00, 0x00, 0x00, 0x00},   // 1007 L: add ebx, imm32 (patched)
                new int[] {0x89, 0x0D}, le32(CODE + 0x09),        // 100D mov [1009], ecx
                new int[] {0x49},                                 // 1013 dec ecx
                new int[] {0x75, 0xF1},                           // 1014 jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> t.code(code), "self-loop rewriting its own body");
        // iteration n adds the ECX the previous iteration stored (0 first): 10 + 9 + ... + 2
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(54);
        // a store into the same page outside the decoded lines does not end the loop
        int[] steady = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x31, 0xDB},                           // 1005 xor ebx, ebx
                new int[] {0x81, 0xC3, 0x01, 0x00, 0x00, 0x00},   // 1007 L: add ebx, 1
                new int[] {0x89, 0x15}, le32(CODE + 0x100),       // 100D mov [1100], edx (same page, no code there)
                new int[] {0x49},                                 // 1013 dec ecx
                new int[] {0x75, 0xF1},                           // 1014 jnz L
                new int[] {0xF4});
        CpuTestSupport j2 = both(t -> t.code(steady), "self-loop storing next to its code");
        assertThat(j2.reg(Cpu.EBX)).isEqualTo(10);
        assertLoopedInMethod(j2);
    }

    /**
     * A one-block register loop (nothing in it touches memory, so the only timer checks are the
     * back edge's): one timer interrupt, its deadline swept over the first 200 cycles, arrives in
     * the Nth iteration at the interpreter's instruction boundary for every N.
     */
    @Test
    void timerEventInsideTheNthIterationOfACompiledLoop() {
        int[] loop = cat(
                new int[] {0xB9, 0x32, 0x00, 0x00, 0x00},         // mov ecx, 50
                new int[] {0xFB},                                 // sti
                new int[] {0x01, 0xC8},                           // L: add eax, ecx
                new int[] {0x31, 0xC2},                           // xor edx, eax
                new int[] {0xD1, 0xE2},                           // shl edx, 1
                new int[] {0x49},                                 // dec ecx
                new int[] {0x75, 0xF7},                           // jnz L
                new int[] {0xF4});
        Set<Integer> interrupted = new HashSet<>();
        boolean looped = false;
        for (int phase = 1; phase <= 200; phase++) {
            String what = "deadline " + phase;
            CpuTestSupport jit = timerAt(loop, phase, what);
            interrupted.add(jit.read32(DATA + 0x100));
            looped |= jit.cpu.decoded.translator().loopedInstructions > 0;
        }
        // every one of the loop's 5 instructions was interrupted (before the loop IF is still 0)
        assertThat(interrupted).containsExactlyInAnyOrder(CODE + 6, CODE + 8, CODE + 10, CODE + 12, CODE + 13);
        assertThat(looped).as("some runs looped inside the compiled method").isTrue();
        // step budgets of 1 to 23 end inside the looping block at the interpreter's instruction
        for (int slice = 1; slice <= 23; slice++) {
            CpuTestSupport j = machine(Engine.JIT, t -> t.code(loop));
            CpuTestSupport p = machine(Engine.INTERP, t -> t.code(loop));
            for (int n = 1; n < 400 && !p.cpu.halted(); n++) {
                j.cpu.run(slice);
                p.cpu.run(slice);
                j.assertSameStateAs(p, "slice " + slice + ", run " + n);
            }
            assertThat(j.cpu.halted()).isTrue();
            assertThat(j.reg(Cpu.EAX)).isEqualTo(50 * 51 / 2);
        }
    }

    /**
     * A #PF in the third iteration of a compiled one-block loop (a load through EBP, which steps a
     * page per iteration onto the absent one): two iterations ran in the method, the third stops at
     * the load with the interpreter's EIP, registers and counts.
     */
    @Test
    void pageFaultInTheThirdIterationOfACompiledLoop_isPrecise() {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0xBD}, le32(0x22000),                  // 1005 mov ebp, 0x22000
                new int[] {0x40},                                 // 100A L: inc eax
                new int[] {0x8B, 0x55, 0x00},                     // 100B mov edx, [ebp]
                new int[] {0x81, 0xC5, 0x00, 0x10, 0x00, 0x00},   // 100E add ebp, 0x1000
                new int[] {0x49},                                 // 1014 dec ecx
                new int[] {0x75, 0xF3},                           // 1015 jnz L
                new int[] {0xF4});
        CpuTestSupport jit = both(t -> {
            t.code(code);
            pagingWithAbsentPage(t, 0x24000);
        }, "#PF in the third iteration");
        assertThat(jit.read32(jit.reg(Cpu.ESP) + 4)).as("saved EIP: the load").isEqualTo(CODE + 0x0B);
        assertThat(jit.cpu.cr2).isEqualTo(0x24000);
        assertThat(jit.reg(Cpu.EAX)).as("inc eax ran 3 times").isEqualTo(3);
        assertThat(jit.reg(Cpu.ECX)).isEqualTo(8);
        assertLoopedInMethod(jit);
    }

    // ---- regions (round 5): one compiled method runs the blocks its jumps reach on its page ----

    /**
     * A loop over three blocks (A: ADD, a store, XOR, JMP to B; B: PUSH, POP (helper forms), SHL,
     * a fused CMP/JNE to C or on to INC; C: DEC, JNZ back to A), with {@code prefix} before it
     * (an STI for the timer tests) and {@code iterations} iterations. The compiled method of C holds
     * A and B too, so after the first iteration the whole loop runs in it.
     */
    private static int[] regionLoop(int[] prefix, int iterations) {
        return cat(
                new int[] {0xB9}, le32(iterations),               // mov ecx, N
                new int[] {0xBE}, le32(DATA),                     // mov esi, DATA
                prefix,
                new int[] {0x01, 0xC8},                           // L: add eax, ecx
                new int[] {0x89, 0x04, 0x8E},                     // mov [esi+ecx*4], eax
                new int[] {0x31, 0xC2},                           // xor edx, eax
                new int[] {0xE9, 0x02, 0x00, 0x00, 0x00},         // jmp M
                new int[] {0xF4, 0xF4},                           // (never run)
                new int[] {0x50},                                 // M: push eax
                new int[] {0x5B},                                 // pop ebx
                new int[] {0xD1, 0xE2},                           // shl edx, 1
                new int[] {0x83, 0xF9, 0x07},                     // cmp ecx, 7
                new int[] {0x75, 0x01},                           // jne C
                new int[] {0x43},                                 // inc ebx
                new int[] {0x49},                                 // C: dec ecx
                new int[] {0x0F, 0x85}, le32(-0x1F),              // jnz L
                new int[] {0xF4});                                // hlt
    }

    /**
     * The three blocks of regionLoop, linked: with regions the compiled method of C holds A and B
     * too, so after the first iteration the whole loop runs in it; with chained exits each block is
     * its own method and A's JMP, B's fused CMP/JNE and its fall-through into C, and C's JNZ back
     * to A call the successor's method. Same results as the interpreter and by hand.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"REGIONS", "CHAINED", "WARM_REGIONS"})
    void loopOverThreeBlocks_runsLinkedWithTheInterpretersResults(Mode mode) {
        CpuTestSupport jit = both(t -> t.code(regionLoop(new int[0], 40)), mode + " loop", mode);
        assertThat(linked(mode, jit)).as("blocks ran linked").isTrue();
        assertThat(jit.cpu.decoded.translator().regionMethods > 0).as("methods holding more than one block")
                .isEqualTo(mode != Mode.CHAINED);
        // by hand
        int eax = 0;
        int edx = 0;
        int ebx = 0;
        for (int ecx = 40; ecx >= 1; ecx--) {
            eax += ecx;
            edx = (edx ^ eax) << 1;
            ebx = ecx == 7 ? eax + 1 : eax;
        }
        assertThat(jit.reg(Cpu.EAX)).isEqualTo(eax);
        assertThat(jit.reg(Cpu.EDX)).isEqualTo(edx);
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(ebx);
        assertThat(jit.read32(DATA + 4)).isEqualTo(eax);
        assertThat(jit.read32(DATA + 7 * 4)).isEqualTo(eax - 21); // before 6 + 5 + ... + 1 were added
        assertThat(jit.reg(Cpu.ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
    }

    /** Step budgets of 1 to 31 end inside every one of the linked blocks at the interpreter's instruction. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"REGIONS", "CHAINED", "WARM_REGIONS"})
    void everySliceSize_endsAtTheSameInstructionAcrossLinkedBlocks(Mode mode) {
        int[] loop = regionLoop(new int[0], 9);
        boolean linked = false;
        for (int slice = 1; slice <= 31; slice++) {
            CpuTestSupport j = translated(mode, t -> t.code(loop));
            CpuTestSupport p = machine(Engine.INTERP, t -> t.code(loop));
            for (int n = 1; n < 400 && !p.cpu.halted(); n++) {
                j.cpu.run(slice);
                p.cpu.run(slice);
                j.assertSameStateAs(p, "slice " + slice + ", run " + n);
            }
            assertThat(j.cpu.halted()).isTrue();
            assertThat(j.reg(Cpu.EAX)).isEqualTo(9 * 10 / 2);
            linked |= linked(mode, j);
        }
        assertThat(linked).as("some budgets let blocks run linked").isTrue();
    }

    /**
     * One timer interrupt, its deadline swept over the first 160 cycles of the three-block loop:
     * it arrives at every instruction of every linked block at the interpreter's boundary (with
     * chained exits, whether the block was entered from trace or from a chained call).
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"REGIONS", "CHAINED", "WARM_REGIONS"})
    void timerInterruptAtEveryInstructionBoundaryOfLinkedBlocks(Mode mode) {
        int[] loop = regionLoop(new int[] {0xFB}, 12); // sti before L (at CODE + 0x0A)
        Set<Integer> interrupted = new HashSet<>();
        boolean linked = false;
        for (int phase = 1; phase <= 160; phase++) {
            String what = "deadline " + phase;
            CpuTestSupport jit = timerAt(loop, phase, what, mode);
            interrupted.add(jit.read32(DATA + 0x100));
            linked |= linked(mode, jit);
        }
        int l = CODE + 0x0B;
        assertThat(interrupted).as("every instruction of the loop").contains(l, l + 2, l + 5, l + 7, // A
                l + 14, l + 15, l + 16, l + 18, l + 21, l + 23, // B (INC runs when ECX is 7)
                l + 24, l + 25); // C
        assertThat(linked).as("some runs linked blocks").isTrue();
    }

    /**
     * A #PF in the second of two linked blocks (A: INC, JMP to B; B: ADD EBP, a store through EBP,
     * LEA, DEC, JNZ back to A); EBP steps a page per iteration onto the absent one in the third,
     * whose B runs in A's method (regions) or by a chained call. The interpreter's saved EIP, CR2,
     * registers, memory and counts.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"REGIONS", "CHAINED", "WARM_REGIONS"})
    void pageFaultInALinkedBlock_isPrecise(Mode mode) {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0xBD}, le32(0x22000),                  // 1005 mov ebp, 0x22000
                new int[] {0x40},                                 // 100A L: inc eax
                new int[] {0xE9, 0x01, 0x00, 0x00, 0x00},         // 100B jmp M
                new int[] {0xF4},                                 // 1010 (never run)
                new int[] {0x81, 0xC5, 0x00, 0x10, 0x00, 0x00},   // 1011 M: add ebp, 0x1000
                new int[] {0x89, 0x45, 0x00},                     // 1017 mov [ebp], eax
                new int[] {0x8D, 0x58, 0x03},                     // 101A lea ebx, [eax+3]
                new int[] {0x49},                                 // 101D dec ecx
                new int[] {0x0F, 0x85}, le32(-0x1A),              // 101E jnz L
                new int[] {0xF4});                                // 1024 hlt
        CpuTestSupport jit = both(t -> {
            t.code(code);
            pagingWithAbsentPage(t, 0x25000);
        }, "#PF in a linked block", mode);
        assertThat(linked(mode, jit)).as("blocks ran linked").isTrue();
        assertThat(jit.read32(jit.reg(Cpu.ESP) + 4)).as("saved EIP: the store").isEqualTo(CODE + 0x17);
        assertThat(jit.cpu.cr2).isEqualTo(0x25000);
        assertThat(jit.reg(Cpu.EAX)).as("inc eax ran 3 times").isEqualTo(3);
        assertThat(jit.reg(Cpu.EBX)).isEqualTo(5);
        assertThat(jit.reg(Cpu.ECX)).isEqualTo(8);
        assertThat(jit.reg(Cpu.EBP)).isEqualTo(0x25000);
        assertThat(jit.read32(0x24000)).isEqualTo(2);
    }

    /**
     * The second of two linked blocks rewrites the first block's ADD immediate in every iteration:
     * each rewrite is seen by the next iteration (the page's generation ends the region method's
     * run after the store, or stops the chained call; the block is decoded and compiled again).
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"REGIONS", "CHAINED"}) // (warm: every block decoded anew per iteration)
    void storeFromOneLinkedBlockIntoAnother_isSeenInTheNextIteration(Mode mode) {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x81, 0xC7, 0x00, 0x00, 0x00, 0x00},   // 1005 L: add edi, imm32 (at 1007)
                new int[] {0xE9, 0x02, 0x00, 0x00, 0x00},         // 100B jmp M
                new int[] {0xF4, 0xF4},                           // 1010 (never run)
                new int[] {0x89, 0x0D}, le32(CODE + 7),           // 1012 M: mov [L+2], ecx
                new int[] {0x49},                                 // 1018 dec ecx
                new int[] {0x0F, 0x85}, le32(-0x1A),              // 1019 jnz L
                new int[] {0xF4});                                // 101F hlt
        CpuTestSupport jit = both(t -> t.code(code), "linked block rewriting the other", mode);
        assertThat(jit.reg(Cpu.EDI)).as("10 + 9 + ... + 2").isEqualTo(54);
    }

    /**
     * A loop with an if whose body stores into the next block (round 9): A (ADD, a fused CMP/JNE
     * past the body to M), the body (a byte store into M's ADD immediate, run once, when ECX is 5)
     * and M (ADD, DEC, JNZ back to A). By then A and M run as one region method; the body is not in
     * it, so the method returns to trace at A's fall-through, and the body's store is seen by M in
     * the same iteration (the page's generation ends the body's block; M is decoded and compiled
     * again). Interpreter's results and by hand.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"DEFAULT", "REGIONS", "WARM_REGIONS"})
    void storeFromAnIfBodyIntoTheRegionsNextBlock_isSeenAtOnce(Mode mode) {
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0x01, 0xCF},                           // 1005 L: add edi, ecx
                new int[] {0x83, 0xF9, 0x05},                     // 1007 cmp ecx, 5
                new int[] {0x75, 0x07},                           // 100A jne M
                new int[] {0xC6, 0x05}, le32(CODE + 0x15), new int[] {0x07}, // 100C mov byte [M+2], 7
                new int[] {0x83, 0xC6, 0x01},                     // 1013 M: add esi, 1 (imm8 at 1015)
                new int[] {0x49},                                 // 1016 dec ecx
                new int[] {0x0F, 0x85}, le32(-0x18),              // 1017 jnz L
                new int[] {0xF4});                                // 101D hlt
        CpuTestSupport jit = both(t -> t.code(code), "if body rewriting the next block", mode);
        assertThat(jit.reg(Cpu.ESI)).as("1 for ECX = 10..6, then 7 from ECX = 5 on").isEqualTo(5 + 7 + 4 * 7);
        assertThat(jit.reg(Cpu.EDI)).isEqualTo(55);
        assertThat(jit.read8(CODE + 0x15)).isEqualTo(7);
        if (mode != Mode.DEFAULT) {
            assertThat(linked(mode, jit)).as("blocks ran linked").isTrue();
        }
    }

    // ---- chained exits only (round 7, off by default) ----

    /**
     * A loop far longer than {@link JitCompiler#MAX_CHAIN}: the chain of calls ends at the bound
     * and trace goes on; counts and state as the interpreter's.
     */
    @Test
    void chainLongerThanTheDepthBound_returnsToTraceAndGoesOn() {
        CpuTestSupport jit = both(t -> t.code(regionLoop(new int[0], 5000)), "long chained loop", Mode.CHAINED);
        assertThat(linked(Mode.CHAINED, jit)).as("chained calls").isTrue();
        assertThat(jit.cpu.decoded.translator().chains).as("more chained runs than one chain may hold")
                .isGreaterThan(JitCompiler.MAX_CHAIN * 10L);
        assertThat(jit.reg(Cpu.EAX)).isEqualTo(5000 * 5001 / 2);
    }

    /**
     * A block cut at 16 instructions whose last one stores into its fall-through successor (no
     * check after a block's last instruction inside the block): the chained exit sees the page's
     * generation moved and leaves the successor to trace, which decodes the rewrite.
     */
    @Test
    void lastInstructionStoresIntoTheFallThroughSuccessor_isSeen() {
        int[] incs = new int[15];
        java.util.Arrays.fill(incs, 0x40);                        // inc eax, 15 times
        int[] code = cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                incs,                                             // 1005 L: inc eax x 15
                new int[] {0x89, 0x0D}, le32(CODE + 0x1C),        // 1014 mov [S+2], ecx (16th: the block ends)
                new int[] {0x81, 0xC7, 0x00, 0x00, 0x00, 0x00},   // 101A S: add edi, imm32 (at 101C)
                new int[] {0x49},                                 // 1020 dec ecx
                new int[] {0x0F, 0x85}, le32(-0x22),              // 1021 jnz L
                new int[] {0xF4});                                // 1027 hlt
        CpuTestSupport jit = both(t -> t.code(code), "fall-through successor rewritten", Mode.CHAINED);
        assertThat(jit.reg(Cpu.EDI)).as("10 + 9 + ... + 1").isEqualTo(55);
        assertThat(jit.reg(Cpu.EAX)).isEqualTo(150);
    }

    /**
     * A store into a later block of the chain that is not the next one (C rewrites A's immediate
     * only on every other iteration, A -> B -> C -> A all chained otherwise): each rewrite is seen.
     */
    @Test
    void storeIntoABlockFurtherDownTheChain_isSeen() {
        int[] code = cat(
                new int[] {0xB9, 0x14, 0x00, 0x00, 0x00},         // 1000 mov ecx, 20
                new int[] {0x81, 0xC7, 0x01, 0x00, 0x00, 0x00},   // 1005 L: add edi, imm32 (at 1007)
                new int[] {0xE9, 0x02, 0x00, 0x00, 0x00},         // 100B jmp M
                new int[] {0xF4, 0xF4},                           // 1010 (never run)
                new int[] {0xF6, 0xC1, 0x01},                     // 1012 M: test cl, 1
                new int[] {0x0F, 0x85}, le32(6),                  // 1015 jnz N (odd: no store)
                new int[] {0x89, 0x0D}, le32(CODE + 7),           // 101B mov [L+2], ecx
                new int[] {0x49},                                 // 1021 N: dec ecx
                new int[] {0x0F, 0x85}, le32(-0x23),              // 1022 jnz L
                new int[] {0xF4});                                // 1028 hlt
        CpuTestSupport jit = both(t -> t.code(code), "later block rewritten", Mode.CHAINED);
        // EDI gets imm each iteration; imm starts at 1 and becomes ECX after an even ECX's store
        int edi = 0;
        int imm = 1;
        for (int ecx = 20; ecx >= 1; ecx--) {
            edi += imm;
            if ((ecx & 1) == 0) {
                imm = ecx;
            }
        }
        assertThat(jit.reg(Cpu.EDI)).isEqualTo(edi);
    }

    /**
     * A loop of 10 calls of F (INC EAX, CALL G, RET) whose CALL rel32 and RET targets lie on the
     * block's page, so they chain through the handler's answer (the return address only known at
     * run time); G adds {@code step} to EBP (from {@code ebp}) and stores EAX through it.
     */
    private static int[] callLoop(int ebp, int step) {
        return cat(
                new int[] {0xB9, 0x0A, 0x00, 0x00, 0x00},         // 1000 mov ecx, 10
                new int[] {0xBD}, le32(ebp),                      // 1005 mov ebp, ebp
                new int[] {0xE8}, le32(0x0C),                     // 100A L: call F (101B)
                new int[] {0x01, 0xC3},                           // 100F add ebx, eax
                new int[] {0x49},                                 // 1011 dec ecx
                new int[] {0x0F, 0x85}, le32(-0x0E),              // 1012 jnz L
                new int[] {0xF4, 0xF4, 0xF4},                     // 1018 hlt (and padding)
                new int[] {0x40},                                 // 101B F: inc eax
                new int[] {0xE8}, le32(0x01),                     // 101C call G (1022)
                new int[] {0xC3},                                 // 1021 ret
                new int[] {0x81, 0xC5}, le32(step),               // 1022 G: add ebp, step
                new int[] {0x89, 0x45, 0x00},                     // 1028 mov [ebp], eax
                new int[] {0xC3});                                // 102B ret
    }

    /**
     * CALL rel32 and RET whose targets lie on the block's page chain through the handler's answer
     * (the return address only known at run time): a loop calling a function that calls another,
     * with a #PF in the inner function on the 7th call. Saved EIP, stack, registers and counts of
     * the interpreter.
     */
    @Test
    void callsAndReturnsChainOnTheirPage_andAFaultInTheCalleeIsPrecise() {
        int[] code = callLoop(0x1F000, 0x1000);
        CpuTestSupport jit = both(t -> {
            t.code(code);
            pagingWithAbsentPage(t, 0x26000);
        }, "calls and returns", Mode.CHAINED);
        assertThat(linked(Mode.CHAINED, jit)).as("chained calls").isTrue();
        assertThat(jit.read32(jit.reg(Cpu.ESP) + 4)).as("saved EIP: the store in G").isEqualTo(CODE + 0x28);
        assertThat(jit.cpu.cr2).isEqualTo(0x26000);
        assertThat(jit.reg(Cpu.EAX)).as("F ran 7 times").isEqualTo(7);
        assertThat(jit.reg(Cpu.EBX)).as("1 + 2 + ... + 6").isEqualTo(21);
        assertThat(jit.reg(Cpu.ECX)).isEqualTo(4);
        assertThat(jit.read32(0x25000)).isEqualTo(6);
    }

    /** The same calls without the fault run to the end: 10 calls, results by hand. */
    @Test
    void callsAndReturnsChainOnTheirPage_toTheEnd() {
        int[] code = callLoop(DATA, 4);
        CpuTestSupport jit = both(t -> t.code(code), "calls and returns to the end", Mode.CHAINED);
        assertThat(linked(Mode.CHAINED, jit)).as("chained calls").isTrue();
        assertThat(jit.reg(Cpu.EAX)).isEqualTo(10);
        assertThat(jit.reg(Cpu.EBX)).as("1 + 2 + ... + 10").isEqualTo(55);
        assertThat(jit.read32(DATA + 40)).isEqualTo(10);
        assertThat(jit.reg(Cpu.ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
    }

    /** Boundary operands: 0, 1, a low byte of odd parity, MAX, MIN, MIN + 1 and -1. */
    private static final int[] EDGES = {0, 1, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xFFFF_FFFF};

    /**
     * One flag-setting form a compiled Jcc may follow (the forms a translator could test the
     * operands of directly, docs/performance.md round 4): its code (operands EAX and EBX, or EAX and
     * the immediate), its operation (CMP = SUB, TEST = AND) and whether a register move stands
     * between it and the Jcc.
     */
    private record FlagForm(String name, int[] op, boolean imm, int alu, boolean moveBetween) {
    }

    /** {@link FlagForm#alu} of INC and DEC (B unused; CF stays 0, the value the form's first XOR left). */
    private static final int INC = -1;
    private static final int DEC = -2;

    private static final FlagForm[] FLAG_FORMS = {
        new FlagForm("add eax, ebx", new int[] {0x01, 0xD8}, false, Alu.ADD, false),
        new FlagForm("sub eax, ebx", new int[] {0x29, 0xD8}, false, Alu.SUB, false),
        new FlagForm("cmp eax, ebx", new int[] {0x39, 0xD8}, false, Alu.SUB, false),
        new FlagForm("and eax, ebx", new int[] {0x21, 0xD8}, false, Alu.AND, false),
        new FlagForm("or eax, ebx", new int[] {0x09, 0xD8}, false, Alu.OR, false),
        new FlagForm("xor eax, ebx", new int[] {0x31, 0xD8}, false, Alu.XOR, false),
        new FlagForm("add eax, imm", new int[] {0x81, 0xC0}, true, Alu.ADD, false),
        new FlagForm("sub eax, imm", new int[] {0x81, 0xE8}, true, Alu.SUB, false),
        new FlagForm("cmp eax, imm", new int[] {0x81, 0xF8}, true, Alu.SUB, false),
        new FlagForm("and eax, imm", new int[] {0x81, 0xE0}, true, Alu.AND, false),
        new FlagForm("test eax, imm", new int[] {0xF7, 0xC0}, true, Alu.AND, false),
        new FlagForm("cmp eax, ebx; mov", new int[] {0x39, 0xD8}, false, Alu.SUB, true),
        new FlagForm("test eax, imm; mov", new int[] {0xF7, 0xC0}, true, Alu.AND, true),
        new FlagForm("add eax, ebx; mov", new int[] {0x01, 0xD8}, false, Alu.ADD, true),
        new FlagForm("inc eax", new int[] {0x40}, false, INC, false),
        new FlagForm("dec eax", new int[] {0x48}, false, DEC, false),
        new FlagForm("dec eax; mov", new int[] {0x48}, false, DEC, true),
    };

    /**
     * Every Jcc condition after every flag-setting form the translator specialises, with every pair of
     * boundary operands: the guest loops over A (a table in memory) and for each form and B runs the
     * 16 Jccs, each after its own operation, building one result word (a bit per Jcc, set when not
     * taken). The words must be those of the SDM's flag definitions (computed here with long
     * arithmetic), and the whole run equal to the interpreter's.
     */
    @Test
    void everyConditionAfterEverySpecialisedFlagForm_matchesTheDefinitionsAndTheInterpreter() {
        final int table = DATA + 0x1000;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<int[]> emit = bytes -> {
            for (int b : bytes) {
                out.write(b);
            }
        };
        emit.accept(cat(new int[] {0xBE}, le32(table)));                 // mov esi, table
        emit.accept(cat(new int[] {0xBF}, le32(DATA)));                  // mov edi, DATA
        emit.accept(cat(new int[] {0xBD}, le32(EDGES.length)));          // mov ebp, |EDGES|
        final int loop = out.size();
        for (FlagForm f : FLAG_FORMS) {
            for (int b : operandsB(f)) {
                emit.accept(new int[] {0x31, 0xD2});                      // xor edx, edx
                for (int cc = 0; cc < 16; cc++) {
                    emit.accept(new int[] {0x8B, 0x06});                  // mov eax, [esi]
                    if (f.alu() < 0) {
                        emit.accept(f.op());                              // inc/dec eax
                    } else if (f.imm()) {
                        emit.accept(cat(f.op(), le32(b)));                // op eax, b
                    } else {
                        emit.accept(cat(new int[] {0xBB}, le32(b)));      // mov ebx, b
                        emit.accept(f.op());                              // op eax, ebx
                    }
                    if (f.moveBetween()) {
                        emit.accept(cat(new int[] {0xB9}, le32(7)));      // mov ecx, 7
                    }
                    emit.accept(new int[] {0x70 + cc, 0x03});             // jcc +3
                    emit.accept(new int[] {0x8D, 0x52, 0x01});            // lea edx, [edx+1]
                    emit.accept(new int[] {0x8D, 0x14, 0x12});            // lea edx, [edx+edx]
                }
                emit.accept(new int[] {0x89, 0x17});                      // mov [edi], edx
                emit.accept(new int[] {0x8D, 0x7F, 0x04});                // lea edi, [edi+4]
            }
        }
        emit.accept(new int[] {0x8D, 0x76, 0x04});                        // lea esi, [esi+4]
        emit.accept(new int[] {0x4D});                                    // dec ebp
        emit.accept(cat(new int[] {0x0F, 0x85}, le32(loop - (out.size() + 6)))); // jnz loop
        emit.accept(new int[] {0xF4});                                    // hlt
        int[] code = new int[out.size()];
        byte[] bytes = out.toByteArray();
        for (int i = 0; i < code.length; i++) {
            code[i] = bytes[i] & 0xFF;
        }
        assertThat(CODE + code.length).as("code below the stack").isLessThan(CpuTestSupport.STACK_TOP - 0x100);
        CpuTestSupport jit = both(t -> {
            t.code(code);
            for (int i = 0; i < EDGES.length; i++) {
                t.poke32(table + 4 * i, EDGES[i]);
            }
        }, "every Jcc after every specialised form");
        int word = 0;
        for (int a : EDGES) {
            for (FlagForm f : FLAG_FORMS) {
                for (int b : operandsB(f)) {
                    int expected = 0;
                    for (int cc = 0; cc < 16; cc++) {
                        expected = (expected + (condition(f.alu(), a, b, cc) ? 0 : 1)) * 2;
                    }
                    assertThat(jit.read32(DATA + 4 * word)).as("%s with A=%08x B=%08x (bits: cc 0..15 not taken)",
                            f.name(), a, b).isEqualTo(expected);
                    word++;
                }
            }
        }
    }

    /** The second operands a form is run with: INC and DEC have none. */
    private static int[] operandsB(FlagForm f) {
        return f.alu() < 0 ? new int[] {0} : EDGES;
    }

    /** Condition {@code cc} after {@code a alu b} (32 bits), from the SDM's definitions of the flags. */
    private static boolean condition(int alu, int a, int b, int cc) {
        long ua = a & 0xFFFF_FFFFL;
        long ub = b & 0xFFFF_FFFFL;
        int r;
        boolean cf = false;
        boolean of = false;
        switch (alu) {
            case Alu.ADD:
                r = a + b;
                cf = ua + ub > 0xFFFF_FFFFL;
                of = (long) a + b != r;
                break;
            case Alu.SUB:
                r = a - b;
                cf = ua < ub;
                of = (long) a - b != r;
                break;
            case INC:
                r = a + 1;
                of = a == Integer.MAX_VALUE;
                break;
            case DEC:
                r = a - 1;
                of = a == Integer.MIN_VALUE;
                break;
            case Alu.AND:
                r = a & b;
                break;
            case Alu.OR:
                r = a | b;
                break;
            default:
                r = a ^ b;
                break;
        }
        boolean zf = r == 0;
        boolean sf = r < 0;
        boolean pf = Integer.bitCount(r & 0xFF) % 2 == 0;
        boolean v;
        switch (cc >> 1) {
            case 0: v = of; break;
            case 1: v = cf; break;
            case 2: v = zf; break;
            case 3: v = cf || zf; break;
            case 4: v = sf; break;
            case 5: v = pf; break;
            case 6: v = sf != of; break;
            default: v = zf || sf != of; break;
        }
        return v != ((cc & 1) != 0);
    }
}
