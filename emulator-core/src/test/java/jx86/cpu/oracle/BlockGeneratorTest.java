package jx86.cpu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockGeneratorTest {
    @Test
    void sameSeedAndIndex_giveTheSameBlock() {
        OracleCase a = new BlockGenerator(42).generate(7);
        OracleCase b = new BlockGenerator(42).generate(7);
        assertThat(a.code).isEqualTo(b.code);
        assertThat(a.regs).isEqualTo(b.regs);
        assertThat(a.window).isEqualTo(b.window);
        assertThat(new BlockGenerator(43).generate(7).code).isNotEqualTo(a.code);
    }

    @Test
    void blocks_startWithEspInTheWindowAndOnlyUserFlags() {
        BlockGenerator g = new BlockGenerator(1);
        for (int i = 0; i < 500; i++) {
            OracleCase c = g.generate(i);
            assertThat(c.regs[4]).isEqualTo(OracleCase.WINDOW_ADDRESS + Asm.STACK_START);
            assertThat(c.eflags & ~(Asm.ARITH | Asm.DF)).isZero();
            assertThat(c.code.length).isBetween(1, OracleCase.MAX_CODE);
        }
    }

    @Test
    void sample_coversTheRequiredInstructionFamilies() {
        BlockGenerator g = new BlockGenerator(5);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            g.generate(i).insns.forEach(x -> keys.add(x.key()));
        }
        assertThat(keys).contains("01.32", "00.8", "01.16", "03.32", "05.32", "81/0.32", "83/5.16", "80/7.8",
                "F7/4.32", "F6/5.8", "0F AF.32", "69.16", "6B.32", "F7/6.32", "F7/7.16", "D3/4.32", "C1/7.16",
                "D0/2.8", "0F A4.32", "0F AD.16", "0F A3.32", "0F BA/5.16", "0F BC.32", "0F BD.16",
                "0F 90+cc.8", "0F 40+cc.32", "70+cc", "0F 80+cc", "8D a32.32", "8D a16.16", "0F B6.32",
                "0F BF.32", "87.32", "0F C1.32", "0F B1.32", "0F C7/1", "0F C8+r", "98.16", "99.32", "9E", "9F",
                "F8", "F9", "F5", "FC", "FD", "F3 A5.32", "F3 A6.8", "F2 AF.16", "AC.8", "50+r.32", "58+r.16",
                "9C.32", "9D.16", "60.32", "61.16", "27", "2F", "37", "3F", "D4", "D5", "D7", "C8.32", "C9.16", "62.32", "62.16",
                "E2", "E1", "E0", "67 E2", "E3", "67 E3", "E8", "C3", "C2", "F3 90", "0F 1F/0.32", "#UD 0F 0B", "#UD F0 89 mem", "#GP 2E 88/89", "#GP 64/65 8A/8B", "SMC C6/0", "SMC C7/0", "FF/2 reg", "FF/2 mem", "FF/4 reg", "FF/4 mem", "15-byte insn",
                "#GP 16-byte insn");
    }
}
