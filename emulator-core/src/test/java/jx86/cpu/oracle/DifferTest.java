package jx86.cpu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DifferTest {
    private static OracleCase caseWithUndefined(int undef) {
        int[] regs = new int[8];
        return new OracleCase(1, new byte[] {(byte) 0x90}, List.of(new OracleCase.Insn(0, 1, "nop", "90", 0)), regs,
                0, new byte[OracleCase.WINDOW_SIZE], undef);
    }

    private static OracleResult done(int eax, int eflags, byte[] window) {
        return new OracleResult(OracleResult.COMPLETED, OracleCase.CODE_ADDRESS + 1, new int[] {eax, 0, 0, 0, 0, 0, 0, 0},
                eflags, window, null);
    }

    @Test
    void differenceOnlyInUndefinedFlags_isIgnored() {
        byte[] w = new byte[OracleCase.WINDOW_SIZE];
        assertThat(Differ.differences(caseWithUndefined(Asm.SF | Asm.AF), done(1, 0x282, w), done(1, 0x212, w)))
                .isNull();
    }

    @Test
    void differenceInADefinedFlag_isReported() {
        byte[] w = new byte[OracleCase.WINDOW_SIZE];
        String d = Differ.differences(caseWithUndefined(Asm.SF), done(1, 0x203, w), done(1, 0x202, w));
        assertThat(d).contains("eflags").contains("native [CF]").contains("jx86 []");
    }

    @Test
    void registerAndWindowDifferences_areReported() {
        byte[] a = new byte[OracleCase.WINDOW_SIZE];
        byte[] b = new byte[OracleCase.WINDOW_SIZE];
        b[0x20] = 7;
        String d = Differ.differences(caseWithUndefined(0), done(1, 0x202, a), done(2, 0x202, b));
        assertThat(d).contains("eax: native 00000001, jx86 00000002").contains("mem[00100020]: native 00, jx86 07");
    }

    @Test
    void differentExceptionVector_isReported() {
        byte[] w = new byte[OracleCase.WINDOW_SIZE];
        OracleResult de = new OracleResult(0, OracleCase.CODE_ADDRESS, new int[8], 0x202, w, null);
        OracleResult gp = new OracleResult(13, OracleCase.CODE_ADDRESS, new int[8], 0x202, w, null);
        assertThat(Differ.differences(caseWithUndefined(0), de, gp)).contains("native exception 0, jx86 exception 13");
    }
}
