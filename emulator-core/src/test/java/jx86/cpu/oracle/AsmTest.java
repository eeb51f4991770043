package jx86.cpu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Asm's memory operands, checked by decoding them independently: the setup MOVs it emits plus the
 * ModRM/SIB/displacement bytes must address exactly the requested window byte.
 */
class AsmTest {
    /** Effective address of a 32-bit ModRM/SIB tail given the register values. */
    private static long effectiveAddress(byte[] tail, int[] regs) {
        int modrm = tail[0] & 0xFF;
        int mod = modrm >>> 6;
        int rm = modrm & 7;
        int at = 1;
        long ea;
        if (rm == 4) {
            int sib = tail[at++] & 0xFF;
            int scale = sib >>> 6;
            int index = (sib >>> 3) & 7;
            int base = sib & 7;
            ea = index == 4 ? 0 : (regs[index] & 0xFFFFFFFFL) << scale;
            if (base == 5 && mod == 0) {
                ea += le32(tail, at);
                at += 4;
            } else {
                ea += regs[base] & 0xFFFFFFFFL;
            }
        } else if (rm == 5 && mod == 0) {
            ea = le32(tail, at) & 0xFFFFFFFFL;
            at += 4;
        } else {
            ea = regs[rm] & 0xFFFFFFFFL;
        }
        if (mod == 1) {
            ea += tail[at];
        } else if (mod == 2) {
            ea += le32(tail, at);
        }
        return ea & 0xFFFFFFFFL;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    @Test
    void memoryOperands_addressTheRequestedWindowByte() {
        Random rnd = new Random(3);
        for (int n = 0; n < 5000; n++) {
            Asm a = new Asm(rnd, OracleCase.CODE_ADDRESS);
            a.espOff = Asm.STACK_LOW + rnd.nextInt(Asm.STACK_HIGH - Asm.STACK_LOW);
            int size = 1 << rnd.nextInt(4);
            int target = a.dataTarget(size);
            int avoid = (1 << rnd.nextInt(8) | 1 << rnd.nextInt(8)) & ~(1 << 4); // callers avoid at most two
            int regField = rnd.nextInt(8);
            boolean espOk = rnd.nextBoolean();
            Asm.Mem m = a.mem(regField, target, size, avoid, espOk);

            int[] regs = new int[8];
            regs[4] = OracleCase.WINDOW_ADDRESS + a.espOff;
            byte[] code = a.code();
            for (OracleCase.Insn i : a.insns) {
                int op = code[i.offset()] & 0xFF;
                assertThat(op).as("setup is MOV r32, imm32").isBetween(0xB8, 0xBF);
                assertThat(avoid & (1 << (op - 0xB8))).as("avoided register written by " + i.text()).isZero();
                regs[op - 0xB8] = le32(code, i.offset() + 1);
            }
            assertThat((m.tail()[0] >>> 3) & 7).isEqualTo(regField);
            long ea = effectiveAddress(m.tail(), regs);
            boolean espBased = (m.tail()[0] & 7) == 4 && (m.tail()[1] & 7) == 4;
            if (espBased) {
                assertThat(ea).as(m.text()).isBetween((long) OracleCase.WINDOW_ADDRESS,
                        (long) OracleCase.WINDOW_ADDRESS + OracleCase.WINDOW_SIZE - size);
            } else {
                assertThat(ea).as(m.text()).isEqualTo(OracleCase.WINDOW_ADDRESS + target);
            }
        }
    }

    @Test
    void undefinedFlag_isDefinedByACmpBeforeAReader() {
        Asm a = new Asm(new Random(1), OracleCase.CODE_ADDRESS);
        a.ins("mul ecx", "F7/4", 0, Asm.CF | Asm.OF, Asm.SF | Asm.ZF | Asm.AF | Asm.PF,
                new Asm.Bytes().b(0xF7).b(0xE1));
        assertThat(a.undef).isEqualTo(Asm.SF | Asm.ZF | Asm.AF | Asm.PF);
        a.ins("sete al", "0F 94", Asm.ZF, 0, 0, new Asm.Bytes().b(0x0F).b(0x94).b(0xC0));
        assertThat(a.insns).hasSize(3);
        assertThat(a.insns.get(1).text()).startsWith("cmp ");
        assertThat(a.undef).isZero();
    }
}
