package jx86.cpu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native runner itself: hand-computed results for tiny blocks, and signal reporting. */
class NativeRunnerTest {
    private static NativeRunner runner;

    @BeforeAll
    static void build() {
        runner = NativeRunner.required();
    }

    private static OracleCase block(int eflags, int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            code[i] = (byte) bytes[i];
        }
        int[] regs = {0x7FFFFFFF, 0, 5, 0x11223344, OracleCase.WINDOW_ADDRESS + 0xC00, 6, 7, 8};
        return new OracleCase(0, code, List.of(), regs, eflags, new byte[OracleCase.WINDOW_SIZE], 0);
    }

    @Test
    void addOverflow_setsOfSfAndStoresPushedFlags() throws IOException {
        // add eax, 1 ; pushfd
        OracleResult r = runner.run(List.of(block(0, 0x83, 0xC0, 0x01, 0x9C))).get(0);
        assertThat(r.vector).isEqualTo(OracleResult.COMPLETED);
        assertThat(r.regs[0]).isEqualTo(0x80000000);
        // OF, SF, AF and PF (low byte 0x00 has even parity) = 0x894, plus IF and bit 1
        assertThat(r.eflags & 0xFFF).isEqualTo(0xA96);
        assertThat(r.regs[4]).isEqualTo(OracleCase.WINDOW_ADDRESS + 0xBFC);
        assertThat(r.window[0xBFC] & 0xFF).isEqualTo(0x96);
        assertThat(r.window[0xBFD] & 0xFF).isEqualTo(0x0A);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS + 4);
    }

    @Test
    void divideByZero_reportsVector0AtTheDivide() throws IOException {
        // nop ; div ecx (ecx = 0) ; then a good block to show the runner continues
        List<OracleResult> r = runner.run(List.of(block(0, 0x90, 0xF7, 0xF1), block(0, 0x42)));
        assertThat(r.get(0).vector).isZero();
        assertThat(r.get(0).eip).isEqualTo(OracleCase.CODE_ADDRESS + 1);
        assertThat(r.get(0).regs[3]).isEqualTo(0x11223344);
        assertThat(r.get(1).vector).isEqualTo(OracleResult.COMPLETED);
        assertThat(r.get(1).regs[2]).isEqualTo(6);
    }

    @Test
    void undefinedOpcode_reportsVector6() throws IOException {
        OracleResult r = runner.run(List.of(block(0, 0x0F, 0x0B))).get(0);
        assertThat(r.vector).isEqualTo(6);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS);
    }

    @Test
    void initialFlags_areLoaded() throws IOException {
        // setc al ; sets ah with CF and SF set initially
        OracleResult r = runner.run(List.of(block(0x81, 0x0F, 0x92, 0xC0, 0x0F, 0x98, 0xC4))).get(0);
        assertThat(r.regs[0] & 0xFFFF).isEqualTo(0x0101);
    }

    @Test
    void blockStraddlingAPageBoundary_runsToItsEnd() throws Exception {
        // mov eax, 0x12345678 ; inc eax   starting 2 bytes before the next page
        byte[] code = {(byte) 0xB8, 0x78, 0x56, 0x34, 0x12, 0x40};
        OracleCase c = new OracleCase(0, OracleCase.CODE_ADDRESS + 4094, code, List.of(), new int[] {0, 0, 0, 0,
            OracleCase.WINDOW_ADDRESS + 0x1C00, 0, 0, 0}, 0, new byte[OracleCase.WINDOW_SIZE], 0);
        OracleResult r = runner.run(List.of(c)).get(0);
        assertThat(r.vector).isEqualTo(OracleResult.COMPLETED);
        assertThat(r.regs[0]).isEqualTo(0x12345679);
        assertThat(r.eip).isEqualTo(OracleCase.CODE_ADDRESS + 4100);
    }
}
