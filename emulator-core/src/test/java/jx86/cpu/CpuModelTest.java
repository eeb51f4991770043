package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.testsupport.TinyKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CPUID, the RESET signature and the MP table's processor entry all come from CpuModel. */
class CpuModelTest {
    /** FPU, PSE, TSC, MSR, CX8, APIC, SEP, PGE, CMOV (docs/cpu.md). */
    private static final int P6_FEATURES = 0x0000_AB39;

    @Test
    void cpuidLeaf1_reportsTheModelsSignatureAndFeatures() {
        // MOV EAX,1; CPUID
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB8, 0x01, 0x00, 0x00, 0x00, 0x0F, 0xA2);
        assertThat(t.reg(Cpu.EAX)).isEqualTo(0x0663);
        assertThat(t.reg(Cpu.EDX)).isEqualTo(P6_FEATURES);
    }

    @Test
    void instructionFeatures_followTheTablesModelColumn() {
        assertThat(CpuModel.FEATURES_EDX & CpuModel.CMOV).isNotZero();
        assertThat(OpTable.lookup(0x140, 0).since()).isEqualTo(OpTable.Model.P6);
        assertThat(CpuModel.FEATURES_EDX & CpuModel.CX8).isNotZero();
        assertThat(OpTable.lookup(0x1C7, 1).since()).isEqualTo(OpTable.Model.P5);
    }

    @Test
    void resetState_holdsTheSignatureInEdx() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.reset();
        assertThat(t.reg(Cpu.EDX)).isEqualTo(0x0663);
    }

    @Test
    void mpTableProcessorEntry_equalsCpuid(@TempDir Path dir) throws Exception {
        Path kernel = TinyKernel.write(dir, "k.elf", 0xF4);
        try (PcMachine m = new PcMachine(MachineConfig.builder().kernel(kernel).build())) {
            m.boot();
            int entry = 0xF5A10 + 44; // Devices.MP_TABLE + the configuration table header
            assertThat(m.memory().read8(entry)).isZero(); // type 0: processor
            assertThat(read32(m, entry + 4)).isEqualTo(0x0663);
            assertThat(read32(m, entry + 8)).isEqualTo(P6_FEATURES);
        }
    }

    private static int read32(PcMachine m, int pa) {
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | m.memory().read8(pa + i) & 0xFF;
        }
        return v;
    }
}
