package jx86.cpu.oracle;

import static jx86.cpu.oracle.Asm.AF;
import static jx86.cpu.oracle.Asm.ARITH;
import static jx86.cpu.oracle.Asm.CF;
import static jx86.cpu.oracle.Asm.OF;
import static jx86.cpu.oracle.Asm.PF;
import static jx86.cpu.oracle.Asm.SF;
import static jx86.cpu.oracle.Asm.ZF;

import java.util.Random;
import jx86.cpu.oracle.Asm.Bytes;

/**
 * Seeded generator of random user-mode instruction blocks for the differential oracle.
 *
 * <p>A block is 1-8 "items"; an item is one instruction under test plus the MOVs that point its
 * memory operands into the data window or give it safe operands (divisors, string counts, stack
 * frames). Only flat 32-bit user-mode code that stays inside the block and the window is made:
 * no privileged instructions, system calls, segment loads or far transfers. Flags that the SDM
 * calls undefined are tracked by {@link Asm} and masked by the comparison; an instruction that
 * would read one gets a defining CMP first. Case {@code n} of seed {@code s} is always the same.
 */
final class BlockGenerator extends GenBase {
    private final long seed;
    /** Also generate accesses just outside the mapped window (#PF); needs paging in jx86's MMU. */
    private final boolean pageFaults;
    private final ArithItems arith = new ArithItems();
    private final FlowItems flow = new FlowItems();

    BlockGenerator(long seed) {
        this(seed, false);
    }

    BlockGenerator(long seed, boolean pageFaults) {
        this.seed = seed;
        this.pageFaults = pageFaults;
    }

    OracleCase generate(long index) {
        rnd = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 1);
        int codeAddress = OracleCase.CODE_ADDRESS;
        if (rnd.nextInt(4) == 0) {
            // start the block just below a page boundary so it straddles it (instruction fetch across pages)
            codeAddress += 4096 - 1 - rnd.nextInt(48);
        }
        a = new Asm(rnd, codeAddress);
        arith.rnd = rnd;
        arith.a = a;
        flow.rnd = rnd;
        flow.a = a;
        int[] regs = new int[8];
        for (int r = 0; r < 8; r++) {
            regs[r] = value(32);
        }
        regs[4] = OracleCase.WINDOW_ADDRESS + Asm.STACK_START;
        int eflags = rnd.nextInt() & ARITH;
        if (rnd.nextInt(4) == 0) {
            eflags |= Asm.DF;
        }
        byte[] window = new byte[OracleCase.WINDOW_SIZE];
        int fill = rnd.nextInt(8);
        for (int i = 0; i < window.length; i++) {
            window[i] = (byte) (fill == 0 ? 0 : fill == 1 ? 0xFF : rnd.nextInt(256));
        }
        int items = 1 + rnd.nextInt(8);
        for (int i = 0; i < items && a.hasRoom(64); i++) {
            item();
        }
        byte[] code = a.code();
        return new OracleCase(index, codeAddress, code, a.insns, regs, eflags, window, a.undef);
    }

    // ---- items ----

    private void item() {
        for (;;) {
            int k = rnd.nextInt(100);
            boolean done;
            if (k < 16) {
                done = arith.alu();
            } else if (k < 20) {
                done = arith.test();
            } else if (k < 24) {
                done = arith.incDec();
            } else if (k < 27) {
                done = arith.notNeg();
            } else if (k < 32) {
                done = arith.mul();
            } else if (k < 36) {
                done = arith.div();
            } else if (k < 44) {
                done = arith.shift();
            } else if (k < 47) {
                done = arith.shld();
            } else if (k < 50) {
                done = arith.bitOps();
            } else if (k < 53) {
                done = arith.setCmov();
            } else if (k < 57) {
                done = flow.jumps();
            } else if (k < 61) {
                done = arith.mov();
            } else if (k < 63) {
                done = arith.lea();
            } else if (k < 66) {
                done = arith.exchange();
            } else if (k < 68) {
                done = arith.misc();
            } else if (k < 73) {
                done = flow.string();
            } else if (k < 80) {
                done = flow.stack();
            } else if (k < 84) {
                done = arith.bcd();
            } else if (k < 87) {
                done = flow.frames();
            } else if (k < 89) {
                done = flow.bound();
            } else if (k < 92) {
                done = flow.loops();
            } else if (k < 95) {
                done = flow.callRet();
            } else if (k < 97) {
                done = arith.flagsOps();
            } else if (k < 98) {
                done = arith.hints();
            } else if (k < 99) {
                int which = rnd.nextInt(3);
                done = which == 0 ? flow.segments() : which == 1 ? flow.espArithmetic() : flow.selfModify();
            } else if (pageFaults && rnd.nextInt(3) != 0) {
                done = flow.pageFault();
            } else {
                done = flow.invalid();
            }
            if (done) {
                return;
            }
        }
    }
}
