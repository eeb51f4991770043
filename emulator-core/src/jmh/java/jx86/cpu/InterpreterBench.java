package jx86.cpu;

import java.util.concurrent.TimeUnit;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmarks of the interpreter's hot paths (docs/performance.md): decode+execute of a
 * short loop, a taken branch, a port I/O round trip (each a hand-assembled flat 32-bit program
 * ending in HLT, scored per guest instruction), a D-TLB-hit read and write through the MMU with
 * paging on, and an ALU operation with lazy flags followed by a flag read. Run only through the
 * {@code bench} Maven profile; never part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterpreterBench {
    static final int CODE = 0x1000;
    static final int LOOP_COUNT = 1000;
    /** Instructions the loop program retires: MOV, then ADD/DEC/JNZ per iteration, then HLT. */
    static final int LOOP_INSNS = 2 + 3 * LOOP_COUNT;
    static final int REPEAT = 1000;

    PhysicalMemory mem;
    VirtualClock clock;
    Mmu mmu;
    IoBus io;
    Cpu cpu;
    int a = 0x1234_5678;
    int b = 0x0F0F_0F0F;

    @Setup(Level.Trial)
    public void setUp() {
        mem = new PhysicalMemory(8 << 20);
        clock = new VirtualClock();
        mmu = new Mmu(mem, clock);
        io = new IoBus();
        io.register(0x80, 1, "echo", IoBus.W_ALL, new IoDevice() {
            private int latch;

            @Override
            public int ioRead(int port, int size) {
                return latch;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                latch = value;
            }
        });
        cpu = new Cpu(mmu, io, clock);
        cpu.cr0 = Cpu.CR0_PE | Cpu.CR0_ET;
        mmu.setCr0(cpu.cr0);
        for (int s = 0; s < 6; s++) {
            cpu.setSegmentCache(s, 0x10, 0, 0xFFFF_FFFF, 0xC093);
        }
        cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFF_FFFF, 0xC09B);
        cpu.regs[Cpu.ESP] = 0x9000;
        // Programs: loop at 0x1000, 1000 taken JMP +0 at 0x2000, two-block loop at 0x3000,
        // 500 OUT/IN pairs at 0x4000.
        int p = CODE;
        p = poke(p, 0xB9, LOOP_COUNT & 0xFF, LOOP_COUNT >>> 8, 0, 0);   // mov ecx, LOOP_COUNT
        p = poke(p, 0x01, 0xC8);                                          // add eax, ecx
        p = poke(p, 0x49);                                                // dec ecx
        p = poke(p, 0x75, 0xFB);                                          // jnz add
        poke(p, 0xF4);                                                    // hlt
        // Two-block loop at 0x3000 (no block jumps to its own start): ADD; JMP M; M: DEC; JNZ L.
        p = 0x3000;
        p = poke(p, 0xB9, LOOP_COUNT & 0xFF, LOOP_COUNT >>> 8, 0, 0);   // mov ecx, LOOP_COUNT
        p = poke(p, 0x01, 0xC8);                                          // L: add eax, ecx
        p = poke(p, 0xEB, 0x00);                                          // jmp M (next instruction)
        p = poke(p, 0x49);                                                // M: dec ecx
        p = poke(p, 0x75, 0xF9);                                          // jnz L
        poke(p, 0xF4);                                                    // hlt
        p = 0x2000;
        for (int i = 0; i < REPEAT; i++) {
            p = poke(p, 0xEB, 0x00);                                      // jmp $+2
        }
        poke(p, 0xF4);
        p = 0x4000;
        for (int i = 0; i < REPEAT / 2; i++) {
            p = poke(p, 0xE6, 0x80, 0xE4, 0x80);                          // out 0x80, al; in al, 0x80
        }
        poke(p, 0xF4);
        // Page directory at 0x100000: one 4 MiB identity page (PSE), for the MMU benchmarks.
        mem.poke32(0x10_0000, 0x0000_0083);
        cpu.cr4 = Cpu.CR4_PSE;
        mmu.setCr4(cpu.cr4);
        cpu.cr3 = 0x10_0000;
        mmu.setCr3(cpu.cr3);
    }

    private int poke(int at, int... bytes) {
        for (int v : bytes) {
            mem.poke8(at++, v);
        }
        return at;
    }

    private long runProgram(int start, boolean paging) {
        cpu.cr0 = paging ? Cpu.CR0_PE | Cpu.CR0_ET | Cpu.CR0_PG : Cpu.CR0_PE | Cpu.CR0_ET;
        mmu.setCr0(cpu.cr0);
        cpu.setHalted(false);
        cpu.eip = start;
        long before = cpu.instructions;
        StopReason stop = cpu.run(1_000_000);
        if (stop != StopReason.HALTED_FOREVER) {
            throw new IllegalStateException("program did not halt: " + stop);
        }
        return cpu.instructions - before;
    }

    @Benchmark
    @OperationsPerInvocation(LOOP_INSNS)
    public long decodeExecuteLoop() {
        return runProgram(CODE, false);
    }

    @Benchmark
    @OperationsPerInvocation(LOOP_INSNS)
    public long decodeExecuteLoopPaged() {
        return runProgram(CODE, true);
    }

    /** As decodeExecuteLoop, but each iteration enters two blocks (block lookup cost). */
    @Benchmark
    @OperationsPerInvocation(2 + 4 * LOOP_COUNT)
    public long twoBlockLoop() {
        return runProgram(0x3000, false);
    }

    @Benchmark
    @OperationsPerInvocation(REPEAT + 1)
    public long takenBranch() {
        return runProgram(0x2000, false);
    }

    @Benchmark
    @OperationsPerInvocation(REPEAT + 1)
    public long portIoRoundTrip() {
        return runProgram(0x4000, false);
    }

    @Benchmark
    @OperationsPerInvocation(REPEAT)
    public int tlbHitRead() {
        enablePaging();
        int sum = 0;
        for (int i = 0; i < REPEAT; i++) {
            sum += mmu.read32(0x20_0000 + ((i & 0xFF) << 2));
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(REPEAT)
    public void tlbHitWrite() {
        enablePaging();
        for (int i = 0; i < REPEAT; i++) {
            mmu.write32(0x20_0000 + ((i & 0xFF) << 2), i);
        }
    }

    @Benchmark
    @OperationsPerInvocation(REPEAT)
    public int aluLazyFlags() {
        int x = a;
        int taken = 0;
        for (int i = 0; i < REPEAT; i++) {
            x = Alu.arith(cpu, Alu.ADD, 4, x, b + i);
            if (Flags.cond(cpu, 0x2)) {          // JB: reads CF from the lazy state
                taken++;
            }
        }
        return x + taken;
    }

    private void enablePaging() {
        if ((cpu.cr0 & Cpu.CR0_PG) == 0) {
            cpu.cr0 |= Cpu.CR0_PG;
            mmu.setCr0(cpu.cr0);
        }
    }
}
