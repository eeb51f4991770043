package jx86.cpu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The jx86 side of the oracle: user-mode setup and state capture, checked on hand-computed blocks. */
class Jx86RunnerTest {
    private final Jx86Runner runner = new Jx86Runner();

    private static OracleCase block(int eflags, int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            code[i] = (byte) bytes[i];
        }
        int[] regs = {0x7FFFFFFF, 0, 5, 0x11223344, OracleCase.WINDOW_ADDRESS + 0xC00, 6, 7, 8};
        return new OracleCase(0, code, List.of(), regs, eflags, new byte[OracleCase.WINDOW_SIZE], 0);
    }

    @Test
    void addOverflowThenPushfd_matchesTheHandComputedState() {
        OracleResult r = runner.run(block(0, 0x83, 0xC0, 0x01, 0x9C));
        assertThat(r.crash).isNull();
        assertThat(r.vector).isEqualTo(OracleResult.COMPLETED);
        assertThat(r.regs[0]).isEqualTo(0x80000000);
        assertThat(r.regs[4]).isEqualTo(OracleCase.WINDOW_ADDRESS + 0xBFC);
        // OF SF AF PF + IF + reserved bit 1, as pushed by PUSHFD at CPL 3
        assertThat(r.window[0xBFC] & 0xFF).isEqualTo(0x96);
        assertThat(r.window[0xBFD] & 0xFF).isEqualTo(0x0A);
        assertThat(r.eflags & Differ.COMPARED_FLAGS).isEqualTo(0x894);
    }

    @Test
    void storeToAbsoluteWindowAddress_landsInTheWindow() {
        // mov [0x100010], ebx
        OracleResult r = runner.run(block(0, 0x89, 0x1D, 0x10, 0x00, 0x10, 0x00));
        assertThat(r.window[0x10] & 0xFF).isEqualTo(0x44);
        assertThat(r.window[0x13] & 0xFF).isEqualTo(0x11);
    }

    @Test
    void divideByZero_stopsAtTheDivideWithRegistersUnchanged() {
        OracleResult r = runner.run(block(0, 0x90, 0xF7, 0xF1));
        assertThat(r.crash).isNull();
        assertThat(r.vector).isIn(0, OracleResult.UNDELIVERED);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS + 1);
        assertThat(r.regs[0]).isEqualTo(0x7FFFFFFF);
        assertThat(r.regs[4]).isEqualTo(OracleCase.WINDOW_ADDRESS + 0xC00);
    }

    @Test
    void consecutiveCases_doNotSeeEachOthersCode() {
        runner.run(block(0, 0x40, 0x40, 0x40)); // inc eax x3
        OracleResult r = runner.run(block(0, 0x48)); // dec eax
        assertThat(r.regs[0]).isEqualTo(0x7FFFFFFE);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS + 1);
    }

    @Test
    void blockStraddlingAPageBoundary_runsToItsEnd() throws Exception {
        // mov eax, 0x12345678 ; inc eax   starting 2 bytes before the next page
        byte[] code = {(byte) 0xB8, 0x78, 0x56, 0x34, 0x12, 0x40};
        OracleCase c = new OracleCase(0, OracleCase.CODE_ADDRESS + 4094, code, List.of(), new int[] {0, 0, 0, 0,
            OracleCase.WINDOW_ADDRESS + 0x1C00, 0, 0, 0}, 0, new byte[OracleCase.WINDOW_SIZE], 0);
        OracleResult r = runner.run(c);
        assertThat(r.vector).isEqualTo(OracleResult.COMPLETED);
        assertThat(r.regs[0]).isEqualTo(0x12345679);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS + 4100);
    }

    @Test
    void batchMode_reportsTheSameStateAsStepping() {
        OracleCase c = block(0, 0x83, 0xC0, 0x01, 0x9C, 0x4B); // add eax,1 ; pushfd ; dec ebx
        OracleResult r = runner.run(c, true);
        assertThat(r.crash).isNull();
        assertThat(r.vector).isEqualTo(OracleResult.COMPLETED);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS + 5);
        assertThat(r.regs[0]).isEqualTo(0x80000000);
        assertThat(r.regs[3]).isEqualTo(0x11223343);
        assertThat(r.regs[4]).isEqualTo(OracleCase.WINDOW_ADDRESS + 0xBFC);
        assertThat(r.window[0xBFC] & 0xFF).isEqualTo(0x96);
    }

    @Test
    void batchMode_stopsAtAFaultInsideTheBlock() {
        OracleResult r = runner.run(block(0, 0x90, 0xF7, 0xF1, 0x40), true); // nop ; div ecx (0) ; inc eax
        assertThat(r.crash).isNull();
        assertThat(r.vector).isIn(0, OracleResult.UNDELIVERED);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS + 1);
        assertThat(r.regs[0]).isEqualTo(0x7FFFFFFF);
    }
}
