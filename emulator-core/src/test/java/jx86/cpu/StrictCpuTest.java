package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.stream.Stream;
import jx86.arch.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --cpu strict} ({@link Cpu#setStrict}): each sensitive-but-unprivileged IA-32 instruction
 * runs at CPL 3 on the faithful CPU, raises #GP(0) at CPL 3 on the strict CPU, and runs at CPL 0
 * on both. (IRET within ring 3 is covered by the vmm module's test guests, which need a GDT.)
 */
class StrictCpuTest {
    static Stream<Arguments> sensitive() {
        return Stream.of(
                Arguments.of("pushf", new int[] {0x9C}),
                Arguments.of("popf", new int[] {0x9D}),
                Arguments.of("sgdt [0x20000]", new int[] {0x0F, 0x01, 0x05, 0x00, 0x00, 0x02, 0x00}),
                Arguments.of("sidt [0x20000]", new int[] {0x0F, 0x01, 0x0D, 0x00, 0x00, 0x02, 0x00}),
                Arguments.of("smsw eax", new int[] {0x0F, 0x01, 0xE0}),
                Arguments.of("sldt eax", new int[] {0x0F, 0x00, 0xC0}),
                Arguments.of("str eax", new int[] {0x0F, 0x00, 0xC8}),
                Arguments.of("lar eax, ecx", new int[] {0x0F, 0x02, 0xC1}),
                Arguments.of("lsl eax, ecx", new int[] {0x0F, 0x03, 0xC1}),
                Arguments.of("verr cx", new int[] {0x0F, 0x00, 0xE1}),
                Arguments.of("verw cx", new int[] {0x0F, 0x00, 0xE9}),
                Arguments.of("mov eax, cs", new int[] {0x8C, 0xC8}),
                Arguments.of("push cs", new int[] {0x0E}),
                Arguments.of("push ss", new int[] {0x16}),
                Arguments.of("push ds", new int[] {0x1E}),
                Arguments.of("push es", new int[] {0x06}),
                Arguments.of("push fs", new int[] {0x0F, 0xA0}),
                Arguments.of("push gs", new int[] {0x0F, 0xA8}));
    }

    private static CpuTestSupport at(int cpl, boolean strict, int[] bytes) {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setStrict(strict);
        t.cpu.setCpl(cpl);
        t.code(bytes);
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sensitive")
    void faithfulCpu_runsItInRing3(String name, int[] bytes) {
        CpuTestSupport t = at(3, false, bytes);
        assertThatCode(() -> Exec.execute(t.cpu)).doesNotThrowAnyException();
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + bytes.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sensitive")
    void strictCpu_trapsItInRing3(String name, int[] bytes) {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setStrict(true);
        t.cpu.setCpl(3);
        SystemTestSupport.assertFault(() -> {
            t.code(bytes);
            Exec.execute(t.cpu);
        }, Vectors.GP, 0);
        assertThat(t.cpu.regs[Cpu.ESP]).as("nothing pushed or popped").isEqualTo(CpuTestSupport.STACK_TOP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sensitive")
    void strictCpu_runsItInRing0(String name, int[] bytes) {
        CpuTestSupport t = at(0, true, bytes);
        assertThatCode(() -> Exec.execute(t.cpu)).doesNotThrowAnyException();
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + bytes.length);
    }
}
