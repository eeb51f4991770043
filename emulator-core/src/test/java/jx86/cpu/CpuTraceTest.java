package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The -d execution log on small programs: the lines are written out by hand from the programs. */
class CpuTraceTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private CpuTestSupport traced(CpuTestSupport t, String items, String filter) {
        t.cpu.setTrace(CpuTrace.parse(items, filter, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return t;
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void inAsmAndExec_logEachBlockOnceAndEachRun() {
        // 1000: MOV ECX,2   1005: DEC ECX   1006: JNZ 1005   1008: HLT
        CpuTestSupport t = traced(CpuTestSupport.flat32(), "in_asm,exec", null);
        t.exec(0xB9, 0x02, 0x00, 0x00, 0x00, 0x49, 0x75, 0xFD);
        assertThat(lines()).containsExactly(
                "----------------", "IN: ",
                "0x00001000:  mov    $0x2,%ecx",
                "0x00001005:  dec    %ecx",
                "0x00001006:  jne    1005",
                "",
                "Trace 0: [00000000/00001000/00000002]",
                "----------------", "IN: ",
                "0x00001005:  dec    %ecx",
                "0x00001006:  jne    1005",
                "",
                "Trace 0: [00000000/00001005/00000002]",
                "----------------", "IN: ",
                "0x00001008:  hlt",
                "",
                "Trace 0: [00000000/00001008/00000046]");
    }

    @Test
    void dfilter_keepsOnlyBlocksInTheRange() {
        CpuTestSupport t = traced(CpuTestSupport.flat32(), "exec", "0x1008+1");
        t.exec(0xB9, 0x02, 0x00, 0x00, 0x00, 0x49, 0x75, 0xFD);
        assertThat(lines()).containsExactly("Trace 0: [00000000/00001008/00000046]");
    }

    @Test
    void int_logsTheExceptionWithRegisters() {
        // 1000: XOR ECX,ECX   1002: DIV ECX -> #DE, handler HLT at 0x3000
        CpuTestSupport t = traced(CpuTestSupport.flat32().handler(0, 0x3000), "int", null);
        t.exec(0x31, 0xC9, 0xF7, 0xF1);
        List<String> l = lines();
        assertThat(l.get(0)).isEqualTo(
                "     0: v=00 e=0000 i=0 cpl=0 IP=0008:00001002 pc=00001002 SP=0010:00009000 CR2=00000000");
        assertThat(l.get(1)).isEqualTo("EAX=00000000 EBX=00000000 ECX=00000000 EDX=00000663");
        assertThat(l).hasSize(1 + 14);
        assertThat(l.get(14)).isEqualTo("CR0=00000011 CR2=00000000 CR3=00000000 CR4=00000000");
    }

    @Test
    void mmu_logsControlRegisterLoadsAndInvlpg() {
        // MOV EAX,0x5000; MOV CR3,EAX; INVLPG [EAX]
        CpuTestSupport t = traced(CpuTestSupport.flat32(), "mmu", null);
        t.exec(0xB8, 0x00, 0x50, 0x00, 0x00, 0x0F, 0x22, 0xD8, 0x0F, 0x01, 0x38);
        assertThat(lines()).containsExactly("mmu: CR3=00005000", "mmu: invlpg 00005000");
    }

    @Test
    void cpuReset_dumpsTheResetState() {
        CpuTestSupport t = CpuTestSupport.flat32();
        traced(t, "cpu_reset", null);
        bytes.reset();
        t.cpu.reset();
        assertThat(lines().get(0)).isEqualTo("CPU Reset (CPU 0)");
        assertThat(lines()).contains("EIP=0000fff0 EFL=00000002 CPL=0 HLT=0", "CS =f000 ffff0000 0000ffff 009b");
    }

    @Test
    void tracedRun_givesTheSameStateAndCyclesAsTheUntracedRun() {
        int[] prog = {0xB9, 0x10, 0x00, 0x00, 0x00, 0x01, 0xC8, 0x49, 0x75, 0xFB};
        CpuTestSupport plain = CpuTestSupport.flat32().exec(prog);
        CpuTestSupport traced = traced(CpuTestSupport.flat32(), "in_asm,exec,int,mmu", null).exec(prog);
        assertThat(traced.cpu.regs).containsExactly(plain.cpu.regs);
        assertThat(traced.clock.cycles).isEqualTo(plain.clock.cycles);
        assertThat(traced.cpu.instructions).isEqualTo(plain.cpu.instructions);
    }

    @Test
    void badItemsAndRanges_areOneLineErrors() {
        assertThatThrownBy(() -> CpuTrace.parse("in_asm,foo", null, System.err))
                .hasMessage("unknown log item 'foo' (expected in_asm, exec, int, cpu_reset, mmu)");
        assertThatThrownBy(() -> CpuTrace.parse("exec", "0x10..zz", System.err))
                .hasMessage("bad address range '0x10..zz' (expected START..END or START+LENGTH)");
    }
}
